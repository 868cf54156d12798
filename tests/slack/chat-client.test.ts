import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.js';
import { createChatClient, SlackApiError } from '../../src/slack/chat-client.js';

const token = ['xoxb', 'chat', 'client', 'test'].join('-');

interface Seen {
  method: string;
  auth?: string;
  type?: string;
  form: URLSearchParams;
}

/** A real HTTP server answering each request with the next scripted reply; records what it was sent. */
type Script = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server | undefined;
async function slack(...script: Script[]) {
  const seen: Seen[] = [];
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({
      method: (req.url ?? '').replace('/api/', ''),
      auth: req.headers.authorization,
      type: req.headers['content-type'],
      form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
    });
    (script.shift() ?? json(500, { ok: false, error: 'unscripted' }))(req, res);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const metrics = createMetrics();
  const options = {
    token,
    apiUrl: `http://127.0.0.1:${port}/api/`,
    metrics,
    minBackoffMs: 1,
    maxBackoffMs: 5,
  };
  return { seen, metrics, options, chat: createChatClient(options) };
}
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Script =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
const hangUp: Script = (req) => req.socket.destroy();
const silence: Script = () => {};

async function errorCount(metrics: ReturnType<typeof createMetrics>, error: string) {
  const { values } = await metrics.slackErrors.get();
  return values.filter((v) => v.labels.error === error).reduce((n, v) => n + v.value, 0);
}

describe('the lean chat client', () => {
  it('posts form-encoded arguments with the token as a Bearer header, objects as JSON', async () => {
    const { chat, seen } = await slack(json(200, { ok: true, channel: 'C1', ts: '1.000100' }));
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Ünïcode & = ?' } }];
    const result = await chat.postMessage({ channel: 'C1', text: 'hi', blocks, thread_ts: undefined });
    expect(result).toMatchObject({ ok: true, ts: '1.000100' });
    expect(seen).toHaveLength(1);
    const [call] = seen;
    expect(call?.method).toBe('chat.postMessage');
    expect(call?.auth).toBe(`Bearer ${token}`);
    expect(call?.type).toBe('application/x-www-form-urlencoded');
    expect(call?.form.get('channel')).toBe('C1');
    expect(call?.form.has('thread_ts')).toBe(false);
    expect(JSON.parse(call?.form.get('blocks') ?? '')).toEqual(blocks);
  });

  it('throws an error carrying Slack’s code for ok: false, counts it and does not retry', async () => {
    const { chat, seen, metrics } = await slack(json(200, { ok: false, error: 'message_not_found' }));
    const failure = await chat.update({ channel: 'C1', ts: '1.1', text: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SlackApiError);
    expect((failure as SlackApiError).data.error).toBe('message_not_found');
    expect((failure as Error).message).toContain('message_not_found');
    expect(seen.map((s) => s.method)).toEqual(['chat.update']);
    expect(await errorCount(metrics, 'message_not_found')).toBe(1);
  });

  it('waits out a 429 for its Retry-After and retries 5xx answers, then posts once', async () => {
    const { chat, seen, metrics } = await slack(
      json(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '1' }),
      json(503, { ok: false }),
      json(200, { ok: true, ts: '2.000200' }),
    );
    const started = Date.now();
    const result = await chat.postMessage({ channel: 'C1', text: 'hi' });
    expect(result.ts).toBe('2.000200');
    expect(seen).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await errorCount(metrics, 'http_429')).toBe(1);
    expect(await errorCount(metrics, 'http_503')).toBe(1);
  });

  it('gives up after its retries with the last failure', async () => {
    const failing = json(500, { ok: false });
    const { chat, seen, metrics } = await slack(failing, failing, failing, failing);
    await expect(chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'x' })).rejects.toThrow(/HTTP 500/);
    expect(seen).toHaveLength(4);
    expect(await errorCount(metrics, 'http_500')).toBe(4);
  });

  it('retries when the connection drops, and counts it as a network error', async () => {
    const { chat, seen, metrics } = await slack(hangUp, json(200, { ok: true, ts: '3.000300' }));
    expect((await chat.postMessage({ channel: 'C1', text: 'x' })).ts).toBe('3.000300');
    expect(seen).toHaveLength(2);
    expect(await errorCount(metrics, 'network')).toBe(1);
  });

  it('times out an attempt that gets no answer', async () => {
    const { options, metrics } = await slack(silence, silence);
    const chat = createChatClient({ ...options, timeoutMs: 50, retries: 1 });
    await expect(chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toThrow(/timed out/);
    expect(await errorCount(metrics, 'timeout')).toBe(2);
  });

  it('keeps connections alive instead of opening one per call', async () => {
    const ok = json(200, { ok: true, ts: '4.000400' });
    const { chat } = await slack(...Array.from({ length: 10 }, () => ok));
    const sockets = new Set<unknown>();
    server?.on('connection', (socket) => sockets.add(socket));
    for (let i = 0; i < 10; i++) await chat.postMessage({ channel: 'C1', text: `${i}` });
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});

describe('the chat client in OAuth mode', () => {
  const other = ['xoxb', 'other', 'workspace'].join('-');

  it('asks for the token of each call and names the workspace, as Bolt’s clients do', async () => {
    const { seen, options } = await slack(
      json(200, { ok: true, ts: '1.2' }),
      json(200, { ok: true, ts: '1.3' }),
    );
    let asked = 0;
    const chat = createChatClient({
      ...options,
      token: async () => {
        asked += 1;
        return { token: other, teamId: 'TOTHER' };
      },
    });
    await chat.postMessage({ channel: 'C1', text: 'hi' });
    // A call's own token wins, and so does its own team_id.
    await chat.postMessage({ channel: 'C1', text: 'hi', token, team_id: 'TMINE' } as never);
    expect(asked).toBe(1);
    expect(seen.map((s) => [s.auth, s.form.get('team_id')])).toEqual([
      [`Bearer ${other}`, 'TOTHER'],
      [`Bearer ${token}`, 'TMINE'],
    ]);
    expect(seen.every((s) => s.form.get('token') === null)).toBe(true);
  });

  it('fails a call whose workspace has no token without sending anything', async () => {
    const { seen, options } = await slack();
    const chat = createChatClient({
      ...options,
      token: () => {
        throw new Error('not installed');
      },
    });
    await expect(chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toThrow('not installed');
    expect(seen).toEqual([]);
  });
});
