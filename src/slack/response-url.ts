import type { Envelope } from '../advisor/ports/outbox.js';
import { SlackApiError, TransportError } from './chat-client.js';
import type { Task } from './outbox-handler.js';

/**
 * A message to a command's or a click's response_url (what Bolt's respond() does), as an outbox item: the answer
 * that follows a change (forget-me's result, an upload given up on) leaves after the commit, with retries.
 * A response_url needs no token; Slack honours it for 30 minutes, a few times.
 */
interface RespondPayload {
  url: string;
  message: Record<string, unknown>;
}

export const respondCall = (
  teamId: string,
  lane: string,
  url: string,
  message: Record<string, unknown>,
): Envelope => ({ teamId, lane, kind: 'respond', payload: { url, message } satisfies RespondPayload });

/**
 * Posts to a response_url. A timeout, a network error, a 429 or a 5xx is worth another try (TransportError); any
 * other refusal (an expired or used-up URL) will not change, so it is reported as Slack's code would be.
 */
export async function postResponse(url: string, message: Record<string, unknown>, timeoutMs = 10_000) {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new TransportError(`response_url: ${(error as Error).message}`, timedOut ? 'timeout' : 'network');
  }
  const text = await res.text().catch(() => '');
  if (res.status === 429 || res.status >= 500)
    throw new TransportError(`response_url answered HTTP ${res.status}`, 'http');
  if (res.status >= 300) {
    let code = `response_url_http_${res.status}`;
    try {
      const error = (JSON.parse(text) as { error?: unknown }).error;
      if (typeof error === 'string') code = error;
    } catch {
      if (/^[a-z_]{1,40}$/.test(text)) code = text;
    }
    throw new SlackApiError({ ok: false, error: code });
  }
}

export const respondTask: Task = async (item) => {
  const { url, message } = item.payload as RespondPayload;
  await postResponse(url, message);
  return undefined;
};
