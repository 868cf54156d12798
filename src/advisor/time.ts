/**
 * Day lengths and the idle default in one place: an assessment's expiry, App Home's "expired", a digest's
 * "abandoned", digest periods and retention all count days the same way.
 */
export const DAY_MS = 86_400_000;

/** An assessment in progress untouched this many days has expired (ASSESSMENT_IDLE_DAYS). */
export const DEFAULT_IDLE_DAYS = 14;

export const daysToMs = (days: number) => days * DAY_MS;

/** A duration as the whole number of days people are told. */
export const msToDays = (ms: number) => Math.round(ms / DAY_MS);

/** The idle time from ASSESSMENT_IDLE_DAYS, or the default when it is not set. */
export const idleMsFor = (idleDays: number = DEFAULT_IDLE_DAYS) => daysToMs(idleDays);

export const DEFAULT_IDLE_MS = idleMsFor();
