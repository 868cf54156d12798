import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Config } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { slashCommand } from '../../src/standin/payloads.js';
import {
  type Installer,
  type SlackStandin,
  type StandinOAuthOptions,
  type StandinWorkspace,
  startSlackStandin,
} from '../../src/standin/server.js';
import { postSigned } from '../../src/standin/sign.js';
import { Keyring } from '../../src/store/cipher.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';

/** The app in OAuth mode against a stand-in that plays Slack's OAuth, with a browser's cookie jar of one. */
export interface OAuthHarness {
  standin: SlackStandin;
  app: RunningApp;
  origin: string;
  url: string;
  secret: string;
  dbPath: string;
  keyring: Keyring;
  stop(): Promise<void>;
}

/** Credentials made at run time, never written down. */
const random = (n = 16) => randomBytes(n).toString('hex');

export async function startOAuthHarness(
  opts: { tokenRotation?: StandinOAuthOptions['tokenRotation'] } = {},
): Promise<OAuthHarness> {
  const clientId = `${Date.now()}.${random(4)}`;
  const clientSecret = random();
  const standin = await startSlackStandin({
    oauth: { clientId, clientSecret, ...(opts.tokenRotation && { tokenRotation: opts.tokenRotation }) },
  });
  const secret = random();
  const keyring = new Keyring(randomBytes(32));
  const dbPath = join(mkdtempSync(join(tmpdir(), 'k8s-advisor-oauth-')), 'oauth.db');
  const config: Config = {
    mode: 'http',
    slack: { signingSecret: secret, apiUrl: standin.url },
    oauth: { clientId, clientSecret, stateSecret: random(32) },
    encryption: keyring,
    port: 0,
    host: '127.0.0.1',
    database: { engine: 'sqlite', path: dbPath },
    logLevel: (process.env.E2E_LOG as Config['logLevel'] | undefined) ?? 'silent',
    conversationsDir: 'conversations',
  };
  const app = await startApp(config);
  const origin = `http://127.0.0.1:${app.port}`;
  standin.oauth?.setRedirectUri(`${origin}/slack/oauth_redirect`);
  return {
    standin,
    app,
    origin,
    url: `${origin}/slack/events`,
    secret,
    dbPath,
    keyring,
    stop: async () => {
      await app.stop();
      await standin.close();
    },
  };
}

/** A workspace of the stand-in with the people and channel the tests use: the same ids in every workspace. */
export function workspace(h: OAuthHarness, teamId: string, name: string): StandinWorkspace {
  const ws = h.standin.addWorkspace({ teamId, name });
  ws.addUser({ id: 'U1', name: 'alex' });
  ws.addUser({ id: 'U2', name: 'sam' });
  return ws;
}

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

export interface InstallSteps {
  /** The Location /slack/install sent the browser to. */
  authorize: URL;
  /** The browser's cookie, as /slack/install set it. */
  cookie: string;
  /** Where the stand-in's authorize page sent the browser back to, code and state included. */
  callback: URL;
}

/** A browser's first two hops of an install: /slack/install, then Slack's authorize page for `installer`. */
export async function beginInstall(h: OAuthHarness, installer: Installer): Promise<InstallSteps> {
  const start = await fetch(`${h.origin}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location') ?? '');
  const cookie = cookieOf(start);
  expect(cookie).toMatch(/^slack-app-oauth-state=./);
  h.standin.oauth?.authorizeAs(installer);
  const approved = await fetch(authorize, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const callback = new URL(approved.headers.get('location') ?? '');
  return { authorize, cookie, callback };
}

/** The browser's last hop: back to the app with its cookie. */
export const finishInstall = (callback: URL | string, cookie?: string) =>
  fetch(callback, { redirect: 'manual', ...(cookie && { headers: { cookie } }) });

/** A whole install, as a browser does it; the page the app ends on. */
export async function install(h: OAuthHarness, installer: Installer) {
  const steps = await beginInstall(h, installer);
  const res = await finishInstall(steps.callback, steps.cookie);
  return { ...steps, status: res.status, page: await res.text() };
}

/** Runs `/k8s-advisor <text>` in a workspace; the HTTP status. */
export async function command(
  h: OAuthHarness,
  ws: StandinWorkspace,
  text: string,
  { user = 'U1', channel = 'C1', org = {} as { enterpriseId?: string; orgWide?: boolean } } = {},
) {
  const responseUrl = ws.responseUrl({ channel, user });
  const form = slashCommand({
    teamId: ws.teamId,
    channelId: channel,
    userId: user,
    text,
    responseUrl,
    ...org,
  });
  return (await postSigned(h.url, h.secret, { form })).status;
}

/** The app's database as it is on disk: the file and its write-ahead log. */
export function databaseBytes(h: OAuthHarness): string {
  return ['', '-wal', '-shm']
    .map((suffix) => `${h.dbPath}${suffix}`)
    .filter(existsSync)
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');
}

/** What the app stored, read through its own adapter and keyring. */
export async function stored<T>(h: OAuthHarness, read: (store: Store) => Promise<T>): Promise<T> {
  const store = openSqliteStore(h.dbPath, { codec: h.keyring });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}
