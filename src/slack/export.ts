import type { Logger } from '@slack/bolt';
import { exportJson, exportMarkdown } from '../advisor/export.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { UserDataService } from '../advisor/user-data.js';
import { nameOf } from './adr.js';
import { exportSentText, NOTHING_TO_EXPORT } from './blocks/privacy.js';
import { ephemeral } from './ephemeral.js';
import { describeError } from './errors.js';
import { givingUp, TOLD_ATTEMPTS } from './last-try.js';
import type { Task } from './outbox-handler.js';
import { threadLinks } from './permalinks.js';
import type { ClientFor } from './publish-digest.js';
import { postResponse } from './response-url.js';
import { requestOrg } from './workspace.js';

interface ExportPayload {
  userId: string;
  /** The command's response_url: where the person is told the files are there, or that they could not be sent. */
  responseUrl?: string;
}

/** `/k8s-advisor export` as an outbox item: the files are made and uploaded when it is sent. */
export const exportCall = (who: { teamId: string; userId: string }, responseUrl?: string): Envelope => ({
  teamId: who.teamId,
  lane: `export:${who.teamId}:${who.userId}`,
  kind: 'export',
  payload: { userId: who.userId, ...(responseUrl && { responseUrl }), ...requestOrg() },
  maxAttempts: TOLD_ATTEMPTS,
});

/**
 * The sender's side: every assessment of the person, as JSON and Markdown files in a direct message with the
 * bot. A failure is retried; the person hears of it once the export is given up on.
 */
export function exportTask(
  userData: Pick<UserDataService, 'all' | 'questionnaire' | 'recommend'>,
  clientFor: ClientFor,
  logger: Logger,
): Task {
  return async (item) => {
    const { userId, responseUrl } = item.payload as ExportPayload;
    // The answer is a courtesy: the files are what was asked for, so a lost answer does not send them twice.
    const say = async (text: string) => {
      if (!responseUrl) return;
      await postResponse(responseUrl, ephemeral(text)).catch((error: unknown) =>
        logger.warn(`could not answer the export command: ${describeError(error)}`),
      );
    };
    const who = { teamId: item.teamId, userId };
    let count: number;
    try {
      const sessions = await userData.all(who.teamId, who.userId);
      // Deleted since the command (forget-me, retention).
      if (sessions.length === 0) return void (await say(NOTHING_TO_EXPORT));
      count = sessions.length;
      const client = await clientFor({ teamId: who.teamId });
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
        initial_comment: `Your k8s-advisor export: ${count === 1 ? 'one assessment' : `${count} assessments`}, as JSON (for tools) and Markdown (decision records).`,
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
    } catch (error) {
      if (givingUp(item, error)) {
        logger.error(`export failed: ${describeError(error)}`);
        await say(`:warning: The export did not work (${describeError(error)}). Try again in a moment.`);
      }
      throw error;
    }
    await say(exportSentText(count));
    return undefined;
  };
}
