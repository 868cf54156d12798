import type { WebClient } from '@slack/web-api';
import type { Session } from '../advisor/session.js';

/** A link to an assessment's thread; Slack's app_redirect to the conversation when no permalink can be had. */
export async function threadLink(client: WebClient, s: Session): Promise<string> {
  try {
    const { permalink } = await client.chat.getPermalink({ channel: s.channelId, message_ts: s.threadTs });
    if (permalink) return permalink;
  } catch {
    // Deleted parent, or a conversation the bot left: the conversation itself is the next best place.
  }
  const team = encodeURIComponent(s.teamId);
  return `https://slack.com/app_redirect?team=${team}&channel=${encodeURIComponent(s.channelId)}`;
}

/** Links for many assessments, a few lookups at a time so a long export does not trip Slack's rate limits. */
export async function threadLinks(client: WebClient, sessions: Session[], parallel = 8) {
  const links: Record<string, string> = {};
  for (let i = 0; i < sessions.length; i += parallel) {
    const batch = sessions.slice(i, i + parallel);
    const found = await Promise.all(batch.map((s) => threadLink(client, s)));
    batch.forEach((s, j) => {
      links[s.id] = found[j] as string;
    });
  }
  return links;
}
