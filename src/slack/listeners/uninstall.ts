import type { InstallationRef, InstallationStore } from '../../advisor/ports/installations.js';
import type { EventArgs, Register } from './registry.js';

type Uninstall = EventArgs<'app_uninstalled'> | EventArgs<'tokens_revoked'>;

/** The installation an uninstall event is about: the org's for an org-wide one, else the workspace's. */
export function uninstalledRef({
  context,
  body,
}: Pick<Uninstall, 'context' | 'body'>): InstallationRef | undefined {
  if (context.isEnterpriseInstall && context.enterpriseId) {
    return { orgWide: true, enterpriseId: context.enterpriseId };
  }
  const teamId = context.teamId ?? (body as { team_id?: string }).team_id;
  return teamId ? { orgWide: false, teamId } : undefined;
}

/**
 * `app_uninstalled`, or `tokens_revoked` naming the bot: the installation goes at once, with every row of the
 * workspaces it served, in one transaction (Slack sends both events, in either order; the second finds nothing
 * left). Bolt runs these without authorizing, so they arrive even once the installation is gone; nothing here
 * calls Slack. A revocation of user tokens alone changes nothing: the app keeps none.
 */
export function uninstallHandler(installations: InstallationStore) {
  return async (args: Uninstall) => {
    const { event, logger } = args;
    if (event.type === 'tokens_revoked' && (event.tokens.bot ?? []).length === 0) return;
    const ref = uninstalledRef(args);
    if (!ref) return;
    const removed = await installations.removeTenant(ref);
    const where = ref.orgWide ? `org ${ref.enterpriseId}` : `workspace ${ref.teamId}`;
    logger.info(
      `${event.type} from ${where}: removed ${removed.installation ? 'its installation' : 'no installation'}, ` +
        `${removed.assessments} assessments, ${removed.findings} findings, ${removed.subscriptions} digest ` +
        `schedules, ${removed.runs} digest runs, ${removed.keys} idempotency keys and ${removed.outbox} unsent ` +
        'Slack calls',
    );
  };
}

export const registerUninstall: Register = (on, { installations }) => {
  if (!installations) return;
  const handle = uninstallHandler(installations);
  on.event('app_uninstalled', handle).event('tokens_revoked', handle);
};
