import type {
  InstallationStore as BoltInstallationStore,
  Installation,
  InstallationQuery,
} from '@slack/oauth';
import type { InstallationRef, InstallationStore } from '../../advisor/ports/installations.js';

/** Bolt's query as the port's reference: an org-wide installation by its org, otherwise by the workspace. */
export function refOf(query: InstallationQuery<boolean>): InstallationRef {
  if (query.isEnterpriseInstall && query.enterpriseId)
    return { orgWide: true, enterpriseId: query.enterpriseId };
  if (!query.teamId) throw new Error('the request names neither a workspace nor an org-wide installation');
  return {
    orgWide: false,
    teamId: query.teamId,
    ...(query.enterpriseId && { enterpriseId: query.enterpriseId }),
  };
}

/** Where an installation belongs: its org when installed org-wide, else its workspace. */
function scopeOf(installation: Installation) {
  const enterpriseId = installation.enterprise?.id ?? null;
  if (installation.isEnterpriseInstall === true && enterpriseId) {
    return { teamId: null, enterpriseId, orgWide: true };
  }
  const teamId = installation.team?.id;
  if (!teamId) throw new Error('Slack returned an installation with neither a workspace nor an org');
  return { teamId, enterpriseId, orgWide: false };
}

/**
 * Bolt's InstallationStore over the core's port. The whole installation is kept (as Bolt advises), as one
 * document the store encrypts. A workspace served by an org-wide installation is noted once per process and
 * installation, so an org-wide uninstall finds its data and a scheduled digest finds its token.
 */
export function boltInstallationStore(
  port: InstallationStore,
  now: () => number = Date.now,
): BoltInstallationStore {
  const noted = new Set<string>();
  const note = async (enterpriseId: string, teamId: string, installedAt: number) => {
    const key = `${enterpriseId} ${teamId} ${installedAt}`;
    if (noted.has(key)) return;
    await port.noteOrgWorkspace(enterpriseId, teamId, now());
    if (noted.size >= 10_000) noted.clear();
    noted.add(key);
  };

  return {
    async storeInstallation(installation) {
      await port.saveInstallation(
        { ...scopeOf(installation as Installation), document: JSON.stringify(installation) },
        now(),
      );
    },
    async fetchInstallation(query) {
      const ref = refOf(query);
      const found = await port.findInstallation(ref);
      if (!found) {
        const where = ref.orgWide ? `org ${ref.enterpriseId}` : `workspace ${ref.teamId}`;
        throw new Error(`no installation serves ${where}`);
      }
      if (found.orgWide && found.enterpriseId && query.teamId) {
        await note(found.enterpriseId, query.teamId, found.installedAt);
      }
      return JSON.parse(found.document) as Installation;
    },
    async deleteInstallation(query) {
      await port.deleteInstallation(refOf(query));
    },
  };
}
