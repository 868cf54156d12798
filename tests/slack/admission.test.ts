import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Admission, type AdmissionOptions, type ShedReason } from '../../src/slack/admission.js';
import { gateSlackRequests } from '../../src/slack/request-gate.js';

/** What the gate told its observer. */
function recorder() {
  const seen = { admitted: [] as boolean[], shed: [] as ShedReason[] };
  return {
    seen,
    observer: { admitted: (w: boolean) => seen.admitted.push(w), shed: (r: ShedReason) => seen.shed.push(r) },
  };
}

/** A request the handler is holding: answered 200 when released. */
interface Held {
  id: string;
  res: ServerResponse;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(server: Server) {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A real server whose every request goes through the gate to a handler that holds it until released. */
async function gated(options: AdmissionOptions) {
  const { seen, observer } = recorder();
  const admission = new Admission({ ...options, observer });
  const held: Held[] = [];
  const entered: string[] = [];
  let maxInProcess = 0;
  let maxWaiting = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) =>
    admission.admit(req, res, () => {
      const id = String(req.headers['x-id']);
      entered.push(id);
      maxInProcess = Math.max(maxInProcess, admission.inProcess);
      maxWaiting = Math.max(maxWaiting, admission.waiting);
      held.push({ id, res });
    }),
  );
  const url = await listen(server);
  const release = (id: string) => {
    const i = held.findIndex((h) => h.id === id);
    const [h] = held.splice(i, 1);
    if (!h) throw new Error(`${id} is not held`);
    h.res.writeHead(200).end(`ok ${id}`);
  };
  return {
    admission,
    seen,
    held,
    entered,
    url,
    release,
    bounds: () => ({ maxInProcess, maxWaiting }),
  };
}

const post = (url: string, id: string, init: RequestInit = {}) =>
  fetch(url, { method: 'POST', headers: { 'x-id': id }, body: `body of ${id}`, ...init }).then(async (r) => ({
    id,
    status: r.status,
    retryAfter: r.headers.get('retry-after'),
    noRetry: r.headers.get('x-slack-no-retry'),
    text: await r.text(),
  }));

/** Polls until `cond` holds; generous, since it returns as soon as it does. */
async function until(cond: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Admission', () => {
  it('lets at most maxInFlight requests in at once, and the waiting ones in as slots free, in arrival order', async () => {
    const g = await gated({ maxInFlight: 2, maxQueued: 10, maxWaitMs: 10_000 });
    const answers: Promise<Awaited<ReturnType<typeof post>>>[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(post(g.url, `r${i}`));
      // One at a time, so the order they arrive in is known.
      await until(() => g.admission.inProcess + g.admission.waiting === i + 1);
    }
    expect(g.entered).toEqual(['r0', 'r1']);
    expect(g.admission.waiting).toBe(3);
    g.release('r0');
    await until(() => g.entered.length === 3);
    expect(g.entered.at(-1)).toBe('r2');
    g.release('r1');
    g.release('r2');
    await until(() => g.entered.length === 5);
    g.release('r3');
    g.release('r4');
    const done = await Promise.all(answers);
    expect(done.map((a) => [a.id, a.status])).toEqual([0, 1, 2, 3, 4].map((i) => [`r${i}`, 200]));
    expect(g.entered).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(g.bounds().maxInProcess).toBe(2);
    expect(g.seen.admitted).toEqual([false, false, true, true, true]);
    expect(g.seen.shed).toEqual([]);
    await until(() => g.admission.inProcess === 0);
  });

  it('admits only a few while delivery is behind, and the waiting ones once it catches up', async () => {
    let behind = true;
    const g = await gated({
      maxInFlight: 4,
      pressedInFlight: 1,
      maxQueued: 10,
      maxWaitMs: 10_000,
      behind: () => behind,
    });
    const answers = ['a', 'b', 'c'].map((id) => post(g.url, id));
    await until(() => g.admission.inProcess + g.admission.waiting === 3);
    expect(g.entered).toHaveLength(1);
    g.release(g.entered[0] as string);
    await until(() => g.entered.length === 2);
    // Still behind: the freed slot goes to one waiting request, not to all of them.
    await new Promise((r) => setTimeout(r, 100));
    expect(g.entered).toHaveLength(2);
    behind = false;
    await until(() => g.entered.length === 3);
    for (const id of g.entered.slice(1)) g.release(id);
    expect((await Promise.all(answers)).every((a) => a.status === 200)).toBe(true);
  });

  it('answers 503 with Retry-After at once when the line is full, leaving Slack free to retry', async () => {
    const g = await gated({ maxInFlight: 1, maxQueued: 2, maxWaitMs: 10_000 });
    const first = post(g.url, 'held');
    await until(() => g.held.length === 1);
    const waiting = [post(g.url, 'w1'), post(g.url, 'w2')];
    await until(() => g.admission.waiting === 2);
    const turnedAway = await Promise.all([post(g.url, 'x1'), post(g.url, 'x2'), post(g.url, 'x3')]);
    // Answered while the first request is still held and the line still full: nobody waited for a slot.
    expect(g.held.map((h) => h.id)).toEqual(['held']);
    expect(g.admission.waiting).toBe(2);
    for (const a of turnedAway) {
      expect(a.status).toBe(503);
      expect(a.retryAfter).toBe('1');
      expect(a.noRetry).toBeNull();
    }
    expect(g.seen.shed).toEqual(['queue_full', 'queue_full', 'queue_full']);
    g.release('held');
    await until(() => g.held.length === 1);
    g.release('w1');
    await until(() => g.held.length === 1 && g.held[0]?.id === 'w2');
    g.release('w2');
    expect((await Promise.all([first, ...waiting])).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(g.entered).toEqual(['held', 'w1', 'w2']);
  });

  it('turns a request away with a 503 once it has waited maxWaitMs, and forgets it', async () => {
    const g = await gated({ maxInFlight: 1, maxQueued: 4, maxWaitMs: 100 });
    const first = post(g.url, 'held');
    await until(() => g.held.length === 1);
    const started = performance.now();
    const late = await post(g.url, 'late');
    const waited = performance.now() - started;
    expect(late).toMatchObject({ status: 503, retryAfter: '1', noRetry: null });
    expect(waited).toBeGreaterThanOrEqual(90);
    expect(waited).toBeLessThan(5_000);
    expect(g.seen.shed).toEqual(['wait_timeout']);
    expect(g.admission.waiting).toBe(0);
    g.release('held');
    expect((await first).status).toBe(200);
    expect(g.entered).toEqual(['held']);
  });

  it('gives the place of a waiting request whose client went away to the next one', async () => {
    const g = await gated({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 10_000 });
    const first = post(g.url, 'held');
    await until(() => g.held.length === 1);
    const abort = new AbortController();
    const gone = post(g.url, 'gone', { signal: abort.signal }).catch((e: Error) => e.name);
    await until(() => g.admission.waiting === 1);
    abort.abort();
    expect(await gone).toBe('AbortError');
    await until(() => g.admission.waiting === 0);
    const next = post(g.url, 'next');
    await until(() => g.admission.waiting === 1);
    expect(g.seen.shed).toEqual([]);
    g.release('held');
    await until(() => g.held.length === 1);
    g.release('next');
    expect((await first).status).toBe(200);
    expect((await next).status).toBe(200);
    expect(g.entered).toEqual(['held', 'next']);
  });

  it('frees the slots of pipelined requests when their connection closes before their turn', async () => {
    const g = await gated({ maxInFlight: 4, maxQueued: 4, maxWaitMs: 10_000 });
    const socket = connect(Number(new URL(g.url).port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const one = (id: string) => `POST / HTTP/1.1\r\nHost: x\r\nX-Id: ${id}\r\nContent-Length: 2\r\n\r\n{}`;
    socket.write(one('p1') + one('p2') + one('p3') + one('p4') + one('p5'));
    await until(() => g.admission.inProcess === 4 && g.admission.waiting === 1);
    socket.destroy();
    await until(() => g.admission.inProcess === 0 && g.admission.waiting === 0);
    expect(g.entered).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('keeps one close listener per connection, however many requests it carries', async () => {
    const admission = new Admission({ maxInFlight: 2 });
    const listeners: number[] = [];
    const server = createServer((req, res) =>
      admission.admit(req, res, () => {
        listeners.push(req.socket.listenerCount('close'));
        res.writeHead(200).end();
      }),
    );
    const url = await listen(server);
    // Sequential requests over one kept-alive connection.
    for (let i = 0; i < 30; i++) expect((await post(url, `k${i}`)).status).toBe(200);
    expect(Math.max(...listeners) - Math.min(...listeners)).toBe(0);
  });

  it('never holds more than its bounds under a flood, and answers every request 200 or 503', async () => {
    const g = await gated({ maxInFlight: 3, maxQueued: 6, maxWaitMs: 200 });
    // Each request held for a short while, as a handler committing to a database would.
    const releaser = setInterval(() => {
      for (const h of g.held.splice(0, 2)) h.res.writeHead(200).end();
    }, 10);
    try {
      const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => post(g.url, `f${i}`)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      const ok = statuses.filter((s) => s === 200).length;
      expect(ok).toBe(g.entered.length);
      expect(ok).toBe(g.seen.admitted.length);
      expect(statuses.length - ok).toBe(g.seen.shed.length);
      expect(g.bounds().maxInProcess).toBeLessThanOrEqual(3);
      expect(g.bounds().maxWaiting).toBeLessThanOrEqual(6);
      for (const a of answers.filter((x) => x.status === 503)) expect(a.retryAfter).toBe('1');
    } finally {
      clearInterval(releaser);
    }
    await until(() => g.admission.inProcess === 0 && g.admission.waiting === 0);
  });

  it('refuses a maxInFlight that is not a whole number above 0', () => {
    expect(() => new Admission({ maxInFlight: 0 })).toThrow(RangeError);
    expect(() => new Admission({ maxInFlight: 1.5 })).toThrow(RangeError);
    const a = new Admission({ maxInFlight: 8 });
    expect([a.maxInFlight, a.maxQueued, a.maxWaitMs]).toEqual([8, 32, 1_500]);
  });
});

describe('gateSlackRequests with admission', () => {
  it('turns a request away before reading its body, and never hands it on', async () => {
    const admission = new Admission({ maxInFlight: 1, maxQueued: 0 });
    const reached: (Buffer | undefined)[] = [];
    const held: ServerResponse[] = [];
    const server = createServer((req, res) => {
      reached.push((req as IncomingMessage & { rawBody?: Buffer }).rawBody);
      held.push(res);
    });
    gateSlackRequests(server, { admission });
    const url = `${await listen(server)}/slack/events`;
    const stamp = String(Math.floor(Date.now() / 1000));
    const first = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': stamp },
      body: '{"type":"event_callback"}',
    });
    await until(() => held.length === 1);
    expect(reached[0]?.toString()).toBe('{"type":"event_callback"}');

    // Announces 10 MB, sends 64 KB and stops: the answer comes without the rest.
    const answer = await new Promise<{ status?: number; retryAfter?: string | string[] }>(
      (resolve, reject) => {
        const req = request(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-slack-request-timestamp': stamp,
            'content-length': String(10 * 1024 * 1024),
          },
        });
        req.on('response', (res) => {
          resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] });
          req.destroy();
        });
        req.on('error', reject);
        req.write(Buffer.alloc(64 * 1024, 'x'));
      },
    );
    expect(answer).toEqual({ status: 503, retryAfter: '1' });
    expect(reached).toHaveLength(1);
    held[0]?.writeHead(200).end();
    expect((await first).status).toBe(200);
    await until(() => admission.inProcess === 0);
  });

  it('cuts a body that does not arrive in time, so a slow client cannot keep a slot', async () => {
    const admission = new Admission({ maxInFlight: 1, maxQueued: 1, maxWaitMs: 10_000 });
    const reached: string[] = [];
    const server = createServer((req, res) => {
      reached.push(String((req as IncomingMessage & { rawBody?: Buffer }).rawBody));
      res.writeHead(200).end();
    });
    const refused: string[] = [];
    gateSlackRequests(server, { admission, bodyDeadlineMs: 100, onRefused: (r) => refused.push(r) });
    const url = `${await listen(server)}/slack/events`;
    const stamp = String(Math.floor(Date.now() / 1000));
    const slow = new Promise<number | undefined>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': stamp,
          'content-length': '100',
        },
      });
      req.on('response', (res) => {
        resolve(res.statusCode);
        res.resume();
      });
      req.on('error', reject);
      req.write('{');
    });
    await until(() => admission.inProcess === 1);
    // Waits behind the slow one, then gets its slot once the slow one is cut.
    const next = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': stamp },
      body: '{"type":"event_callback"}',
    });
    expect(await slow).toBe(408);
    expect((await next).status).toBe(200);
    expect(refused).toEqual(['body not received in time']);
    expect(reached).toEqual(['{"type":"event_callback"}']);
    await until(() => admission.inProcess === 0);
  });

  it('does not gate other paths or methods', async () => {
    const admission = new Admission({ maxInFlight: 1, maxQueued: 0 });
    const held: ServerResponse[] = [];
    const server = createServer((req, res) => {
      if (req.url === '/slack/events') held.push(res);
      else res.writeHead(200).end('ok');
    });
    gateSlackRequests(server, { admission });
    const base = await listen(server);
    const stamp = String(Math.floor(Date.now() / 1000));
    const first = fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': stamp },
      body: '{}',
    });
    await until(() => held.length === 1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/slack/oauth_redirect?code=x`)).status).toBe(200);
    held[0]?.writeHead(200).end();
    expect((await first).status).toBe(200);
  });
});
