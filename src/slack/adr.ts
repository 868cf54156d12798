import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { adrMarkdown } from '../advisor/adr.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { Questionnaire } from '../advisor/questionnaire.js';
import type { Recommendation } from '../advisor/recommend.js';
import type { Session } from '../advisor/session.js';
import { ephemeral } from './ephemeral.js';
import { describeError } from './errors.js';
import { givingUp, TOLD_ATTEMPTS } from './last-try.js';
import type { Task } from './outbox-handler.js';
import { permalink } from './permalinks.js';
import type { ClientFor } from './publish-digest.js';
import { postResponse } from './response-url.js';
import { requestOrg } from './workspace.js';

/** A person's name for a document, where a Slack mention would mean nothing. */
export async function nameOf(client: WebClient, userId: string): Promise<string> {
  try {
    const { user } = await client.users.info({ user: userId });
    return user?.real_name || user?.profile?.display_name || user?.name || userId;
  } catch {
    return userId;
  }
}

/** Uploads the assessment's decision record as a Markdown file into its thread. */
export async function uploadAdr(
  client: WebClient,
  q: Questionnaire,
  session: Session,
  rec: Recommendation,
  logger: Logger,
) {
  const [ownerName, link] = await Promise.all([
    nameOf(client, session.userId),
    permalink(client, session.channelId, session.threadTs),
  ]);
  const date = new Date(session.completedAt ?? session.updatedAt).toISOString().slice(0, 10);
  const content = adrMarkdown(q, session, rec, { ownerName, date, ...(link && { link }) });
  logger.debug(`uploading the decision record of ${session.id}`);
  await client.filesUploadV2({
    channel_id: session.channelId,
    thread_ts: session.threadTs,
    filename: `adr-kubernetes-hosting-${date}.md`,
    title: `ADR: ${rec.outcome.title}`,
    content,
    initial_comment:
      'The decision record of this assessment, in the MADR layout, ready for your docs repository.',
  });
}

interface AdrPayload {
  sessionId: string;
  /** Who asked, told privately when the upload is given up on: through the response_url, or in the thread. */
  userId?: string;
  responseUrl?: string;
}

/** Uploading an assessment's decision record, as an outbox item of its thread. */
export const adrCall = (
  session: Session,
  asked: { userId?: string; responseUrl?: string } = {},
): Envelope => ({
  teamId: session.teamId,
  lane: `${session.teamId}:${session.channelId}:${session.threadTs}`,
  kind: 'adr',
  payload: {
    sessionId: session.id,
    ...(asked.userId && { userId: asked.userId }),
    ...(asked.responseUrl && { responseUrl: asked.responseUrl }),
    ...requestOrg(),
  } satisfies AdrPayload,
  maxAttempts: TOLD_ATTEMPTS,
});

/** What the person who asked is told once an upload is given up on. */
export const adrFailedText = (code: string) =>
  `:warning: The decision record could not be uploaded (${code}). Try again in a moment.`;

/**
 * The sender's side: the record as the assessment stands when it is sent, uploaded by the bot of its workspace.
 * An assessment deleted meanwhile (forget-me, retention) or no longer complete leaves nothing to upload. A
 * failure is retried; once it is given up on, the person who asked hears why (a refusal such as not_in_channel
 * is given up on at once). That message is best effort: the item's failure is what the sender records.
 */
export function adrTask(
  q: Questionnaire,
  find: (id: string) => Promise<{ session: Session; recommendation: Recommendation } | undefined>,
  clientFor: ClientFor,
  logger: Logger,
): Task {
  return async (item) => {
    const payload = item.payload as AdrPayload;
    const found = await find(payload.sessionId);
    if (found?.session.status !== 'completed') return undefined;
    const client = await clientFor({ teamId: item.teamId });
    try {
      await uploadAdr(client, q, found.session, found.recommendation, logger);
    } catch (error) {
      if (givingUp(item, error)) {
        const text = adrFailedText(describeError(error));
        const told = payload.responseUrl
          ? postResponse(payload.responseUrl, ephemeral(text))
          : client.chat.postEphemeral({
              channel: found.session.channelId,
              thread_ts: found.session.threadTs,
              user: payload.userId ?? found.session.userId,
              text,
            });
        await told.catch((e: unknown) => logger.warn(`could not say the upload failed: ${describeError(e)}`));
      }
      throw error;
    }
    return undefined;
  };
}
