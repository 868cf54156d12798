// The page's files, served as they are: no build step, nothing fetched from elsewhere.

import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const PAGE_DIR = new URL('./page/', import.meta.url);

/** The only files served; anything else is a 404, so no path ever reaches the file system unchecked. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/attach.js': { file: 'attach.js', type: 'text/javascript; charset=utf-8' },
  '/blocks.js': { file: 'blocks.js', type: 'text/javascript; charset=utf-8' },
  '/connection.js': { file: 'connection.js', type: 'text/javascript; charset=utf-8' },
  '/files.js': { file: 'files.js', type: 'text/javascript; charset=utf-8' },
  '/home.js': { file: 'home.js', type: 'text/javascript; charset=utf-8' },
  '/reconcile.js': { file: 'reconcile.js', type: 'text/javascript; charset=utf-8' },
  '/state.js': { file: 'state.js', type: 'text/javascript; charset=utf-8' },
  '/mrkdwn.js': { file: 'mrkdwn.js', type: 'text/javascript; charset=utf-8' },
  '/panes.js': { file: 'panes.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/**
 * Same-origin only: the page works offline and a message cannot load a remote image or script.
 * Inline style attributes are allowed for the renderers' attachment colours; inline scripts are not.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function servePageFile(path: string, res: ServerResponse): Promise<boolean> {
  const entry = FILES[path];
  if (!entry) return false;
  const body = await readFile(new URL(entry.file, PAGE_DIR));
  res.writeHead(200, {
    'content-type': entry.type,
    'content-length': body.length,
    // Served from the working tree: an edit shows on the next reload.
    'cache-control': 'no-cache',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
  return true;
}
