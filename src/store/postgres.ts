import pg from 'pg';
import type { SaveResult } from '../advisor/ports/assessments.js';
import type { Session, SessionKey } from '../advisor/session.js';
import { type FieldCodec, PLAINTEXT } from './cipher.js';
import { Conflict, conflictOr } from './conflict.js';
import { scopedKey } from './keys.js';
import { postgresMigrations } from './migrations/postgres.js';
import { within } from './pg-transaction.js';
import { postgresDigest, writeFindings } from './postgres-digest.js';
import { postgresInstallations } from './postgres-installations.js';
import { postgresOutbox, queueParams, queueSql } from './postgres-outbox.js';
import { postgresUserData } from './postgres-user-data.js';
import { COLUMNS, fromRow, MUTABLE_COLUMNS, type SessionRow, type Store, toRow } from './store.js';

/** insertKeyed's undo: the key was claimed by a concurrent insert, so this one was rolled back. */
const isUndone = (error: unknown) => {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'processed_keys_pkey';
};

const keyParams = (session: Session, key: string) => [scopedKey(session.teamId, key), Date.now()];

/** Serialises migrations across replicas: 'k8s-advi' in ASCII, read as a bigint. */
const MIGRATION_LOCK = '7726051799498782313';

const M = MUTABLE_COLUMNS.length;
const C = COLUMNS.length;
const exists = (cte: string) => `EXISTS (SELECT 1 FROM ${cte})`;

function update(gate?: string) {
  return `UPDATE assessments SET ${MUTABLE_COLUMNS.map((c, i) => `${c} = $${i + 3}`).join(', ')},
    version = version + 1 WHERE id = $1 AND version = $2${gate ? ` AND ${exists(gate)}` : ''} RETURNING 1`;
}

const insert = `INSERT INTO assessments (${COLUMNS.join(', ')})
    VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING RETURNING 1`;

/**
 * A write is one statement: the state change, its idempotency key and the Slack calls it implies (the outbox)
 * as data-modifying CTEs, each gated on the one it belongs to, so they land together or not at all, in one round
 * trip. The texts do not depend on the number of calls, so each is prepared once per connection.
 */
const SQL = {
  // Live rows only: a restart archives a finished assessment beside the one that replaced it (migrations/history.ts).
  get: `SELECT * FROM assessments WHERE team_id = $1 AND channel_id = $2 AND thread_ts = $3 AND user_id = $4
    AND archived_at IS NULL`,
  getById: 'SELECT * FROM assessments WHERE id = $1',
  byThread: `SELECT * FROM assessments WHERE team_id = $1 AND channel_id = $2 AND thread_ts = $3
    AND archived_at IS NULL ORDER BY created_at`,
  archive: `UPDATE assessments SET archived_at = $1, version = version + 1
    WHERE id = $2 AND version = $3 AND archived_at IS NULL`,
  insertOne: insert,
  claim: 'INSERT INTO processed_keys (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
  // $1 = id, $2 = expected version, $3.. the mutable columns, then the outbox's arrays.
  save: `WITH updated AS (${update()}), queued AS (${queueSql(M + 3, 'updated')})
    SELECT CASE WHEN ${exists('updated')} THEN 'saved' ELSE 'conflict' END AS status`,
  // As save, with the key and the time before the outbox's arrays. The row is locked at the expected version
  // before the key is claimed, so a claimed key always comes with its change (the update cannot miss then), and a
  // stale version claims nothing. A key seen before is a duplicate whatever the version.
  saveKeyed: `WITH locked AS (SELECT 1 FROM assessments WHERE id = $1 AND version = $2 FOR UPDATE),
    claimed AS (INSERT INTO processed_keys (key, created_at) SELECT $${M + 3}::text, $${M + 4}::bigint FROM locked
      ON CONFLICT (key) DO NOTHING RETURNING 1),
    updated AS (${update('claimed')}),
    queued AS (${queueSql(M + 5, 'updated')})
    SELECT CASE WHEN ${exists('updated')} THEN 'saved'
      WHEN ${exists('locked')} OR EXISTS (SELECT 1 FROM processed_keys WHERE key = $${M + 3}::text) THEN 'duplicate'
      ELSE 'conflict' END AS status`,
  // The columns in order, then the outbox's arrays.
  insert: `WITH inserted AS (${insert}), queued AS (${queueSql(C + 1, 'inserted')})
    SELECT CASE WHEN ${exists('inserted')} THEN 'saved' ELSE 'conflict' END AS status`,
  // The columns, the key and the time, the outbox's arrays. A new assessment has no row to lock first, so when its
  // key turns out to be taken (a concurrent insert of the same key won), undo claims that key a second time:
  // the unique violation fails the whole statement, and the row inserted here goes with it.
  insertKeyed: `WITH inserted AS (${insert}),
    claimed AS (INSERT INTO processed_keys (key, created_at) SELECT $${C + 1}::text, $${C + 2}::bigint FROM inserted
      ON CONFLICT (key) DO NOTHING RETURNING 1),
    undo AS (INSERT INTO processed_keys (key, created_at) SELECT $${C + 1}::text, $${C + 2}::bigint FROM inserted
      WHERE NOT ${exists('claimed')}),
    queued AS (${queueSql(C + 3, 'claimed')})
    SELECT CASE WHEN ${exists('claimed')} THEN 'saved'
      WHEN EXISTS (SELECT 1 FROM processed_keys WHERE key = $${C + 1}::text) THEN 'duplicate'
      ELSE 'conflict' END AS status`,
};

type Status = SaveResult['status'];

export async function openPostgresStore(
  url: string,
  opts: { schema?: string; poolSize?: number; codec?: FieldCodec } = {},
): Promise<Store> {
  const schema = opts.schema ?? 'public';
  const codec = opts.codec ?? PLAINTEXT;
  // The name goes into SQL and a startup option unescaped, so only plain identifiers are accepted.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 20,
    // Set at connection startup, so every pooled connection sees the schema before its first query.
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection dropped by the server is replaced by the pool; without a listener it would crash the process.
  pool.on('error', () => {});

  const claimKey = async (db: pg.Pool | pg.PoolClient, teamId: string, key: string) =>
    (await db.query(SQL.claim, [scopedKey(teamId, key), Date.now()])).rowCount === 1;

  const outbox = postgresOutbox(pool, codec);

  const status = async (db: pg.Pool | pg.PoolClient, name: keyof typeof SQL, values: unknown[]) =>
    (await db.query<{ status: Status }>({ name: `assessments-${name}`, text: SQL[name], values })).rows[0]
      ?.status;

  const one = async (sql: string, params: string[]) => {
    const row = (await pool.query<SessionRow>(sql, params)).rows[0];
    return row && fromRow(row, codec);
  };

  const userData = postgresUserData(pool, codec, outbox.write);
  const installations = postgresInstallations(pool, codec);

  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }

  return {
    engine: 'postgres',
    claim: (key, teamId, calls) =>
      calls?.length ? outbox.store.enqueue(calls, { key, teamId }) : claimKey(pool, teamId, key),
    insert: async (session: Session, key, calls) => {
      const row = toRow(session, codec);
      const values = [
        ...COLUMNS.map((col) => row[col]),
        ...(key ? keyParams(session, key) : []),
        ...queueParams(codec, calls),
      ];
      if (!key) {
        const saved = (await status(pool, 'insert', values)) === 'saved';
        return saved ? { status: 'saved', session } : { status: 'conflict' };
      }
      try {
        const result = await status(pool, 'insertKeyed', values);
        if (result === 'saved') return { status: 'saved', session };
        return { status: result === 'duplicate' ? 'duplicate' : 'conflict' };
      } catch (error) {
        if (isUndone(error)) return { status: 'duplicate' };
        throw error;
      }
    },
    get: (k: SessionKey) => one(SQL.get, [k.teamId, k.channelId, k.threadTs, k.userId]),
    getById: (id) => one(SQL.getById, [id]),
    byThread: async (teamId, channelId, threadTs) =>
      (await pool.query<SessionRow>(SQL.byThread, [teamId, channelId, threadTs])).rows.map((r) =>
        fromRow(r, codec),
      ),
    save: async (session: Session, key, findings, calls) => {
      const row = toRow(session, codec);
      const values = [
        row.id,
        row.version,
        ...MUTABLE_COLUMNS.map((col) => row[col]),
        ...(key ? keyParams(session, key) : []),
        ...queueParams(codec, calls),
      ];
      const name = key ? 'saveKeyed' : 'save';
      const outcome = (result: Status | undefined): SaveResult =>
        result === 'saved'
          ? { status: 'saved', session: { ...session, version: session.version + 1 } }
          : { status: result === 'duplicate' ? 'duplicate' : 'conflict' };
      if (!findings) return outcome(await status(pool, name, values));
      // Findings change only when an assessment completes or leaves completion: a transaction for those.
      return within(pool, async (c) => {
        const result = outcome(await status(c, name, values));
        if (result.status === 'saved') await writeFindings(c, session.id, findings);
        return result;
      });
    },
    // Rare (a confirmed restart of a finished assessment), so a plain transaction rather than one statement.
    archive: (previous, next, key, calls) =>
      within(pool, async (c): Promise<SaveResult> => {
        if (key && !(await claimKey(c, next.teamId, key))) return { status: 'duplicate' };
        const archived = await c.query(SQL.archive, [next.createdAt, previous.id, previous.version]);
        if (archived.rowCount !== 1) throw new Conflict();
        const row = toRow(next, codec);
        const inserted = await c.query(
          SQL.insertOne,
          COLUMNS.map((col) => row[col]),
        );
        if (inserted.rowCount !== 1) throw new Conflict();
        await outbox.write(c, calls ?? []);
        return { status: 'saved', session: next };
      }).catch(conflictOr), // Rolled back, so the key stays unclaimed and a later retry can still apply.
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
    ...postgresDigest(pool, codec, outbox.write),
    ...userData,
    ...installations.store,
    ...outbox.store,
    // Installations are sealed with the same keys as the answers, so rotation covers both.
    keyIdsInUse: async () => [
      ...new Set([...(await userData.keyIdsInUse()), ...(await installations.keyIdsInUse())]),
    ],
    resealAnswers: async () => (await userData.resealAnswers()) + (await installations.reseal()),
  };
}

async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  await within(pool, async (c) => {
    // Held until commit: a second replica waits here, then finds the versions recorded and skips them.
    await c.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    // Checked first because CREATE SCHEMA IF NOT EXISTS still needs CREATE rights on the database.
    const { rowCount } = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (rowCount === 0) await c.query(`CREATE SCHEMA "${schema}"`);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const done = new Set(
      (await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const [i, sql] of postgresMigrations.entries()) {
      if (done.has(i + 1)) continue;
      await c.query(sql);
      await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        i + 1,
        Date.now(),
      ]);
    }
  });
}
