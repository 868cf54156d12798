// The local playground: `npm start` without Slack credentials. The real Bolt app runs in HTTP mode against the
// Slack Web API stand-in, and a Slack-like page in the browser plays the part of the Slack client.
//
//   browser ──/api/*──▶ playground server ──signed requests──▶ Bolt app (/slack/events)
//      ▲                      │                                       │
//      └──── SSE changes ─────┴────────── Slack Web API stand-in ◀────┘ (SLACK_API_URL)

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApp } from '../compose.js';
import { type Config, ConfigError } from '../config.js';
import { sendJson } from '../standin/http-util.js';
import { type SlackStandin, startSlackStandin } from '../standin/server.js';
import { handleApi, type WorkspaceInfo } from './api.js';
import { createBridge } from './bridge.js';
import { type EventStreams, eventStreams } from './events.js';
import { filesDir, keepFiles, loadFiles, serveFile } from './files.js';
import { type HistoryKeeper, historyPath, keepHistory, loadHistory } from './history.js';
import { redirectToThread, relayOps } from './links.js';
import { serveSample } from './sample.js';
import { servePageFile } from './static.js';

/** Three people, so one can try another's assessment and see the owner rule. */
export const PLAYGROUND_USERS = [
  { id: 'U0ALEX', name: 'alex', real_name: 'Alex', title: 'Platform lead', is_admin: true },
  { id: 'U0SAM', name: 'sam', real_name: 'Sam', title: 'Security' },
  { id: 'U0JO', name: 'jo', real_name: 'Jo', title: 'Developer' },
] as const;

export const PLAYGROUND_CHANNELS = [
  {
    id: 'C0PLATFORM',
    name: 'platform',
    topic: 'Type /k8s-advisor to start a managed vs self-hosted Kubernetes assessment.',
  },
  { id: 'C0SECURITY', name: 'security', topic: 'Security reviews. /k8s-advisor works here too.' },
] as const;

export interface Playground extends RunningApp {
  port: number;
  /** The page, e.g. http://127.0.0.1:3000/ */
  url: string;
  /** The Slack stand-in the app talks to (for tests). */
  standin: SlackStandin;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Refuses requests addressed to another host name (DNS rebinding) while the page listens on loopback. */
function hostAllowed(req: IncomingMessage, listenHost: string): boolean {
  if (!LOOPBACK.has(listenHost)) return true;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  return LOOPBACK.has(host);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new ConfigError([
            `PORT ${port} is already in use on ${host}; stop the other program or choose another port, such as PORT=${port + 1} npm start`,
          ]),
        );
      } else reject(error);
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startPlayground(
  config: Config,
  startApp: (c: Config) => Promise<RunningApp>,
): Promise<Playground> {
  // The page's port comes first: the stand-in's links (files, permalinks) point at it, and a port in use
  // stops start-up before anything else has started.
  let route: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    const handle = route ?? (async () => sendJson(res, 503, { ok: false, error: 'starting' }));
    handle(req, res).catch((error: unknown) => {
      console.error(`playground: ${req.method} ${req.url} failed: ${(error as Error).message}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'playground_error' });
      else res.end();
    });
  });
  const port = await listen(server, config.port, config.host);
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  const pageUrl = `http://${shownHost}:${port}/`;
  let streams: EventStreams | undefined;
  const closeServer = () =>
    new Promise<void>((resolve) => {
      streams?.closeAll();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const cleanup: (() => Promise<void> | void)[] = [];
  // The page goes first, so nothing reaches an app that is stopping.
  const stopAll = async () => {
    for (const step of [closeServer, ...cleanup.splice(0).reverse()]) await step();
  };
  try {
    const standin = await startSlackStandin({
      host: '127.0.0.1',
      botName: 'k8s-advisor',
      publicOrigin: pageUrl,
    });
    cleanup.push(() => standin.close());
    for (const { title: _title, ...user } of PLAYGROUND_USERS) standin.addUser(user);
    for (const { topic: _topic, ...channel } of PLAYGROUND_CHANNELS) standin.addChannel(channel);

    const historyFile = historyPath(config.database);
    if (historyFile) {
      const saved = loadHistory(historyFile);
      if (saved) standin.restore(saved);
      const kept = filesDir(historyFile);
      standin.restoreFiles(loadFiles(kept));
      cleanup.push(keepFiles(standin, kept));
      const history: HistoryKeeper = keepHistory(standin, historyFile);
      cleanup.push(() => history.stop());
    }

    // The same composition root as production, in HTTP mode: a fresh signing secret per run, a placeholder
    // bot token, and Web API calls to the stand-in.
    const signingSecret = randomBytes(32).toString('hex');
    const app = await startApp({
      ...config,
      mode: 'http',
      slack: { botToken: 'xoxb-playground', signingSecret, apiUrl: standin.url },
      playground: true,
      host: '127.0.0.1',
      port: 0,
      // Metrics on a loopback port of their own, as in production; the page's port relays them.
      metricsPort: config.metricsPort ?? 0,
      // The inner app's JSON lines would bury the playground's own banner; warnings and errors still show.
      logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel,
    });
    cleanup.push(() => app.stop());

    const boot = randomBytes(8).toString('hex');
    const events = eventStreams(standin, boot);
    streams = events;
    const bridge = createBridge({
      standin,
      eventsUrl: `http://127.0.0.1:${app.port}/slack/events`,
      signingSecret,
    });
    const workspace: WorkspaceInfo = {
      users: PLAYGROUND_USERS.map((u) => ({ id: u.id, title: u.title })),
      channels: PLAYGROUND_CHANNELS.map((c) => ({ ...c })),
    };

    route = async (req: IncomingMessage, res: ServerResponse) => {
      if (!hostAllowed(req, config.host)) return sendJson(res, 421, { ok: false, error: 'wrong_host' });
      const url = new URL(req.url ?? '/', 'http://playground.invalid');
      if (await handleApi({ standin, bridge, streams: events, boot, workspace }, req, res, url)) return;
      if (req.method === 'GET') {
        if (await servePageFile(url.pathname, res)) return;
        if (await serveSample(url.pathname, res)) return;
        if (serveFile(standin, url.pathname, res)) return;
        if (redirectToThread(standin, url, res)) return;
        if (await relayOps(url.pathname, res, { app: app.port, metrics: app.metricsPort })) return;
      }
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
      sendJson(res, 404, { ok: false, error: 'not_found' });
    };

    // The banner is the playground's user interface, not a log line: only LOG_LEVEL=silent (tests) hides it.
    if (config.logLevel !== 'silent') {
      console.log(
        [
          '',
          `k8s-advisor playground: open ${pageUrl} in your browser and type /k8s-advisor in the message box.`,
          '  No Slack credentials are set, so this runs against a local Slack stand-in; nothing leaves this machine.',
          '  To connect a real workspace instead, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN',
          '  for Socket Mode) in .env; see .env.example and manifest.yml.',
          '',
        ].join('\n'),
      );
    }
    return { port, url: pageUrl, standin, settled: () => app.settled(), stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
