import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { Keyring, keyId } from '../src/store/cipher.js';
import { built } from './support/built.js';

const noFile = '/nonexistent/.env';
const problems = (env: Record<string, string>, file = noFile) => {
  try {
    loadConfig(env, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('picks the playground with no Slack credentials, on loopback, with SQLite by default', () => {
    const c = loadConfig({}, noFile);
    expect(c).toMatchObject({
      mode: 'playground',
      port: 3000,
      host: '127.0.0.1',
      database: { engine: 'sqlite', path: './data/k8s-advisor.db' },
      logLevel: 'info',
    });
  });

  it('picks HTTP mode with a token and signing secret, and Socket Mode with an app token', () => {
    const http = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-a', SLACK_SIGNING_SECRET: 'abc123', PORT: '8080' },
      noFile,
    );
    expect(http).toMatchObject({ mode: 'http', port: 8080, host: '0.0.0.0' });
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-a', SLACK_APP_TOKEN: 'xapp-1-a' }, noFile);
    expect(socket.mode).toBe('socket');
  });

  it('serves metrics on METRICS_PORT, 9090 by default, and never on the Slack port', () => {
    const http = { SLACK_BOT_TOKEN: 'xoxb-a', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig(http, noFile)).toMatchObject({ port: 3000, metricsPort: 9090 });
    expect(loadConfig({ ...http, METRICS_PORT: '9400' }, noFile).metricsPort).toBe(9400);
    expect(loadConfig({ ...http, PORT: '0', METRICS_PORT: '0' }, noFile)).toMatchObject({
      port: 0,
      metricsPort: 0,
    });
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-a', SLACK_APP_TOKEN: 'xapp-1-a' }, noFile);
    expect(socket.metricsPort).toBe(9090);
    expect(problems({ ...http, PORT: '8080', METRICS_PORT: '8080' })).toEqual([
      'METRICS_PORT is the same as PORT (8080): metrics need a port of their own, such as 9090, so the Slack endpoint never exposes them',
    ]);
    expect(problems({ ...http, METRICS_PORT: 'ninety' })).toEqual([
      'METRICS_PORT must be a whole number from 0 to 65535, such as 9090',
    ]);
  });

  it('starts no metrics server for the playground unless METRICS_PORT asks for one', () => {
    expect(loadConfig({}, noFile).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9091' }, noFile).metricsPort).toBe(9091);
  });

  it('hands SLACK_API_URL on with a trailing slash, and reads DATABASE_URL', () => {
    const c = loadConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-a',
        SLACK_SIGNING_SECRET: 's',
        SLACK_API_URL: 'http://127.0.0.1:9999/api',
        DATABASE_URL: 'postgres://u@db:5432/advisor',
      },
      noFile,
    );
    expect(c.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c.database).toEqual({ engine: 'postgres', url: 'postgres://u@db:5432/advisor' });
  });

  it('names each bad variable and its fix, one line each, without echoing values', () => {
    const found = problems({
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_SIGNING_SECRET: 'has spaces in it',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
    });
    expect(found).toHaveLength(5);
    expect(found.join('\n')).toMatch(/SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
    expect(found.join('\n')).toMatch(/PORT must be a whole number/);
    expect(found.join('\n')).toMatch(/DATABASE_URL must be sqlite:<path>/);
    expect(found.join('\n')).not.toContain('xoxp-user-token-secret');
    expect(found.join('\n')).not.toContain('has spaces');
  });

  it('says what is missing for a half-configured mode', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-a' })).toEqual([
      'SLACK_SIGNING_SECRET is missing: HTTP mode needs it to verify Slack requests',
    ]);
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1' })[0]).toMatch(/SLACK_BOT_TOKEN is missing: Socket Mode/);
  });

  it('builds the keyring from ENCRYPTION_KEY (hex or base64) and ENCRYPTION_KEYS_OLD', () => {
    const [current, old1, old2] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const c = loadConfig(
      {
        ENCRYPTION_KEY: current.toString('base64'),
        ENCRYPTION_KEYS_OLD: ` ${old1.toString('hex')}, ${old2.toString('base64url')} `,
      },
      noFile,
    );
    expect(c.encryption).toBeInstanceOf(Keyring);
    expect(c.encryption?.keyIds).toEqual([keyId(current), keyId(old1), keyId(old2)]);
    expect(loadConfig({ ENCRYPTION_KEY: current.toString('hex') }, noFile).encryption?.currentKeyId).toBe(
      keyId(current),
    );
    expect(loadConfig({}, noFile).encryption).toBeUndefined();
  });

  it('refuses an encryption key of the wrong length in one line naming the variable and the fix', () => {
    const short = randomBytes(16).toString('base64');
    const found = problems({
      ENCRYPTION_KEY: short,
      ENCRYPTION_KEYS_OLD: `${randomBytes(32).toString('hex')},nope`,
    });
    expect(found).toEqual([
      'ENCRYPTION_KEY must be 32 random bytes as 64 hex characters or base64 (generate one with: openssl rand -base64 32)',
      'ENCRYPTION_KEYS_OLD must be earlier ENCRYPTION_KEY values separated by commas, each 64 hex characters or base64',
    ]);
    expect(found.join('\n')).not.toContain(short);
    expect(problems({ ENCRYPTION_KEYS_OLD: randomBytes(32).toString('hex') })).toEqual([
      'ENCRYPTION_KEYS_OLD is set without ENCRYPTION_KEY: set ENCRYPTION_KEY to the current key; old keys only decrypt',
    ]);
  });

  it('reads RETENTION_DAYS as a whole number of days, unset by default', () => {
    expect(loadConfig({ RETENTION_DAYS: '365' }, noFile).retentionDays).toBe(365);
    expect(loadConfig({}, noFile).retentionDays).toBeUndefined();
    for (const bad of ['0', '-3', '1.5', 'forever']) {
      expect(problems({ RETENTION_DAYS: bad })).toEqual([
        'RETENTION_DAYS must be a whole number of days above 0, such as 365 (or unset to keep assessments)',
      ]);
    }
  });

  it('reads ADMISSION_MAX_IN_FLIGHT and OUTBOX_CONCURRENCY as whole numbers above 0, unset by default', () => {
    const c = loadConfig({ ADMISSION_MAX_IN_FLIGHT: '32', OUTBOX_CONCURRENCY: '8' }, noFile);
    expect(c).toMatchObject({ maxInFlight: 32, outboxConcurrency: 8 });
    const defaults = loadConfig({}, noFile);
    expect(defaults.maxInFlight).toBeUndefined();
    expect(defaults.outboxConcurrency).toBeUndefined();
    for (const bad of ['0', '-1', '2.5', 'many']) {
      expect(problems({ ADMISSION_MAX_IN_FLIGHT: bad, OUTBOX_CONCURRENCY: bad })).toEqual([
        'ADMISSION_MAX_IN_FLIGHT must be a whole number of requests above 0, such as 64',
        'OUTBOX_CONCURRENCY must be a whole number of Slack calls above 0, such as 48',
      ]);
    }
  });

  it('reads DATABASE_POOL_SIZE for PostgreSQL as a whole number above 0, unset by default', () => {
    const url = 'postgres://app@db.internal:5432/advisor';
    expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '8' }, noFile).database).toEqual({
      engine: 'postgres',
      url,
      poolSize: 8,
    });
    expect(loadConfig({ DATABASE_URL: url }, noFile).database).toEqual({ engine: 'postgres', url });
    for (const bad of ['0', '-1', '2.5', 'many']) {
      expect(problems({ DATABASE_URL: url, DATABASE_POOL_SIZE: bad })).toEqual([
        'DATABASE_POOL_SIZE must be a whole number of PostgreSQL connections above 0, such as 20',
      ]);
    }
  });

  it('reads .env, lets the environment win, and names the file in problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_SIGNING_SECRET=s\nPORT=70000\n');
    expect(problems({}, file)[0]).toBe(
      `PORT (in ${file}) must be a whole number from 0 to 65535, such as 3000`,
    );
    expect(loadConfig({ PORT: '4000' }, file)).toMatchObject({
      mode: 'http',
      port: 4000,
      slack: { botToken: 'xoxb-from-file' },
    });
  });
});

describe('start-up with bad input', () => {
  const run = (env: Record<string, string>, cwd = process.cwd()) =>
    spawnSync(process.execPath, built('main'), {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('stops with the variable and the fix, and never prints the secret', () => {
    const r = run({ SLACK_BOT_TOKEN: 'xoxb-do-not-print-me', PORT: '3000' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SLACK_SIGNING_SECRET is missing');
    expect(r.stderr + r.stdout).not.toContain('do-not-print-me');
  });

  it('stops with the variable to change when the metrics port is taken', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'metrics-port-'));
      const r = run({
        SLACK_BOT_TOKEN: 'xoxb-a',
        SLACK_SIGNING_SECRET: 's',
        SLACK_API_URL: 'http://127.0.0.1:1/api/',
        HOST: '127.0.0.1',
        PORT: '0',
        METRICS_PORT: String(port),
        DATABASE_URL: `sqlite:${join(dir, 'a.db')}`,
        LOG_LEVEL: 'error',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`METRICS_PORT ${port} is already in use`);
    } finally {
      taken.close();
    }
  });

  it('stops on an encryption key of the wrong length, without printing it', () => {
    const key = randomBytes(24).toString('hex');
    const r = run({ SLACK_BOT_TOKEN: 'xoxb-a', SLACK_SIGNING_SECRET: 's', ENCRYPTION_KEY: key, PORT: '0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ENCRYPTION_KEY must be 32 random bytes');
    expect(r.stderr + r.stdout).not.toContain(key);
  });

  it('stops on a malformed DATABASE_URL in one line, without its password', () => {
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const r = run({
      SLACK_BOT_TOKEN: 'xoxb-a',
      SLACK_SIGNING_SECRET: 's',
      DATABASE_URL: `postgres://app:${password} with spaces@db host:5432/x`,
      PORT: '0',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DATABASE_URL is not a valid URL');
    expect(r.stderr + r.stdout).not.toContain(password);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops on an unreachable database in one clear line, without its password or a stack trace', () => {
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const r = run({
      SLACK_BOT_TOKEN: 'xoxb-a',
      SLACK_SIGNING_SECRET: 's',
      // Port 1 on loopback: nothing listens there.
      DATABASE_URL: `postgres://app:${password}@127.0.0.1:1/nowhere`,
      PORT: '0',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'DATABASE_URL: cannot use the database at 127.0.0.1:1/nowhere (ECONNREFUSED): nothing listens there; is PostgreSQL running, and is the port right?',
    ]);
    expect(r.stderr + r.stdout).not.toContain(password);
  });

  it('stops on a ?schema= that is not a plain identifier', () => {
    const r = run({
      SLACK_BOT_TOKEN: 'xoxb-a',
      SLACK_SIGNING_SECRET: 's',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test?schema=x%3Bdrop',
      PORT: '0',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DATABASE_URL ?schema= must be lower-case letters');
  });

  it('stops on a broken questionnaire naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conv-'));
    writeFileSync(join(dir, 'k8s-hosting.yml'), 'id: k8s-hosting\ntitle: x\n');
    const r = run({
      SLACK_BOT_TOKEN: 'xoxb-a',
      SLACK_SIGNING_SECRET: 's',
      CONVERSATIONS_DIR: dir,
      PORT: '0',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(join(dir, 'k8s-hosting.yml'));
    expect(r.stderr).toMatch(/questions: .*expected array/i);
  });
});

describe('OAuth mode configuration', () => {
  // Credentials made at run time.
  const oauth = () => ({
    SLACK_CLIENT_ID: `${Date.now()}.${randomBytes(4).readUInt32BE()}`,
    SLACK_CLIENT_SECRET: randomBytes(16).toString('hex'),
    SLACK_STATE_SECRET: randomBytes(32).toString('hex'),
    SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  const without = (env: Record<string, string>, ...names: string[]) =>
    Object.fromEntries(Object.entries(env).filter(([k]) => !names.includes(k)));

  it('serves many workspaces over HTTP with the three OAuth variables and no bot token', () => {
    const env = oauth();
    const c = loadConfig(
      { ...env, SLACK_REDIRECT_URI: 'https://advisor.example.com/slack/oauth_redirect' },
      noFile,
    );
    expect(c.mode).toBe('http');
    expect(c.slack.botToken).toBeUndefined();
    expect(c.oauth).toEqual({
      clientId: env.SLACK_CLIENT_ID,
      clientSecret: env.SLACK_CLIENT_SECRET,
      stateSecret: env.SLACK_STATE_SECRET,
      redirectUri: 'https://advisor.example.com/slack/oauth_redirect',
    });
    expect(c.encryption).toBeInstanceOf(Keyring);
    // Single-workspace mode is untouched by it.
    expect(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-a', SLACK_SIGNING_SECRET: 's' }, noFile).oauth,
    ).toBeUndefined();
  });

  it('names each missing variable of a half-configured OAuth mode, never a value', () => {
    const env = oauth();
    const missing = problems(without(env, 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'));
    expect(missing).toEqual([
      expect.stringMatching(
        /^SLACK_CLIENT_SECRET is missing: OAuth mode needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together/,
      ),
      expect.stringMatching(/^SLACK_STATE_SECRET is missing: /),
    ]);
    expect(problems(without(env, 'SLACK_CLIENT_ID'))).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_ID is missing/),
    ]);
    for (const line of missing) for (const value of Object.values(env)) expect(line).not.toContain(value);
  });

  it('refuses OAuth without ENCRYPTION_KEY or a signing secret, or beside a bot token or an app token', () => {
    const env = oauth();
    expect(problems(without(env, 'ENCRYPTION_KEY'))).toEqual([
      "ENCRYPTION_KEY is missing: OAuth mode stores every workspace's bot token and will not keep them unencrypted (generate one with: openssl rand -base64 32)",
    ]);
    expect(problems(without(env, 'SLACK_SIGNING_SECRET'))).toEqual([
      'SLACK_SIGNING_SECRET is missing: OAuth mode runs over HTTP and needs it to verify Slack requests',
    ]);
    expect(problems({ ...env, SLACK_BOT_TOKEN: 'xoxb-a' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN is set with the OAuth variables: pick one mode/),
    ]);
    expect(problems({ ...env, SLACK_APP_TOKEN: 'xapp-1-a' })).toEqual([
      expect.stringMatching(/^SLACK_APP_TOKEN is set with the OAuth variables: OAuth mode runs over HTTP/),
    ]);
  });

  it('checks SLACK_REDIRECT_URI, and refuses it outside OAuth mode', () => {
    expect(problems({ ...oauth(), SLACK_REDIRECT_URI: 'https://advisor.example.com/callback' })).toEqual([
      'SLACK_REDIRECT_URI must be the public URL of this app ending in /slack/oauth_redirect, as listed in the manifest',
    ]);
    expect(
      problems({
        SLACK_BOT_TOKEN: 'xoxb-a',
        SLACK_SIGNING_SECRET: 's',
        SLACK_REDIRECT_URI: 'https://advisor.example.com/slack/oauth_redirect',
      }),
    ).toEqual([
      'SLACK_REDIRECT_URI is set without SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET: it is only used by OAuth mode',
    ]);
  });

  it('stops a built app in OAuth mode without ENCRYPTION_KEY before it listens', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, built('main'), {
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
    const r = run({ ...without(oauth(), 'ENCRYPTION_KEY'), PORT: '0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ENCRYPTION_KEY is missing: OAuth mode stores every workspace');
  });
});
