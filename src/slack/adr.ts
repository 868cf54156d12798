import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { adrMarkdown } from '../advisor/adr.js';
import type { Questionnaire } from '../advisor/questionnaire.js';
import type { Recommendation } from '../advisor/recommend.js';
import type { Session } from '../advisor/session.js';
import { permalink } from './permalinks.js';

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
