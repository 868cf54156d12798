// Small numeric helpers for the benchmark.

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

export const round = (n: number, digits = 1) =>
  Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : null;

export const mb = (bytes: number) => bytes / 1024 / 1024;
