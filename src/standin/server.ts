// A memory-only stand-in for the Slack Web API, for end-to-end tests, the playground and the benchmark.
// Point Bolt at it with `clientOptions: { slackApiUrl: standin.url }`.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleFileRoute } from './file-routes.js';
import { bearerToken, parseArgs, readBody, sendJson } from './http-util.js';
import type { Method, MethodResult } from './method-kit.js';
import { CHAT_METHODS } from './methods-chat.js';
import { FILE_METHODS } from './methods-files.js';
import { WORKSPACE_METHODS } from './methods-workspace.js';
import { StandinOAuth, type StandinOAuthOptions } from './oauth.js';
import { authorizePage, basicAuth, oauthControl, type StandinOAuthControl } from './oauth-routes.js';
import { handleResponse, parseResponseUrl } from './response-url.js';
import type { StandinSnapshot } from './store.js';
import { Tenancy } from './tenancy.js';
import { type CallRecord, type Fault, STANDIN_DEFAULTS, type StoredFile } from './types.js';
import { createWorkspace, type StandinWorkspace, type WorkspaceState, workspaceApi } from './workspace.js';

export type { PersonUpload } from './methods-files.js';
export type { Installer, IssuedToken, StandinOAuthOptions } from './oauth.js';
export type { StandinOAuthControl } from './oauth-routes.js';
export type { StandinSnapshot } from './store.js';
export type * from './types.js';
export { STANDIN_DEFAULTS } from './types.js';
export type { StandinWorkspace } from './workspace.js';

const METHODS: Record<string, Method> = { ...CHAT_METHODS, ...WORKSPACE_METHODS, ...FILE_METHODS };

/** Failures of these methods are shown to the playground as refused messages. */
const REFUSABLE = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'views.publish',
  'files.completeUploadExternal',
  'response_url',
]);

export interface StandinOptions {
  host?: string;
  port?: number;
  botUserId?: string;
  botId?: string;
  botName?: string;
  teamId?: string;
  appId?: string;
  /** Refuse posts to channels nobody added (channel_not_found). Default false: channels appear on first use. */
  strictChannels?: boolean;
  /** Make ts values deterministic: start here (seconds) and step 100µs. Default: wall clock. */
  startTs?: number;
  /**
   * Where people open links to files and messages (url_private, permalinks), e.g. the playground's page.
   * Default: this stand-in's own origin, which serves them too.
   */
  publicOrigin?: string;
  /**
   * Play Slack's OAuth v2 for an app with these credentials: the authorize page, oauth.v2.access (token rotation
   * when asked), apps.uninstall; and accept only the tokens it issued, each in its own workspace.
   */
  oauth?: StandinOAuthOptions;
}

export interface SlackStandin extends StandinWorkspace {
  /** Web API base ending in `/api/`, exactly what `clientOptions.slackApiUrl` wants. */
  readonly url: string;
  /** http://host:port */
  readonly origin: string;
  /** Origin of url_private and permalinks: `publicOrigin` if given, else `origin`. */
  readonly publicOrigin: string;
  readonly port: number;
  readonly appId: string;
  /** Present when the stand-in plays Slack's OAuth; then only tokens it issued are accepted. */
  readonly oauth: StandinOAuthControl | undefined;
  close(): Promise<void>;
  /** Another workspace, with its own users, channels, messages, files, views, calls and bot user. */
  addWorkspace(w: { teamId: string; name?: string; enterpriseId?: string }): StandinWorkspace;
  /** An Enterprise Grid org and its workspaces, which share the org's bot user. */
  addOrg(o: {
    enterpriseId: string;
    name?: string;
    teams: { teamId: string; name?: string }[];
  }): StandinWorkspace[];
  /** One workspace: the default one (teamId) or one added. */
  workspace(teamId: string): StandinWorkspace;
  /** Every Web API call in every workspace, refused ones (bad tokens, OAuth exchanges) included, in time order. */
  allCalls(method?: string): CallRecord[];
  /** Loads files kept across a restart (with restore), without change events; new file ids stay unique. */
  restoreFiles(files: StoredFile[]): void;
  /** Makes the next `fault.times` (default 1) calls of `method` ('*' = any) fail or answer late. */
  failNext(method: string, fault: Fault): void;
  /** Forgets the default workspace's messages, calls, files, views and pending faults; keeps users and channels. */
  reset(): void;
  /** Channels and non-ephemeral messages, for saving a workspace's history (the playground's). */
  snapshot(): StandinSnapshot;
  /** Loads a snapshot at start-up, without change events; later ts values stay above the restored ones. */
  restore(snapshot: StandinSnapshot): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Argument names that carry credentials: never kept in the call log. */
const SECRET_ARGS = ['token', 'client_secret', 'code', 'refresh_token'];

export async function startSlackStandin(opts: StandinOptions = {}): Promise<SlackStandin> {
  const host = opts.host ?? '127.0.0.1';
  const ids = {
    teamId: opts.teamId ?? STANDIN_DEFAULTS.teamId,
    botUserId: opts.botUserId ?? STANDIN_DEFAULTS.botUserId,
    botId: opts.botId ?? STANDIN_DEFAULTS.botId,
    appId: opts.appId ?? STANDIN_DEFAULTS.appId,
  };
  const shared = {
    appId: ids.appId,
    origin: '',
    publicOrigin: '',
    strictChannels: opts.strictChannels ?? false,
    ...(opts.startTs !== undefined && { startTs: opts.startTs }),
    ids: { n: 0 },
    ...(opts.botName && { botName: opts.botName }),
  };
  const primary = createWorkspace(
    { teamId: ids.teamId, name: 'Stand-in Workspace', botUserId: ids.botUserId, botId: ids.botId },
    shared,
  );
  const { store, ctx } = primary;
  const tenancy = new Tenancy(primary, shared);
  const oauth = opts.oauth && new StandinOAuth({ ...opts.oauth }, (i) => tenancy.tenantOf(i));
  tenancy.oauth = oauth;
  /** Calls refused before they reached a workspace (bad tokens) and OAuth exchanges. */
  const unrouted: CallRecord[] = [];
  const faults: { method: string; fault: Fault; remaining: number }[] = [];

  function takeFault(method: string): Fault | undefined {
    const i = faults.findIndex((f) => f.method === method || f.method === '*');
    const entry = faults[i];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) faults.splice(i, 1);
    return entry.fault;
  }

  function record(
    ws: WorkspaceState | undefined,
    method: string,
    args: Record<string, unknown>,
    result: MethodResult,
    status = 200,
  ) {
    const call: CallRecord = {
      method,
      ...(ws && { team: ws.info.teamId }),
      args,
      ok: result.ok,
      status,
      time: Date.now(),
    };
    if (!result.ok) call.error = result.error;
    if (!ws) {
      unrouted.push(call);
      store.tick();
      return;
    }
    ws.store.recordCall(call);
    if (!result.ok && REFUSABLE.has(method)) {
      const errors = Array.isArray(result.errors) ? (result.errors as string[]) : [];
      const channel =
        typeof args.channel === 'string' ? args.channel : (args.channel_id as string | undefined);
      ws.store.emit({ kind: 'refused', method, channel, error: result.error, errors, args });
    }
  }

  async function handleApi(method: string, req: IncomingMessage, res: ServerResponse, url: URL) {
    const raw = await readBody(req);
    let args: Record<string, unknown>;
    try {
      args =
        req.method === 'GET'
          ? Object.fromEntries(url.searchParams)
          : await parseArgs(req.headers['content-type'] ?? '', raw);
    } catch {
      return sendJson(res, 200, { ok: false, error: 'invalid_json' });
    }
    const token = bearerToken(req, args);
    const kept = Object.fromEntries(Object.entries(args).filter(([k]) => !SECRET_ARGS.includes(k)));
    if (method === 'oauth.v2.access') {
      const result = oauth
        ? oauth.access(args, basicAuth(req.headers.authorization))
        : { ok: false as const, error: 'unknown_method' };
      record(undefined, method, kept, result);
      return sendJson(res, 200, result);
    }
    const acting = tenancy.acting(token, args, method);
    const ws = acting.ok ? acting.ws : undefined;
    const given = args;
    args = kept; // never keep credentials, even placeholder ones, in the call log
    const fault = takeFault(method);
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    else if (fault && 'status' in fault) {
      const body = {
        ok: false as const,
        error: fault.status === 429 ? 'ratelimited' : `http_${fault.status}`,
      };
      record(ws ?? primary, method, args, body, fault.status);
      if (fault.status === 429) return sendJson(res, 429, body, { 'retry-after': String(fault.retryAfter) });
      res.writeHead(fault.status, { 'content-type': 'text/plain' });
      return res.end('Internal Server Error');
    } else if (fault && 'error' in fault) {
      const body = { ok: false as const, error: fault.error };
      record(ws ?? primary, method, args, body);
      return sendJson(res, 200, body);
    }
    const handler = METHODS[method];
    let result: MethodResult;
    if (!acting.ok) result = { ok: false, error: acting.error };
    else if (method === 'apps.uninstall' && oauth) result = oauth.uninstall(given, token);
    else if (!handler) result = { ok: false, error: 'unknown_method' };
    else result = handler(args, acting.ctx);
    record(ws, method, args, result);
    sendJson(res, 200, result);
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', ctx.origin);
    const path = url.pathname;
    if (path.startsWith('/api/')) return handleApi(decodeURIComponent(path.slice(5)), req, res, url);
    if (req.method === 'GET' && path === '/oauth/v2/authorize') {
      const person = [...store.users.values()].find((u) => !u.is_bot)?.id ?? 'U0INSTALLER';
      return authorizePage(oauth, url, res, { teamId: ids.teamId, userId: person });
    }
    const files = { all: () => tenancy.stores(), forToken: (t: string) => tenancy.storesFor(t) };
    if (await handleFileRoute(files, req, res, path)) return;
    const target = req.method === 'POST' ? parseResponseUrl(url) : undefined;
    if (target) {
      const raw = await readBody(req);
      let body: Record<string, unknown>;
      try {
        const parsed = await parseArgs(req.headers['content-type'] ?? 'application/json', raw);
        // Form-encoded responses carry the JSON in a `payload` field.
        body = typeof parsed.payload === 'string' ? JSON.parse(parsed.payload) : parsed;
      } catch {
        return sendJson(res, 400, { ok: false, error: 'invalid_json' });
      }
      const ws = (target.team && tenancy.workspaces.get(target.team)) || primary;
      const result = handleResponse(target, body, ws.ctx);
      record(ws, 'response_url', { ...body, channel: target.channel }, result);
      return sendJson(res, result.ok ? 200 : 400, result);
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'standin_error', detail: String(e) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ctx.origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx.publicOrigin = opts.publicOrigin?.replace(/\/+$/, '') ?? ctx.origin;

  return {
    ...workspaceApi(primary),
    url: `${ctx.origin}/api/`,
    origin: ctx.origin,
    publicOrigin: ctx.publicOrigin,
    port,
    appId: ids.appId,
    oauth: oauth && oauthControl(oauth, ctx.origin),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    addWorkspace: (w) => workspaceApi(tenancy.addWorkspace(w)),
    addOrg: (o) => tenancy.addOrg(o).map(workspaceApi),
    workspace: (teamId) => workspaceApi(tenancy.get(teamId)),
    allCalls: (method) =>
      structuredClone(
        [...tenancy.stores().flatMap((s) => s.calls), ...unrouted]
          .filter((c) => method === undefined || c.method === method)
          .sort((a, b) => a.time - b.time),
      ),
    restoreFiles: (files) => store.restoreFiles(files),
    failNext(method, fault) {
      faults.push({ method, fault, remaining: fault.times ?? 1 });
    },
    reset() {
      faults.length = 0;
      store.reset();
    },
    snapshot: () => store.snapshot(),
    restore: (snapshot) => store.restore(snapshot),
  };
}
