// Turns rounds into the summary: per scenario and app, the ratios to the bare Bolt app, budgets, Markdown.

import type { Budget } from './budgets.js';
import type { DigestMeasure } from './digest.js';
import { type KillSummary, killMarkdown } from './kill-report.js';
import type { RoundResult, Scenario } from './load.js';
import { type OverloadSummary, overloadMarkdown } from './overload-report.js';
import { mb, median, percentile, round } from './stats.js';

export interface AppFigures {
  rounds: number;
  completed: number;
  errors: number;
  throughput: number | null;
  ackP50: number | null;
  ackP99: number | null;
  nextP50: number | null;
  nextP99: number | null;
  peakRssMb: number | null;
  /** CPU time of the app's process per completed interaction. */
  cpuMsPerOp: number | null;
  /** Share of one core the load generator and stand-in used: near 100 % means they, not the app, limited it. */
  loaderCpuPct: number | null;
  /** Cores busy outside the app and the load generator meanwhile: other processes, and the database server. */
  otherCores: number | null;
  poolExhausted: boolean;
}

export interface ScenarioFigures {
  ours: AppFigures;
  bare: AppFigures;
  ratio: {
    throughput: number | null;
    ackP50: number | null;
    ackP99: number | null;
    nextP50: number | null;
    nextP99: number | null;
    peakRss: number | null;
  };
}

export type EngineFigures = Partial<Record<Scenario, ScenarioFigures>>;

/** The parts of `npm run bench`: the timed rounds (with start-up and digest), overload, kill -9. */
export type Part = 'load' | 'overload' | 'kill';
export const PARTS: Part[] = ['load', 'overload', 'kill'];

export interface Summary {
  mode: 'full' | 'smoke';
  /** The parts this run measured (`--only`); a run of some parts leaves RESULTS.md alone unless given --out. */
  parts: Part[];
  node: string;
  cores: number;
  cpuModel: string;
  totalSeconds: number;
  seeded: number;
  config: { roundSeconds: number; rounds: Record<string, number>; concurrency: number };
  seedMs: Record<string, number | null>;
  /** The rest, down to errors, belong to the timed rounds (part 'load'). */
  startup?: {
    oursMs: number | null;
    oursSamplesMs: number[];
    bareMs: number | null;
    bareSamplesMs: number[];
  };
  digest?: { sqlite: DigestMeasure; postgres?: DigestMeasure };
  engines?: { sqlite: EngineFigures; postgres: EngineFigures | { skipped: string } };
  memory?: { oursPeakRssMb: number | null; barePeakRssMb: number | null; ratio: number | null };
  errors?: { ours: number; bare: number; appLog: string[] };
  overload?: OverloadSummary;
  kill?: KillSummary;
  budgets: Budget[];
  allBudgetsPass: boolean;
  profiled: boolean;
  revision: string;
}

export function figures(rounds: RoundResult[]): AppFigures {
  const ack = rounds.flatMap((r) => r.ackMs);
  const next = rounds.flatMap((r) => r.nextMs);
  const completed = rounds.reduce((n, r) => n + r.completed, 0);
  const elapsed = rounds.reduce((n, r) => n + r.elapsedMs, 0);
  const appCpu = rounds.reduce((n, r) => n + r.appCpuMs, 0);
  const loaderCpu = rounds.reduce((n, r) => n + r.loaderCpuMs, 0);
  const other = rounds.every((r) => r.otherCpuMs !== null)
    ? rounds.reduce((n, r) => n + (r.otherCpuMs ?? 0), 0)
    : null;
  return {
    rounds: rounds.length,
    completed,
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    throughput: elapsed > 0 ? round(completed / (elapsed / 1000)) : null,
    ackP50: round(median(ack), 2),
    ackP99: round(percentile(ack, 99), 2),
    nextP50: round(median(next), 2),
    nextP99: round(percentile(next, 99), 2),
    peakRssMb: rounds.length ? round(mb(Math.max(...rounds.map((r) => r.peakRss)))) : null,
    cpuMsPerOp: completed > 0 ? round(appCpu / completed, 3) : null,
    loaderCpuPct: elapsed > 0 ? round((100 * loaderCpu) / elapsed, 0) : null,
    otherCores: other !== null && elapsed > 0 ? round(other / elapsed, 2) : null,
    poolExhausted: rounds.some((r) => r.poolExhausted),
  };
}

const ratio = (a: number | null, b: number | null) =>
  a !== null && b !== null && b > 0 ? round(a / b, 2) : null;

export function compare(ours: RoundResult[], bare: RoundResult[]): ScenarioFigures {
  const o = figures(ours);
  const b = figures(bare);
  return {
    ours: o,
    bare: b,
    ratio: {
      throughput: ratio(o.throughput, b.throughput),
      ackP50: ratio(o.ackP50, b.ackP50),
      ackP99: ratio(o.ackP99, b.ackP99),
      nextP50: ratio(o.nextP50, b.nextP50),
      nextP99: ratio(o.nextP99, b.nextP99),
      peakRss: ratio(o.peakRssMb, b.peakRssMb),
    },
  };
}

const SCENARIO_NAMES: Record<Scenario, string> = {
  command: '(a) slash command starts an assessment',
  reply: '(b) thread reply answers a question',
  click: '(c) button click answers a question',
};

const f = (v: number | null | undefined, unit = '') => (v === null || v === undefined ? '–' : `${v}${unit}`);
const x = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v.toFixed(2)}×`);

function engineTable(engine: EngineFigures): string[] {
  const lines = [
    '| scenario | app | req/s | ack p50 | ack p99 | next question p50 | next question p99 | peak RSS | app CPU / req | load gen CPU | other busy cores | completed | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [scenario, s] of Object.entries(engine) as [Scenario, ScenarioFigures][]) {
    const row = (app: string, a: AppFigures) =>
      `| ${SCENARIO_NAMES[scenario]} | ${app} | ${f(a.throughput)} | ${f(a.ackP50, ' ms')} | ${f(a.ackP99, ' ms')} | ${f(a.nextP50, ' ms')} | ${f(a.nextP99, ' ms')} | ${f(a.peakRssMb, ' MB')} | ${f(a.cpuMsPerOp, ' ms')} | ${f(a.loaderCpuPct, ' %')} | ${f(a.otherCores)} | ${a.completed} | ${a.errors} |`;
    lines.push(row('k8s-advisor', s.ours), row('bare Bolt', s.bare));
    const r = s.ratio;
    lines.push(
      `| ${SCENARIO_NAMES[scenario]} | **ratio** | **${x(r.throughput)}** | ${x(r.ackP50)} | **${x(r.ackP99)}** | ${x(r.nextP50)} | ${x(r.nextP99)} | ${x(r.peakRss)} | ${x(ratio(s.ours.cpuMsPerOp, s.bare.cpuMsPerOp))} | | | | |`,
    );
  }
  return lines;
}

export function markdown(s: Summary): string {
  const lines: string[] = [];
  const load = s.parts.includes('load');
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${s.revision} by \`npm run bench\`${s.parts.length < PARTS.length ? ` (only ${s.parts.join(', ')})` : ''} in ${s.totalSeconds} s: ` +
      `${s.cores} cores (${s.cpuModel}), Node ${s.node}, ${s.seeded.toLocaleString('en-US')} stored assessments. ` +
      (load
        ? `Each app runs in its own process; ${s.config.concurrency} requests in flight; rounds of ${s.config.roundSeconds} s, ` +
          `alternating k8s-advisor and bare Bolt (SQLite ${s.config.rounds.sqlite} rounds each, PostgreSQL ${s.config.rounds.postgres}), after an untimed warm-up.`
        : 'Each app runs in its own process.'),
    '',
    '### Budgets',
    '',
    '| budget | measured | limit | verdict |',
    '| --- | ---: | ---: | --- |',
  );
  for (const b of s.budgets) {
    const verdict = b.pass === null ? 'not measured' : b.pass ? 'PASS' : '**FAIL**';
    lines.push(`| ${b.name}${b.note ? ` (${b.note})` : ''} | ${f(b.value)} | ${b.limit} | ${verdict} |`);
  }
  if (s.engines) {
    lines.push('', '### SQLite', '', ...engineTable(s.engines.sqlite), '', '### PostgreSQL', '');
    const pgFigures = s.engines.postgres;
    if ('skipped' in pgFigures) lines.push(`Not measured: ${pgFigures.skipped}.`);
    else lines.push(...engineTable(pgFigures as EngineFigures));
  }
  if (s.overload) lines.push('', ...overloadMarkdown(s.overload));
  if (s.kill) lines.push('', ...killMarkdown(s.kill));
  lines.push('', '### Scale', '');
  if (s.startup && s.memory)
    lines.push(
      `- Start-up to ready (fork → \`GET /healthz\` 200) with ${s.seeded.toLocaleString('en-US')} stored assessments: ` +
        `median ${f(s.startup.oursMs, ' ms')} (samples ${s.startup.oursSamplesMs.join(', ')} ms); bare Bolt ${f(s.startup.bareMs, ' ms')}.`,
      `- Peak resident memory under load: k8s-advisor ${f(s.memory.oursPeakRssMb, ' MB')}, bare Bolt ${f(s.memory.barePeakRssMb, ' MB')} (${x(s.memory.ratio)}).`,
    );
  const digest = s.digest;
  if (digest)
    lines.push(
      ...(['sqlite', 'postgres'] as const).flatMap((engine) => {
        const d = digest[engine];
        if (!d) return [];
        const name = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
        if (d.status !== 'measured' || !d.preview || !d.fullHistory)
          return [`- Channel digest (${name}): ${d.note}.`];
        return [
          `- Channel digest (${name}), one of ${s.seeded >= 1000 ? '50' : 'the'} channels: weekly preview ${d.preview.coldMs} ms first, ${d.preview.medianMs} ms warm (${d.preview.started} started in the week); ` +
            `whole history ${d.fullHistory.coldMs} ms first, ${d.fullHistory.medianMs} ms warm (${d.fullHistory.started} started, ${d.fullHistory.completed} completed).`,
        ];
      }),
    );
  lines.push(
    `- Seeding: ${
      Object.entries(s.seedMs)
        .map(([k, v]) => `${k} ${f(v === null ? null : Math.round(v), ' ms')}`)
        .join(', ') || 'none'
    }.`,
  );
  if (s.errors)
    lines.push(
      `- Errors in the timed rounds: k8s-advisor ${s.errors.ours}, bare Bolt ${s.errors.bare}; app log lines at level error: ${s.errors.appLog.length}.`,
    );
  return lines.join('\n');
}
