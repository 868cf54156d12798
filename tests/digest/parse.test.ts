import { describe, expect, it } from 'vitest';
import { parseDigestCommand, parseTime, parseWeekday } from '../../src/digest/parse.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean);
const parse = (s: string) => parseDigestCommand(words(s));
const request = (s: string) => {
  const r = parse(s);
  if (!r.ok) throw new Error(`expected ok for "${s}": ${r.problem}`);
  return r.request;
};
const problem = (s: string) => {
  const r = parse(s);
  if (r.ok) throw new Error(`expected a problem for "${s}"`);
  return r.problem;
};

describe('digest subcommand parsing', () => {
  it('reads daily with and without a time', () => {
    expect(request('daily')).toEqual({
      kind: 'subscribe',
      cadence: 'daily',
      weekday: null,
      hour: 9,
      minute: 0,
    });
    expect(request('daily 17:45')).toMatchObject({ hour: 17, minute: 45 });
    expect(request('DAILY 8:05')).toMatchObject({ hour: 8, minute: 5 });
    expect(request('daily 5:30 pm')).toMatchObject({ hour: 17, minute: 30 });
  });

  it('reads weekly with a day, a time, both in either order, or neither', () => {
    expect(request('weekly')).toEqual({
      kind: 'subscribe',
      cadence: 'weekly',
      weekday: 1,
      hour: 9,
      minute: 0,
    });
    expect(request('weekly friday 16:00')).toEqual({
      kind: 'subscribe',
      cadence: 'weekly',
      weekday: 5,
      hour: 16,
      minute: 0,
    });
    expect(request('weekly 07:15 sun')).toMatchObject({ weekday: 0, hour: 7, minute: 15 });
    expect(request('weekly thurs')).toMatchObject({ weekday: 4, hour: 9 });
    expect(request('weekly 10am')).toMatchObject({ weekday: 1, hour: 10 });
  });

  it('reads the other words', () => {
    expect(request('')).toEqual({ kind: 'status' });
    expect(request('status')).toEqual({ kind: 'status' });
    expect(request('now')).toEqual({ kind: 'now' });
    expect(request('off')).toEqual({ kind: 'off' });
    expect(request('stop')).toEqual({ kind: 'off' });
    expect(request('help')).toEqual({ kind: 'help' });
    expect(request('empty on')).toEqual({ kind: 'empty', include: true });
    expect(request('empty off')).toEqual({ kind: 'empty', include: false });
  });

  it('explains malformed arguments', () => {
    expect(problem('daily 25:00')).toContain('"25:00" is not a time of day');
    expect(problem('daily 9:61')).toContain('HH:MM');
    expect(problem('daily 9:00 10:00')).toContain('one time');
    expect(problem('weekly funday')).toContain('"funday" is neither a day');
    expect(problem('weekly mon tue')).toContain('one day and one time');
    expect(problem('hourly')).toContain('I do not know `digest hourly`');
    expect(problem('now please')).toContain('takes nothing more');
    expect(problem('empty maybe')).toContain('digest empty on');
  });
});

describe('times and days', () => {
  it('accepts 24-hour and am/pm times, rejects the rest', () => {
    expect(parseTime('0:00')).toEqual({ hour: 0, minute: 0 });
    expect(parseTime('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(parseTime('12am')).toEqual({ hour: 0, minute: 0 });
    expect(parseTime('12pm')).toEqual({ hour: 12, minute: 0 });
    expect(parseTime('9.30')).toEqual({ hour: 9, minute: 30 });
    expect(parseTime('13pm')).toBeUndefined();
    expect(parseTime('24:00')).toBeUndefined();
    expect(parseTime('noon')).toBeUndefined();
  });

  it('knows day names, short forms and plurals', () => {
    expect(['sun', 'monday', 'Tue', 'weds', 'thu', 'fridays', 'sat'].map(parseWeekday)).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    expect(parseWeekday('mo')).toBeUndefined();
    expect(parseWeekday('someday')).toBeUndefined();
  });
});
