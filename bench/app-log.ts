// The app's error log, shortened for a report: what went wrong and how often, without stacks or request ids.

/** pino's msg and the error's type and message; the line itself (cut short) when it is not a JSON log line. */
export function describeLogLine(line: string): string {
  try {
    const j = JSON.parse(line) as { msg?: unknown; err?: { type?: unknown; message?: unknown } };
    const parts = [j.msg, j.err?.type, j.err?.message].filter((p) => typeof p === 'string' && p !== '');
    if (parts.length > 0) return parts.join(': ').slice(0, 160);
  } catch {
    // not JSON: a stderr line
  }
  return line.trim().slice(0, 160);
}

/** How many lines of each kind, the most frequent first, at most `top` kinds. */
export function logKinds(lines: readonly string[], top = 5): Record<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const kind = describeLogLine(line);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, top));
}

/** Markdown bullets: `name: n × kind`. */
export function logBullets(name: string, lines: number, kinds: Record<string, number>): string[] {
  if (lines === 0) return [];
  const shown = Object.values(kinds).reduce((a, b) => a + b, 0);
  return [
    ...Object.entries(kinds).map(([kind, n]) => `- ${name}: ${n} × \`${kind.replaceAll('`', "'")}\``),
    ...(shown < lines ? [`- ${name}: ${lines - shown} more of other kinds`] : []),
  ];
}
