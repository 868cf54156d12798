import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Finding } from '../advisor/findings.js';
import type { SaveResult } from '../advisor/ports/assessments.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { Session, SessionKey } from '../advisor/session.js';
import { startCheckpointer } from './checkpointer.js';
import { type FieldCodec, PLAINTEXT } from './cipher.js';
import { Conflict, conflictOr } from './conflict.js';
import { scopedKey } from './keys.js';
import { sqliteMigrations } from './migrations/sqlite.js';
import { sqliteDigest } from './sqlite-digest.js';
import { sqliteInstallations } from './sqlite-installations.js';
import { sqliteOutbox } from './sqlite-outbox.js';
import { sqliteUserData } from './sqlite-user-data.js';
import { COLUMNS, fromRow, MUTABLE_COLUMNS, type SessionRow, type Store, toRow } from './store.js';

// Live rows only: a restart archives a finished assessment beside the one that replaced it (migrations/history.ts).
const KEY_WHERE = 'team_id = ? AND channel_id = ? AND thread_ts = ? AND user_id = ? AND archived_at IS NULL';

export function openSqliteStore(path: string, opts: { codec?: FieldCodec } = {}): Store {
  const codec = opts.codec ?? PLAINTEXT;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Several processes may share the file (a playground restart, tests); wait for a lock instead of failing.
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  // SQLite's own default of 2 MB of page cache instead of the driver's 16: the file's pages stay in the OS
  // cache anyway, and the bench measured no difference in speed, only in resident memory.
  db.pragma('cache_size = -2000');
  migrate(db);
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(db, path);

  const stmt = {
    claim: db.prepare(
      'INSERT INTO processed_keys (key, created_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
    ),
    insert: db.prepare(
      `INSERT INTO assessments (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})
       ON CONFLICT DO NOTHING`,
    ),
    get: db.prepare<string[], SessionRow>(`SELECT * FROM assessments WHERE ${KEY_WHERE}`),
    getById: db.prepare<[string], SessionRow>('SELECT * FROM assessments WHERE id = ?'),
    byThread: db.prepare<string[], SessionRow>(
      `SELECT * FROM assessments WHERE team_id = ? AND channel_id = ? AND thread_ts = ? AND archived_at IS NULL
       ORDER BY created_at`,
    ),
    update: db.prepare(
      `UPDATE assessments SET ${MUTABLE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}, version = @version + 1
       WHERE id = @id AND version = @version`,
    ),
    archive: db.prepare(
      `UPDATE assessments SET archived_at = ?, version = version + 1
       WHERE id = ? AND version = ? AND archived_at IS NULL`,
    ),
  };

  const claimKey = (teamId: string, key: string) =>
    stmt.claim.run(scopedKey(teamId, key), Date.now()).changes === 1;
  const outbox = sqliteOutbox(db, codec, claimKey);
  const digest = sqliteDigest(db, codec, outbox.write);
  const userData = sqliteUserData(db, codec, outbox.write);
  const installations = sqliteInstallations(db, codec);

  // Each write is one transaction: the idempotency key and the state change land together or not at all.
  // The Slack calls a change implies (the outbox) commit with it too.
  const insertTx = db.transaction((session: Session, key?: string, calls?: Envelope[]): SaveResult => {
    if (key && !claimKey(session.teamId, key)) return { status: 'duplicate' };
    if (stmt.insert.run(toRow(session, codec)).changes !== 1) throw new Conflict();
    outbox.write(calls);
    return { status: 'saved', session };
  });
  const saveTx = db.transaction(
    (session: Session, key?: string, findings?: Finding[], calls?: Envelope[]): SaveResult => {
      if (key && !claimKey(session.teamId, key)) return { status: 'duplicate' };
      if (stmt.update.run(toRow(session, codec)).changes !== 1) throw new Conflict();
      if (findings) digest.writeFindings(session.id, findings);
      outbox.write(calls);
      return { status: 'saved', session: { ...session, version: session.version + 1 } };
    },
  );
  const archiveTx = db.transaction(
    (previous: Session, next: Session, key?: string, calls?: Envelope[]): SaveResult => {
      if (key && !claimKey(next.teamId, key)) return { status: 'duplicate' };
      if (stmt.archive.run(next.createdAt, previous.id, previous.version).changes !== 1) throw new Conflict();
      if (stmt.insert.run(toRow(next, codec)).changes !== 1) throw new Conflict();
      outbox.write(calls);
      return { status: 'saved', session: next };
    },
  );
  const claimTx = db.transaction((key: string, teamId: string, calls?: Envelope[]) => {
    if (!claimKey(teamId, key)) return false;
    outbox.write(calls);
    return true;
  });
  const guarded = (run: () => SaveResult): SaveResult => {
    try {
      return run();
    } catch (error) {
      // Rolled back, so the key stays unclaimed and a later retry can still apply.
      return conflictOr(error);
    }
  };

  return {
    engine: 'sqlite',
    claim: async (key, teamId, calls) => claimTx(key, teamId, calls),
    insert: async (session, key, calls) => guarded(() => insertTx(session, key, calls)),
    get: async (k: SessionKey) => {
      const row = stmt.get.get(k.teamId, k.channelId, k.threadTs, k.userId);
      return row && fromRow(row, codec);
    },
    getById: async (id) => {
      const row = stmt.getById.get(id);
      return row && fromRow(row, codec);
    },
    byThread: async (teamId, channelId, threadTs) =>
      stmt.byThread.all(teamId, channelId, threadTs).map((r) => fromRow(r, codec)),
    save: async (session, key, findings, calls) => guarded(() => saveTx(session, key, findings, calls)),
    archive: async (previous, next, key, calls) => guarded(() => archiveTx(previous, next, key, calls)),
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    close: async () => {
      await checkpointer?.stop();
      db.close();
    },
    ...digest.store,
    ...userData,
    ...installations.store,
    ...outbox.store,
    // Installations are sealed with the same keys as the answers, so rotation covers both.
    keyIdsInUse: async () => [
      ...new Set([...(await userData.keyIdsInUse()), ...installations.keyIdsInUse()]),
    ],
    resealAnswers: async () => (await userData.resealAnswers()) + installations.reseal(),
  };
}

function migrate(db: Database.Database) {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  // IMMEDIATE takes the write lock first, so two processes opening one file cannot both apply a migration.
  db.transaction(() => {
    const done = new Set(
      db
        .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
        .all()
        .map((r) => r.version),
    );
    sqliteMigrations.forEach((sql, i) => {
      if (done.has(i + 1)) return;
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(i + 1, Date.now());
    });
  }).immediate();
}
