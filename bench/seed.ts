// Fills a store with realistic assessments: the schema comes from the store port (its migrations), the rows
// from toRow() on real sessions walked through the questionnaire, and the bulk load goes straight to the driver.
//
//   npx tsx bench/seed.ts --sqlite ./data/bench.db [--count 100000]
//   npx tsx bench/seed.ts --postgres postgres://postgres@127.0.0.1:5432/bench [--schema public] [--count 100000]

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { decide } from '../src/advisor/decide.js';
import { loadQuestionnaire, type Questionnaire } from '../src/advisor/questionnaire.js';
import {
  type Answer,
  answerQuestion,
  currentQuestion,
  newSession,
  type Session,
} from '../src/advisor/session.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { COLUMNS, type SessionRow, toRow } from '../src/store/store.js';

export const SEED_TEAM = 'T0STANDIN';
export const SEED_CHANNELS = 50;
export const SEED_USERS = 2000;
export const seedChannel = (i: number) => `C0SEED${String(i).padStart(3, '0')}`;
export const seedUser = (i: number) => `U0SEED${String(i).padStart(5, '0')}`;

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..');
const DAY = 86_400_000;

/** Deterministic, so two runs seed the same mix (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One person's walk through the questionnaire: mostly real options, sometimes a skip or a typed number. */
function walk(q: Questionnaire, random: () => number, stopAfter: number): Session {
  const key = { teamId: SEED_TEAM, channelId: 'C', threadTs: '0', userId: 'U' };
  let s = newSession(key, q, 'walk', 0);
  const outcomeOf = (x: Session) => decide(q, x.answers).outcome;
  for (let step = 0; step < stopAfter; step++) {
    const question = currentQuestion(q, s);
    if (!question) break;
    let answer: Answer;
    if (random() < 0.07) answer = { kind: 'skipped' };
    else if (question.type === 'choice')
      answer = {
        kind: 'option',
        optionId: question.options[Math.floor(random() * question.options.length)]?.id ?? '',
      };
    else if (question.presets.length > 0 && random() < 0.8)
      answer = {
        kind: 'number',
        value: question.presets[Math.floor(random() * question.presets.length)]?.value ?? 1,
      };
    else answer = { kind: 'number', value: 1 + Math.floor(random() * 300) };
    const next = answerQuestion(q, s, question.id, answer, 0, outcomeOf);
    if (!next.ok) break;
    s = next.value;
  }
  return s;
}

/** Findings as the app stores them when an assessment completes (the digest counts them in SQL). */
export interface SeedFinding {
  kind: string;
  itemId: string;
}
type FindingsOf = (q: Questionnaire, s: Session) => SeedFinding[];

/**
 * The channel digest (src/digest/) stores findings next to each completed assessment. Loaded by a computed
 * specifier so the seeder still works, without findings, on a tree where that module does not exist.
 */
async function loadFindingsOf(): Promise<FindingsOf | undefined> {
  const specifier = '../src/advisor/findings.js';
  const mod = (await import(specifier).catch(() => undefined)) as { findingsOf?: FindingsOf } | undefined;
  return mod?.findingsOf;
}

/**
 * `count` sessions spread over SEED_CHANNELS channels, SEED_USERS users and the last 180 days: about 70 %
 * finished (outcomes as the engine decides them), 30 % stopped part-way, some restarted; each with the
 * findings the app would have stored for it.
 */
export function* seedSessions(
  count: number,
  q: Questionnaire,
  findingsOf?: FindingsOf,
  seed = 6,
): Generator<{ session: Session; findings: SeedFinding[] }> {
  const random = rng(seed);
  // Walking the questionnaire is the slow part; a few thousand distinct walks give the mix without repeating it.
  const template = (s: Session) => ({ s, findings: findingsOf ? findingsOf(q, s) : [] });
  const finished = Array.from({ length: Math.min(2000, count) }, () => template(walk(q, random, 1000)));
  const partial = Array.from({ length: Math.min(1000, count) }, () =>
    template(walk(q, random, Math.floor(random() * 8))),
  );
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const done = random() < 0.7;
    const pool = done ? finished : partial;
    const { s, findings } = pool[Math.floor(random() * pool.length)] as (typeof pool)[number];
    const createdAt = now - Math.floor(random() * 180 * DAY);
    const updatedAt = createdAt + Math.floor(random() * 3_600_000);
    const restarts = random() < 0.08 ? 1 : 0;
    const micros = String(i % 1_000_000).padStart(6, '0');
    const session: Session = {
      ...s,
      id: randomUUID(),
      teamId: SEED_TEAM,
      channelId: seedChannel(Math.floor(random() * SEED_CHANNELS)),
      threadTs: `${Math.floor(createdAt / 1000)}.${micros}`,
      userId: seedUser(Math.floor(random() * SEED_USERS)),
      restarts,
      version: s.order.length + restarts,
      // Every stored version has been shown in its thread.
      ...('shownVersion' in s && { shownVersion: s.order.length + restarts }),
      createdAt,
      updatedAt,
      completedAt: s.status === 'completed' ? updatedAt : null,
    };
    yield { session, findings: s.status === 'completed' ? findings : [] };
  }
}

const BATCH = 5000;
const questionnaire = () => loadQuestionnaire(join(repoRoot, 'conversations', 'k8s-hosting.yml'));

interface Batch {
  rows: SessionRow[];
  findings: { assessment_id: string; kind: string; item_id: string }[];
}

/** The generated assessments in batches, with findings only when the schema has a table for them. */
async function* batches(count: number, withFindings: boolean): AsyncGenerator<Batch> {
  const findingsOf = withFindings ? await loadFindingsOf() : undefined;
  let batch: Batch = { rows: [], findings: [] };
  for (const { session, findings } of seedSessions(count, questionnaire(), findingsOf)) {
    batch.rows.push(toRow(session));
    for (const f of findings)
      batch.findings.push({ assessment_id: session.id, kind: f.kind, item_id: f.itemId });
    if (batch.rows.length === BATCH) {
      yield batch;
      batch = { rows: [], findings: [] };
    }
  }
  if (batch.rows.length > 0) yield batch;
}

export interface SeedResult {
  ms: number;
  findings: number;
}

export async function seedSqlite(path: string, count: number): Promise<SeedResult> {
  const t0 = performance.now();
  // The adapter creates (or migrates) the schema exactly as the app will find it.
  await (await openSqliteStore(path)).close();
  const db = new Database(path);
  let findings = 0;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    // Five indexes take random inserts; a cache that holds them all keeps the load off the disk.
    db.pragma('cache_size = -262144');
    const hasFindings =
      db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessment_findings'")
        .get() !== undefined;
    const insert = db.prepare(
      `INSERT INTO assessments (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    const insertFinding = hasFindings
      ? db.prepare(
          'INSERT INTO assessment_findings (assessment_id, kind, item_id) VALUES (@assessment_id, @kind, @item_id)',
        )
      : undefined;
    const write = db.transaction((b: Batch) => {
      for (const row of b.rows) insert.run(row);
      for (const f of b.findings) insertFinding?.run(f);
    });
    for await (const b of batches(count, hasFindings)) {
      write(b);
      findings += b.findings.length;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
  return { ms: performance.now() - t0, findings };
}

export async function seedPostgres(url: string, count: number, schema = 'public'): Promise<SeedResult> {
  const t0 = performance.now();
  await (await openPostgresStore(url, { schema, poolSize: 1 })).close();
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  let findings = 0;
  try {
    const hasFindings =
      (await client.query("SELECT to_regclass('assessment_findings') AS t")).rows[0]?.t != null;
    // Column types as the migrations made them, for the array casts below.
    const types = new Map(
      (
        await client.query<{ column_name: string; udt_name: string }>(
          `SELECT column_name, udt_name FROM information_schema.columns
           WHERE table_schema = $1 AND table_name = 'assessments'`,
          [schema],
        )
      ).rows.map((r) => [r.column_name, r.udt_name]),
    );
    // One statement per batch: every column travels as one array and unnest() zips them back into rows.
    const sql = `INSERT INTO assessments (${COLUMNS.join(', ')})
      SELECT * FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${types.get(c) ?? 'text'}[]`).join(', ')})`;
    const findingsSql = `INSERT INTO assessment_findings (assessment_id, kind, item_id)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`;
    await client.query('BEGIN');
    for await (const b of batches(count, hasFindings)) {
      await client.query(
        sql,
        COLUMNS.map((c) => b.rows.map((r) => r[c])),
      );
      if (hasFindings && b.findings.length > 0) {
        await client.query(findingsSql, [
          b.findings.map((f) => f.assessment_id),
          b.findings.map((f) => f.kind),
          b.findings.map((f) => f.item_id),
        ]);
        findings += b.findings.length;
      }
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return { ms: performance.now() - t0, findings };
}

async function main() {
  const { values } = parseArgs({
    options: {
      sqlite: { type: 'string' },
      postgres: { type: 'string' },
      schema: { type: 'string', default: 'public' },
      count: { type: 'string', default: '100000' },
    },
  });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 0) throw new Error('--count must be a whole number');
  if (values.sqlite) {
    const { ms, findings } = await seedSqlite(values.sqlite, count);
    console.log(
      `seeded ${count} assessments (${findings} findings) into ${values.sqlite} in ${Math.round(ms)} ms`,
    );
  } else if (values.postgres) {
    const { ms, findings } = await seedPostgres(values.postgres, count, values.schema);
    console.log(
      `seeded ${count} assessments (${findings} findings) into schema ${values.schema} in ${Math.round(ms)} ms`,
    );
  } else {
    console.error('usage: tsx bench/seed.ts --sqlite <path> | --postgres <url> [--schema s] [--count n]');
    process.exitCode = 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
