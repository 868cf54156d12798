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
  type DigestService,
  PublishError,
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
  return { cron, s: createDigestScheduler({ digests: d, publish, now, cron: cron.factory, graceMs: 5_000 }) };
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
    const { cron, s } = scheduler();
    await s.start();
    t += 3_600_000;
    await assess('C1', 'U1', 'managed');
    await assess('C1', 'U2', 'self_hosted_required');
    await assess('C2', 'U3', 'managed');
    expect(posted).toEqual([]);

    t = TICK + 5_000;
    cron.live()[0]?.run();
    await s.sync();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      channelId: 'C1',
      trigger: 'scheduled',
      period: { start: TICK - DAY, end: TICK, tz: 'Europe/Berlin' },
      counts: { started: 2, completed: 2 },
    });
    expect(posted[0]?.outcomes.find((o) => o.outcome === 'managed')?.count).toBe(1);

    for (const job of cron.live()) job.run();
    await s.sync();
    expect(posted).toHaveLength(1);
    expect(await store.lastRun(ref)).toMatchObject({ status: 'posted', messageTs: '1.0', periodEnd: TICK });
    await s.stop();
  });

  it('waits for the grace time, so late writes of the period land first', async () => {
    const { s } = scheduler();
    await s.start();
    await assess('C1', 'U1', 'managed');
    t = TICK + 1_000;
    await s.sync();
    expect(posted).toEqual([]);
    t = TICK + 5_000;
    await s.sync();
    expect(posted).toHaveLength(1);
    await s.stop();
  });

  it('posts nothing for a quiet period unless the channel asked for empty digests', async () => {
    const { s } = scheduler();
    await s.start();
    t = TICK + 10_000;
    await s.sync();
    expect(posted).toEqual([]);
    expect(await store.lastRun(ref)).toMatchObject({ status: 'empty' });

    await digests.setIncludeEmpty(ref, alice, true);
    t = TICK + DAY + 10_000;
    await s.sync();
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
    await first.s.sync();
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
    expect(posted).toHaveLength(2);
    expect(posted[1]?.period).toMatchObject({ start: TICK, end: TICK + 3 * DAY });
    expect(posted[1]?.counts).toMatchObject({ started: 3, completed: 3 });
    await restarted.s.sync();
    await restarted.s.stop();

    const again = scheduler();
    await again.s.start();
    await again.s.stop();
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
    expect(posted).toHaveLength(1);
    await Promise.all(replicas.map((r) => r.s.stop()));
    await Promise.all(stores.map((st) => st.close()));
  });

  it('records a failed post and does not post it again', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      // As the Slack edge's publish reports a refusal: Slack's code as the reason.
      throw new PublishError('not_in_channel');
    };
    const cron = fakeCron();
    const errors: string[] = [];
    const s = createDigestScheduler({
      digests,
      publish: failing,
      now,
      cron: cron.factory,
      logger: { info() {}, warn() {}, error: (m) => errors.push(m) },
    });
    await s.start();
    await assess('C1', 'U1', 'managed');
    t = TICK + 10_000;
    await s.sync();
    await s.sync();
    expect(calls).toBe(1);
    expect(errors[0]).toContain('not_in_channel');
    expect(await store.lastRun(ref)).toMatchObject({ status: 'failed', error: 'not_in_channel' });
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
