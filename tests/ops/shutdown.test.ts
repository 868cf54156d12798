import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slashCommand } from '../../src/standin/payloads.js';
import { startSlackStandin } from '../../src/standin/server.js';
import { postSigned } from '../../src/standin/sign.js';
import { BUILT_DIR } from '../support/built.js';
import { spawnApp } from '../support/spawn.js';

let child: ChildProcess | undefined;
let group: number | undefined;
let packageCopy: string | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  if (group) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
    group = undefined;
  }
  if (packageCopy) rmSync(packageCopy, { recursive: true, force: true });
  packageCopy = undefined;
});

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the port. */
const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SIGTERM', () => {
  it('stops taking work, exits cleanly, and leaves what it owes in the outbox for the next start', async () => {
    const standin = await startSlackStandin();
    const secret = randomBytes(16).toString('hex');
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-shutdown',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: standin.url,
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'shutdown-')), 'db.sqlite')}`,
    };
    const started = await spawnApp(env);
    child = started.child;
    // The parent's post answers slowly, so it is still in flight when the signal arrives.
    standin.failNext('chat.postMessage', { delayMs: 1500, times: 2 });
    const res = await postSigned(`http://127.0.0.1:${started.port}/slack/events`, secret, {
      form: slashCommand({ teamId: 'T1', channelId: 'C1', userId: 'U1', text: '' }),
    });
    // Acknowledged: committed, with the calls it owes.
    expect(res.status).toBe(200);
    await standin.waitFor(() => standin.calls('chat.postMessage').length >= 1);
    child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    // The next start (or another replica) delivers what was left, each call once.
    const again = await spawnApp(env);
    child = again.child;
    const asked = () =>
      standin
        .messages('C1')
        .filter((m) => m.blocks?.some((b) => (b as { block_id?: string }).block_id === 'question:team'));
    await standin.waitFor(() => asked().length >= 1, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(asked()).toHaveLength(1);
    expect(standin.messages('C1').filter((m) => !m.thread_ts || m.thread_ts === m.ts)).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    await standin.close();
  }, 60_000);
});

describe('npm start', () => {
  it('passes SIGTERM on to the app, so stopping npm by its PID frees the port', {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    // The package's own start script, run by npm in a copy of the package around the bundle the tests built:
    // prestart would rebuild dist/ under any playground the developer has running (--ignore-scripts skips it).
    const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    packageCopy = dir;
    copyFileSync('package.json', join(dir, 'package.json'));
    // A copy, not a link: main.js starts only when it is the file Node was asked to run.
    cpSync(BUILT_DIR, join(dir, 'dist'), { recursive: true });
    for (const shared of ['node_modules', 'conversations'])
      symlinkSync(resolvePath(shared), join(dir, shared));
    // No Slack variables (and no .env there): the playground, as a fresh clone runs it.
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        PORT: String(port),
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
      // Its own process group, so that cleanup can end npm and whatever it started even when the test fails.
      detached: true,
    });
    group = npm.pid;
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    await until(() => answers(port), `npm start listens on ${port}`);

    npm.kill('SIGTERM');
    await exited;
    await until(async () => !(await answers(port)), `port ${port} is free again`, 15_000);
    // Free for good, not between two requests: a new server can take it.
    expect(
      await new Promise((resolve) => {
        const probe = createServer();
        probe.once('error', () => resolve(false));
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
      }),
    ).toBe(true);
  });
});
