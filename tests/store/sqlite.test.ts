import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteMigrations } from '../../src/store/migrations/sqlite.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { storeContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = join(dir, 'contract.db');
storeContract('sqlite', async () => openSqliteStore(file));

describe('sqlite migrations', () => {
  it('apply once when the same file is opened twice', async () => {
    const path = join(dir, 'twice.db');
    const first = openSqliteStore(path);
    expect(await first.claim('k')).toBe(true);
    // A second handle while the first is still open, as a restarting process would have.
    const second = openSqliteStore(path);
    expect(await second.claim('k')).toBe(false);
    await first.close();
    await second.close();

    const db = new Database(path, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    db.close();
    expect(versions).toEqual(sqliteMigrations.map((_, i) => i + 1));
  });
});
