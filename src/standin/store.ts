// Memory-only state of the stand-in workspace, and the ordered change log the playground follows.

import { dmUserOf } from './dms.js';
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

export type ChangeInput = Omit<Change, 'seq' | 'time'>;

/** What outlives a restart (the playground's channel history): channels and non-ephemeral messages. */
export interface StandinSnapshot {
  version: 1;
  channels: StandinChannel[];
  /** In ts order; ephemerals are left out, as Slack never stores them. */
  messages: StoredMessage[];
  /** The newest ts handed out, so ts keeps growing after a restore. */
  lastTs: string;
}

const tsMicros = (ts: string | undefined): number => {
  const [secs = '0', micros = '0'] = (ts ?? '').split('.');
  const n = Number(secs) * 1_000_000 + Number(micros.padEnd(6, '0').slice(0, 6));
  return Number.isFinite(n) ? n : 0;
};

const formatTs = (micros: number): string =>
  `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;

const clone = <T>(v: T): T => structuredClone(v);

/** Offset in seconds of an IANA zone right now (what users.info reports as tz_offset). */
function tzOffset(tz: string): number {
  try {
    const now = new Date();
    const local = new Date(now.toLocaleString('en-US', { timeZone: tz }));
    const utc = new Date(now.toLocaleString('en-US', { timeZone: 'UTC' }));
    return Math.round((local.getTime() - utc.getTime()) / 1000);
  } catch {
    return 0;
  }
}

export class StandinStore {
  readonly users = new Map<string, StandinUser>();
  readonly channels = new Map<string, StandinChannel>();
  /** Keyed `channel/ts`; insertion order is ts order because ts only grows. */
  readonly messages = new Map<string, StoredMessage>();
  readonly files = new Map<string, StoredFile>();
  readonly views = new Map<string, StoredView>();
  /** Bytes POSTed to an upload_url, waiting for files.completeUploadExternal. */
  readonly pendingUploads = new Map<string, { filename: string; content?: Buffer }>();
  readonly calls: CallRecord[] = [];
  readonly changes: Change[] = [];
  private readonly listeners = new Set<(change: Change) => void>();
  /** Notified on changes and calls alike, so waitFor can re-check promptly. */
  private readonly tickers = new Set<() => void>();
  private seq = 0;
  private lastTsMicros = 0;

  /**
   * `ids` may be shared by several workspaces' stores, so a file or view id names one thing across the stand-in
   * (file URLs are routed by id).
   */
  constructor(
    private readonly startTs?: number,
    private readonly ids: { n: number } = { n: 0 },
  ) {}

  /** Unique, strictly increasing Slack ts ("seconds.micros"), close to wall-clock unless startTs is set. */
  nextTs(): string {
    const base = this.startTs === undefined ? Date.now() * 1000 : this.startTs * 1_000_000;
    this.lastTsMicros = Math.max(base, this.lastTsMicros + (this.startTs === undefined ? 1 : 100));
    return formatTs(this.lastTsMicros);
  }

  nextId(prefix: string): string {
    this.ids.n += 1;
    return `${prefix}${this.ids.n.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /** After a restore, new ids stay above restored ones (a file F00000001 must not be handed out twice). */
  private seeId(id: string): void {
    const n = Number.parseInt(id.slice(1), 36);
    if (Number.isSafeInteger(n)) this.ids.n = Math.max(this.ids.n, n);
  }

  addUser(u: NewUser & { is_bot?: boolean }): StandinUser {
    const tz = u.tz ?? 'UTC';
    const user: StandinUser = {
      id: u.id,
      name: u.name,
      real_name: u.real_name ?? u.name,
      tz,
      tz_offset: tzOffset(tz),
      is_admin: u.is_admin ?? false,
      is_owner: u.is_owner ?? false,
      is_bot: u.is_bot ?? false,
    };
    this.users.set(user.id, user);
    return clone(user);
  }

  /** A D… id of a known person is their DM, however it was first used (opened, posted to, restored). */
  addChannel(c: StandinChannel): StandinChannel {
    const channel: StandinChannel = { id: c.id, name: c.name };
    const person = c.is_im ? c.user : dmUserOf(c.id, this.users);
    if (person) Object.assign(channel, { is_im: true, user: person });
    this.channels.set(c.id, channel);
    return { ...channel };
  }

  emit(input: ChangeInput): Change {
    this.seq += 1;
    const change: Change = clone({ ...input, seq: this.seq, time: Date.now() });
    this.changes.push(change);
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A broken listener (e.g. a closed browser socket) must not break the Web API.
      }
    }
    this.tick();
    return change;
  }

  onChange(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTick(fn: () => void): () => void {
    this.tickers.add(fn);
    return () => this.tickers.delete(fn);
  }

  tick(): void {
    for (const fn of this.tickers) fn();
  }

  /** Resolves with fn's first value other than undefined/null/false; re-checked on every change and call. */
  waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (action: () => void) => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearInterval(poll);
        clearTimeout(timer);
        action();
      };
      const check = () => {
        try {
          const v = fn();
          if (v !== undefined && v !== null && v !== false) finish(() => resolve(v as T));
        } catch (e) {
          finish(() => reject(e));
        }
      };
      // Re-check after the state change has completed, not in the middle of it.
      const unsubscribe = this.onTick(() => queueMicrotask(check));
      const poll = setInterval(check, 25);
      const timer = setTimeout(
        () => finish(() => reject(new Error(`waitFor: condition not met within ${timeoutMs}ms`))),
        timeoutMs,
      );
      check();
    });
  }

  recordCall(call: CallRecord): void {
    this.calls.push(call);
    this.tick();
  }

  getMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(`${channel}/${ts}`);
  }

  /** Stores a message (top-level or reply) and keeps the parent's reply summary current. */
  insertMessage(
    msg: StoredMessage,
    change: ChangeInput = { kind: msg.is_ephemeral ? 'ephemeral' : 'message' },
  ) {
    this.messages.set(`${msg.channel}/${msg.ts}`, msg);
    if (msg.thread_ts && msg.thread_ts !== msg.ts && !msg.is_ephemeral) {
      const parent = this.getMessage(msg.channel, msg.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.latest_reply = msg.ts;
        const who = msg.user ?? msg.bot_id;
        if (who && !(parent.reply_users ?? []).includes(who))
          parent.reply_users = [...(parent.reply_users ?? []), who];
      }
    }
    this.emit({ ...change, channel: msg.channel, ts: msg.ts, message: msg });
  }

  deleteMessage(channel: string, ts: string): boolean {
    const msg = this.getMessage(channel, ts);
    if (!msg) return false;
    this.messages.delete(`${channel}/${ts}`);
    if (msg.thread_ts && msg.thread_ts !== ts) {
      const parent = this.getMessage(channel, msg.thread_ts);
      if (parent?.reply_count) parent.reply_count -= 1;
    }
    this.emit({ kind: 'delete', channel, ts });
    return true;
  }

  listMessages(channel?: string): StoredMessage[] {
    const all = [...this.messages.values()].filter((m) => channel === undefined || m.channel === channel);
    return clone(all);
  }

  thread(channel: string, threadTs: string): StoredMessage[] {
    const all = [...this.messages.values()].filter(
      (m) => m.channel === channel && !m.is_ephemeral && (m.ts === threadTs || m.thread_ts === threadTs),
    );
    return clone(all);
  }

  snapshot(): StandinSnapshot {
    return clone({
      version: 1,
      channels: [...this.channels.values()],
      messages: [...this.messages.values()].filter((m) => !m.is_ephemeral),
      lastTs: formatTs(this.lastTsMicros),
    });
  }

  /**
   * Loads a snapshot's channels and messages quietly (no change events: meant for start-up, before anyone
   * follows the change log). Later ts values stay above every restored one.
   */
  restore(snapshot: StandinSnapshot): void {
    for (const c of snapshot.channels) this.addChannel(c);
    const messages = snapshot.messages
      .filter((m) => !m.is_ephemeral)
      .sort((a, b) => tsMicros(a.ts) - tsMicros(b.ts));
    let newest = tsMicros(snapshot.lastTs);
    for (const m of messages) {
      if (!this.channels.has(m.channel)) this.addChannel({ id: m.channel, name: m.channel.toLowerCase() });
      this.messages.set(`${m.channel}/${m.ts}`, clone(m));
      newest = Math.max(newest, tsMicros(m.ts), tsMicros(m.edited?.ts));
      for (const f of m.files ?? []) this.seeId(f.id);
    }
    this.lastTsMicros = Math.max(this.lastTsMicros, newest);
  }

  /** Loads files kept elsewhere (the playground's data directory) quietly, as restore does messages. */
  restoreFiles(files: StoredFile[]): void {
    for (const f of files) {
      this.files.set(f.id, { ...clone(f), content: Buffer.from(f.content) });
      this.seeId(f.id);
    }
  }

  /** Forgets what happened; keeps users and channels. Seq and ts keep growing so followers never see repeats. */
  reset(): void {
    this.messages.clear();
    this.files.clear();
    this.views.clear();
    this.pendingUploads.clear();
    this.calls.length = 0;
    this.changes.length = 0;
    this.emit({ kind: 'reset' });
  }
}
