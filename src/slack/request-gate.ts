import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Admission } from './admission.js';

/** How far a request's timestamp may be from now, either way: Slack's own rule is five minutes in the past. */
export const MAX_SKEW_SECONDS = 300;
/** Far above anything Slack sends (a click carries its whole message, a few hundred kilobytes at most). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/**
 * Slack gives up on a request after 3 s, so a body still arriving by then is nobody's. Without the cut, a client
 * trickling bodies would keep admission slots (ADMISSION_MAX_IN_FLIGHT) busy for as long as Node lets it.
 */
export const BODY_DEADLINE_MS = 3_000;

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

type Read = { body: Buffer } | { refused: 408 | 413 };

/** Reads the body, up to `limit` bytes and for at most `deadlineMs`. */
function readBody(req: IncomingMessage, limit: number, deadlineMs: number): Promise<Read> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      req.removeAllListeners('data');
      resolve({ refused: 408 });
    }, deadlineMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        clearTimeout(timer);
        req.removeAllListeners('data');
        req.resume();
        resolve({ refused: 413 });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(size > limit ? { refused: 413 } : { body: Buffer.concat(chunks) });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
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
    bodyDeadlineMs = BODY_DEADLINE_MS,
  }: {
    path?: string;
    now?: () => number;
    onRefused?: (reason: string) => void;
    admission?: Admission;
    bodyDeadlineMs?: number;
  } = {},
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
    readBody(req, MAX_BODY_BYTES, bodyDeadlineMs).then(
      (read) => {
        if ('refused' in read) {
          const reason = read.refused === 413 ? 'body too large' : 'body not received in time';
          onRefused(reason);
          // A body too slow is left unread: the connection closes once the answer is written.
          res
            .writeHead(read.refused, {
              'content-type': 'text/plain; charset=utf-8',
              ...(read.refused === 408 && { connection: 'close' }),
            })
            .end(reason);
          return;
        }
        const verdict = judgeRequest(req.headers, read.body, now());
        if (!verdict.ok) {
          onRefused(verdict.reason);
          res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(verdict.reason);
          return;
        }
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = read.body;
        pass();
      },
      () => {
        if (!res.headersSent) res.writeHead(400).end('unreadable body');
      },
    );
  }
}
