import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/store/checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function open(name: string) {
  const path = join(dir, name);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x BLOB)');
  return {
    path,
    db,
    insert: (n: number) =>
      db.transaction(() => {
        for (let i = 0; i < n; i++) db.prepare('INSERT INTO t VALUES (?)').run(randomBytes(2000));
      })(),
  };
}

describe('the WAL checkpointer', () => {
  it('takes checkpoints off the connection that commits, and still gets the log into the database', async () => {
    const { path, db, insert } = open('worker.db');
    const checkpointer = startCheckpointer(db, path, { everyMs: 20 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = size(path);
    insert(300); // about 600 kB, far past SQLite's own threshold of 1,000 pages
    // Only the worker can have copied the rows from the log into the database file.
    await until(() => size(path) > before + 500_000);
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(300);
    db.close();
  });

  it('restarts a log that has grown past its limit, and cuts it back on disk', async () => {
    const { path, db, insert } = open('guard.db');
    // The worker never runs here; only the size guard can restart the log.
    const checkpointer = startCheckpointer(db, path, {
      everyMs: 60_000,
      maxWalBytes: 100_000,
      sizeCheckMs: 20,
    });
    insert(300);
    expect(size(`${path}-wal`)).toBeGreaterThan(500_000);
    await until(() => {
      insert(1); // a write after the checkpoint restarts the log and truncates it to the limit
      return size(`${path}-wal`) <= 100_000;
    });
    await checkpointer.stop();
    db.close();
  });

  it('runs its own checkpoints alongside the worker without errors, and the log still restarts', async () => {
    const { path, db, insert } = open('both.db');
    const checkpointer = startCheckpointer(db, path, { everyMs: 10, maxWalBytes: 200_000, sizeCheckMs: 20 });
    insert(300);
    await until(() => {
      insert(20);
      return size(`${path}-wal`) <= 200_000;
    });
    await checkpointer.stop();
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBeGreaterThan(300);
    db.close();
  });
});
