import type { WebClient } from '@slack/web-api';

export type PermalinkClient = { chat: Pick<WebClient['chat'], 'getPermalink'> };

/** A message's permalink; undefined when Slack cannot give one (a deleted message, a conversation left). */
export async function permalink(client: PermalinkClient, channel: string, ts: string) {
  try {
    const { permalink } = await client.chat.getPermalink({ channel, message_ts: ts });
    return permalink || undefined;
  } catch {
    return undefined;
  }
}

/** Permalinks of many messages, in their order, a few lookups at a time so a long list stays under Slack's rate limits. */
export async function permalinks(
  client: PermalinkClient,
  messages: { channel: string; ts: string }[],
  parallel = 8,
): Promise<(string | undefined)[]> {
  const links: (string | undefined)[] = [];
  for (let i = 0; i < messages.length; i += parallel) {
    const batch = messages.slice(i, i + parallel);
    links.push(...(await Promise.all(batch.map((m) => permalink(client, m.channel, m.ts)))));
  }
  return links;
}

interface Thread {
  id: string;
  teamId: string;
  channelId: string;
  threadTs: string;
}

/**
 * Links to assessments' threads, by assessment id. Where Slack has no permalink, Slack's app_redirect to the
 * conversation is the next best place.
 */
export async function threadLinks(client: PermalinkClient, threads: Thread[], parallel = 8) {
  const found = await permalinks(
    client,
    threads.map((t) => ({ channel: t.channelId, ts: t.threadTs })),
    parallel,
  );
  const links: Record<string, string> = {};
  threads.forEach((t, i) => {
    const redirect = `https://slack.com/app_redirect?team=${encodeURIComponent(t.teamId)}&channel=${encodeURIComponent(t.channelId)}`;
    links[t.id] = found[i] ?? redirect;
  });
  return links;
}
