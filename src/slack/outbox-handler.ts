import type { OutboxItem, OutboxStore } from '../advisor/ports/outbox.js';
import type { ApiCall } from './chat-client.js';
import type { ApiPayload } from './envelopes.js';
import type { Handler } from './outbox-sender.js';
import { inWorkspace } from './workspace.js';

/**
 * The ts of a bot message with the same text posted in the same place since the item was committed: the copy a
 * sender that died mid-call (after Slack took the post, before it was settled) left behind. Looking costs one
 * read, and only for items taken over from a lapsed lease; a failed look is no reason not to post.
 */
async function alreadyPosted(
  call: ApiCall,
  item: OutboxItem,
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

/** A kind of item that takes more than one Web API call (a start, an ADR upload, a digest). */
export type Task = (item: OutboxItem) => Promise<string | undefined>;

/**
 * How the sender delivers each item: a Web API method by name, or a task registered for its kind. Each runs in
 * its workspace's scope, so the call goes out with that workspace's bot token (OAuth mode) or the app's own.
 */
export function outboxHandler(
  call: ApiCall,
  outbox: Pick<OutboxStore, 'recorded'>,
  tasks: Record<string, Task>,
): Handler {
  const api = async (item: OutboxItem): Promise<string | undefined> => {
    const { args, tsRef } = item.payload as ApiPayload;
    let target = args;
    if (tsRef) {
      const ts = await outbox.recorded(item.teamId, tsRef);
      // The message was never posted (it was given up on): there is nothing to update.
      if (!ts) return undefined;
      target = { ...args, ts };
    }
    if (item.takenOver && item.kind === 'chat.postMessage') {
      const posted = await alreadyPosted(call, item, target);
      if (posted) return posted;
    }
    const result = await call(item.kind, target);
    return typeof result.ts === 'string' ? result.ts : undefined;
  };
  return (item) => {
    const { enterpriseId, orgInstall } = (item.payload ?? {}) as ApiPayload;
    const task = tasks[item.kind];
    const ws = {
      teamId: item.teamId,
      ...(enterpriseId && { enterpriseId }),
      isEnterpriseInstall: orgInstall === true,
    };
    return inWorkspace(ws, () => (task ? task(item) : api(item)));
  };
}
