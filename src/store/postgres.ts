import pg from 'pg';
import type { SaveResult } from '../advisor/ports/assessments.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { Session, SessionKey } from '../advisor/session.js';
import { type FieldCodec, PLAINTEXT } from './cipher.js';
import { Conflict, conflictOr } from './conflict.js';
import { scopedKey } from './keys.js';
import { postgresMigrations } from './migrations/postgres.js';
import { within } from './pg-transaction.js';
import { postgresDigest, writeFindings } from './postgres-digest.js';
import { postgresInstallations } from './postgres-installations.js';
import { postgresOutbox } from './postgres-outbox.js';
import { postgresUserData } from './postgres-user-data.js';
import { COLUMNS, fromRow, MUTABLE_COLUMNS, type SessionRow, type Store, toRow } from './store.js';

/** Serialises migrations across replicas: 'k8s-advi' in ASCII, read as a bigint. */
const MIGRATION_LOCK = '7726051799498782313';

const SQL = {
  claim: 'INSERT INTO processed_keys (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
  insert: `INSERT INTO assessments (${COLUMNS.join(', ')})
    VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`,
  // Live rows only: a restart archives a finished assessment beside the one that replaced it (migrations/history.ts).
  get: `SELECT * FROM assessments WHERE team_id = $1 AND channel_id = $2 AND thread_ts = $3 AND user_id = $4
    AND archived_at IS NULL`,
  getById: 'SELECT * FROM assessments WHERE id = $1',
  byThread: `SELECT * FROM assessments WHERE team_id = $1 AND channel_id = $2 AND thread_ts = $3
    AND archived_at IS NULL ORDER BY created_at`,
  // $1 = id, $2 = expected version, then the mutable columns in order.
  update: `UPDATE assessments SET ${MUTABLE_COLUMNS.map((c, i) => `${c} = $${i + 3}`).join(', ')},
    version = version + 1 WHERE id = $1 AND version = $2`,
  archive: `UPDATE assessments SET archived_at = $1, version = version + 1
    WHERE id = $2 AND version = $3 AND archived_at IS NULL`,
};

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
    max: opts.poolSize ?? 10,
    // Set at connection startup, so every pooled connection sees the schema before its first query.
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection dropped by the server is replaced by the pool; without a listener it would crash the process.
  pool.on('error', () => {});

  const claimKey = async (db: pg.Pool | pg.PoolClient, teamId: string, key: string) =>
    (await db.query(SQL.claim, [scopedKey(teamId, key), Date.now()])).rowCount === 1;

  const outbox = postgresOutbox(pool, codec);

  // Each write is one transaction: the idempotency key, the state change and the Slack calls it implies (the
  // outbox) land together or not at all.
  const write = (
    session: Session,
    key: string | undefined,
    calls: Envelope[] | undefined,
    apply: (c: pg.PoolClient) => Promise<SaveResult>,
  ) =>
    within(pool, async (c): Promise<SaveResult> => {
      if (key && !(await claimKey(c, session.teamId, key))) return { status: 'duplicate' };
      const result = await apply(c);
      await outbox.write(c, calls);
      return result;
    }).catch(conflictOr); // Rolled back, so the key stays unclaimed and a later retry can still apply.

  const one = async (sql: string, params: string[]) => {
    const row = (await pool.query<SessionRow>(sql, params)).rows[0];
    return row && fromRow(row, codec);
  };

  const userData = postgresUserData(pool, codec);
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
    insert: (session: Session, key, calls) =>
      write(session, key, calls, async (c) => {
        const row = toRow(session, codec);
        const { rowCount } = await c.query(
          SQL.insert,
          COLUMNS.map((col) => row[col]),
        );
        if (rowCount !== 1) throw new Conflict();
        return { status: 'saved', session };
      }),
    get: (k: SessionKey) => one(SQL.get, [k.teamId, k.channelId, k.threadTs, k.userId]),
    getById: (id) => one(SQL.getById, [id]),
    byThread: async (teamId, channelId, threadTs) =>
      (await pool.query<SessionRow>(SQL.byThread, [teamId, channelId, threadTs])).rows.map((r) =>
        fromRow(r, codec),
      ),
    save: (session: Session, key, findings, calls) =>
      write(session, key, calls, async (c) => {
        const row = toRow(session, codec);
        const { rowCount } = await c.query(SQL.update, [
          row.id,
          row.version,
          ...MUTABLE_COLUMNS.map((col) => row[col]),
        ]);
        if (rowCount !== 1) throw new Conflict();
        if (findings) await writeFindings(c, session.id, findings);
        return { status: 'saved', session: { ...session, version: session.version + 1 } };
      }),
    archive: (previous, next, key, calls) =>
      write(next, key, calls, async (c) => {
        const archived = await c.query(SQL.archive, [next.createdAt, previous.id, previous.version]);
        if (archived.rowCount !== 1) throw new Conflict();
        const row = toRow(next, codec);
        const { rowCount } = await c.query(
          SQL.insert,
          COLUMNS.map((col) => row[col]),
        );
        if (rowCount !== 1) throw new Conflict();
        return { status: 'saved', session: next };
      }),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
    ...postgresDigest(pool, codec),
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
