// Shapes shared by the Slack Web API stand-in, its tests and the playground.

/** Ids the stand-in and the payload builders agree on unless told otherwise. */
export const STANDIN_DEFAULTS = {
  teamId: 'T0STANDIN',
  teamDomain: 'standin',
  botUserId: 'U0BOT',
  botId: 'B0BOT',
  appId: 'A0STANDIN',
  verificationToken: 'standin-verification-token',
} as const;

export interface StandinUser {
  id: string;
  name: string;
  real_name: string;
  tz: string;
  tz_offset: number;
  is_admin: boolean;
  is_owner: boolean;
  is_bot: boolean;
}

export interface NewUser {
  id: string;
  name: string;
  real_name?: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

export interface StandinChannel {
  id: string;
  name: string;
  /** A direct message between the app and `user` (conversations.open), seen by that person only. */
  is_im?: boolean;
  user?: string;
}

export interface FileInfo {
  id: string;
  name: string;
  title: string;
  size: number;
  mimetype: string;
  filetype: string;
  url_private: string;
  /** The bytes for apps: `/files-pri/<id>/download/<name>` on the stand-in, with a Bearer token, as Slack asks. */
  url_private_download?: string;
  created: number;
  user: string;
}

export interface StoredFile extends FileInfo {
  content: Buffer;
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
}

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team?: string;
  subtype?: string;
  blocks?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  reply_broadcast?: boolean;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  files?: FileInfo[];
  /** Set on ephemeral messages: only `visible_to` sees them and Slack never stores them. */
  is_ephemeral?: true;
  visible_to?: string;
}

export interface StoredView {
  id: string;
  user: string;
  team_id: string;
  type: string;
  blocks: unknown[];
  hash: string;
  view: Record<string, unknown>;
}

export interface CallRecord {
  method: string;
  /** The workspace the call's token acted in (its team id); absent when the token was refused. */
  team?: string;
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
  /** HTTP status sent back (200 unless a fault injected another). */
  status: number;
  time: number;
}

export type Fault =
  | { status: 429; retryAfter: number; times?: number }
  | { status: 500 | 503; times?: number }
  | { delayMs: number; times?: number }
  | { error: string; times?: number };

export type ChangeKind =
  | 'message'
  | 'update'
  | 'ephemeral'
  | 'delete'
  | 'view'
  | 'file'
  | 'refused'
  | 'reset';

export interface Change {
  seq: number;
  kind: ChangeKind;
  time: number;
  channel?: string;
  ts?: string;
  message?: StoredMessage;
  /** kind 'view': the user whose App Home changed. */
  user?: string;
  view?: StoredView;
  /** kind 'file': metadata only; content is in `files()`. */
  files?: FileInfo[];
  /** kind 'refused': what Slack would have rejected, and why. */
  method?: string;
  error?: string;
  errors?: string[];
  args?: Record<string, unknown>;
}
