// chat.* methods of the stand-in.

import { bool, str } from './http-util.js';
import {
  botMessage,
  checkMessage,
  fail,
  type Method,
  publicMessage,
  resolveChannel,
  threadRoot,
} from './method-kit.js';
import type { StoredMessage } from './types.js';

const postMessage: Method = (args, ctx) => {
  const channel = resolveChannel(ctx, str(args.channel));
  if (!channel) return fail('channel_not_found');
  const text = str(args.text);
  const refusal = checkMessage(text, args.blocks);
  if (refusal) return refusal;
  const threadTs = threadRoot(ctx, channel.id, str(args.thread_ts));
  const msg: StoredMessage = botMessage(ctx, { channel: channel.id, text: text ?? '' });
  if (args.blocks !== undefined) msg.blocks = args.blocks as unknown[];
  if (args.metadata !== undefined) msg.metadata = args.metadata;
  if (threadTs) {
    msg.thread_ts = threadTs;
    if (bool(args.reply_broadcast)) {
      msg.reply_broadcast = true;
      msg.subtype = 'thread_broadcast';
    }
  }
  ctx.store.insertMessage(msg);
  return { ok: true, channel: channel.id, ts: msg.ts, message: publicMessage(msg) };
};

const update: Method = (args, ctx) => {
  const channel = str(args.channel) ?? '';
  const ts = str(args.ts) ?? '';
  const msg = ctx.store.getMessage(channel, ts);
  if (!msg || msg.is_ephemeral) return fail('message_not_found');
  if (msg.user !== ctx.botUserId) return fail('cant_update_message');
  // As in Slack: omitted blocks are kept, an empty array removes them.
  const text = str(args.text) ?? msg.text;
  const blocks = args.blocks !== undefined ? args.blocks : msg.blocks;
  const refusal = checkMessage(text, blocks);
  if (refusal) return refusal;
  msg.text = text;
  if (Array.isArray(blocks) && blocks.length > 0) msg.blocks = blocks;
  else delete msg.blocks;
  if (args.metadata !== undefined) msg.metadata = args.metadata;
  msg.edited = { user: ctx.botUserId, ts: ctx.store.nextTs() };
  ctx.store.emit({ kind: 'update', channel, ts, message: msg });
  return { ok: true, channel, ts, text: msg.text, message: publicMessage(msg) };
};

const postEphemeral: Method = (args, ctx) => {
  const channel = resolveChannel(ctx, str(args.channel));
  if (!channel) return fail('channel_not_found');
  const user = str(args.user);
  if (!user || !ctx.store.users.has(user)) return fail('user_not_found');
  const text = str(args.text);
  const refusal = checkMessage(text, args.blocks);
  if (refusal) return refusal;
  const msg = botMessage(ctx, {
    channel: channel.id,
    text: text ?? '',
    is_ephemeral: true,
    visible_to: user,
  });
  if (args.blocks !== undefined) msg.blocks = args.blocks as unknown[];
  const threadTs = threadRoot(ctx, channel.id, str(args.thread_ts));
  if (threadTs) msg.thread_ts = threadTs;
  ctx.store.insertMessage(msg);
  return { ok: true, message_ts: msg.ts };
};

const deleteMessage: Method = (args, ctx) => {
  const channel = str(args.channel) ?? '';
  const ts = str(args.ts) ?? '';
  const msg = ctx.store.getMessage(channel, ts);
  if (!msg || msg.is_ephemeral) return fail('message_not_found');
  if (msg.user !== ctx.botUserId) return fail('cant_delete_message');
  ctx.store.deleteMessage(channel, ts);
  return { ok: true, channel, ts };
};

const getPermalink: Method = (args, ctx) => {
  const channel = str(args.channel) ?? '';
  const ts = str(args.message_ts) ?? '';
  const msg = ctx.store.getMessage(channel, ts);
  if (!msg || msg.is_ephemeral) return fail('message_not_found');
  let permalink = `${ctx.publicOrigin}/archives/${channel}/p${ts.replace('.', '')}`;
  if (msg.thread_ts && msg.thread_ts !== msg.ts) permalink += `?thread_ts=${msg.thread_ts}&cid=${channel}`;
  return { ok: true, channel, permalink };
};

export const CHAT_METHODS: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': deleteMessage,
  'chat.getPermalink': getPermalink,
};
