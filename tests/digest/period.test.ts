import { describe, expect, it } from 'vitest';
import {
  cronPattern,
  dueTick,
  formatInZone,
  isTimeZone,
  latestTick,
  MAX_LOOKBACK_MS,
  nextTick,
  periodEnding,
  previousTick,
  type Schedule,
} from '../../src/digest/period.js';

const DAY = 86_400_000;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const at = (s: string) => Date.parse(s);
const berlin9: Schedule = { cadence: 'daily', weekday: null, hour: 9, minute: 0, tz: 'Europe/Berlin' };

describe('ticks', () => {
  it('are wall-clock times in the subscriber’s zone', () => {
    expect(cronPattern(berlin9)).toBe('0 9 * * *');
    expect(cronPattern(berlin9, 5)).toBe('5 0 9 * * *');
    // 09:00 in Berlin is 07:00 UTC in summer.
    expect(iso(nextTick(berlin9, at('2025-06-02T12:00:00Z')))).toBe('2025-06-03T07:00:00.000Z');
    expect(iso(latestTick(berlin9, at('2025-06-02T12:00:00Z')))).toBe('2025-06-02T07:00:00.000Z');
  });

  it('count a tick exactly at the instant as the latest, and not as the next', () => {
    const tick = at('2025-06-02T07:00:00Z');
    expect(latestTick(berlin9, tick)).toBe(tick);
    expect(previousTick(berlin9, tick)).toBe(tick - DAY);
    expect(nextTick(berlin9, tick)).toBe(tick + DAY);
  });

  it('follow daylight saving time: 09:00 stays 09:00 when the offset changes', () => {
    const spring = [at('2025-03-29T12:00:00Z'), at('2025-03-30T12:00:00Z')].map((t) =>
      iso(nextTick(berlin9, t)),
    );
    expect(spring).toEqual(['2025-03-30T07:00:00.000Z', '2025-03-31T07:00:00.000Z']);
    // 02:30 does not exist on the spring-forward night; the job runs once, at the first valid time.
    const gap = { ...berlin9, hour: 2, minute: 30 };
    expect(iso(nextTick(gap, at('2025-03-29T12:00:00Z')))).toBe('2025-03-30T01:00:00.000Z');
  });

  it('fall on the weekday in the zone, not in UTC', () => {
    const monday = { cadence: 'weekly' as const, weekday: 1, hour: 17, minute: 30, tz: 'America/New_York' };
    expect(iso(nextTick(monday, at('2025-03-01T00:00:00Z')))).toBe('2025-03-03T22:30:00.000Z');
    // Tokyo's Monday 08:00 is Sunday 23:00 UTC.
    const tokyo = { cadence: 'weekly' as const, weekday: 1, hour: 8, minute: 0, tz: 'Asia/Tokyo' };
    expect(iso(nextTick(tokyo, at('2025-06-01T00:00:00Z')))).toBe('2025-06-01T23:00:00.000Z');
  });
});

describe('periods', () => {
  const end = at('2025-06-03T07:00:00Z');
  const sub = { ...berlin9, scheduledAt: end - 12 * 3_600_000 };

  it('start one cadence before the first time after subscribing when there was no digest before', () => {
    expect(periodEnding(sub, end, null)).toEqual({ start: end - DAY, end });
    const weekly = { ...sub, cadence: 'weekly' as const, weekday: 2 };
    expect(periodEnding(weekly, end, null)).toEqual({ start: end - 7 * DAY, end });
    // Down since before the first digest: that first period and every day since.
    expect(periodEnding(sub, end + 3 * DAY, null)).toEqual({ start: end - DAY, end: end + 3 * DAY });
  });

  it('start where the last digest ended, so a missed period or a schedule change leaves no gap', () => {
    expect(periodEnding(sub, end, end - 3 * DAY)).toEqual({ start: end - 3 * DAY, end });
    expect(periodEnding(sub, end, end - 5 * 3_600_000)).toEqual({ start: end - 5 * 3_600_000, end });
  });

  it('never reach further back than the lookback limit', () => {
    expect(periodEnding(sub, end, end - MAX_LOOKBACK_MS - 1)).toEqual({ start: end - DAY, end });
    expect(periodEnding(sub, end + 40 * DAY, null)).toEqual({ start: end + 39 * DAY, end: end + 40 * DAY });
  });
});

describe('due ticks', () => {
  const sub = { ...berlin9, scheduledAt: at('2025-06-01T00:00:00Z') };

  it('owe the latest tick after the schedule was set and the last digest', () => {
    const now = at('2025-06-03T08:00:00Z');
    expect(iso(dueTick(sub, now, null))).toBe('2025-06-03T07:00:00.000Z');
    expect(iso(dueTick(sub, now, at('2025-06-02T07:00:00Z')))).toBe('2025-06-03T07:00:00.000Z');
    expect(dueTick(sub, now, at('2025-06-03T07:00:00Z'))).toBeUndefined();
  });

  it('owe one digest, not one per missed tick, after days of downtime', () => {
    const now = at('2025-06-07T12:00:00Z');
    const tick = dueTick(sub, now, at('2025-06-02T07:00:00Z'));
    expect(iso(tick)).toBe('2025-06-07T07:00:00.000Z');
    expect(periodEnding(sub, tick as number, at('2025-06-02T07:00:00Z')).start).toBe(
      at('2025-06-02T07:00:00Z'),
    );
    // Never posted: from one day before the first 09:00 after subscribing (1 June, 02:00 Berlin).
    expect(periodEnding(sub, tick as number, null).start).toBe(at('2025-05-31T07:00:00Z'));
  });

  it('owe nothing for a tick before the schedule was set', () => {
    const fresh = { ...sub, scheduledAt: at('2025-06-03T07:30:00Z') };
    expect(dueTick(fresh, at('2025-06-03T08:00:00Z'), null)).toBeUndefined();
    expect(iso(dueTick(fresh, at('2025-06-04T07:00:00Z'), null))).toBe('2025-06-04T07:00:00.000Z');
  });
});

describe('zones', () => {
  it('validates IANA names and formats in a zone', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone(undefined)).toBe(false);
    expect(formatInZone(at('2025-06-03T07:00:00Z'), 'Europe/Berlin')).toBe('Tue 3 Jun, 09:00');
  });
});
