import { Cron } from 'croner';
import type { Subscription } from '../advisor/ports/digests.js';
import { DAY_MS } from '../advisor/time.js';

/**
 * When digests fall due and which period each covers. Pure: wall-clock times in an IANA zone become instants
 * through croner, which also settles daylight-saving gaps and repeats. Periods are half-open, [start, end).
 */
export type Schedule = Pick<Subscription, 'cadence' | 'weekday' | 'hour' | 'minute' | 'tz'>;

export interface Period {
  start: number;
  end: number;
}

/** A digest never reaches further back than this, however long ago the last one was posted. */
export const MAX_LOOKBACK_MS = 31 * DAY_MS;

/** Minute, hour, day of week (5-part cron); `second` gives a 6-part pattern for a wake-up a little later. */
export function cronPattern(s: Schedule, second?: number): string {
  const fields = `${s.minute} ${s.hour} * * ${s.cadence === 'weekly' ? (s.weekday ?? 1) : '*'}`;
  return second === undefined ? fields : `${second} ${fields}`;
}

const cron = (s: Schedule) => new Cron(cronPattern(s), { timezone: s.tz });

/** The latest scheduled time at or before `at`. */
export function latestTick(s: Schedule, at: number): number {
  const [tick] = cron(s).previousRuns(1, new Date(at + 1));
  if (!tick) throw new Error(`no run of ${cronPattern(s)} before ${new Date(at).toISOString()}`);
  return tick.getTime();
}

/** The first scheduled time strictly after `after`. */
export function nextTick(s: Schedule, after: number): number {
  const tick = cron(s).nextRun(new Date(after));
  if (!tick) throw new Error(`no run of ${cronPattern(s)} after ${new Date(after).toISOString()}`);
  return tick.getTime();
}

/** The scheduled time strictly before `before`. */
export const previousTick = (s: Schedule, before: number): number => latestTick(s, before - 1);

/**
 * The period a digest ending at `end` covers: from the end of the channel's previous digest, so periods meet
 * without gaps or overlaps even after a change of schedule or downtime. The first digest starts one cadence
 * before the first time after the schedule was set. Never further back than MAX_LOOKBACK_MS: then one cadence.
 */
export function periodEnding(
  s: Schedule & Pick<Subscription, 'scheduledAt'>,
  end: number,
  lastEnd: number | null,
): Period {
  const from = lastEnd ?? previousTick(s, nextTick(s, s.scheduledAt));
  const fresh = from < end && from >= end - MAX_LOOKBACK_MS;
  return { start: fresh ? from : previousTick(s, end), end };
}

/**
 * The scheduled time this channel is owed a digest for at `at`, or undefined: the latest tick, if it came after
 * the schedule was set and after the last digest. Ticks missed before that are folded into its period.
 */
export function dueTick(s: Schedule & Pick<Subscription, 'scheduledAt'>, at: number, lastEnd: number | null) {
  const tick = latestTick(s, at);
  if (tick <= s.scheduledAt || (lastEnd !== null && tick <= lastEnd)) return undefined;
  return tick;
}

/** True for a zone this runtime knows, e.g. Europe/Berlin. */
export function isTimeZone(tz: string | undefined): tz is string {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "Tue 3 Jun, 09:00", in the zone. */
export function formatInZone(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

export const pad2 = (n: number) => String(n).padStart(2, '0');
export const clock = (t: { hour: number; minute: number }) => `${pad2(t.hour)}:${pad2(t.minute)}`;
