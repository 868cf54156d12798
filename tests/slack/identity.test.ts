import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { whoAmI } from '../../src/slack/identity.js';
import { startSlackStandin } from '../../src/standin/server.js';

const token = ['xoxb', 'identity', 'test'].join('-');
const log = createLogger('silent');
let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function answering(body: unknown): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
}

describe('asking Slack who the bot is before starting', () => {
  it('returns the bot user and bot ids Slack gives', async () => {
    const standin = await startSlackStandin();
    close = () => standin.close();
    const me = await whoAmI(token, standin.url, log);
    expect(me.botUserId).toMatch(/^U/);
    expect(me.botId).toMatch(/^B/);
  });

  it('stops with a clear message when Slack refuses the token, without retrying or printing it', async () => {
    const url = await answering({ ok: false, error: 'invalid_auth' });
    const error = await whoAmI(token, url, log, { attempts: 5, firstDelayMs: 10_000 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('SLACK_BOT_TOKEN was refused by Slack (invalid_auth)');
    expect((error as Error).message).not.toContain(token);
  });

  it('retries while Slack cannot be reached, then stops naming where it looked', async () => {
    const url = await answering({ ok: true });
    await close?.(); // nothing listens there now
    close = undefined;
    const started = Date.now();
    const error = await whoAmI(token, url, log, { attempts: 3, firstDelayMs: 20 }).catch((e: Error) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60); // waited 20 + 40 ms between attempts
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`cannot reach Slack's Web API at ${url}`);
    expect((error as Error).message).toContain('after 3 attempts');
  });
});
