// The three chat methods an assessment calls on every answer (postMessage, update, postEphemeral), sent straight
// through an undici connection pool (its request API, not fetch; a fifth less CPU per call than node:http).
// The benchmark (bench/RESULTS.md) found @slack/web-api's per-call work (fetch, a queue, retry wrappers, debug
// strings built even when debug is off) to cost more CPU than everything else the app does for a request.
// Everything else keeps using Bolt's WebClient.
// The wire format is the SDK's: form-encoded, objects as JSON strings, the token as a Bearer header.

import type { WebClient } from '@slack/web-api';
import { Pool } from 'undici';
import type { Metrics } from '../ops/metrics.js';

export type ChatApi = Pick<WebClient['chat'], 'postMessage' | 'update' | 'postEphemeral'>;

/** Any Web API method by name, with its arguments as the SDK takes them; resolves to Slack's answer. */
export type ApiCall = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The token a call goes out with, and the workspace to name in it (an org-wide token needs its team_id). */
export interface CallAuth {
  token: string;
  teamId?: string;
}

export interface ChatClientOptions {
  /**
   * The bot token; or, when it depends on the workspace (OAuth mode), how to find it for the call at hand. A
   * call's own `token` argument wins over either, as with the SDK.
   */
  token: string | (() => CallAuth | Promise<CallAuth>);
  /** Web API base ending in `/`; Slack's own by default. */
  apiUrl?: string;
  metrics?: Pick<Metrics, 'slackErrors'>;
  /** Per attempt. */
  timeoutMs?: number;
  /** Retries after a 429 (honouring Retry-After), an HTTP error or a network error; never after `ok: false`. */
  retries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Thrown for `ok: false`, shaped like the SDK's platform error so callers read `error.data.error` either way. */
export class SlackApiError extends Error {
  readonly code = 'slack_webapi_platform_error';
  constructor(readonly data: { ok: false; error: string; [key: string]: unknown }) {
    super(`An API error occurred: ${data.error}`);
    this.name = 'SlackApiError';
  }
}

/** A failed HTTP exchange: a status other than 200, or none at all. Worth trying again later. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/**
 * Form encoding as the SDK does it: drop null and undefined, send objects (blocks, metadata) as JSON. Built
 * with encodeURIComponent, which is native, rather than querystring's per-character JavaScript.
 */
function encode(args: object): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.join('&');
}

/** undici's errors for an answer that did not come in time. */
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

async function send(pool: Pool, path: string, body: string, token: string): Promise<Reply> {
  try {
    const res = await pool.request({
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${token}`,
      },
      body,
    });
    const retryAfter = res.headers['retry-after'];
    return {
      status: res.statusCode,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      body: await res.body.text(),
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (TIMEOUTS.has(code)) throw new TransportError(`timed out (${(error as Error).message})`, 'timeout');
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createChatClient(options: ChatClientOptions): ChatApi & { call: ApiCall } {
  const {
    token,
    apiUrl = 'https://slack.com/api/',
    metrics,
    timeoutMs = 10_000,
    retries = 3,
    minBackoffMs = 200,
    maxBackoffMs = 2000,
  } = options;
  const count = (method: string, error: string) => metrics?.slackErrors.inc({ method, error });
  const base = new URL(apiUrl);
  // Kept-alive connections to Slack, as many as calls in flight need; idle ones close after a while.
  const pool = new Pool(base.origin, {
    connections: 32,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });

  async function attempt(
    method: string,
    path: string,
    body: string,
    token: string,
  ): Promise<Record<string, unknown>> {
    let reply: Reply;
    try {
      reply = await send(pool, path, body, token);
    } catch (error) {
      const kind = error instanceof TransportError ? error.kind : 'network';
      count(method, kind);
      throw error instanceof TransportError ? error : new TransportError((error as Error).message, kind);
    }
    if (reply.status === 429) {
      count(method, 'http_429');
      const seconds = Number(reply.retryAfter);
      const wait = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
      throw new TransportError(`${method} was rate limited`, 'rate_limited', wait);
    }
    if (reply.status !== 200) {
      count(method, `http_${reply.status}`);
      throw new TransportError(`${method} failed with HTTP ${reply.status}`, 'http');
    }
    let result: Record<string, unknown>;
    try {
      result = JSON.parse(reply.body) as Record<string, unknown>;
    } catch {
      result = { ok: false, error: 'invalid_response' };
    }
    if (result.ok !== true) {
      const error = typeof result.error === 'string' ? result.error : 'unknown';
      count(method, error);
      throw new SlackApiError({ ...result, ok: false, error });
    }
    return result;
  }

  /** Not async itself: the arguments (a message's blocks) are garbage once encoded, not held across the wait. */
  function call(method: string, args: object): Promise<never> {
    const { token: own, ...rest } = args as { token?: string; team_id?: string };
    const path = `${base.pathname}${method}`;
    const body = encode(rest);
    if (own || typeof token === 'string')
      return deliver(method, path, body, own ?? (token as string)) as never;
    const needsTeam = rest.team_id === undefined;
    const resolve = token;
    return Promise.resolve()
      .then(resolve)
      .then(({ token: t, teamId }) =>
        deliver(
          method,
          path,
          needsTeam && teamId ? `${body}&team_id=${encodeURIComponent(teamId)}` : body,
          t,
        ),
      ) as never;
  }

  async function deliver(
    method: string,
    path: string,
    body: string,
    token: string,
  ): Promise<Record<string, unknown>> {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt(method, path, body, token);
      } catch (error) {
        if (!(error instanceof TransportError) || tries >= retries) throw error;
        const backoff = Math.min(maxBackoffMs, minBackoffMs * 2 ** tries);
        await sleep(error.retryAfterMs ?? backoff);
      }
    }
  }

  return {
    call: (method, args) => call(method, args),
    postMessage: (args) => call('chat.postMessage', args),
    update: (args) => call('chat.update', args),
    postEphemeral: (args) => call('chat.postEphemeral', args),
  };
}
