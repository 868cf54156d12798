import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Admission } from './admission.js';

/** How far a request's timestamp may be from now, either way: Slack's own rule is five minutes in the past. */
export const MAX_SKEW_SECONDS = 300;
/** Far above anything Slack sends (a click carries its whole message, a few hundred kilobytes at most). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type GateVerdict = { ok: true } | { ok: false; status: 400 | 401 | 413; reason: string };

/**
 * What Slack's request verification leaves open, checked before Bolt sees the request: a timestamp in the
 * future (Bolt only refuses old ones), and a body that verifies but is not an object (a signed JSON `null` made
 * Bolt's receiver throw outside any handler). Pure, so each rule is tested on its own.
 */
export function judgeRequest(
  headers: IncomingMessage['headers'],
  body: Buffer,
  nowSeconds: number,
): GateVerdict {
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim();
  const text = body.toString('utf8');
  // Slack's certificate check carries no signature and no timestamp; Bolt answers it with nothing else kept.
  if (type === 'application/x-www-form-urlencoded' && parseQuery(text).ssl_check === '1') return { ok: true };
  const stamp = Number(headers['x-slack-request-timestamp']);
  if (!Number.isFinite(stamp) || Math.abs(nowSeconds - stamp) > MAX_SKEW_SECONDS) {
    return { ok: false, status: 401, reason: 'request timestamp missing or more than five minutes off' };
  }
  if (type === 'application/json') {
    return isObject(parseJson(text))
      ? { ok: true }
      : { ok: false, status: 400, reason: 'body is not a JSON object' };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = parseQuery(text);
    if (form.payload === undefined) return { ok: true };
    return typeof form.payload === 'string' && isObject(parseJson(form.payload))
      ? { ok: true }
      : { ok: false, status: 400, reason: 'payload is not a JSON object' };
  }
  return { ok: false, status: 400, reason: 'unsupported content type' };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the body, up to `limit` bytes; undefined when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Puts the gate in front of the server's request handlers (Bolt's receiver among them) for POST `path`: the body is
 * read once, judged, and handed on as `rawBody`, which Bolt reads instead of the stream. A refused request gets
 * its status and a one-line reason, and never reaches a listener. With `admission`, a request is admitted before
 * its body is read, so one waiting for a slot or turned away holds no body.
 */
export function gateSlackRequests(
  server: Server,
  {
    path = '/slack/events',
    now = () => Date.now() / 1000,
    onRefused = (_reason: string) => {},
    admission,
  }: { path?: string; now?: () => number; onRefused?: (reason: string) => void; admission?: Admission } = {},
) {
  const downstream = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pass = () => {
      for (const listener of downstream) listener.call(server, req, res);
    };
    if (req.method !== 'POST' || req.url?.split('?')[0] !== path) return pass();
    if (admission) admission.admit(req, res, () => judgeThenPass(req, res, pass));
    else judgeThenPass(req, res, pass);
  });

  function judgeThenPass(req: IncomingMessage, res: ServerResponse, pass: () => void) {
    readBody(req, MAX_BODY_BYTES).then(
      (body) => {
        const verdict: GateVerdict = body
          ? judgeRequest(req.headers, body, now())
          : { ok: false, status: 413, reason: 'body too large' };
        if (!verdict.ok) {
          onRefused(verdict.reason);
          res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(verdict.reason);
          return;
        }
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
        pass();
      },
      () => {
        if (!res.headersSent) res.writeHead(400).end('unreadable body');
      },
    );
  }
}
