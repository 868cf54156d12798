// Budgets: a measured value against a limit. Reported, never enforced: the bench's exit code stays 0.

export interface Budget {
  name: string;
  value: number | null;
  limit: string;
  pass: boolean | null;
  note?: string;
}

/** A scenario that did not run (no PostgreSQL, a flag) or broke; either way it has no figures. */
export type NotRun = { skipped: string } | { failed: string };

/** Why there are no figures, or undefined when there are. */
export function notRunNote(v: object): string | undefined {
  const { skipped, failed } = v as { skipped?: unknown; failed?: unknown };
  if (typeof skipped === 'string') return `not measured: ${skipped}`;
  if (typeof failed === 'string') return `the scenario failed: ${failed}`;
  return undefined;
}

export function atLeast(name: string, value: number | null, min: number, note?: string): Budget {
  return {
    name,
    value,
    limit: `≥ ${min}`,
    pass: value === null ? false : value >= min,
    ...(note && { note }),
  };
}

export function atMost(name: string, value: number | null, max: number, note?: string): Budget {
  return {
    name,
    value,
    limit: `≤ ${max}`,
    pass: value === null ? false : value <= max,
    ...(note && { note }),
  };
}
