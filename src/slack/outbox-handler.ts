import type { OutboxItem, OutboxStore } from '../advisor/ports/outbox.js';
import type { ApiCall } from './chat-client.js';
import type { ApiPayload } from './envelopes.js';
import type { Handler } from './outbox-sender.js';
import { mayBePosted, ownCopy } from './own-copy.js';
import { inWorkspace } from './workspace.js';

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
    if (item.kind === 'chat.postMessage' && mayBePosted(item)) {
      const posted = await ownCopy(call, item, target);
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
