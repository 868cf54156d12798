import type { WebClient } from '@slack/web-api';
import pino from 'pino';
import { afterEach } from 'vitest';
import { DEFAULT_IDLE_MS } from '../../src/advisor/time.js';
import type { ApiCall } from '../../src/slack/chat-client.js';
import type { ListenerDeps } from '../../src/slack/listeners/registry.js';
import { outboxHandler } from '../../src/slack/outbox-handler.js';
import { type Sender, startSender } from '../../src/slack/outbox-sender.js';
import { outboxTasks } from '../../src/slack/outbox-tasks.js';
import type { Store } from '../../src/store/store.js';
import { plannedService } from './service.js';
import { silentLogger } from './slack.js';

const running = new Set<Sender>();
afterEach(async () => {
  await Promise.all([...running].map((s) => s.stop(0)));
  running.clear();
});

type Features = Partial<Omit<ListenerDeps, 'service' | 'sender' | 'outbox'>>;

/**
 * What every listener needs, over an in-memory SQLite store, with the app's own outbox sender delivering to
 * `client` (the fake Slack): the service plans Slack's calls as the app's does, and `drain()` waits until the
 * sender has delivered (or given up on) everything committed so far. Features are made from the store.
 */
export function listenerDeps(client: WebClient, features: Features | ((store: Store) => Features) = {}) {
  const { store, service } = plannedService();
  const extra = typeof features === 'function' ? features(store) : features;
  const call: ApiCall = async (method, args) =>
    (await client.apiCall(method, args)) as unknown as Record<string, unknown>;
  let sender: Sender | undefined;
  const tasks = outboxTasks({
    service,
    call,
    outbox: store,
    clientFor: async () => client,
    wake: () => sender?.wake(),
    logger: silentLogger,
    idleMs: extra.idleMs ?? DEFAULT_IDLE_MS,
    ...extra,
  });
  sender = startSender({
    outbox: store,
    handle: outboxHandler(call, store, tasks),
    log: pino({ level: 'silent' }),
    pollMs: 20,
    minBackoffMs: 1,
    maxBackoffMs: 5,
  });
  running.add(sender);
  const deps: ListenerDeps = { service, sender, outbox: store, idleMs: DEFAULT_IDLE_MS, ...extra };
  const drain = async () => {
    // Idle means nothing due: an item waiting out a (short) backoff is not done yet.
    for (let round = 0; round < 200; round++) {
      await sender?.idle();
      if ((await store.stats()).depth === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('the outbox did not drain');
  };
  return { store, service, deps, drain };
}
