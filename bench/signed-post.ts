// One Slack-signed POST to an app's Request URL over node:http (cheaper per request than fetch, so the load
// generator leaves more of the machine to the app under test).

import { type Agent, request } from 'node:http';
import { signRequest } from '../src/standin/sign.js';

export type SlackBody = { form: Record<string, string> } | { json: unknown };

export interface Response {
  /** 0 when no response came: a refused or reset connection, or the timeout. */
  status: number;
  /** The Retry-After header of a 429 or 503 that sheds load. */
  retryAfter?: string;
  /** Why no response came, when status is 0. */
  error?: string;
}

export function postSigned(
  agent: Agent,
  url: string,
  secret: string,
  body: SlackBody,
  timeoutMs?: number,
): Promise<Response> {
  const raw = 'form' in body ? new URLSearchParams(body.form).toString() : JSON.stringify(body.json);
  const headers = {
    'content-type': 'form' in body ? 'application/x-www-form-urlencoded' : 'application/json',
    'content-length': String(Buffer.byteLength(raw)),
    ...signRequest(secret, raw),
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Response) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      const retryAfter = res.headers['retry-after'];
      const status = res.statusCode ?? 0;
      res.on('end', () => finish({ status, ...(retryAfter !== undefined && { retryAfter }) }));
      res.on('error', (e) => finish({ status: 0, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('error', (e) => finish({ status: 0, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    if (timeoutMs !== undefined)
      req.setTimeout(timeoutMs, () => {
        finish({ status: 0, error: 'timeout' });
        req.destroy();
      });
    req.end(raw);
  });
}
