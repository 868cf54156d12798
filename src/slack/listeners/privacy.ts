import { exportJson, exportMarkdown } from '../../advisor/export.js';
import type { UserDataService } from '../../advisor/user-data.js';
import { nameOf } from '../adr.js';
import {
  exportSentText,
  FORGET_CANCELLED,
  forgetConfirmMessage,
  forgottenText,
  NOTHING_TO_EXPORT,
} from '../blocks/privacy.js';
import { toSlack } from '../blocks/text.js';
import { ephemeral } from '../ephemeral.js';
import { describeError } from '../errors.js';
import { threadLinks } from '../permalinks.js';
import { type HomeDeps, publishHome } from './home.js';
import type { ActionArgs, ListenerDeps, Register, Subcommand } from './registry.js';

/** `/k8s-advisor export`: every assessment of the caller, as JSON and Markdown files in a direct message. */
export function exportCommand({
  service,
  userData,
}: Pick<ListenerDeps, 'service'> & { userData: UserDataService }): Subcommand {
  return async ({ command, ack, client, respond, logger }) => {
    await ack();
    if (!(await service.claim(`command:${command.trigger_id}`, command.team_id))) return;
    const say = (text: string) =>
      respond(ephemeral(text)).catch((error: Error) =>
        logger.warn(`could not answer the export command: ${error.message}`),
      );
    const who = { teamId: command.team_id, userId: command.user_id };
    try {
      const sessions = await userData.all(who.teamId, who.userId);
      if (sessions.length === 0) return void (await say(NOTHING_TO_EXPORT));
      const [ownerName, links, dm] = await Promise.all([
        nameOf(client, who.userId),
        threadLinks(client, sessions),
        client.conversations.open({ users: who.userId }),
      ]);
      if (!dm.channel?.id) throw new Error('conversations.open returned no channel');
      const exportedAt = Date.now();
      const ctx = { ...who, ownerName, exportedAt, links };
      const q = userData.questionnaire;
      const date = new Date(exportedAt).toISOString().slice(0, 10);
      await client.filesUploadV2({
        channel_id: dm.channel.id,
        initial_comment: `Your k8s-advisor export: ${sessions.length === 1 ? 'one assessment' : `${sessions.length} assessments`}, as JSON (for tools) and Markdown (decision records).`,
        file_uploads: [
          {
            filename: `k8s-advisor-export-${date}.json`,
            title: 'k8s-advisor export (JSON)',
            content: exportJson(q, sessions, userData.recommend, ctx),
          },
          {
            filename: `k8s-advisor-export-${date}.md`,
            title: 'k8s-advisor export (Markdown)',
            content: exportMarkdown(q, sessions, userData.recommend, ctx),
          },
        ],
      });
      await say(exportSentText(sessions.length));
    } catch (error) {
      logger.error(`export failed: ${describeError(error)}`);
      await say(`:warning: The export did not work (${describeError(error)}). Try again in a moment.`);
    }
  };
}

/** `/k8s-advisor forget-me`: asks first, with buttons only the caller sees. */
export const forgetCommand: Subcommand = async ({ command, ack }) => {
  await ack({ response_type: 'ephemeral', ...toSlack(forgetConfirmMessage(command.user_id)) });
};

export function forgetHandlers(home: HomeDeps) {
  const { userData } = home;
  return {
    confirm: async ({ ack, body, action, respond, client, logger }: ActionArgs) => {
      await ack();
      // The buttons carry the id of the person who asked; nobody else may confirm, even if they saw them.
      if ((action as { value?: string }).value !== body.user.id) {
        await respond({
          ...ephemeral('Only the person who asked can confirm this.'),
          replace_original: false,
        });
        return;
      }
      const who = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
      const forgotten = await userData.forget(who.teamId, who.userId);
      await respond({ replace_original: true, text: forgottenText(forgotten) });
      // Their App Home listed the assessments just deleted.
      await publishHome(client, home, who).catch((error: Error) =>
        logger.warn(`could not refresh App Home after forget-me: ${error.message}`),
      );
    },
    cancel: async ({ ack, respond }: ActionArgs) => {
      await ack();
      await respond({ replace_original: true, text: FORGET_CANCELLED });
    },
  };
}

export const registerPrivacy: Register = (on, deps) => {
  const { userData } = deps;
  if (!userData) return;
  const forget = forgetHandlers({ ...deps, userData });
  on.command('export', exportCommand({ ...deps, userData }))
    .command('forget-me', forgetCommand)
    .action('privacy:forget:confirm', forget.confirm)
    .action('privacy:forget:cancel', forget.cancel);
};
