import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keyring } from '../../src/store/cipher.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { built } from '../support/built.js';
import { channel, done } from '../support/digest.js';

const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, built('reencrypt'), {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });

describe('npm run reencrypt', () => {
  it('moves rows from an old key (and plaintext) to the current one, and says how many', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'reencrypt-')), 'db.sqlite');
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const s = done({
      ...channel(),
      answers: { team: { kind: 'option', optionId: 'small' } },
      order: ['team'],
    });
    const before = openSqliteStore(path, { codec: new Keyring(oldKey) });
    await before.insert(s);
    await before.insert({ ...s, ...channel(), id: 'plain' });
    await before.close();
    const plain = openSqliteStore(path);
    await plain.insert({ ...s, ...channel(), id: 'plain2' });
    await plain.close();

    const env = {
      DATABASE_URL: `sqlite:${path}`,
      ENCRYPTION_KEY: newKey.toString('base64'),
      ENCRYPTION_KEYS_OLD: oldKey.toString('hex'),
    };
    const r = run(env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Re-encrypted 3 records');
    expect(r.stdout + r.stderr).not.toContain(newKey.toString('base64'));
    const after = openSqliteStore(path, { codec: new Keyring(newKey) });
    expect(await after.getById(s.id)).toEqual(s);
    await after.close();
    expect(run(env).stdout).toContain('Re-encrypted 0 records');
  });

  it('refuses to run without ENCRYPTION_KEY', () => {
    const r = run({ DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'reencrypt-')), 'db.sqlite')}` });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ENCRYPTION_KEY is not set');
  });
});
