// response_url stand-in: what Bolt's respond() posts to after a slash command or a button click.
// The target lives in the path (/respond/<channel>/<user>[/<message_ts>], the workspace in ?team=) so no state
// is needed to mint one.

import { str } from './http-util.js';
import { botMessage, checkMessage, type MethodContext, type MethodResult } from './method-kit.js';

export interface ResponseTarget {
  channel: string;
  user: string;
  /** The message a button was clicked on: enables replace_original / delete_original. */
  messageTs?: string;
  threadTs?: string;
  /** The workspace it answers in; the stand-in's default one when absent. */
  team?: string;
}

export function responseUrlFor(origin: string, t: ResponseTarget): string {
  const parts = [t.channel, t.user, t.messageTs].filter((p): p is string => !!p).map(encodeURIComponent);
  const query = new URLSearchParams({
    ...(t.threadTs && { thread_ts: t.threadTs }),
    ...(t.team && { team: t.team }),
  }).toString();
  return `${origin}/respond/${parts.join('/')}${query ? `?${query}` : ''}`;
}

export function parseResponseUrl(url: URL): ResponseTarget | undefined {
  const [, root, channel, user, messageTs] = url.pathname.split('/').map(decodeURIComponent);
  if (root !== 'respond' || !channel || !user) return undefined;
  const threadTs = url.searchParams.get('thread_ts') ?? undefined;
  const team = url.searchParams.get('team') ?? undefined;
  return { channel, user, messageTs, threadTs, ...(team && { team }) };
}

/** Applies a response_url body the way Slack does; ephemeral unless response_type is in_channel. */
export function handleResponse(
  target: ResponseTarget,
  body: Record<string, unknown>,
  ctx: MethodContext,
): MethodResult {
  const { store } = ctx;
  const original = target.messageTs ? store.getMessage(target.channel, target.messageTs) : undefined;
  if (body.delete_original === true || body.delete_original === 'true') {
    if (!original) return { ok: false, error: 'message_not_found' };
    store.deleteMessage(original.channel, original.ts);
    return { ok: true };
  }
  const text = str(body.text);
  const refusal = checkMessage(text, body.blocks);
  if (refusal) return refusal;
  const blocks = body.blocks as unknown[] | undefined;
  if ((body.replace_original === true || body.replace_original === 'true') && original) {
    original.text = text ?? '';
    if (blocks && blocks.length > 0) original.blocks = blocks;
    else delete original.blocks;
    store.emit({ kind: 'update', channel: original.channel, ts: original.ts, message: original });
    return { ok: true };
  }
  const threadTs = str(body.thread_ts) ?? target.threadTs ?? original?.thread_ts;
  const msg = botMessage(ctx, { channel: target.channel, text: text ?? '' });
  if (blocks !== undefined) msg.blocks = blocks;
  if (threadTs) msg.thread_ts = threadTs;
  if (body.response_type !== 'in_channel') {
    msg.is_ephemeral = true;
    msg.visible_to = target.user;
  }
  store.insertMessage(msg);
  return { ok: true };
}
