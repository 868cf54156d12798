import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DEFAULT_IDLE_DAYS,
  DEFAULT_IDLE_MS,
  daysToMs,
  idleMsFor,
  msToDays,
} from '../../src/advisor/time.js';

describe('days', () => {
  it('turn into milliseconds and back into whole days', () => {
    expect(DAY_MS).toBe(24 * 60 * 60 * 1000);
    expect(daysToMs(7)).toBe(7 * DAY_MS);
    expect(msToDays(daysToMs(30))).toBe(30);
    expect(msToDays(DAY_MS * 1.4)).toBe(1);
  });

  it('give 14 idle days unless ASSESSMENT_IDLE_DAYS says otherwise', () => {
    expect(DEFAULT_IDLE_DAYS).toBe(14);
    expect(idleMsFor()).toBe(DEFAULT_IDLE_MS);
    expect(idleMsFor(undefined)).toBe(14 * DAY_MS);
    expect(idleMsFor(2.5)).toBe(2.5 * DAY_MS);
  });
});
