import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

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
    spawnSync(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src/main.ts')], {
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
