import { describe, expect, it } from 'vitest';
import { createAdvisorService } from '../../src/advisor/service.js';
import type { SessionKey } from '../../src/advisor/session.js';
import { createUserDataService } from '../../src/advisor/user-data.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { OPENING } from '../support/digest.js';
import { questionnaire } from '../support/questionnaire.js';

const DAY = 86_400_000;

/** The advisor and the data-rights service over one store and one fake clock. */
function setup(opts: { retentionDays?: number; pageSize?: number } = {}) {
  let clock = 1_750_000_000_000;
  const store = openSqliteStore(':memory:');
  let id = 0;
  const advisor = createAdvisorService({ store, questionnaire, now: () => clock, newId: () => `a${++id}` });
  const userData = createUserDataService({
    store,
    questionnaire,
    now: () => clock,
    ...opts,
  });
  const at = (n: number, userId = 'U1'): SessionKey => ({
    teamId: 'T1',
    channelId: 'C1',
    threadTs: `1.${n}`,
    userId,
  });
  /** Runs one assessment to self_hosted_required (provider access ruled out). */
  const complete = async (key: SessionKey) => {
    await advisor.start(key);
    for (const [qid, option] of [
      ...OPENING,
      ['provider_access', 'no'],
      ['self_host_site', 'own_datacenter'],
    ]) {
      await advisor.answer(key, qid as string, option as string);
    }
  };
  return { store, advisor, userData, at, complete, advance: (ms: number) => (clock += ms) };
}

describe('retention (RETENTION_DAYS), on a fake clock', () => {
  it('purges a completed assessment once it is older than the retention, counted from completion', async () => {
    const { userData, at, complete, advance, advisor } = setup({ retentionDays: 30 });
    await complete(at(1));
    advance(10 * DAY);
    await advisor.start(at(2)); // still in progress: never purged by retention
    advance(20 * DAY - 1);
    expect(await userData.purgeExpired()).toMatchObject({ assessments: 0 });
    advance(2);
    const purged = await userData.purgeExpired();
    expect(purged).toMatchObject({ assessments: 1 });
    expect(purged?.findings).toBeGreaterThan(0);
    const left = await userData.page('T1', 'U1', 1);
    expect(left.sessions.map((s) => s.threadTs)).toEqual(['1.2']);
  });

  it('does nothing without RETENTION_DAYS', async () => {
    const { userData, at, complete, advance } = setup();
    await complete(at(1));
    advance(10_000 * DAY);
    expect(await userData.purgeExpired()).toBeUndefined();
    expect((await userData.page('T1', 'U1', 1)).total).toBe(1);
  });
});

describe('a person’s assessments', () => {
  it('come a page at a time, newest change first; a page past the end shows the last one', async () => {
    const { userData, advisor, at, advance } = setup({ pageSize: 2 });
    for (const n of [1, 2, 3, 4, 5]) {
      await advisor.start(at(n));
      advance(1000);
    }
    await advisor.start(at(9, 'U2'));
    const first = await userData.page('T1', 'U1', 1);
    expect(first).toMatchObject({ total: 5, page: 1, pages: 3, pageSize: 2 });
    expect(first.sessions.map((s) => s.threadTs)).toEqual(['1.5', '1.4']);
    const last = await userData.page('T1', 'U1', 7);
    expect(last).toMatchObject({ page: 3, pages: 3 });
    expect(last.sessions.map((s) => s.threadTs)).toEqual(['1.1']);
    expect((await userData.page('T1', 'U1', 0)).page).toBe(1);
    expect((await userData.all('T1', 'U1')).map((s) => s.threadTs)).toEqual([
      '1.5',
      '1.4',
      '1.3',
      '1.2',
      '1.1',
    ]);
    expect(await userData.page('T1', 'U9', 1)).toMatchObject({ total: 0, page: 1, pages: 1, sessions: [] });
  });

  it('give the latest completed one in a channel with its recommendation, and can all be forgotten', async () => {
    const { userData, at, complete, advisor } = setup();
    expect(await userData.latestCompleted('T1', 'C1', 'U1')).toBeUndefined();
    await complete(at(1));
    await advisor.start(at(2));
    const latest = await userData.latestCompleted('T1', 'C1', 'U1');
    expect(latest?.session.threadTs).toBe('1.1');
    expect(latest?.recommendation.decision.outcome).toBe('self_hosted_required');
    expect(await userData.forget('T1', 'U1')).toMatchObject({ assessments: 2 });
    expect(await userData.all('T1', 'U1')).toEqual([]);
  });
});
