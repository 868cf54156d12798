import type { WebClient } from '@slack/web-api';
import type { Digest } from '../digest/build.js';
import { type Publish, PublishError } from '../digest/service.js';
import { digestMessage } from './blocks/digest.js';
import { validateMessage } from './blocks/limits.js';
import { toSlack } from './blocks/text.js';
import { describeError } from './errors.js';
import { permalinks } from './permalinks.js';

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

/**
 * Posts a digest to its channel, as the bot of the digest's workspace: thread links, Block Kit checked against
 * Slack's limits, then one post. A refusal (or a workspace no longer installed) is told to the digest service in
 * its own terms, a PublishError with the reason.
 */
export function publishDigest(clientFor: ClientFor): Publish {
  return async (digest) => {
    let client: WebClient;
    try {
      client = await clientFor({ teamId: digest.teamId });
    } catch (error) {
      throw new PublishError((error as Error).message, { cause: error });
    }
    const message = digestMessage(digest, await digestLinks(client, digest));
    const problems = validateMessage(message);
    if (problems.length > 0) throw new Error(`digest message breaks Slack's limits: ${problems.join('; ')}`);
    try {
      const posted = await client.chat.postMessage({
        channel: digest.channelId,
        ...toSlack(message),
        unfurl_links: false,
        unfurl_media: false,
      });
      return { ts: posted.ts as string };
    } catch (error) {
      throw new PublishError(describeError(error), { cause: error });
    }
  };
}
