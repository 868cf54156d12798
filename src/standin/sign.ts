// Slack's v0 request signing, so tests and the playground can call the app's Request URL like Slack does.

import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/** v0 scheme: HMAC-SHA256 over `v0:<timestamp>:<raw body>`, hex, prefixed with `v0=`. */
export function signRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${hmac}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}

/** POSTs a signed form (slash commands, interactions) or JSON (Events API) body to an app. */
export async function postSigned(
  url: string,
  signingSecret: string,
  body: { form?: Record<string, string>; json?: unknown },
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const isJson = body.form === undefined;
  const raw = isJson ? JSON.stringify(body.json ?? {}) : new URLSearchParams(body.form).toString();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': isJson ? 'application/json' : 'application/x-www-form-urlencoded',
      ...signRequest(signingSecret, raw),
      ...extraHeaders,
    },
    body: raw,
  });
  return { status: res.status, text: await res.text() };
}
