import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cron } from 'croner';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdvisorService } from '../../src/advisor/service.js';
import type { Digest } from '../../src/digest/build.js';
import { cronPattern } from '../../src/digest/period.js';
import { createDigestScheduler, cronerFactory } from '../../src/digest/schedule.js';
import {
  type Caller,
  createDigestService,
  type DigestJob,
  type DigestService,
  type Publish,
} from '../../src/digest/service.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { fakeCron, OPENING, PATHS } from '../support/digest.js';
import { questionnaire } from '../support/questionnaire.js';

const DAY = 86_400_000;
const ref = { teamId: 'T1', channelId: 'C1' };
const alice: Caller = { userId: 'UALICE', tz: 'Europe/Berlin', isAdmin: false, isOwner: false };
const daily9 = { cadence: 'daily' as const, weekday: null, hour: 9, minute: 0 };
/** 09:00 in Berlin on 3 June 2025, the first tick after subscribing. */
const TICK = Date.parse('2025-06-03T07:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-schedule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let t: number;
let store: Store;
/** The store each test starts with; closed after it, so no checkpoint worker outlives its files. */
let fresh: Store;
let digests: DigestService;
let posted: Digest[];
const publish = async (d: Digest) => {
  posted.push(d);
  return { ts: `${posted.length}.0` };
};
const now = () => t;

/** The outbox calls of a digest: one item carrying its job, as the Slack layer's digestCall does. */
const plan = (job: DigestJob) => [
  { teamId: job.teamId, lane: `${job.teamId}:${job.channelId}:digest`, kind: 'digest', payload: { job } },
];

/**
 * The outbox sender's part, without Slack: every queued digest sent through `pub` and settled; a failure is
 * given up on at once and recorded, as the digest task does with a refusal.
 */
async function deliver(d = digests, st = store, pub: Publish = publish) {
  for (;;) {
    const items = await st.lease('test', 10, 60_000);
    if (items.length === 0) return;
    for (const item of items) {
      const { job } = item.payload as { job: DigestJob };
      try {
        await d.send(job, pub);
        await st.sent(item);
      } catch (error) {
        await d.failed(job, (error as Error).message);
        await st.dead(item, (error as Error).message);
      }
    }
  }
}

/** One pass of a scheduler, then the sender's deliveries. */
async function passAndDeliver(s: { sync(): Promise<void> }) {
  await s.sync();
  await deliver();
}

beforeEach(async () => {
  t = Date.parse('2025-06-02T10:00:00Z');
  store = fresh = openSqliteStore(join(dir, `${Math.random().toString(36).slice(2)}.db`));
  digests = createDigestService({ store, questionnaire, now });
  posted = [];
  await digests.subscribe(ref, alice, daily9);
});

afterEach(() => fresh.close());

async function assess(channelId: string, user: string, path: keyof typeof PATHS) {
  const advisor = createAdvisorService({ store, questionnaire, now });
  const at = { teamId: 'T1', channelId, threadTs: `${t}.${user}`, userId: user };
  await advisor.start(at);
  for (const [qid, v] of [...OPENING, ...PATHS[path]]) await advisor.answer(at, qid, v);
}

function scheduler(d = digests, cron = fakeCron()) {
  let woken = 0;
  const s = createDigestScheduler({
    digests: d,
    plan,
    wake: () => woken++,
    now,
    cron: cron.factory,
    graceMs: 5_000,
  });
  return { cron, s, woken: () => woken };
}

describe('the digest scheduler', () => {
  it('arms a job per subscription, a little after its time in its zone, and a sweep', async () => {
    const { cron, s } = scheduler();
    await s.start();
    expect(cron.live().map((j) => `${j.pattern} ${j.tz}`)).toEqual([
      '5 0 9 * * * Europe/Berlin',
      '30 * * * * * UTC',
    ]);
    expect(s.jobs()).toEqual(['T1/C1 5 0 9 * * * Europe/Berlin']);
    await s.stop();
    expect(cron.live()).toEqual([]);
  });

  it('posts the day’s digest once when its job fires, and never again for that period', async () => {
    const { cron, s, woken } = scheduler();
    await s.start();
    t += 3_600_000;
    await assess('C1', 'U1', 'managed');
    await assess('C1', 'U2', 'self_hosted_required');
    await assess('C2', 'U3', 'managed');
    expect(posted).toEqual([]);

    t = TICK + 5_000;
    cron.live()[0]?.run();
    await s.sync();
    // Queued with its run's claim, in one transaction; the sender is told and posts it.
    expect(posted).toEqual([]);
    expect(await store.lastRun(ref)).toMatchObject({ status: 'claimed', periodEnd: TICK });
    expect((await store.stats()).depth).toBe(1);
    expect(woken()).toBe(1);
    await deliver();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      channelId: 'C1',
      trigger: 'scheduled',
      period: { start: TICK - DAY, end: TICK, tz: 'Europe/Berlin' },
      counts: { started: 2, completed: 2 },
    });
    expect(posted[0]?.outcomes.find((o) => o.outcome === 'managed')?.count).toBe(1);

    for (const job of cron.live()) job.run();
    await passAndDeliver(s);
    expect(posted).toHaveLength(1);
    expect(await store.lastRun(ref)).toMatchObject({ status: 'posted', messageTs: '1.0', periodEnd: TICK });
    await s.stop();
  });

  it('waits for the grace time, so late writes of the period land first', async () => {
    const { s } = scheduler();
    await s.start();
    await assess('C1', 'U1', 'managed');
    t = TICK + 1_000;
    await passAndDeliver(s);
    expect(posted).toEqual([]);
    t = TICK + 5_000;
    await passAndDeliver(s);
    expect(posted).toHaveLength(1);
    await s.stop();
  });

  it('posts nothing for a quiet period unless the channel asked for empty digests', async () => {
    const { s } = scheduler();
    await s.start();
    t = TICK + 10_000;
    await passAndDeliver(s);
    expect(posted).toEqual([]);
    expect(await store.lastRun(ref)).toMatchObject({ status: 'empty' });

    await digests.setIncludeEmpty(ref, alice, true);
    t = TICK + DAY + 10_000;
    await passAndDeliver(s);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.empty).toBe(true);
    await s.stop();
  });

  it('posts a digest missed while the app was down once at start-up, covering every missed day', async () => {
    const first = scheduler();
    await first.s.start();
    t = TICK - 3_600_000;
    await assess('C1', 'U0', 'managed');
    t = TICK + 10_000;
    await passAndDeliver(first.s);
    expect(posted.map((d) => d.counts.completed)).toEqual([1]);
    await assess('C1', 'U1', 'managed');
    await first.s.stop();

    // Down for three days; two assessments happen meanwhile (another replica served them).
    t = TICK + DAY;
    await assess('C1', 'U2', 'managed_with_safeguards');
    t = TICK + 2 * DAY;
    await assess('C1', 'U3', 'self_hosted_required');
    t = TICK + 3 * DAY + 2 * 3_600_000;

    const restarted = scheduler();
    await restarted.s.start();
    await deliver();
    expect(posted).toHaveLength(2);
    expect(posted[1]?.period).toMatchObject({ start: TICK, end: TICK + 3 * DAY });
    expect(posted[1]?.counts).toMatchObject({ started: 3, completed: 3 });
    await passAndDeliver(restarted.s);
    await restarted.s.stop();

    const again = scheduler();
    await again.s.start();
    await again.s.stop();
    await deliver();
    expect(posted).toHaveLength(2);
  });

  it('posts once when two replicas share one database and wake at the same moment', async () => {
    const file = join(dir, 'shared.db');
    const stores = [openSqliteStore(file), openSqliteStore(file)];
    const services = stores.map((st) => createDigestService({ store: st, questionnaire, now }));
    await services[0]?.subscribe(ref, alice, daily9);
    store = stores[0] as Store;
    await assess('C1', 'U1', 'managed');
    const replicas = services.map((d) => scheduler(d));
    await Promise.all(replicas.map((r) => r.s.start()));
    t = TICK + 5_000;
    for (const r of replicas) for (const job of r.cron.live()) job.run();
    await Promise.all(replicas.map((r) => r.s.sync()));
    expect((await store.stats()).depth).toBe(1);
    await deliver(services[1], stores[1]);
    expect(posted).toHaveLength(1);
    await Promise.all(replicas.map((r) => r.s.stop()));
    await Promise.all(stores.map((st) => st.close()));
  });

  it('records a post given up on as failed, with the reason, and does not queue it again', async () => {
    let calls = 0;
    const failing: Publish = async () => {
      calls++;
      throw new Error('not_in_channel');
    };
    const { s } = scheduler();
    await s.start();
    await assess('C1', 'U1', 'managed');
    t = TICK + 10_000;
    await s.sync();
    await deliver(digests, store, failing);
    await s.sync();
    await deliver(digests, store, failing);
    expect(calls).toBe(1);
    expect(await store.lastRun(ref)).toMatchObject({ status: 'failed', error: 'not_in_channel' });
    await s.stop();
  });

  it('builds a queued digest when it is sent, for the period it was queued for', async () => {
    const { s } = scheduler();
    await s.start();
    await assess('C1', 'U1', 'managed');
    t = TICK + 10_000;
    await s.sync();
    // Before the sender gets to it, another assessment of the period completes (a late write).
    t = TICK - 1_000;
    await assess('C1', 'U2', 'managed');
    t = TICK + 20_000;
    await assess('C1', 'U3', 'managed');
    await deliver();
    expect(posted).toHaveLength(1);
    expect(posted[0]?.period).toMatchObject({ start: TICK - DAY, end: TICK });
    expect(posted[0]?.counts.completed).toBe(2);
    await s.stop();
  });

  it('arms real croner jobs from the same patterns, in the zone, a few seconds after the time', () => {
    const job = cronerFactory(
      cronPattern({ ...daily9, tz: 'Europe/Berlin' }, 5),
      'Europe/Berlin',
      () => {},
    ) as Cron;
    try {
      expect(job.nextRun(new Date(TICK - 60_000))?.getTime()).toBe(TICK + 5_000);
    } finally {
      job.stop();
    }
  });

  it('follows changes made by other replicas at the next sweep', async () => {
    const { cron, s } = scheduler();
    await s.start();
    await digests.subscribe(ref, alice, { cadence: 'weekly', weekday: 5, hour: 16, minute: 30 });
    await digests.subscribe({ teamId: 'T1', channelId: 'C9' }, alice, daily9);
    cron
      .live()
      .find((j) => j.tz === 'UTC')
      ?.run();
    await s.sync();
    expect(s.jobs()).toEqual(['T1/C1 5 30 16 * * 5 Europe/Berlin', 'T1/C9 5 0 9 * * * Europe/Berlin']);
    await digests.unsubscribe(ref, alice);
    await s.sync();
    expect(s.jobs()).toEqual(['T1/C9 5 0 9 * * * Europe/Berlin']);
    expect(cron.live()).toHaveLength(2);
    await s.stop();
  });
});
