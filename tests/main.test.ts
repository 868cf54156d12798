import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SlackStandin, startSlackStandin } from '../src/standin/server.js';
import { Keyring, keyId } from '../src/store/cipher.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { channel, done } from './support/digest.js';
import { spawnApp } from './support/spawn.js';

let standin: SlackStandin;
let child: ChildProcess | undefined;
beforeAll(async () => {
  standin = await startSlackStandin();
});
afterAll(() => standin.close());
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

const WARNING = 'ENCRYPTION_KEY is not set: assessment answers, a security posture, are stored unencrypted';

/** Starts the app as `npm start` would, in HTTP mode, and returns its output once it listens. */
async function startWith(extra: Record<string, string>) {
  const app = await spawnApp({
    SLACK_BOT_TOKEN: 'xoxb-startup',
    SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
    SLACK_API_URL: standin.url,
    DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'startup-')), 'db.sqlite')}`,
    ...extra,
  });
  child = app.child;
  return app.output();
}

describe('start-up in production mode', () => {
  it('warns, as a pino warning line, that answers are stored unencrypted without ENCRYPTION_KEY', async () => {
    const output = await startWith({});
    const line = output.split('\n').find((l) => l.includes(WARNING));
    expect(line).toBeDefined();
    expect(JSON.parse(line as string)).toMatchObject({ level: 'warn' });
  });

  it('refuses to start when stored answers use a key it was not given, naming the fix, not the key', async () => {
    const [written, other] = [randomBytes(32), randomBytes(32)];
    const path = join(mkdtempSync(join(tmpdir(), 'startup-')), 'db.sqlite');
    const store = openSqliteStore(path, { codec: new Keyring(written) });
    await store.insert(done({ ...channel(), answers: { team: { kind: 'option', optionId: 'small' } } }));
    await store.close();
    const started = startWith({ DATABASE_URL: `sqlite:${path}`, ENCRYPTION_KEY: other.toString('base64') });
    const error = await started.then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(error).toContain(`stored answers are encrypted with key ${keyId(written)}`);
    expect(error).toContain('add the key they were written with to ENCRYPTION_KEYS_OLD');
    for (const k of [written, other]) expect(error).not.toContain(k.toString('base64'));
  });

  it('does not warn with a key, and never prints the key', async () => {
    const key = randomBytes(32).toString('base64');
    const output = await startWith({ ENCRYPTION_KEY: key });
    expect(output).not.toContain('ENCRYPTION_KEY is not set');
    expect(output).not.toContain(key);
  });
});
