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
