// A memory-only stand-in for the Slack Web API, for end-to-end tests, the playground and the benchmark.
// Point Bolt at it with `clientOptions: { slackApiUrl: standin.url }`.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleFileRoute } from './file-routes.js';
import { bearerToken, parseArgs, readBody, sendJson } from './http-util.js';
import type { Method, MethodContext, MethodResult } from './method-kit.js';
import { CHAT_METHODS } from './methods-chat.js';
import { FILE_METHODS, type PersonUpload, shareUserFile } from './methods-files.js';
import { WORKSPACE_METHODS } from './methods-workspace.js';
import { handleResponse, parseResponseUrl, type ResponseTarget, responseUrlFor } from './response-url.js';
import { type StandinSnapshot, StandinStore } from './store.js';
import {
  type CallRecord,
  type Change,
  type Fault,
  type NewUser,
  STANDIN_DEFAULTS,
  type StandinChannel,
  type StandinUser,
  type StoredFile,
  type StoredMessage,
  type StoredView,
} from './types.js';

export type { PersonUpload } from './methods-files.js';
export type { StandinSnapshot } from './store.js';
export type * from './types.js';
export { STANDIN_DEFAULTS } from './types.js';

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
}

export interface SlackStandin {
  /** Web API base ending in `/api/`, exactly what `clientOptions.slackApiUrl` wants. */
  readonly url: string;
  /** http://host:port */
  readonly origin: string;
  /** Origin of url_private and permalinks: `publicOrigin` if given, else `origin`. */
  readonly publicOrigin: string;
  readonly port: number;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  close(): Promise<void>;
  addUser(user: NewUser): StandinUser;
  users(): StandinUser[];
  addChannel(channel: StandinChannel): StandinChannel;
  channels(): StandinChannel[];
  /** What a person typed in the channel; returns the stored message with its ts. */
  recordUserMessage(m: { channel: string; user: string; text: string; thread_ts?: string }): StoredMessage;
  /** A file a person shared (in a thread with `thread_ts`): the `file_share` message carrying it. */
  recordUserFile(upload: PersonUpload): StoredMessage;
  /** Top-level messages and replies in ts order; ephemerals included, flagged with `visible_to`. */
  messages(channel?: string): StoredMessage[];
  /** Parent and replies, without ephemerals. */
  thread(channel: string, threadTs: string): StoredMessage[];
  message(channel: string, ts: string): StoredMessage | undefined;
  calls(method?: string): CallRecord[];
  files(): StoredFile[];
  /** One file with its bytes, or undefined. */
  file(id: string): StoredFile | undefined;
  /** Loads files kept across a restart (with restore), without change events; new file ids stay unique. */
  restoreFiles(files: StoredFile[]): void;
  views(): StoredView[];
  /** The change log, optionally only what came after `afterSeq` (for a browser catching up). */
  changes(afterSeq?: number): Change[];
  onChange(listener: (change: Change) => void): () => void;
  /** Resolves with fn's first value other than undefined/null/false; re-checked on every change and call. */
  waitFor<T>(fn: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Makes the next `fault.times` (default 1) calls of `method` ('*' = any) fail or answer late. */
  failNext(method: string, fault: Fault): void;
  /** A response_url that lands in this stand-in (for slash command and block action payloads). */
  responseUrl(target: ResponseTarget): string;
  /** Forgets messages, calls, files, views and pending faults; keeps users and channels. */
  reset(): void;
  /** Channels and non-ephemeral messages, for saving a workspace's history (the playground's). */
  snapshot(): StandinSnapshot;
  /** Loads a snapshot at start-up, without change events; later ts values stay above the restored ones. */
  restore(snapshot: StandinSnapshot): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSlackStandin(opts: StandinOptions = {}): Promise<SlackStandin> {
  const host = opts.host ?? '127.0.0.1';
  const store = new StandinStore(opts.startTs);
  const ids = {
    teamId: opts.teamId ?? STANDIN_DEFAULTS.teamId,
    botUserId: opts.botUserId ?? STANDIN_DEFAULTS.botUserId,
    botId: opts.botId ?? STANDIN_DEFAULTS.botId,
    appId: opts.appId ?? STANDIN_DEFAULTS.appId,
  };
  store.addUser({ id: ids.botUserId, name: opts.botName ?? 'k8s-advisor', is_bot: true });
  const faults: { method: string; fault: Fault; remaining: number }[] = [];
  const ctx: MethodContext = {
    store,
    ...ids,
    origin: '',
    publicOrigin: '',
    strictChannels: opts.strictChannels ?? false,
  };

  function takeFault(method: string): Fault | undefined {
    const i = faults.findIndex((f) => f.method === method || f.method === '*');
    const entry = faults[i];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) faults.splice(i, 1);
    return entry.fault;
  }

  function record(method: string, args: Record<string, unknown>, result: MethodResult, status = 200) {
    const call: CallRecord = { method, args, ok: result.ok, status, time: Date.now() };
    if (!result.ok) call.error = result.error;
    store.recordCall(call);
    if (!result.ok && REFUSABLE.has(method)) {
      const errors = Array.isArray(result.errors) ? (result.errors as string[]) : [];
      const channel =
        typeof args.channel === 'string' ? args.channel : (args.channel_id as string | undefined);
      store.emit({ kind: 'refused', method, channel, error: result.error, errors, args });
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
    delete args.token; // never keep credentials, even placeholder ones, in the call log
    const fault = takeFault(method);
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    else if (fault && 'status' in fault) {
      const body = {
        ok: false as const,
        error: fault.status === 429 ? 'ratelimited' : `http_${fault.status}`,
      };
      record(method, args, body, fault.status);
      if (fault.status === 429) return sendJson(res, 429, body, { 'retry-after': String(fault.retryAfter) });
      res.writeHead(fault.status, { 'content-type': 'text/plain' });
      return res.end('Internal Server Error');
    } else if (fault && 'error' in fault) {
      const body = { ok: false as const, error: fault.error };
      record(method, args, body);
      return sendJson(res, 200, body);
    }
    const handler = METHODS[method];
    let result: MethodResult;
    if (!token) result = { ok: false, error: 'not_authed' };
    else if (!handler) result = { ok: false, error: 'unknown_method' };
    else result = handler(args, ctx);
    record(method, args, result);
    sendJson(res, 200, result);
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', ctx.origin);
    const path = url.pathname;
    if (path.startsWith('/api/')) return handleApi(decodeURIComponent(path.slice(5)), req, res, url);
    if (await handleFileRoute(store, req, res, path)) return;
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
      const result = handleResponse(target, body, ctx);
      record('response_url', { ...body, channel: target.channel }, result);
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
    url: `${ctx.origin}/api/`,
    origin: ctx.origin,
    publicOrigin: ctx.publicOrigin,
    port,
    ...ids,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    addUser: (user) => store.addUser(user),
    users: () => structuredClone([...store.users.values()]),
    addChannel: (channel) => store.addChannel(channel),
    channels: () => [...store.channels.values()].map((c) => ({ ...c })),
    recordUserMessage({ channel, user, text, thread_ts }) {
      if (!store.users.has(user)) throw new Error(`recordUserMessage: unknown user ${user}; addUser first`);
      if (!store.channels.has(channel)) store.addChannel({ id: channel, name: channel.toLowerCase() });
      const root = thread_ts ? (store.getMessage(channel, thread_ts)?.thread_ts ?? thread_ts) : undefined;
      const msg: StoredMessage = {
        type: 'message',
        channel,
        ts: store.nextTs(),
        text,
        user,
        team: ids.teamId,
      };
      if (root) msg.thread_ts = root;
      store.insertMessage(msg);
      return structuredClone(msg);
    },
    recordUserFile(upload) {
      if (!store.users.has(upload.user)) throw new Error(`recordUserFile: unknown user ${upload.user}`);
      if (!store.channels.has(upload.channel))
        store.addChannel({ id: upload.channel, name: upload.channel.toLowerCase() });
      return shareUserFile(ctx, upload);
    },
    messages: (channel) => store.listMessages(channel),
    thread: (channel, threadTs) => store.thread(channel, threadTs),
    message: (channel, ts) => {
      const m = store.getMessage(channel, ts);
      return m ? structuredClone(m) : undefined;
    },
    calls: (method) =>
      structuredClone(store.calls.filter((c) => method === undefined || c.method === method)),
    files: () =>
      [...store.files.values()].map((f) => ({ ...structuredClone(f), content: Buffer.from(f.content) })),
    file(id) {
      const f = store.files.get(id);
      return f && { ...structuredClone(f), content: Buffer.from(f.content) };
    },
    restoreFiles: (files) => store.restoreFiles(files),
    views: () => structuredClone([...store.views.values()]),
    changes: (afterSeq = 0) => structuredClone(store.changes.filter((c) => c.seq > afterSeq)),
    onChange: (listener) => store.onChange(listener),
    waitFor: (fn, timeoutMs) => store.waitFor(fn, timeoutMs),
    failNext(method, fault) {
      faults.push({ method, fault, remaining: fault.times ?? 1 });
    },
    responseUrl: (target) => responseUrlFor(ctx.origin, target),
    reset() {
      faults.length = 0;
      store.reset();
    },
    snapshot: () => store.snapshot(),
    restore: (snapshot) => store.restore(snapshot),
  };
}
