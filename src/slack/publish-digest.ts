import type { WebClient } from '@slack/web-api';
import type { Digest } from '../digest/build.js';
import type { Publish } from '../digest/service.js';
import { digestMessage } from './blocks/digest.js';
import { validateMessage } from './blocks/limits.js';
import { toSlack } from './blocks/text.js';

/** Links to the threads of the digest's completed assessments; a thread Slack cannot link is left unlinked. */
export async function threadLinks(client: WebClient, d: Digest): Promise<Record<string, string>> {
  const found = await Promise.all(
    d.completedList.map(async (a) => {
      try {
        const res = await client.chat.getPermalink({ channel: d.channelId, message_ts: a.threadTs });
        return res.permalink ? ([a.threadTs, res.permalink] as const) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return Object.fromEntries(found.filter((x) => x !== undefined));
}

/** Posts a digest to its channel: thread links, Block Kit checked against Slack's limits, then one post. */
export function publishDigest(client: WebClient): Publish {
  return async (digest) => {
    const message = digestMessage(digest, await threadLinks(client, digest));
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
