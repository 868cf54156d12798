import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createDigestService } from '../../src/digest/service.js';
import { sqliteMigrations } from '../../src/store/migrations/sqlite.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { channel, done, T0 } from '../support/digest.js';
import { questionnaire } from '../support/questionnaire.js';
import { freshSession } from '../support/session.js';
import { storeContract } from './contract.js';
import { installationContract } from './installation-contract.js';
import { outboxContract } from './outbox-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = join(dir, 'contract.db');
storeContract('sqlite', async () => openSqliteStore(file));
// A file of its own: its last case rotates the key of everything in it.
const installations = join(dir, 'installations.db');
installationContract('sqlite', async (codec) => openSqliteStore(installations, codec ? { codec } : {}));
// A file per test: a lease takes the heads of every lane in the database.
let places = 0;
outboxContract('sqlite', () => {
  const path = join(dir, `outbox-${++places}.db`);
  return {
    open: async (codec) => openSqliteStore(path, codec ? { codec } : {}),
    rows: async (table) => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
  };
});

describe('sqlite migrations', () => {
  it('apply once when the same file is opened twice', async () => {
    const path = join(dir, 'twice.db');
    const first = openSqliteStore(path);
    expect(await first.claim('k', 'T1')).toBe(true);
    // A second handle while the first is still open, as a restarting process would have.
    const second = openSqliteStore(path);
    expect(await second.claim('k', 'T1')).toBe(false);
    await first.close();
    await second.close();

    const db = new Database(path, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    db.close();
    expect(versions).toEqual(sqliteMigrations.map((_, i) => i + 1));
  });

  it('upgrade to 12 rebuilds assessments: rows, rowid order and indexes kept, one live row per thread and person', async () => {
    const path = join(dir, 'history.db');
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    sqliteMigrations.slice(0, 11).forEach((sql, i) => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(i + 1, 0);
    });
    const indexes = () =>
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'assessments' AND sql IS NOT NULL",
        )
        .pluck()
        .all();
    const before = indexes();
    db.close();
    // Written by the store as it stood at 11 (archived_at is ignored there, as a column it did not have).
    const old = [freshSession({ createdAt: T0 }), freshSession({ createdAt: T0 + 1 })];
    const legacy = new Database(path);
    for (const s of old) {
      legacy
        .prepare(
          `INSERT INTO assessments (id, team_id, channel_id, thread_ts, user_id, questionnaire_id, status, answers,
             answer_order, restarts, version, created_at, updated_at, questionnaire_version)
           VALUES (?, ?, ?, ?, ?, ?, 'active', '{}', '[]', 0, 0, ?, ?, 2)`,
        )
        .run(s.id, s.teamId, s.channelId, s.threadTs, s.userId, s.questionnaireId, s.createdAt, s.updatedAt);
    }
    legacy.close();

    const store = openSqliteStore(path);
    for (const s of old) expect(await store.get(s)).toEqual(s);
    expect(await store.insert({ ...freshSession(), ...where(old[0]) })).toEqual({ status: 'conflict' });
    await store.close();
    const after = new Database(path, { readonly: true });
    const names = after
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'assessments' AND sql IS NOT NULL",
      )
      .pluck()
      .all();
    const ids = after.prepare('SELECT id FROM assessments ORDER BY rowid').pluck().all();
    after.close();
    expect(names).toEqual(expect.arrayContaining([...before, 'assessments_live']));
    expect(ids).toEqual(old.map((s) => s.id));
  });

  it('upgrade to 6 leaves the findings backfill to do when an assessment lacks findings, and it is done once', async () => {
    const path = join(dir, 'upgrade.db');
    const before = openSqliteStore(path);
    const s = done({
      ...channel(),
      answers: { team: { kind: 'option', optionId: 'small' } },
      order: ['team'],
      outcome: 'managed',
      completedAt: T0,
    });
    await before.insert(s); // completed, and no findings: as saved before findings existed
    await before.close();
    // Back to the schema before migration 6, which then runs again on the next open.
    const db = new Database(path);
    db.exec('DROP TABLE app_state; DELETE FROM schema_migrations WHERE version = 6;');
    db.close();

    const store = openSqliteStore(path);
    expect(await store.findingsBackfilled()).toBe(false);
    const digests = createDigestService({ store, questionnaire, idleMs: 86_400_000 });
    expect(await digests.backfillFindings()).toBe(1);
    expect(await store.findingsBackfilled()).toBe(true);
    expect(await store.completedWithoutFindings(10)).toEqual([]);
    expect(await digests.backfillFindings()).toBe(0);
    await store.close();
  });
});

const where = (s: { teamId: string; channelId: string; threadTs: string; userId: string } | undefined) => ({
  teamId: s?.teamId ?? '',
  channelId: s?.channelId ?? '',
  threadTs: s?.threadTs ?? '',
  userId: s?.userId ?? '',
});
