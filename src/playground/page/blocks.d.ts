// Types for blocks.js (a plain browser module served as-is; allowJs is off, so TypeScript reads these).

import type { MrkdwnOptions } from './mrkdwn.js';

export interface RenderContext extends MrkdwnOptions {
  /** Render buttons and selects disabled (e.g. history, or another user's ephemeral view). */
  readOnly?: boolean;
  /** Thread parents: number of replies; > 0 shows "N replies · View thread". Falls back to message.reply_count. */
  replyCount?: number;
  /** Show a "Reply in thread" button on top-level messages without replies. */
  canReply?: boolean;
  /** IANA time zone for the time label (default: the browser's). */
  timeZone?: string;
  /** BCP 47 locale for the time label (default: the browser's). */
  locale?: string;
  /** Where a shared file is opened (default: its url_private when http(s)). */
  fileUrl?: (file: FileLike) => string | undefined;
}

/** The file fields a file card reads. */
export interface FileLike {
  id?: string;
  name?: string;
  title?: string;
  size?: number;
  filetype?: string;
  url_private?: string;
}

/** The message fields renderMessage reads; anything else is ignored. */
export interface MessageLike {
  ts?: string;
  thread_ts?: string;
  text?: string;
  mrkdwn?: boolean;
  user?: string;
  username?: string;
  bot_id?: string;
  bot_profile?: { name?: string };
  user_profile?: { display_name?: string; real_name?: string };
  subtype?: string;
  blocks?: readonly unknown[];
  attachments?: readonly unknown[];
  edited?: unknown;
  reply_count?: number;
  files?: readonly FileLike[];
  /** Either flag marks a message from chat.postEphemeral. */
  is_ephemeral?: boolean;
  ephemeral?: boolean;
}

export function renderBlocks(blocks: readonly unknown[] | null | undefined, ctx?: RenderContext): string;
export function renderMessage(message: MessageLike, ctx?: RenderContext): string;
