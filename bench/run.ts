// `npm run bench`: k8s-advisor against a bare Bolt 5 app, both in HTTP mode against the Slack stand-in, on
// SQLite and PostgreSQL, with 100,000 stored assessments. Three parts: timed rounds of each interaction (with
// start-up and the channel digest), sustained overload (finished work, drain and memory) and kill -9 while
// answering (acknowledged answers lost). Writes bench/RESULTS.md (between its markers) and prints one JSON
// summary line last. Budgets are reported, never enforced: the exit code is 0 unless the bench itself broke.
//
//   npm run bench                     the full run (about 6 minutes on 2 cores; up to a minute more when an
//                                     app cannot drain its overload and the bench waits out the caps)
//   npm run bench -- --only overload,kill
//                                     some parts (load, overload, kill); RESULTS.md is left alone unless --out
//   npm run bench -- --profile        the same with --cpu-prof on both apps; profiles and summary.md in
//                                     bench/profiles/ (git-ignored); RESULTS.md is left alone
//   npm run bench -- --smoke          a few seconds per part, SQLite only, a few hundred rows; writes to a temp file
//   npm run bench -- --no-postgres    skip the PostgreSQL part
//   npm run bench -- --no-sqlite      skip k8s-advisor's SQLite overload and kill -9 (the timed rounds still
//                                     use SQLite); with --only overload, a PostgreSQL-only overload run
//   npm run bench -- --out FILE       write the Markdown there instead of bench/RESULTS.md
//
// PostgreSQL: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test) names
// a server where the bench may create a database of its own; it is dropped afterwards.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Config } from '../src/config.js';
import { startSlackStandin } from '../src/standin/server.js';
import { type AppOptions, bundleAppProcess, type RunningChild, startChild } from './apps.js';
import { atLeast, atMost, type Budget, type NotRun } from './budgets.js';
import { measureDigest } from './digest.js';
import { type KillFigures, runKill } from './kill.js';
import { type KillSummary, killBudgets, killConfig } from './kill-report.js';
import { LoadHarness, type RoundResult, SCENARIOS, type Scenario } from './load.js';
import { type OverloadFigures, runOverloadOnFreshApp } from './overload.js';
import { type OverloadSummary, overloadBudgets, overloadConfig } from './overload-report.js';
import { profileMarkdown, summarise } from './profile.js';
import { compare, type EngineFigures, markdown, PARTS, type Part, type Summary } from './report.js';
import { SEED_TEAM, seedChannel, seedPostgres, seedSqlite } from './seed.js';
import { median, round } from './stats.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';
/** Answers per started assessment the load gives (see load.ts); sizes the pool a round needs. */
const ANSWERS_PER_THREAD = 8;

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
    'no-sqlite': { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});

const parts: Part[] = flags.only ? (flags.only.split(',').map((p) => p.trim()) as Part[]) : PARTS;
const unknownParts = parts.filter((p) => !PARTS.includes(p));
if (unknownParts.length > 0 || parts.length === 0) {
  process.stderr.write(`bench: --only takes a list of ${PARTS.join(', ')}; not ${unknownParts.join(', ')}\n`);
  process.exit(2);
}
const has = (part: Part) => parts.includes(part);

// startups: extra starts just to time start-up (0: the load's own start is the one sample).
// rateGuess: interactions per second expected before a round has measured any, to size its started assessments.
// overload, kill: see bench/overload.ts and bench/kill.ts.
const plan = flags.smoke
  ? {
      roundMs: 1000,
      warmupMs: 0,
      rounds: { sqlite: 1, postgres: 0 },
      concurrency: 8,
      seed: 300,
      startups: 0,
      rateGuess: 100,
      overload: {
        durationMs: 1000,
        concurrency: 16,
        channels: 4,
        drainCapMs: 10_000,
        quietMs: 3000,
        responseTimeoutMs: 10_000,
        shedPauseMs: 100,
        rssEveryMs: 50,
      },
      kill: { threads: 4, killAfter: 2, settleMs: 2000 },
    }
  : {
      roundMs: 3500,
      warmupMs: 3000,
      rounds: { sqlite: 3, postgres: 2 },
      concurrency: 16,
      seed: 100_000,
      startups: 3,
      rateGuess: 300,
      overload: {
        durationMs: 40_000,
        concurrency: 128,
        channels: 200,
        drainCapMs: 30_000,
        quietMs: 5000,
        responseTimeoutMs: 10_000,
        shedPauseMs: 100,
        rssEveryMs: 250,
      },
      kill: { threads: 40, killAfter: 20, settleMs: 10_000 },
    };

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const cleanups: (() => Promise<void> | void)[] = [];
const cleanup = async () => {
  for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => {});
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

type Database = Config['database'];

/** A part that breaks is reported as failed, and the rest of the run goes on. */
async function attempt<T>(what: string, run: () => Promise<T>): Promise<T | NotRun> {
  try {
    return await run();
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? String(error);
    log(`${what} failed: ${(error as Error).stack ?? error}`);
    return { failed: message };
  }
}

function logOverload(name: string, r: OverloadFigures | NotRun) {
  if (!('app' in r)) return;
  log(
    `  ${name}: ${r.acksPerSec} acks/s, ${r.finishedPerSec} first questions/s during the load, ${r.shed} shed, ` +
      `drain ${r.drainMs} ms (${r.neverArrived} never arrived), peak RSS ${r.peakRssMb} MB, growth ${r.rssGrowthPct} %`,
  );
}

function logKill(name: string, r: KillFigures | NotRun) {
  if (!('lost' in r)) return;
  log(
    `  ${name}: ${r.acknowledged} acknowledged, ${r.lost} lost; next question ${JSON.stringify(r.nextQuestion)}`,
  );
}

async function main() {
  const t0 = performance.now();
  const profileDir = flags.profile ? join(here, 'profiles') : undefined;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    log(`profiling both apps with --cpu-prof into ${profileDir}; the profiler slows this run's timings`);
  }
  const work = mkdtempSync(join(tmpdir(), 'k8s-advisor-bench-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  // Inside the repository, so the bundle's packages resolve from its node_modules; one per run.
  const bundleDir = join(here, '.build', String(process.pid));
  cleanups.push(() => rmSync(bundleDir, { recursive: true, force: true }));
  const entry = await bundleAppProcess(bundleDir);
  const secret = randomBytes(32).toString('hex');
  const standin = await startSlackStandin();
  cleanups.push(() => standin.close());
  const harness = new LoadHarness(standin, secret);
  const digestChannel = { teamId: SEED_TEAM, channelId: seedChannel(0) };
  const appOptions = (kind: 'ours' | 'bare', database?: Database): AppOptions => ({
    kind,
    entry,
    secret,
    apiUrl: standin.url,
    ...(database && { database }),
  });
  const seeding = has('load') || has('overload');
  const seedingSqlite = has('load') || (has('overload') && !flags['no-sqlite']);

  const sqlitePath = join(work, 'bench.db');
  const seedMs: Summary['seedMs'] = {};
  if (seedingSqlite) {
    log(`seeding ${plan.seed} assessments into SQLite`);
    seedMs.sqlite = (await seedSqlite(sqlitePath, plan.seed)).ms;
  }
  const sqlite: Database = { engine: 'sqlite', path: sqlitePath };

  // Start-up to ready, alternating with the bare app so both see the same machine.
  const startups = { ours: [] as number[], bare: [] as number[] };
  for (let i = 0; has('load') && i < plan.startups; i++) {
    for (const kind of ['ours', 'bare'] as const) {
      const child = await startChild(appOptions(kind, kind === 'ours' ? sqlite : undefined));
      startups[kind].push(Math.round(child.readyMs));
      await child.stop();
    }
  }
  if (has('load') && plan.startups > 0)
    log(
      `start-up to ready: k8s-advisor ${startups.ours.join(', ')} ms; bare Bolt ${startups.bare.join(', ')} ms`,
    );

  const profiled: { dir: string; title: string; readyMs: number }[] = [];
  /** The options of an app to profile (with --profile), and a callback that lists its profile once started. */
  const profiling = (kind: 'ours' | 'bare', label: string, database?: Database) => {
    const dir = profileDir && join(profileDir, `${kind === 'ours' ? 'k8s-advisor' : 'bare-bolt'}-${label}`);
    const title = `${kind === 'ours' ? 'k8s-advisor' : 'bare Bolt'} (${label})`;
    return {
      options: { ...appOptions(kind, database), ...(dir && { profileDir: dir }) },
      started: (child: RunningChild) => {
        if (dir) profiled.push({ dir, title, readyMs: child.readyMs });
      },
    };
  };
  const start = async (kind: 'ours' | 'bare', engine: string, database?: Database) => {
    const { options, started } = profiling(kind, engine, database);
    const child = await startChild(options);
    started(child);
    if (plan.startups === 0 && engine !== 'postgres') startups[kind].push(Math.round(child.readyMs));
    cleanups.push(() => child.stop());
    return child;
  };

  const all: RoundResult[] = [];
  const appLog: string[] = [];
  let sqliteFigures: EngineFigures = {};
  const digest: Partial<NonNullable<Summary['digest']>> = {};
  // The bare app of the timed rounds serves both engines' rounds.
  let bare: RunningChild | undefined;
  if (has('load')) {
    bare = await start('bare', 'all');
    const oursSqlite = await start('ours', 'sqlite', sqlite);
    log('SQLite rounds');
    sqliteFigures = await phase(harness, oursSqlite, bare, plan.rounds.sqlite, all);
    appLog.push(...oursSqlite.errors());
    await oursSqlite.stop();
    digest.sqlite = await measureDigest(sqlite, digestChannel);
  }
  const sqliteRounds = [...all];

  /** One overload run on a fresh app process, profiled with --profile; `name` as the logs and errors say it. */
  const overloadRun = async (kind: 'ours' | 'bare', label: string, name: string, database?: Database) => {
    log(`overload: ${plan.overload.durationMs / 1000} s of slash commands, ${name}`);
    const { options, started } = profiling(kind, label, database);
    const figures = await attempt(`overload, ${name}`, () =>
      runOverloadOnFreshApp(standin, secret, options, plan.overload, started),
    );
    logOverload(name, figures);
    return figures;
  };

  // Overload on the seeded store, k8s-advisor first, then the bare app (whose run serves both engines).
  const overload: Partial<OverloadSummary> = {};
  if (has('overload')) {
    overload.sqlite = flags['no-sqlite']
      ? { skipped: '--no-sqlite' }
      : await overloadRun('ours', 'overload-sqlite', 'k8s-advisor (SQLite)', sqlite);
    overload.bare = await overloadRun('bare', 'overload', 'bare Bolt');
  }

  // kill -9 on a store of its own, so the check reads only what this part wrote.
  const kill: Partial<KillSummary> = {};
  if (has('kill') && flags['no-sqlite']) kill.sqlite = { skipped: '--no-sqlite' };
  else if (has('kill')) {
    log(`kill -9 after ${plan.kill.killAfter} of ${plan.kill.threads} answers acknowledged (SQLite)`);
    kill.sqlite = await attempt('kill -9 (SQLite)', () =>
      runKill(
        standin,
        secret,
        { ...appOptions('ours'), database: { engine: 'sqlite', path: join(work, 'kill.db') } },
        plan.kill,
      ),
    );
    logKill('SQLite', kill.sqlite);
  }

  let postgresFigures: EngineFigures | { skipped: string } = { skipped: 'not run' };
  if (flags.smoke || flags['no-postgres']) {
    const skipped = { skipped: flags.smoke ? 'smoke run' : '--no-postgres' };
    postgresFigures = skipped;
    overload.postgres = skipped;
    kill.postgres = skipped;
  } else {
    const done = await withPostgres(async (url) => {
      if (seeding) {
        log(`seeding ${plan.seed} assessments into PostgreSQL`);
        seedMs.postgres = (await seedPostgres(url, plan.seed)).ms;
      }
      const postgres: Database = { engine: 'postgres', url };
      if (has('load') && bare) {
        const oursPg = await start('ours', 'postgres', postgres);
        log('PostgreSQL rounds');
        postgresFigures = await phase(harness, oursPg, bare, plan.rounds.postgres, all);
        appLog.push(...oursPg.errors());
        await oursPg.stop();
        digest.postgres = await measureDigest(postgres, digestChannel);
      }
      if (has('overload')) {
        overload.postgres = await overloadRun(
          'ours',
          'overload-postgres',
          'k8s-advisor (PostgreSQL)',
          postgres,
        );
      }
      if (has('kill')) {
        log('kill -9 (PostgreSQL)');
        const own = new URL(url);
        own.searchParams.set('schema', 'bench_kill');
        kill.postgres = await attempt('kill -9 (PostgreSQL)', () =>
          runKill(
            standin,
            secret,
            { ...appOptions('ours'), database: { engine: 'postgres', url: own.toString() } },
            plan.kill,
          ),
        );
        logKill('PostgreSQL', kill.postgres);
      }
    });
    if (done && 'skipped' in done) {
      postgresFigures = done;
      overload.postgres = done;
      kill.postgres = done;
    }
  }
  if (bare) {
    appLog.push(...bare.errors());
    await bare.stop();
  }

  const budgets: Budget[] = [];
  const summary: Summary = {
    mode: flags.smoke ? 'smoke' : 'full',
    parts,
    node: process.version,
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalSeconds: 0,
    seeded: seeding ? plan.seed : 0,
    config: { roundSeconds: plan.roundMs / 1000, rounds: plan.rounds, concurrency: plan.concurrency },
    seedMs,
    budgets,
    allBudgetsPass: false,
    profiled: flags.profile,
    revision: revision(),
  };

  if (has('load')) {
    const peak = (kind: 'ours' | 'bare') =>
      Math.max(0, ...sqliteRounds.filter((r) => r.app === kind).map((r) => r.peakRss)) / 1024 / 1024;
    const memory = {
      oursPeakRssMb: round(peak('ours')),
      barePeakRssMb: round(peak('bare')),
      ratio: peak('bare') > 0 ? round(peak('ours') / peak('bare'), 2) : null,
    };
    const errors = {
      ours: all.filter((r) => r.app === 'ours').reduce((n, r) => n + r.errors, 0),
      bare: all.filter((r) => r.app === 'bare').reduce((n, r) => n + r.errors, 0),
      appLog: appLog.slice(0, 20),
    };
    const startupMedian = startups.ours.length ? median(startups.ours) : null;
    const rows = `${plan.seed.toLocaleString('en-US')} rows`;
    const d = digest.sqlite;
    budgets.push(
      atLeast('SQLite slash-command throughput ratio', sqliteFigures.command?.ratio.throughput ?? null, 0.8),
      atMost('SQLite slash-command ack p99 ratio', sqliteFigures.command?.ratio.ackP99 ?? null, 1.2),
      atLeast('SQLite thread-reply throughput ratio', sqliteFigures.reply?.ratio.throughput ?? null, 0.7),
      atMost(`Start-up to ready, median ms (SQLite, ${rows})`, startupMedian, 1500),
      atMost(`Peak RSS under load, ratio (SQLite, ${rows})`, memory.ratio, 1.3),
      d?.status === 'measured'
        ? atMost(`Channel digest build, first run ms (SQLite, ${rows})`, d.ms, 1000)
        : {
            name: `Channel digest build ms (SQLite, ${rows})`,
            value: null,
            limit: '≤ 1000',
            pass: null,
            note: d?.note ?? 'not run',
          },
      atMost('Failed interactions and app error lines', errors.ours + errors.bare + appLog.length, 0),
    );
    Object.assign(summary, {
      startup: {
        oursMs: startupMedian,
        oursSamplesMs: startups.ours,
        bareMs: startups.bare.length ? median(startups.bare) : null,
        bareSamplesMs: startups.bare,
      },
      digest,
      engines: { sqlite: sqliteFigures, postgres: postgresFigures },
      memory,
      errors,
    });
  }
  if (has('overload')) {
    const full: OverloadSummary = {
      config: overloadConfig(plan.overload),
      bare: overload.bare ?? { failed: 'not run' },
      sqlite: overload.sqlite ?? { failed: 'not run' },
      postgres: overload.postgres ?? { skipped: 'not run' },
    };
    summary.overload = full;
    budgets.push(...overloadBudgets(full));
  }
  if (has('kill')) {
    const full: KillSummary = {
      config: killConfig(plan.kill),
      sqlite: kill.sqlite ?? { failed: 'not run' },
      postgres: kill.postgres ?? { skipped: 'not run' },
    };
    summary.kill = full;
    budgets.push(...killBudgets(full));
  }
  summary.allBudgetsPass = budgets.filter((b) => b.pass !== null).every((b) => b.pass === true);
  summary.totalSeconds = Math.round((performance.now() - t0) / 1000);

  const md = markdown(summary);
  process.stdout.write(`${md}\n\n`);
  for (const b of budgets) {
    const verdict = b.pass === null ? 'NOT MEASURED' : b.pass ? 'PASS' : 'FAIL';
    process.stdout.write(`${verdict.padEnd(12)} ${b.name}: ${b.value ?? '–'} (limit ${b.limit})\n`);
  }
  if (!summary.allBudgetsPass)
    process.stdout.write('Some budgets FAILED. This is a report: the exit code stays 0.\n');

  if (profileDir) {
    const sections = profiled.map(({ dir, title, readyMs }) => {
      // One profile per thread; the main thread's is the largest (the other is tsx's module loader).
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(dir, f))
        .sort((a, b) => readFileSync(b).length - readFileSync(a).length);
      const main = files[0];
      if (!main) return `#### ${title}: no profile written`;
      return profileMarkdown(
        summarise(main, { skipMs: readyMs, topN: 20 }),
        `${title}, main thread, after start-up`,
      );
    });
    const text = sections.join('\n\n');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, 'summary.md'), `${text}\n`);
    process.stdout.write(`\n${text}\n\nProfiles and summary.md are in ${profileDir} (not committed).\n`);
  } else if (flags.out || (!flags.smoke && parts.length === PARTS.length)) {
    const out = flags.out ?? join(here, 'RESULTS.md');
    writeResults(out, md);
    log(`wrote ${out}`);
  } else if (!flags.smoke) {
    log('only some parts ran: bench/RESULTS.md left alone (give --out FILE to write the Markdown)');
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** Interactions per second seen so far (over both phases), to size the started assessments a round answers. */
const rate = new Map<string, number>();
/** `pid:scenario` of the app processes that have had their untimed warm-up in that scenario. */
const warmed = new Set<string>();

/** Alternating timed rounds of each scenario, after an untimed warm-up of each app. */
async function phase(
  harness: LoadHarness,
  ours: RunningChild,
  bare: RunningChild,
  rounds: number,
  all: RoundResult[],
): Promise<EngineFigures> {
  const figures: EngineFigures = {};
  const poolSize = (app: RunningChild, scenario: Scenario, ms: number) => {
    // A warm-up runs slower than the rounds after it: never size below the guess or below what this app did
    // in another scenario, and keep a wide margin.
    const seen = Math.max(rate.get(`${app.kind}:${scenario}`) ?? 0, rate.get(app.kind) ?? 0);
    const expected = Math.max(seen, plan.rateGuess) * (ms / 1000) * 2;
    return Math.ceil(expected / ANSWERS_PER_THREAD) + plan.concurrency * 2;
  };
  const one = async (app: RunningChild, scenario: Scenario, ms: number) => {
    const result = await harness.round(app, {
      scenario,
      durationMs: ms,
      concurrency: plan.concurrency,
      poolSize: poolSize(app, scenario, ms),
    });
    const key = `${app.kind}:${scenario}`;
    const seen = (result.completed / result.elapsedMs) * 1000;
    rate.set(key, Math.max(rate.get(key) ?? 0, result.poolExhausted ? seen * 2 : seen));
    rate.set(app.kind, Math.max(rate.get(app.kind) ?? 0, seen));
    if (result.poolExhausted) log(`  ${key}: the started assessments ran out; later rounds start more`);
    if (result.errors > 0) log(`  ${key}: ${result.errors} errors ${JSON.stringify(result.errorKinds)}`);
    return result;
  };
  for (const scenario of SCENARIOS) {
    // The bare app's process serves both engines: once warmed up in a scenario it needs no second warm-up.
    for (const app of [ours, bare]) {
      if (plan.warmupMs === 0 || warmed.has(`${app.pid}:${scenario}`)) continue;
      await one(app, scenario, plan.warmupMs);
      warmed.add(`${app.pid}:${scenario}`);
    }
    const results: Record<'ours' | 'bare', RoundResult[]> = { ours: [], bare: [] };
    for (let i = 0; i < rounds; i++) {
      // ABBA order, so drift over the run does not favour either app.
      for (const app of i % 2 === 0 ? [ours, bare] : [bare, ours]) {
        const r = await one(app, scenario, plan.roundMs);
        results[app.kind].push(r);
        all.push(r);
        const other =
          r.otherCpuMs === null ? '' : `, other load ${(r.otherCpuMs / r.elapsedMs).toFixed(2)} cores`;
        log(
          `  ${scenario} ${app.kind.padEnd(4)} round ${i + 1}: ${Math.round((r.completed / r.elapsedMs) * 1000)}/s, ` +
            `${(r.appCpuMs / Math.max(r.completed, 1)).toFixed(2)} ms CPU/req, ${r.errors} errors, ` +
            `peak RSS ${Math.round(r.peakRss / 1024 / 1024)} MB${other}`,
        );
      }
    }
    figures[scenario] = compare(results.ours, results.bare);
  }
  return figures;
}

/** A database of its own on the PostgreSQL server, dropped afterwards whatever happens. */
async function withPostgres<T>(run: (url: string) => Promise<T>): Promise<T | { skipped: string }> {
  const base =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  const name = `k8s_advisor_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    await admin.end().catch(() => {});
    const reason = `PostgreSQL at ${new URL(base).host} not usable (${(error as Error).message})`;
    log(reason);
    return { skipped: reason };
  }
  const drop = async () => {
    await admin
      .query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      .catch((e: Error) => log(`could not drop database ${name}: ${e.message}`));
    await admin.end().catch(() => {});
  };
  cleanups.push(drop);
  const url = new URL(base);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    cleanups.splice(cleanups.indexOf(drop), 1);
    await drop();
  }
}

/** Which code was measured: the commit, and whether src/ had changes not committed yet. */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: here, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', '../src', '../conversations') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown (not a git work tree)';
  }
}

/** Replaces the generated part of RESULTS.md and keeps the hand-written findings around it. */
function writeResults(path: string, md: string) {
  const block = `${BEGIN}\n${md}\n${END}`;
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const i = old.indexOf(BEGIN);
  const j = old.indexOf(END);
  const text =
    i >= 0 && j > i
      ? `${old.slice(0, i)}${block}${old.slice(j + END.length)}`
      : `# Benchmark results\n\n${block}\n${old ? `\n${old}` : ''}`;
  writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
}

try {
  await main();
} catch (error) {
  log(`failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
