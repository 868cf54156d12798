// Delivers what was committed to the outbox at once and in order, through a fake Slack's WebClient, settling a
// failure as the sender's last attempt would: for tests of single items (tests/slack/start.test.ts). Listener
// tests use outbox.ts, which runs the app's own sender.
import type { WebClient } from '@slack/web-api';
import type { OutboxStore } from '../../src/advisor/ports/outbox.js';
import type { AdvisorService } from '../../src/advisor/service.js';
import { adrTask } from '../../src/slack/adr.js';
import type { ApiCall } from '../../src/slack/chat-client.js';
import { outboxHandler, type Task } from '../../src/slack/outbox-handler.js';
import { classify, type Handler } from '../../src/slack/outbox-sender.js';
import { startTasks } from '../../src/slack/start.js';
import { silentLogger } from './slack.js';

/** The Web API through a WebClient, as the app's lean client does it (by method name). */
export const clientCall =
  (client: WebClient): ApiCall =>
  (method, args) =>
    client.apiCall(method, args) as unknown as Promise<Record<string, unknown>>;

/** The handler the app builds (src/slack/app.ts), over a fake Slack's client, with any extra tasks. */
export function testHandler(
  client: WebClient,
  service: AdvisorService,
  outbox: OutboxStore,
  extra: Record<string, Task> = {},
): Handler {
  const call = clientCall(client);
  return outboxHandler(call, outbox, {
    ...startTasks(service, call, outbox.recorded, () => {}),
    adr: adrTask(service.questionnaire, service.find, async () => client, silentLogger as never),
    ...extra,
  });
}

/** What a drain did: each item's kind and, for those given up on, why. */
export interface Drained {
  sent: string[];
  dead: { kind: string; reason: string }[];
}

/**
 * Delivers every due item, one at a time in lease order, until none is left. A failure is settled as the
 * sender would settle its last attempt (dead), so a test sees at once what the app would end with.
 */
export async function drain(outbox: OutboxStore, handle: Handler): Promise<Drained> {
  const done: Drained = { sent: [], dead: [] };
  for (let round = 0; round < 1000; round++) {
    const items = await outbox.lease('test-drain', 100, 60_000);
    if (items.length === 0) return done;
    for (const item of items) {
      try {
        await outbox.sent(item, await handle(item));
        done.sent.push(item.kind);
      } catch (error) {
        const { reason } = classify(error);
        await outbox.dead(item, reason);
        done.dead.push({ kind: item.kind, reason });
      }
    }
  }
  throw new Error('the outbox never emptied');
}

/** A listener router whose every run is followed by delivering what it committed, as the app's sender would. */
export function settling<
  L extends {
    runCommand(a: never): Promise<void>;
    runAction(a: never): Promise<void>;
    runEvent(t: never, a: never): Promise<void>;
  },
>(on: L, settle: () => Promise<unknown>): L {
  return new Proxy(on, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'runCommand' && prop !== 'runAction' && prop !== 'runEvent') return value;
      return async (...args: unknown[]) => {
        await (value as (...a: unknown[]) => Promise<void>).apply(target, args);
        await settle();
      };
    },
  });
}
