import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Envelope } from '../advisor/ports/outbox.js';
import { type Digest, periodId } from '../digest/build.js';
import type { DigestJob, DigestService, Publish } from '../digest/service.js';
import { DIGEST_EVENT, digestMessage } from './blocks/digest.js';
import { cannotPostText } from './blocks/digest-replies.js';
import { validateMessage } from './blocks/limits.js';
import { toSlack } from './blocks/text.js';
import { ephemeral } from './ephemeral.js';
import { describeError } from './errors.js';
import { givingUp, TOLD_ATTEMPTS } from './last-try.js';
import type { Task } from './outbox-handler.js';
import { classify } from './outbox-sender.js';
import { permalinks } from './permalinks.js';
import { postResponse } from './response-url.js';
import { requestOrg } from './workspace.js';

/** Links to the threads of the digest's completed assessments, by thread; one Slack cannot link is left unlinked. */
async function digestLinks(client: WebClient, d: Digest): Promise<Record<string, string>> {
  const threads = d.completedList.map((a) => a.threadTs);
  const links = await permalinks(
    client,
    threads.map((ts) => ({ channel: d.channelId, ts })),
  );
  return Object.fromEntries(threads.flatMap((ts, i) => (links[i] ? [[ts, links[i]]] : [])));
}

/** The Web API client acting as the bot in a digest's workspace (BotAccess.client, or a request's own). */
export type ClientFor = (workspace: { teamId: string }) => Promise<WebClient>;

/** How far back a digest is looked for: Slack's newest messages first, this many at most. */
const HISTORY_LIMIT = 100;

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/**
 * The ts of this digest when it is already in its channel: a message since the period's start whose metadata is
 * a digest of the same channel and period (posted by an earlier send whose settlement was lost). A history Slack
 * refuses for good (a conversation whose history the app may not read) finds nothing, so the digest is still
 * posted; a transient failure is thrown, for a retry.
 */
async function alreadyPosted(client: WebClient, d: Digest, logger?: Logger): Promise<string | undefined> {
  let messages: HistoryMessage[];
  try {
    const history = await client.conversations.history({
      channel: d.channelId,
      oldest: (d.period.start / 1000).toFixed(6),
      limit: HISTORY_LIMIT,
      include_all_metadata: true,
    });
    messages = (history.messages ?? []) as HistoryMessage[];
  } catch (error) {
    if (classify(error).retry) throw error;
    logger?.warn(`could not look for an earlier digest in ${d.channelId}: ${describeError(error)}`);
    return undefined;
  }
  const id = periodId(d);
  const found = messages.find(
    (m) =>
      m.metadata?.event_type === DIGEST_EVENT &&
      m.metadata.event_payload?.period_id === id &&
      m.metadata.event_payload?.channel_id === d.channelId,
  );
  return found?.ts;
}

/**
 * Posts a digest to its channel, as the bot of the digest's workspace: unless it is there already, thread
 * links, Block Kit checked against Slack's limits, then one post. Slack's refusals (and a workspace no longer
 * installed) go to the outbox sender as they are, to be retried or given up on.
 */
export function publishDigest(clientFor: ClientFor, logger?: Logger): Publish {
  return async (digest) => {
    const client = await clientFor({ teamId: digest.teamId });
    const earlier = await alreadyPosted(client, digest, logger);
    if (earlier) return { ts: earlier };
    const message = digestMessage(digest, await digestLinks(client, digest));
    const problems = validateMessage(message);
    if (problems.length > 0) throw new Error(`digest message breaks Slack's limits: ${problems.join('; ')}`);
    const posted = await client.chat.postMessage({
      channel: digest.channelId,
      ...toSlack(message),
      unfurl_links: false,
      unfurl_media: false,
    });
    return { ts: posted.ts as string };
  };
}

interface DigestPayload {
  job: DigestJob;
  /** `digest now`'s response_url: where the person who asked hears that it could not be posted. */
  responseUrl?: string;
}

/** A channel's digests are one lane, so a manual one and a scheduled one never cross. */
export const digestCall = (job: DigestJob, responseUrl?: string): Envelope => ({
  teamId: job.teamId,
  lane: `${job.teamId}:${job.channelId}:digest`,
  kind: 'digest',
  payload: { job, ...(responseUrl && { responseUrl }), ...requestOrg() } satisfies DigestPayload,
  maxAttempts: TOLD_ATTEMPTS,
});

/**
 * The sender's side: the digest built and posted (or found posted) now, its run recorded. Once it is given up
 * on, a scheduled run is recorded as failed with the reason (the channel's `digest status` shows it), and
 * whoever ran `digest now` is told why.
 */
export function digestTask(
  digests: Pick<DigestService, 'send' | 'failed'>,
  clientFor: ClientFor,
  logger: Logger,
): Task {
  const publish = publishDigest(clientFor, logger);
  return async (item) => {
    const { job, responseUrl } = item.payload as DigestPayload;
    try {
      const result = await digests.send(job, publish);
      return result.status === 'posted' ? result.ts : undefined;
    } catch (error) {
      if (givingUp(item, error)) {
        const reason = describeError(error);
        logger.error(`digest for ${job.teamId}/${job.channelId} failed: ${reason}`);
        await digests.failed(job, reason);
        if (responseUrl) {
          await postResponse(responseUrl, ephemeral(cannotPostText(reason))).catch((e: unknown) =>
            logger.warn(`could not say the digest failed: ${describeError(e)}`),
          );
        }
      }
      throw error;
    }
  };
}
