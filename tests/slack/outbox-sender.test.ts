import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope, OutboxItem, OutboxStore } from '../../src/advisor/ports/outbox.js';
import { SlackApiError, TransportError } from '../../src/slack/chat-client.js';
import {
  classify,
  type Handler,
  type Sender,
  type SenderOptions,
  startSender,
} from '../../src/slack/outbox-sender.js';
import { NotInstalled } from '../../src/slack/workspace.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` holds, polling; fails the test after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
}

const call = (lane: string, text: string, over: Partial<Envelope> = {}): Envelope => ({
  teamId: 'T1',
  lane,
  kind: 'chat.postMessage',
  payload: { args: { text } },
  ...over,
});
const text = (item: OutboxItem) => (item.payload as { args: { text: string } }).args.text;

/** A delivery the handler saw: which item, which attempt, when. */
interface Seen {
  text: string;
  lane: string;
  attempts: number;
  at: number;
}

function fakeLog() {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      lines.push({ level, obj, ...(msg !== undefined && { msg }) });
    };
  const log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { log: log as unknown as SenderOptions['log'], lines };
}

function fakeMetrics() {
  const events: string[] = [];
  return {
    events,
    metrics: {
      delivered: (kind: string) => events.push(`delivered ${kind}`),
      retried: (kind: string, reason: string) => events.push(`retried ${kind} ${reason}`),
      dead: (kind: string, reason: string) => events.push(`dead ${kind} ${reason}`),
    },
  };
}

const open: { store?: Store; sender?: Sender }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.sender?.stop(100);
    await o.store?.close();
  }
});

/**
 * A sender over a real SQLite outbox (in memory), delivering with `behave`: what it returns is the posted ts,
 * what it throws is the failure. Every delivery is recorded in `seen`.
 */
function setup(
  behave: (item: OutboxItem, seen: Seen[]) => Promise<string | undefined> | string | undefined = () =>
    undefined,
  options: Partial<SenderOptions> = {},
) {
  const store = openSqliteStore(':memory:');
  const seen: Seen[] = [];
  const handle: Handler = async (item) => {
    seen.push({ text: text(item), lane: item.lane, attempts: item.attempts, at: Date.now() });
    return behave(item, seen);
  };
  const { log, lines } = fakeLog();
  const { metrics, events } = fakeMetrics();
  const start = (more: Partial<SenderOptions> = {}) => {
    const sender = startSender({
      outbox: store,
      handle,
      log,
      metrics,
      pollMs: 20,
      minBackoffMs: 10,
      maxBackoffMs: 100,
      ...options,
      ...more,
    });
    open.push({ sender });
    return sender;
  };
  open.push({ store });
  return { store, seen, lines, events, start, sender: start() };
}

describe('outbox sender', () => {
  it('delivers every item, each lane in the order its items were committed', async () => {
    const { store, seen, sender, events } = setup(async () => {
      // Uneven handling times, so lanes finish out of step with one another.
      await sleep(Math.random() * 10);
      return undefined;
    });
    await store.enqueue([call('A', 'a1'), call('B', 'b1'), call('A', 'a2')]);
    await store.enqueue([call('C', 'c1'), call('A', 'a3'), call('B', 'b2')]);
    sender.wake();
    await until(() => seen.length === 6);
    await sender.idle();
    const lane = (l: string) => seen.filter((s) => s.lane === l).map((s) => s.text);
    expect(lane('A')).toEqual(['a1', 'a2', 'a3']);
    expect(lane('B')).toEqual(['b1', 'b2']);
    expect(lane('C')).toEqual(['c1']);
    expect(await store.stats()).toEqual({ depth: 0, oldestAgeMs: 0, dead: 0 });
    expect(events.filter((e) => e.startsWith('delivered'))).toHaveLength(6);
  });

  it('never has more than `concurrency` items in flight, and uses them all', async () => {
    let inFlight = 0;
    let most = 0;
    const { store, seen, sender } = setup(
      async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(15);
        inFlight--;
        return undefined;
      },
      { concurrency: 3 },
    );
    await store.enqueue(Array.from({ length: 20 }, (_, i) => call(`lane ${i}`, `m${i}`)));
    sender.wake();
    await until(() => seen.length === 20);
    await sender.idle();
    expect(most).toBe(3);
    expect((await store.stats()).depth).toBe(0);
  });

  it('retries a rate-limited call after the Retry-After wait, not its own backoff', async () => {
    const { store, seen, sender, events } = setup(
      (item) => {
        if (item.attempts === 0) throw new TransportError('rate limited', 'rate_limited', 300);
        return '1.1';
      },
      { minBackoffMs: 1, maxBackoffMs: 1 },
    );
    await store.enqueue([call('A', 'm')]);
    sender.wake();
    await until(() => seen.length === 2);
    const [first, second] = seen as [Seen, Seen];
    expect(second.at - first.at).toBeGreaterThanOrEqual(290);
    expect(second.attempts).toBe(1);
    expect(events).toContain('retried chat.postMessage rate_limited');
  });

  it('retries HTTP errors and timeouts with a growing backoff, then delivers', async () => {
    const failures = [
      new TransportError('chat.postMessage failed with HTTP 503', 'http'),
      new TransportError('timed out', 'timeout'),
      new Error('connection reset'),
    ];
    const { store, seen, sender, events } = setup(
      (item) => {
        const failure = failures[item.attempts];
        if (failure) throw failure;
        return '1.1';
      },
      { minBackoffMs: 40, maxBackoffMs: 1000 },
    );
    await store.enqueue([call('A', 'm')]);
    sender.wake();
    await until(() => seen.length === 4);
    await sender.idle();
    expect(seen.map((s) => s.attempts)).toEqual([0, 1, 2, 3]);
    const gaps = seen.slice(1).map((s, i) => s.at - (seen[i] as Seen).at);
    // 40, 80, 160 ms, each within the ±20% jitter (less a little for timer granularity).
    expect(gaps[0]).toBeGreaterThanOrEqual(30);
    expect(gaps[1]).toBeGreaterThanOrEqual(62);
    expect(gaps[2]).toBeGreaterThanOrEqual(126);
    expect(events.filter((e) => e.startsWith('retried'))).toEqual([
      'retried chat.postMessage http',
      'retried chat.postMessage timeout',
      'retried chat.postMessage Error',
    ]);
    expect((await store.stats()).depth).toBe(0);
  });

  it('gives up at once on a refusal like channel_not_found, and the lane moves on', async () => {
    const { store, seen, sender, events, lines } = setup((item) => {
      if (text(item) === 'refused') {
        throw new SlackApiError({ ok: false, error: 'channel_not_found' });
      }
      return undefined;
    });
    await store.enqueue([call('A', 'refused'), call('A', 'next')]);
    sender.wake();
    await until(() => seen.length === 2);
    await sender.idle();
    expect(seen.map((s) => [s.text, s.attempts])).toEqual([
      ['refused', 0],
      ['next', 0],
    ]);
    expect(events).toContain('dead chat.postMessage channel_not_found');
    expect(await store.stats()).toMatchObject({ depth: 0, dead: 1 });
    const warned = lines.find((l) => l.level === 'warn');
    expect(warned?.obj).toMatchObject({ lane: 'A', attempts: 1, reason: 'channel_not_found' });
  });

  it('gives up on a workspace without an installation', async () => {
    const { store, seen, sender, events } = setup(() => {
      throw new NotInstalled({ teamId: 'T1' });
    });
    await store.enqueue([call('A', 'm')]);
    sender.wake();
    await until(() => seen.length === 1);
    await sender.idle();
    expect(events).toContain('dead chat.postMessage not_installed');
    expect(await store.stats()).toMatchObject({ depth: 0, dead: 1 });
  });

  it('stops after maxAttempts tries, the sender’s or the item’s own', async () => {
    const { store, seen, sender } = setup(
      () => {
        throw new TransportError('chat.postMessage failed with HTTP 500', 'http');
      },
      { maxAttempts: 3, minBackoffMs: 1, maxBackoffMs: 2 },
    );
    await store.enqueue([call('A', 'three'), call('B', 'once', { maxAttempts: 1 })]);
    sender.wake();
    await until(async () => (await store.stats()).dead === 2);
    await sender.idle();
    expect(seen.filter((s) => s.text === 'three').map((s) => s.attempts)).toEqual([0, 1, 2]);
    expect(seen.filter((s) => s.text === 'once').map((s) => s.attempts)).toEqual([0]);
    expect((await store.stats()).depth).toBe(0);
  });

  it('records the ts a handler returns under the item’s name', async () => {
    const { store, sender } = setup(() => '1750000000.000100');
    await store.enqueue([call('A', 'card', { record: 'card:s1' })]);
    sender.wake();
    await until(async () => (await store.recorded('T1', 'card:s1')) !== undefined);
    expect(await store.recorded('T1', 'card:s1')).toBe('1750000000.000100');
  });

  it('renews the lease of a call running past it, so no other sender takes the item over', async () => {
    const { store, seen, sender, start } = setup(
      async () => {
        await sleep(400);
        return undefined;
      },
      { leaseMs: 90 },
    );
    await store.enqueue([call('A', 'slow upload')]);
    sender.wake();
    await until(() => seen.length === 1);
    // A second replica polling the same outbox all the while.
    const other = start();
    other.wake();
    await sleep(300);
    await sender.idle();
    await other.idle();
    expect(seen.map((s) => s.text)).toEqual(['slow upload']);
    expect((await store.stats()).depth).toBe(0);
  });

  it('picks up work on wake() without waiting for its poll', async () => {
    const { store, seen, sender } = setup(() => undefined, { pollMs: 60_000 });
    await sender.idle();
    await store.enqueue([call('A', 'm')]);
    const woken = Date.now();
    sender.wake();
    await until(() => seen.length === 1, 1000);
    expect(Date.now() - woken).toBeLessThan(1000);
  });

  it('finds work nobody woke it for (another replica’s commit, a retry falling due) at its next poll', async () => {
    const { store, seen } = setup(() => undefined, { pollMs: 30 });
    await sleep(50);
    await store.enqueue([call('A', 'm')]);
    await until(() => seen.length === 1, 1000);
  });

  it('idle() resolves when nothing is due, though a retry waits for later', async () => {
    const { store, seen, sender } = setup(() => {
      throw new TransportError('rate limited', 'rate_limited', 60_000);
    });
    await store.enqueue([call('A', 'later')]);
    sender.wake();
    await until(() => seen.length === 1);
    await sender.idle();
    expect((await store.stats()).depth).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('stop() waits for calls in flight, then leases nothing more', async () => {
    let finish = () => {};
    const { store, seen, sender } = setup(
      () =>
        new Promise<undefined>((resolve) => {
          finish = () => resolve(undefined);
        }),
    );
    await store.enqueue([call('A', 'slow')]);
    sender.wake();
    await until(() => seen.length === 1);
    const stopping = sender.stop(5000);
    await sleep(30);
    finish();
    await stopping;
    await sender.idle();
    expect((await store.stats()).depth).toBe(0);
    await store.enqueue([call('B', 'after stop')]);
    await sleep(80);
    expect(seen.map((s) => s.text)).toEqual(['slow']);
  });

  it('stop() gives back the leases of calls still in flight after the grace period', async () => {
    const { store, seen, sender } = setup(() => new Promise<undefined>(() => {}), { concurrency: 2 });
    await store.enqueue([call('A', 'stuck 1'), call('B', 'stuck 2'), call('C', 'waiting')]);
    sender.wake();
    await until(() => seen.length === 2);
    const stopped = Date.now();
    await sender.stop(50);
    expect(Date.now() - stopped).toBeLessThan(1000);
    // Another replica takes all three at once, not after the 15 s lease.
    expect((await store.lease('other', 10, 1000)).map(text).sort()).toEqual([
      'stuck 1',
      'stuck 2',
      'waiting',
    ]);
  });

  it('stop() during a lease starts none of what it leased, and gives it straight back', async () => {
    const store = openSqliteStore(':memory:');
    open.push({ store });
    let leasing: (() => void) | undefined;
    const slow: OutboxStore = {
      ...store,
      // Each lease waits until the test lets it go, so stop() comes while one is under way.
      lease: async (owner, limit, leaseMs) => {
        await new Promise<void>((resolve) => {
          leasing = resolve;
        });
        return store.lease(owner, limit, leaseMs);
      },
    };
    const { log } = fakeLog();
    let calls = 0;
    const sender = startSender({
      outbox: slow,
      handle: async () => {
        calls++;
        return undefined;
      },
      log,
      pollMs: 10,
    });
    await store.enqueue([call('A', 'm')]);
    await until(() => leasing !== undefined);
    const stopping = sender.stop(1000);
    leasing?.();
    await stopping;
    await sender.idle();
    expect(calls).toBe(0);
    expect((await store.lease('other', 10, 1000)).map(text)).toEqual(['m']);
  });

  it('a settlement the database does not take is logged, not counted as a failed call, and the lease lapses', async () => {
    const store = openSqliteStore(':memory:');
    open.push({ store });
    let failSent = true;
    const flaky: OutboxStore = {
      ...store,
      lease: (owner, limit, leaseMs) => store.lease(owner, limit, leaseMs),
      sent: async (item, ts) => {
        if (failSent) {
          failSent = false;
          throw new Error('database unavailable');
        }
        return store.sent(item, ts);
      },
      retry: (item, dueAt, error) => store.retry(item, dueAt, error),
    };
    const { log, lines } = fakeLog();
    const { metrics, events } = fakeMetrics();
    let calls = 0;
    const sender = startSender({
      outbox: flaky,
      handle: async () => {
        calls++;
        return undefined;
      },
      log,
      metrics,
      pollMs: 20,
      leaseMs: 100,
    });
    open.push({ sender });
    await store.enqueue([call('A', 'm')]);
    sender.wake();
    // Sent once, not settled; sent again once the lease lapsed (at least once), then settled.
    await until(async () => (await store.stats()).depth === 0);
    expect(calls).toBe(2);
    expect(events.filter((e) => !e.startsWith('delivered'))).toEqual([]);
    expect(lines.some((l) => l.level === 'error' && l.msg === 'could not settle an outbox item')).toBe(true);
  });

  it('keeps going when a lease fails (the database was away)', async () => {
    const store = openSqliteStore(':memory:');
    open.push({ store });
    let failures = 2;
    const flaky: OutboxStore = {
      ...store,
      lease: async (owner, limit, leaseMs) => {
        if (failures-- > 0) throw new Error('database unavailable');
        return store.lease(owner, limit, leaseMs);
      },
      sent: (item, ts) => store.sent(item, ts),
    };
    const { log, lines } = fakeLog();
    await store.enqueue([call('A', 'm')]);
    const sender = startSender({ outbox: flaky, handle: async () => undefined, log, pollMs: 10 });
    open.push({ sender });
    await until(async () => (await store.stats()).depth === 0);
    expect(lines.filter((l) => l.msg === 'could not lease outbox items')).toHaveLength(2);
  });
});

describe('classify', () => {
  it('retries what may pass, and gives up on what will not', () => {
    expect(classify(new TransportError('x', 'rate_limited', 2000))).toEqual({
      retry: true,
      reason: 'rate_limited',
      afterMs: 2000,
    });
    expect(classify(new TransportError('x', 'http'))).toEqual({ retry: true, reason: 'http' });
    expect(classify(new TransportError('x', 'timeout'))).toEqual({ retry: true, reason: 'timeout' });
    for (const code of ['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable']) {
      expect(classify(new SlackApiError({ ok: false, error: code }))).toEqual({ retry: true, reason: code });
    }
    for (const code of [
      'channel_not_found',
      'not_in_channel',
      'is_archived',
      'invalid_blocks',
      'msg_too_long',
    ]) {
      expect(classify(new SlackApiError({ ok: false, error: code }))).toEqual({ retry: false, reason: code });
    }
    // The SDK's own errors: a platform error carries its code the same way; a rate limit its wait in seconds.
    expect(
      classify({ code: 'slack_webapi_platform_error', data: { ok: false, error: 'not_authed' } }),
    ).toEqual({
      retry: false,
      reason: 'not_authed',
    });
    expect(classify({ code: 'slack_webapi_rate_limited_error', retryAfter: 3 })).toEqual({
      retry: true,
      reason: 'rate_limited',
      afterMs: 3000,
    });
    expect(classify(new NotInstalled({ teamId: 'T1' }))).toEqual({ retry: false, reason: 'not_installed' });
    expect(classify(new TypeError('fetch failed'))).toEqual({ retry: true, reason: 'TypeError' });
  });
});
