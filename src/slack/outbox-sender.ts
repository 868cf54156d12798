import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { OutboxItem, OutboxStore } from '../advisor/ports/outbox.js';
import { TransportError } from './chat-client.js';
import { slackErrorCode } from './errors.js';
import { NotInstalled } from './workspace.js';

/** What an item's handler returns: the `ts` of the message it posted, recorded under the item's `record`. */
export type Handler = (item: OutboxItem) => Promise<string | undefined>;

export interface SenderMetrics {
  delivered(kind: string, latencyMs: number): void;
  retried(kind: string, reason: string): void;
  dead(kind: string, reason: string): void;
}

export interface SenderOptions {
  outbox: OutboxStore;
  /** How each kind of item is delivered (outbox-tasks.ts). */
  handle: Handler;
  log: Logger;
  metrics?: SenderMetrics;
  /** Items in flight at once, per replica: the bound on the memory and connections delivery takes. */
  concurrency?: number;
  /** How long a leased item is this sender's, renewed while its call runs; past it another sender takes it over. */
  leaseMs?: number;
  /** How often to look for work nobody told this sender about (other replicas' commits, retries falling due). */
  pollMs?: number;
  /** Tries before an item is given up on, unless the item says otherwise. */
  maxAttempts?: number;
  /** Backoff of the first retry; doubled each time up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface Sender {
  /** Says new work was committed, so the sender looks now rather than at its next poll. */
  wake(): void;
  /** Stops leasing; waits up to `graceMs` for calls in flight, then gives back every lease it still holds. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves once nothing is in flight and nothing due was found (tests, benchmarks). */
  idle(): Promise<void>;
  /** Whether acknowledged work waits on the sender: what it last leased had waited over a quarter of a second. */
  behind(): boolean;
}

/** Slack's codes that mean "not now" rather than "never": worth a retry. */
const TRANSIENT_CODES = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Work committed this long ago and only now leased means the sender is behind: new requests wait a moment. */
const BEHIND_MS = 250;

type Verdict = { retry: true; reason: string; afterMs?: number } | { retry: false; reason: string };

/**
 * Whether a failed delivery is worth another try: rate limits (after Retry-After), HTTP errors, timeouts, a
 * database that did not answer. A refusal with a code (`channel_not_found`, `not_in_channel`) or a workspace
 * without an installation will not change, so the item is given up on and its lane moves on.
 */
export function classify(error: unknown): Verdict {
  if (error instanceof NotInstalled) return { retry: false, reason: 'not_installed' };
  if (error instanceof TransportError) {
    return {
      retry: true,
      reason: error.kind,
      ...(error.retryAfterMs !== undefined && { afterMs: error.retryAfterMs }),
    };
  }
  const code = slackErrorCode(error);
  if (code) return TRANSIENT_CODES.has(code) ? { retry: true, reason: code } : { retry: false, reason: code };
  // The SDK's own rate-limit error (Bolt's WebClient) carries the wait in seconds.
  const sdk = error as { code?: string; retryAfter?: number };
  if (sdk.code === 'slack_webapi_rate_limited_error') {
    return { retry: true, reason: 'rate_limited', afterMs: (sdk.retryAfter ?? 1) * 1000 };
  }
  return { retry: true, reason: sdk.code ?? (error as Error)?.name ?? 'error' };
}

const sleep = (ms: number, signal: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

/**
 * Delivers the outbox: leases the heads of lanes, a bounded number at a time, and settles each one (sent,
 * retried with backoff, or given up on). Several replicas share the work through their leases; one that dies
 * mid-send loses its leases after `leaseMs` and another takes the items over.
 */
export function startSender(options: SenderOptions): Sender {
  const {
    outbox,
    handle,
    log,
    metrics,
    concurrency = 48,
    leaseMs = 6_000,
    pollMs = 250,
    maxAttempts = 20,
    minBackoffMs = 500,
    maxBackoffMs = 60_000,
  } = options;
  const owner = randomUUID();
  const active = new Set<Promise<void>>();
  /** When each item in flight was started, by id: the ones running long have their leases renewed. */
  const started = new Map<string, number>();
  const signal: { wake?: () => void } = {};
  let pending = false;
  let running = true;
  /**
   * How long the items of the last lease had waited since they were committed (first tries only): a few
   * milliseconds while the sender keeps up, growing when acknowledged work piles up faster than it is delivered.
   */
  let lagMs = 0;
  let idleWaiters: (() => void)[] = [];

  const backoff = (attempts: number) => {
    const base = Math.min(maxBackoffMs, minBackoffMs * 2 ** attempts);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  };

  async function settle(item: OutboxItem): Promise<void> {
    let ts: string | undefined;
    try {
      ts = await handle(item);
    } catch (error) {
      await failed(item, error);
      return;
    }
    // Outside the try: a settlement the database does not take is no failed call (run() logs it; the lease
    // lapses and the item goes out again, at least once), so it is neither retried here nor given up on.
    await outbox.sent(item, ts);
    metrics?.delivered(item.kind, Date.now() - item.createdAt);
  }

  async function failed(item: OutboxItem, error: unknown): Promise<void> {
    const verdict = classify(error);
    const limit = item.maxAttempts ?? maxAttempts;
    if (verdict.retry && item.attempts + 1 < limit) {
      metrics?.retried(item.kind, verdict.reason);
      const after = verdict.afterMs ?? backoff(item.attempts);
      await outbox.retry(item, Date.now() + after, verdict.reason);
      return;
    }
    metrics?.dead(item.kind, verdict.reason);
    log.warn(
      { kind: item.kind, lane: item.lane, attempts: item.attempts + 1, reason: verdict.reason },
      'gave up on a Slack call',
    );
    await outbox.dead(item, verdict.reason);
  }

  function run(item: OutboxItem) {
    started.set(item.id, Date.now());
    const done = settle(item)
      .catch((error: Error) => {
        // The database did not take the settlement: the lease lapses and the item is tried again.
        log.error({ err: error, kind: item.kind }, 'could not settle an outbox item');
      })
      .finally(() => {
        active.delete(done);
        started.delete(item.id);
        wake();
      });
    active.add(done);
  }

  function wake() {
    pending = true;
    signal.wake?.();
  }

  async function pump() {
    while (running) {
      // One turn of the event loop first: the wakes of commits and settlements arriving together make one lease,
      // not one each (leasing was a fifth of the app's CPU under load).
      await new Promise((resolve) => setImmediate(resolve));
      pending = false;
      const room = concurrency - active.size;
      let leased: OutboxItem[] = [];
      if (room > 0) {
        try {
          leased = await outbox.lease(owner, room, leaseMs);
        } catch (error) {
          log.error({ err: error }, 'could not lease outbox items');
        }
        // Leased while stop() was called: not started, so stop() gives them straight back.
        if (running) for (const item of leased) run(item);
        const firsts = leased.filter((item) => item.attempts === 0);
        lagMs = firsts.length ? Date.now() - Math.min(...firsts.map((item) => item.createdAt)) : 0;
      }
      if (leased.length === 0 && active.size === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      // Straight on when the lease was full or work arrived meanwhile; otherwise until woken or the next poll.
      if (!running || (room > 0 && leased.length === room) || pending) continue;
      await sleep(pollMs, signal);
    }
  }

  // A task of several calls (an upload, a digest) can run past its lease on a slow Slack; renewed every third of
  // a lease, it stays this sender's, and nobody takes over (and repeats) work still under way.
  const renewEvery = leaseMs / 3;
  const renewal = setInterval(() => {
    const now = Date.now();
    const long = [...started].filter(([, since]) => now - since >= renewEvery).map(([id]) => id);
    if (!long.length) return;
    outbox.renew(owner, long, leaseMs).catch((error: Error) => {
      log.warn({ err: error }, 'could not renew outbox leases');
    });
  }, renewEvery);
  renewal.unref();

  const loop = pump();

  return {
    wake,
    async stop(graceMs = 5000) {
      running = false;
      signal.wake?.();
      await loop;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...active]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      clearInterval(renewal);
      // What was not finished goes back now, for the next replica or start, rather than when its lease lapses.
      await outbox.release(owner).catch((error: Error) => {
        log.warn({ err: error }, 'could not give back outbox leases');
      });
    },
    behind: () => lagMs > BEHIND_MS,
    idle: () =>
      running
        ? new Promise<void>((resolve) => {
            idleWaiters.push(resolve);
            wake();
          })
        : // Stopped: nothing more will be leased, so idle once what is in flight is done.
          Promise.allSettled([...active]).then(() => {}),
  };
}
