import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slashCommand } from '../../src/standin/payloads.js';
import { startSlackStandin } from '../../src/standin/server.js';
import { postSigned } from '../../src/standin/sign.js';
import { spawnApp } from '../support/spawn.js';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
});

describe('SIGTERM', () => {
  it('lets work already acked finish, then exits cleanly', async () => {
    const standin = await startSlackStandin();
    const secret = randomBytes(16).toString('hex');
    const started = await spawnApp({
      SLACK_BOT_TOKEN: 'xoxb-shutdown',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: standin.url,
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'shutdown-')), 'db.sqlite')}`,
    });
    child = started.child;
    const { exited } = started;
    // The first question's post answers slowly, so it is still in flight when the signal arrives.
    standin.failNext('chat.postMessage', { delayMs: 1500, times: 2 });
    const res = await postSigned(`http://127.0.0.1:${started.port}/slack/events`, secret, {
      form: slashCommand({ teamId: 'T1', channelId: 'C1', userId: 'U1', text: '' }),
    });
    expect(res.status).toBe(200);
    await standin.waitFor(() => standin.calls('chat.postMessage').length >= 1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const thread = standin.messages('C1');
    expect(
      thread.some((m) => m.blocks?.some((b) => (b as { block_id?: string }).block_id === 'question:team')),
    ).toBe(true);
    await standin.close();
  });
});
