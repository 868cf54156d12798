import type { OutboxItem } from '../advisor/ports/outbox.js';
import type { ApiCall } from './chat-client.js';

/**
 * The ts of a bot message with the same text posted in the same place since the item was committed: the copy a
 * sender that died mid-call (after Slack took the post, before it was settled) left behind. Looking costs one
 * read, and only for items taken over from a lapsed lease; a failed look is no reason not to post.
 */
export async function ownCopy(
  call: ApiCall,
  item: Pick<OutboxItem, 'createdAt'>,
  args: Record<string, unknown>,
): Promise<string | undefined> {
  const channel = args.channel;
  const thread = args.thread_ts;
  if (typeof channel !== 'string' || typeof args.text !== 'string') return undefined;
  const oldest = (item.createdAt / 1000 - 1).toFixed(6);
  try {
    const found =
      typeof thread === 'string'
        ? await call('conversations.replies', { channel, ts: thread, oldest, limit: 200 })
        : await call('conversations.history', { channel, oldest, limit: 200 });
    const messages = (found.messages ?? []) as { ts?: string; text?: string; bot_id?: string }[];
    return messages.find((m) => m.bot_id && m.text === args.text && m.ts !== thread)?.ts;
  } catch {
    return undefined;
  }
}
