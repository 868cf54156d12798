import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from './errors.js';

/**
 * Fetches a file someone shared, as a bot does: files.info for its size and download address, then a GET with
 * the bot token. Bounded every way a hostile upload could push: the size Slack reports is checked before any
 * byte is read, the bytes read are capped whatever the server says, the whole exchange has a timeout, and the
 * token goes only to Slack's file hosts (or the Web API's own origin, e.g. a stand-in). Never throws.
 */
export type Fetched =
  | { ok: true; name: string; bytes: Uint8Array }
  | { ok: false; name: string; reason: string };

export interface DownloadOptions {
  token: string;
  /** The Web API base the client uses; its origin may serve files too. */
  apiUrl: string;
  maxBytes: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const SLACK_FILE_DOMAINS = ['slack.com', 'slack-gov.com'];
const MAX_REDIRECTS = 3;

/** Whether the bot token may be sent to `url`: Slack's own hosts over https, or the Web API's origin. */
export function mayCarryToken(url: string, apiUrl: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.username || target.password) return false;
  if (target.origin === new URL(apiUrl).origin) return true;
  const host = target.hostname.toLowerCase();
  return target.protocol === 'https:' && SLACK_FILE_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/** Reads at most `max` bytes of a body; undefined when there are more. */
async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function fetchSharedFile(
  client: Pick<WebClient, 'files'>,
  fileId: string,
  { token, apiUrl, maxBytes, timeoutMs = 10_000, fetch: get = fetch }: DownloadOptions,
): Promise<Fetched> {
  let info: {
    name?: string;
    title?: string;
    size?: number;
    url_private_download?: string;
    url_private?: string;
  };
  try {
    info = (await client.files.info({ file: fileId })).file ?? {};
  } catch (error) {
    const code = slackErrorCode(error) ?? 'no answer';
    const scope =
      code === 'missing_scope' ? ' The app needs the files:read scope; reinstall it from its manifest.' : '';
    return { ok: false, name: 'the file', reason: `Slack would not let me read the file (${code}).${scope}` };
  }
  const name = info.name || info.title || 'the file';
  const fail = (reason: string): Fetched => ({ ok: false, name, reason });
  const limit = `the limit for an evidence file is ${kb(maxBytes)}`;
  if (typeof info.size === 'number' && info.size > maxBytes)
    return fail(`The file is ${kb(info.size)}; ${limit}, so I did not download it.`);
  let url = info.url_private_download ?? info.url_private;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      if (!url || !mayCarryToken(url, apiUrl))
        return fail('Slack gave no download address I may send my token to.');
      // Redirects are followed by hand, so the token never travels to a host that should not see it.
      const res = await get(url, {
        headers: { authorization: `Bearer ${token}` },
        redirect: 'manual',
        signal,
      });
      const next = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && next && hop < MAX_REDIRECTS) {
        await res.body?.cancel().catch(() => {});
        url = new URL(next, url).toString();
        continue;
      }
      if (res.status !== 200 || !res.body) {
        await res.body?.cancel().catch(() => {});
        return fail(`Slack answered the download with HTTP ${res.status}.`);
      }
      if ((res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
        await res.body.cancel().catch(() => {});
        return fail('Slack sent a sign-in page instead of the file; the app may lack the files:read scope.');
      }
      const bytes = await readCapped(res.body, maxBytes);
      if (!bytes) return fail(`The file is larger than ${limit}.`);
      return { ok: true, name, bytes };
    }
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError' || signal.aborted;
    return fail(
      timedOut
        ? `The download took longer than ${Math.round(timeoutMs / 1000)} seconds; upload the file again.`
        : 'The download failed; upload the file again.',
    );
  }
}
