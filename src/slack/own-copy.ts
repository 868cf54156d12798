import type { OutboxItem } from '../advisor/ports/outbox.js';
import type { ApiCall } from './chat-client.js';

/**
 * Whether a post may already be in Slack: its item was taken over from a lapsed lease (a sender died mid-call),
 * or an earlier try failed after Slack may have taken it (a timeout, or the database refusing what followed).
 */
export const mayBePosted = (item: Pick<OutboxItem, 'takenOver' | 'attempts'>) =>
  item.takenOver === true || item.attempts > 0;

/**
 * The ts of a bot message with the same text posted in the same place since the item was committed: the copy an
 * earlier try left behind (see mayBePosted). Looking costs one read, and only for such items; a failed look is no
 * reason not to post.
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
