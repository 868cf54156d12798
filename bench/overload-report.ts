// The overload scenario in the summary: its figures per app, its budgets (ratios to the bare app in the same run)
// and its Markdown.

import { logBullets } from './app-log.js';
import { atLeast, atMost, type Budget, type NotRun, notRunNote } from './budgets.js';
import type { OverloadFigures, OverloadOptions } from './overload.js';
import { round } from './stats.js';

export interface OverloadSummary {
  config: {
    seconds: number;
    concurrency: number;
    channels: number;
    drainCapSeconds: number;
    quietSeconds: number;
    shedPauseMs: number;
  };
  /** The bare app's run, the reference for both engines (it has no database). */
  bare: OverloadFigures | NotRun;
  sqlite: OverloadFigures | NotRun;
  postgres: OverloadFigures | NotRun;
}

export const overloadConfig = (o: OverloadOptions): OverloadSummary['config'] => ({
  seconds: o.durationMs / 1000,
  concurrency: o.concurrency,
  channels: o.channels,
  drainCapSeconds: o.drainCapMs / 1000,
  quietSeconds: o.quietMs / 1000,
  shedPauseMs: o.shedPauseMs,
});

/** Read as "no growth": the last quarter's median RSS at most this much above the second quarter's. */
export const RSS_GROWTH_LIMIT_PCT = 10;
const FINISHED_RATIO = { sqlite: 0.7, postgres: 0.5 };
const PEAK_RSS_RATIO = 1.3;

const ratio = (a: number | null, b: number | null) =>
  a !== null && b !== null && b > 0 ? round(a / b, 2) : null;

const ENGINE_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

export function overloadBudgets(s: OverloadSummary): Budget[] {
  return (['sqlite', 'postgres'] as const).flatMap((engine) => {
    const ours = s[engine];
    if ('skipped' in ours) return [];
    const bare = 'app' in s.bare ? s.bare : undefined;
    const mine = 'app' in ours ? ours : undefined;
    const note = notRunNote(ours) ?? (bare ? undefined : `the bare app's run ${notRunNote(s.bare)}`);
    const name = `Overload (${ENGINE_NAME[engine]})`;
    return [
      atLeast(
        `${name}: first questions reaching Slack during the load, per second, ratio to the bare app's posts`,
        ratio(mine?.finishedPerSec ?? null, bare?.finishedPerSec ?? null),
        FINISHED_RATIO[engine],
        note,
      ),
      atMost(
        `${name}: peak RSS, ratio to the bare app`,
        ratio(mine?.peakRssMb ?? null, bare?.peakRssMb ?? null),
        PEAK_RSS_RATIO,
        note,
      ),
      atMost(
        `${name}: RSS growth from the load's second quarter to its last, %`,
        mine?.rssGrowthPct ?? null,
        RSS_GROWTH_LIMIT_PCT,
        notRunNote(ours),
      ),
    ];
  });
}

const f = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? '–' : `${v}${unit}`);
const x = (v: number | null) => (v === null ? '–' : `${v.toFixed(2)}×`);
const seconds = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);

function others(counts: Record<string, number>) {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([k, n]) => `${n} ${k}`).join(', ') : '0';
}

function drain(a: OverloadFigures, capSeconds: number) {
  if (a.acked === 0) return '–';
  if (a.neverArrived === 0) return seconds(a.drainMs);
  const why =
    a.drainEnded === 'cap'
      ? `not done after ${capSeconds} s`
      : a.drainEnded === 'quiet'
        ? `stopped: nothing new for the quiet period, last after ${seconds(a.drainMs)}`
        : 'the app exited';
  return `${why}; **${a.neverArrived} never arrived**`;
}

export function overloadMarkdown(s: OverloadSummary): string[] {
  const c = s.config;
  const all: [string, OverloadFigures | NotRun][] = [
    ['k8s-advisor (SQLite)', s.sqlite],
    ['k8s-advisor (PostgreSQL)', s.postgres],
    ['bare Bolt', s.bare],
  ];
  const rows = all.filter((r): r is [string, OverloadFigures] => 'app' in r[1]);
  const bare = 'app' in s.bare ? s.bare : undefined;
  const lines = [
    '### Overload: finished work',
    '',
    `\`/k8s-advisor\` from ${c.channels} channels for ${c.seconds} s, ${c.concurrency} commands in flight: each sender sends ` +
      `its next command when its last one is answered and never waits for a question (after a 503 or 429 it ` +
      `pauses ${c.shedPauseMs} ms). Each app in a fresh process; the bare app's run is the reference for both engines. ` +
      `Drain: wait after the load, at most ${c.drainCapSeconds} s (or until nothing reached the stand-in for ${c.quietSeconds} s).`,
    '',
    '| app | acks/s | ack p50 | ack p99 | acked after 3 s | shed (503/429) | other non-200 | finished during the load | finished/s | drain after the load | finished for unacked |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const [name, a] of rows)
    lines.push(
      `| ${name}${a.appExited ? ' (**exited**)' : ''} | ${f(a.acksPerSec)} | ${f(a.ackP50, ' ms')} | ${f(a.ackP99, ' ms')} | ${a.ackedLate} | ${a.shed} | ${others(a.otherNon200)} | ${a.finishedDuringLoad} of ${a.acked} acked | ${f(a.finishedPerSec)} | ${drain(a, c.drainCapSeconds)} | ${a.finishedUnacked} |`,
    );
  for (const [name, a] of rows.filter(([, r]) => r !== bare))
    lines.push(
      `| ${name} **ratio** | ${x(ratio(a.acksPerSec, bare?.acksPerSec ?? null))} | | | | | | | **${x(ratio(a.finishedPerSec, bare?.finishedPerSec ?? null))}** | | |`,
    );
  lines.push(
    '',
    '| app | peak RSS | RSS, 1st quarter | 2nd quarter | 3rd quarter | 4th quarter | end of load | after the drain | growth, 2nd → 4th quarter | peak ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const [name, a] of rows) {
    const [q1, q2, q3, q4] = a.rssQuartersMb;
    lines.push(
      `| ${name} | ${f(a.peakRssMb, ' MB')} | ${f(q1, ' MB')} | ${f(q2, ' MB')} | ${f(q3, ' MB')} | ${f(q4, ' MB')} | ${f(a.rssEndOfLoadMb, ' MB')} | ${f(a.rssAfterDrainMb, ' MB')} | ${f(a.rssGrowthPct, ' %')} | ${a === bare ? '' : `**${x(ratio(a.peakRssMb, bare?.peakRssMb ?? null))}**`} |`,
    );
  }
  for (const [name, r] of all) {
    const why = notRunNote(r);
    if (why) lines.push('', `${name}: ${why}.`);
  }
  const errors = rows.flatMap(([name, a]) => logBullets(name, a.appErrorLines, a.appErrors));
  if (errors.length) lines.push('', 'App log lines at level error:', '', ...errors);
  return lines;
}
