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

/**
 * Posts a digest to its channel: thread links, Block Kit checked against Slack's limits, then one post. A
 * refusal is told to the digest service in its own terms, a PublishError with Slack's code as the reason.
 */
export function publishDigest(client: WebClient): Publish {
  return async (digest) => {
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
