// One Slack workspace of the stand-in: its own users, channels, messages, files, views and call log, and the
// app's bot user in it. A token acts in exactly one workspace (or, org-wide, in one named by team_id), so an app
// posting with the wrong workspace's token lands its message in the wrong workspace, as on Slack.

import type { MethodContext } from './method-kit.js';
import { type PersonUpload, shareUserFile } from './methods-files.js';
import { type ResponseTarget, responseUrlFor } from './response-url.js';
import { StandinStore } from './store.js';
import type {
  CallRecord,
  Change,
  NewUser,
  StandinChannel,
  StandinUser,
  StoredFile,
  StoredMessage,
  StoredView,
} from './types.js';

/** What a test (or the playground) reads and does in one workspace. */
export interface StandinWorkspace {
  readonly teamId: string;
  /** The Enterprise Grid org the workspace belongs to, if any. */
  readonly enterpriseId: string | undefined;
  readonly botUserId: string;
  readonly botId: string;
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
  /** Web API calls made with a token of this workspace. */
  calls(method?: string): CallRecord[];
  files(): StoredFile[];
  /** One file with its bytes, or undefined. */
  file(id: string): StoredFile | undefined;
  views(): StoredView[];
  /** The change log, optionally only what came after `afterSeq` (for a browser catching up). */
  changes(afterSeq?: number): Change[];
  onChange(listener: (change: Change) => void): () => void;
  /** Resolves with fn's first value other than undefined/null/false; re-checked on every change and call. */
  waitFor<T>(fn: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** A response_url that lands in this workspace (for slash command and block action payloads). */
  responseUrl(target: ResponseTarget): string;
}

export interface WorkspaceInfo {
  teamId: string;
  name: string;
  enterpriseId?: string;
  botUserId: string;
  botId: string;
}

/** A workspace's state: its store, and the context its Web API methods run with. */
export interface WorkspaceState {
  info: WorkspaceInfo;
  store: StandinStore;
  ctx: MethodContext;
}

export function createWorkspace(
  info: WorkspaceInfo,
  shared: {
    appId: string;
    origin: string;
    publicOrigin: string;
    strictChannels: boolean;
    startTs?: number;
    ids: { n: number };
    botName?: string;
  },
): WorkspaceState {
  const store = new StandinStore(shared.startTs, shared.ids);
  store.addUser({ id: info.botUserId, name: shared.botName ?? 'k8s-advisor', is_bot: true });
  const ctx: MethodContext = {
    store,
    teamId: info.teamId,
    ...(info.enterpriseId && { enterpriseId: info.enterpriseId }),
    botUserId: info.botUserId,
    botId: info.botId,
    appId: shared.appId,
    origin: shared.origin,
    publicOrigin: shared.publicOrigin,
    strictChannels: shared.strictChannels,
  };
  return { info, store, ctx };
}

/** The accessors of one workspace; the default workspace's are the stand-in's own. */
export function workspaceApi({ info, store, ctx }: WorkspaceState): StandinWorkspace {
  return {
    teamId: info.teamId,
    enterpriseId: info.enterpriseId,
    botUserId: info.botUserId,
    botId: info.botId,
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
        team: info.teamId,
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
    views: () => structuredClone([...store.views.values()]),
    changes: (afterSeq = 0) => structuredClone(store.changes.filter((c) => c.seq > afterSeq)),
    onChange: (listener) => store.onChange(listener),
    waitFor: (fn, timeoutMs) => store.waitFor(fn, timeoutMs),
    responseUrl: (target) => responseUrlFor(ctx.origin, { ...target, team: info.teamId }),
  };
}
