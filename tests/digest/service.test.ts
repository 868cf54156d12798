import { beforeEach, describe, expect, it } from 'vitest';
import { createAdvisorService } from '../../src/advisor/service.js';
import { type Caller, createDigestService, type DigestService } from '../../src/digest/service.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { OPENING, PATHS } from '../support/digest.js';
import { questionnaire } from '../support/questionnaire.js';

const DAY = 86_400_000;
const ref = { teamId: 'T1', channelId: 'C1' };
const alice: Caller = { userId: 'UALICE', tz: 'Europe/Berlin', isAdmin: false, isOwner: false };
const bob: Caller = { userId: 'UBOB', tz: 'America/New_York', isAdmin: false, isOwner: false };
const admin: Caller = { userId: 'UADMIN', tz: 'Asia/Tokyo', isAdmin: true, isOwner: false };
const owner: Caller = { userId: 'UOWNER', isAdmin: false, isOwner: true };
const daily = (hour = 9) => ({ cadence: 'daily' as const, weekday: null, hour, minute: 0 });

let t = Date.parse('2025-06-02T10:00:00Z');
let store: Store;
let digests: DigestService;
beforeEach(() => {
  t = Date.parse('2025-06-02T10:00:00Z');
  store = openSqliteStore(':memory:');
  digests = createDigestService({ store, questionnaire, now: () => t });
});

describe('subscribing', () => {
  it('stores the schedule in the subscriber’s zone and says when the first digest comes', async () => {
    const result = await digests.subscribe(ref, alice, daily());
    expect(result).toMatchObject({
      kind: 'subscribed',
      guessedTz: false,
      next: Date.parse('2025-06-03T07:00:00Z'),
      subscription: { userId: 'UALICE', tz: 'Europe/Berlin', hour: 9, version: 1, scheduledAt: t },
    });
    expect((await digests.status(ref)).subscription).toMatchObject({ cadence: 'daily', tz: 'Europe/Berlin' });
  });

  it('falls back to UTC, and says so, when Slack gives no usable zone', async () => {
    const result = await digests.subscribe(ref, { ...alice, tz: 'Not/AZone' }, daily());
    expect(result).toMatchObject({ kind: 'subscribed', guessedTz: true, subscription: { tz: 'UTC' } });
  });

  it('lets only the subscriber or a workspace admin or owner change or stop it', async () => {
    await digests.subscribe(ref, alice, daily());
    expect(await digests.subscribe(ref, bob, daily(10))).toEqual({ kind: 'refused', ownerId: 'UALICE' });
    expect(await digests.unsubscribe(ref, bob)).toEqual({ kind: 'refused', ownerId: 'UALICE' });
    expect(await digests.setIncludeEmpty(ref, bob, true)).toEqual({ kind: 'refused', ownerId: 'UALICE' });

    expect(await digests.subscribe(ref, alice, daily(8))).toMatchObject({
      kind: 'subscribed',
      previous: { hour: 9 },
    });
    expect(await digests.setIncludeEmpty(ref, owner, true)).toMatchObject({
      kind: 'empty_set',
      subscription: { includeEmpty: true },
    });
    // An admin who changes the time takes it over, in their own zone.
    expect(await digests.subscribe(ref, admin, daily(18))).toMatchObject({
      kind: 'subscribed',
      subscription: { userId: 'UADMIN', tz: 'Asia/Tokyo', includeEmpty: true },
    });
    expect(await digests.unsubscribe(ref, admin)).toMatchObject({ kind: 'unsubscribed' });
    expect(await digests.status(ref)).toEqual({});
    expect(await digests.unsubscribe(ref, alice)).toEqual({ kind: 'none' });
  });

  it('keeps the debts of an unchanged schedule, and forgets them when the schedule changes', async () => {
    await digests.subscribe(ref, alice, daily());
    t += DAY;
    const same = await digests.subscribe(ref, alice, daily());
    expect(same.kind === 'subscribed' && same.subscription.scheduledAt).toBe(t - DAY);
    const moved = await digests.subscribe(ref, alice, daily(7));
    expect(moved.kind === 'subscribed' && moved.subscription.scheduledAt).toBe(t);
  });

  it('reports a concurrent change instead of overwriting it', async () => {
    const [a, b] = await Promise.all([
      digests.subscribe(ref, alice, daily()),
      digests.subscribe(ref, bob, daily(7)),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(['conflict', 'subscribed']);
  });
});

describe('previews (digest now)', () => {
  it('cover the last 7 days without a subscription, and since the last scheduled time with one', async () => {
    const advisor = createAdvisorService({ store, questionnaire, now: () => t });
    const at = { ...ref, threadTs: '1.1', userId: 'U1' };
    t -= 3 * DAY;
    await advisor.start(at);
    for (const [qid, v] of [...OPENING, ...PATHS.self_hosted_required]) await advisor.answer(at, qid, v);
    t += 3 * DAY;

    const adHoc = await digests.preview(ref, 'Europe/Paris');
    expect(adHoc).toMatchObject({ trigger: 'manual', cadence: null, period: { end: t, tz: 'Europe/Paris' } });
    expect(adHoc.period.end - adHoc.period.start).toBe(7 * DAY);
    expect(adHoc.counts).toMatchObject({ started: 1, completed: 1 });

    await digests.subscribe(ref, alice, daily());
    const sinceNine = await digests.preview(ref);
    expect(sinceNine.period).toEqual({
      start: Date.parse('2025-06-02T07:00:00Z'),
      end: t,
      tz: 'Europe/Berlin',
    });
    expect(sinceNine.empty).toBe(true);
  });
});
