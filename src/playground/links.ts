// Addresses a person follows on the playground's own port, as they would on Slack's: the app's probes and
// metrics (answered by the app itself), and message permalinks, which open the thread in the page.

import type { ServerResponse } from 'node:http';
import type { SlackStandin } from '../standin/server.js';

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** GET /healthz, /readyz, /metrics: relayed from the app's HTTP port, status and body unchanged. */
export async function relayOps(
  path: string,
  res: ServerResponse,
  ports: { app: number | undefined; metrics: number | undefined },
): Promise<boolean> {
  if (!OPS_PATHS.has(path)) return false;
  // The app keeps /metrics off its Slack port; here, on loopback, the page's port relays both.
  const port = path === '/metrics' ? ports.metrics : ports.app;
  try {
    const answer = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
    const body = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'text/plain; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch {
    // The app is not answering: exactly what a readiness probe must hear.
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('the app does not answer\n');
  }
  return true;
}

/** Slack's ts from a permalink's p-part: p1700000000123456 → 1700000000.123456 */
const tsOf = (p: string) => (/^p\d{7,}$/.test(p) ? `${p.slice(1, -6)}.${p.slice(-6)}` : undefined);

/**
 * GET /archives/<channel>/p<ts>[?thread_ts=…]: a chat.getPermalink link (the Home tab's links to threads) opens
 * that thread in the page. The page knows conversations by name (#platform/<thread ts> in its address).
 */
export function redirectToThread(standin: SlackStandin, url: URL, res: ServerResponse): boolean {
  const [, root, channelId = '', p = ''] = url.pathname.split('/');
  const ts = tsOf(p);
  if (root !== 'archives' || !ts) return false;
  const channel = standin.channels().find((c) => c.id === channelId);
  if (!channel) return false;
  const message = standin.message(channel.id, ts);
  const thread = url.searchParams.get('thread_ts') ?? message?.thread_ts ?? ts;
  const hash = `#${encodeURIComponent(channel.name)}/${encodeURIComponent(thread)}`;
  res.writeHead(302, { location: `/${hash}`, 'cache-control': 'no-store' }).end();
  return true;
}
