import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { adrMarkdown } from '../advisor/adr.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { Questionnaire } from '../advisor/questionnaire.js';
import type { Recommendation } from '../advisor/recommend.js';
import type { Session } from '../advisor/session.js';
import type { Task } from './outbox-handler.js';
import { permalink } from './permalinks.js';
import type { ClientFor } from './publish-digest.js';

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
}

/** Uploading an assessment's decision record, as an outbox item of its thread. */
export const adrCall = (session: Session): Envelope => ({
  teamId: session.teamId,
  lane: `${session.teamId}:${session.channelId}:${session.threadTs}`,
  kind: 'adr',
  payload: { sessionId: session.id } satisfies AdrPayload,
});

/**
 * The sender's side: the record as the assessment stands when it is sent, uploaded by the bot of its workspace.
 * An assessment deleted meanwhile (forget-me, retention) or no longer complete leaves nothing to upload.
 */
export function adrTask(
  q: Questionnaire,
  find: (id: string) => Promise<{ session: Session; recommendation: Recommendation } | undefined>,
  clientFor: ClientFor,
  logger: Logger,
): Task {
  return async (item) => {
    const found = await find((item.payload as AdrPayload).sessionId);
    if (found?.session.status !== 'completed') return undefined;
    const client = await clientFor({ teamId: item.teamId });
    await uploadAdr(client, q, found.session, found.recommendation, logger);
    return undefined;
  };
}
