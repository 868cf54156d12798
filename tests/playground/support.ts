// Starting the playground in-process for tests: the real composition root, a temp SQLite file, port 0.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/main.js';
import type { Playground } from '../../src/playground/server.js';

export function tempDatabase(): string {
  return join(mkdtempSync(join(tmpdir(), 'k8s-advisor-playground-')), 'advisor.db');
}

/** As `npm start` with no Slack variables, but on an ephemeral port and a given database. */
export async function startTestPlayground(databasePath: string, port = 0): Promise<Playground> {
  const config = loadConfig(
    { DATABASE_URL: `sqlite:${databasePath}`, PORT: String(port), LOG_LEVEL: 'silent' },
    join(tmpdir(), 'no-such-dir', '.env'),
  );
  if (config.mode !== 'playground') throw new Error(`expected playground mode, got ${config.mode}`);
  return (await startApp(config)) as Playground;
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Requests to anywhere but 127.0.0.1 (the page must work offline). */
  foreignRequests: string[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a throwaway profile: no browser download, no network beyond loopback. */
export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'k8s-advisor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:') foreignRequests.push(request.url());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    context,
    page,
    foreignRequests,
    pageErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Reads a server-sent event stream until `until` says stop (or the timeout aborts it). */
export async function readEvents(
  url: string,
  until: (events: SseEvent[]) => boolean,
  { timeoutMs = 5000, headers = {} as Record<string, string> } = {},
): Promise<SseEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`no matching events within ${timeoutMs}ms`)),
    timeoutMs,
  );
  const events: SseEvent[] = [];
  try {
    const res = await fetch(url, { signal: abort.signal, headers });
    if (!res.body) throw new Error(`no stream: HTTP ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        for (const line of raw.split('\n')) {
          const [field = '', ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'id') event.id = value;
          else if (field === 'event') event.event = value;
          else if (field === 'data') event.data += value;
        }
        if (event.data !== '') events.push(event);
      }
    }
    return events;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
