import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned, signRequest } from '../../src/standin/sign.js';

describe('signRequest', () => {
  it('matches an HMAC computed by hand (openssl dgst -sha256 -hmac)', () => {
    // printf 'v0:1700000000:command=%2Fk8s-advisor&text=hello' | openssl dgst -sha256 -hmac 'test-signing-secret'
    expect(signRequest('test-signing-secret', 'command=%2Fk8s-advisor&text=hello', 1_700_000_000)).toEqual({
      'x-slack-signature': 'v0=ab22ad5bc78ee858caf7b83120fbff98b70cdcef618fcc14ed0953ed835ce7f6',
      'x-slack-request-timestamp': '1700000000',
    });
  });

  it('defaults the timestamp to now', () => {
    const now = Math.floor(Date.now() / 1000);
    const ts = Number(signRequest('s', 'b')['x-slack-request-timestamp']);
    expect(Math.abs(ts - now)).toBeLessThanOrEqual(1);
  });
});

describe('postSigned', () => {
  let seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  let url = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.writeHead(201).end('done');
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('signs exactly the bytes it sends, for form and JSON bodies', async () => {
    seen = [];
    const form = await postSigned(
      url,
      'sec',
      { form: { command: '/k8s-advisor', text: 'a b&c' } },
      { 'x-extra': '1' },
    );
    expect(form).toEqual({ status: 201, text: 'done' });
    await postSigned(url, 'sec', { json: { type: 'event_callback' } });
    const [f, j] = seen;
    expect(f?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(f?.headers['x-extra']).toBe('1');
    expect(j?.headers['content-type']).toBe('application/json');
    expect(j?.body).toBe('{"type":"event_callback"}');
    for (const s of seen) {
      const ts = Number(s.headers['x-slack-request-timestamp']);
      expect(s.headers['x-slack-signature']).toBe(signRequest('sec', s.body, ts)['x-slack-signature']);
    }
  });
});
