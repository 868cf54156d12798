// auth, users, conversations and views methods of the stand-in.

import { createHash } from 'node:crypto';
import { viewProblems } from './block-kit.js';
import { dmChannelId } from './dms.js';
import { str } from './http-util.js';
import { fail, type Method, publicMessage } from './method-kit.js';
import type { StoredView } from './types.js';

const authTest: Method = (_args, ctx) => ({
  ok: true,
  url: `${ctx.origin}/`,
  team: 'Stand-in Workspace',
  user: ctx.store.users.get(ctx.botUserId)?.name ?? 'k8s-advisor',
  team_id: ctx.teamId,
  user_id: ctx.botUserId,
  bot_id: ctx.botId,
  ...(ctx.enterpriseId && { enterprise_id: ctx.enterpriseId }),
  is_enterprise_install: ctx.orgWide === true,
});

const usersInfo: Method = (args, ctx) => {
  const u = ctx.store.users.get(str(args.user) ?? '');
  if (!u) return fail('user_not_found');
  return {
    ok: true,
    user: {
      id: u.id,
      team_id: ctx.teamId,
      name: u.name,
      deleted: false,
      real_name: u.real_name,
      tz: u.tz,
      tz_label: u.tz,
      tz_offset: u.tz_offset,
      is_admin: u.is_admin,
      is_owner: u.is_owner,
      is_bot: u.is_bot,
      profile: { display_name: u.name, real_name: u.real_name, team: ctx.teamId },
    },
  };
};

const conversationsInfo: Method = (args, ctx) => {
  const c = ctx.store.channels.get(str(args.channel) ?? '');
  if (!c) return fail('channel_not_found');
  if (c.is_im) {
    return { ok: true, channel: { id: c.id, is_im: true, is_channel: false, user: c.user, is_open: true } };
  }
  return {
    ok: true,
    channel: {
      id: c.id,
      name: c.name,
      name_normalized: c.name,
      is_channel: true,
      is_private: false,
      is_archived: false,
      is_member: true,
      context_team_id: ctx.teamId,
    },
  };
};

const conversationsReplies: Method = (args, ctx) => {
  const channel = str(args.channel) ?? '';
  if (!ctx.store.channels.has(channel)) return fail('channel_not_found');
  const ts = str(args.ts) ?? '';
  const target = ctx.store.getMessage(channel, ts);
  if (!target || target.is_ephemeral) return fail('thread_not_found');
  const messages = ctx.store.thread(channel, target.thread_ts ?? target.ts).map(publicMessage);
  return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
};

/**
 * A conversation's top-level messages, newest first, between `oldest` and `latest` (exclusive unless
 * `inclusive`), at most `limit` (default 100, Slack's cap 999). As Slack does, a message's metadata is returned
 * only with include_all_metadata.
 */
const conversationsHistory: Method = (args, ctx) => {
  const channel = str(args.channel) ?? '';
  if (!ctx.store.channels.has(channel)) return fail('channel_not_found');
  const inclusive = args.inclusive === true || args.inclusive === 'true';
  const oldest = Number(str(args.oldest) ?? '0') || 0;
  const latest = Number(str(args.latest) ?? 'Infinity');
  const limit = Math.min(999, Math.max(1, Number(str(args.limit) ?? '100') || 100));
  const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
  const within = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
  const all = ctx.store
    .listMessages(channel)
    .filter((m) => !m.is_ephemeral && (!m.thread_ts || m.thread_ts === m.ts) && within(Number(m.ts)))
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const messages = all.slice(0, limit).map((m) => {
    const shown = publicMessage(m);
    if (!withMetadata) delete shown.metadata;
    return shown;
  });
  return {
    ok: true,
    messages,
    has_more: all.length > limit,
    response_metadata: { next_cursor: '' },
  };
};

/** A direct message with one person (see dms.ts); opened on first use. */
const conversationsOpen: Method = (args, ctx) => {
  const users = (str(args.users) ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (users.length === 0) return fail('users_list_not_supplied');
  // Group DMs (several users) are not needed by the app, so the stand-in does not model them.
  if (users.length > 1) return fail('not_supported');
  const user = users[0] as string;
  if (!ctx.store.users.has(user)) return fail('user_not_found');
  const id = dmChannelId(user);
  const open = ctx.store.channels.has(id);
  if (!open) ctx.store.addChannel({ id, name: id.toLowerCase(), is_im: true, user });
  return { ok: true, channel: { id }, ...(open && { already_open: true, no_op: true }) };
};

const viewsPublish: Method = (args, ctx) => {
  const userId = str(args.user_id) ?? '';
  if (!ctx.store.users.has(userId)) return fail('user_not_found');
  const view = args.view;
  if (typeof view !== 'object' || view === null || Array.isArray(view)) return fail('invalid_arguments');
  const v = view as Record<string, unknown> & { type: string; blocks?: unknown[] };
  const errors = viewProblems(v);
  if (errors.length > 0) {
    return fail('invalid_arguments', {
      errors,
      response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
    });
  }
  const previous = ctx.store.views.get(userId);
  const hash = str(args.hash);
  if (hash && previous && previous.hash !== hash) return fail('hash_conflict');
  const stored: StoredView = {
    id: previous?.id ?? ctx.store.nextId('V'),
    user: userId,
    team_id: ctx.teamId,
    type: v.type,
    blocks: v.blocks ?? [],
    hash: createHash('sha1')
      .update(`${Date.now()}:${JSON.stringify(v)}:${ctx.store.nextId('H')}`)
      .digest('hex'),
    view: structuredClone(v),
  };
  ctx.store.views.set(userId, stored);
  ctx.store.emit({ kind: 'view', user: userId, view: stored });
  return {
    ok: true,
    view: {
      ...structuredClone(v),
      id: stored.id,
      team_id: ctx.teamId,
      app_id: ctx.appId,
      bot_id: ctx.botId,
      hash: stored.hash,
      state: { values: {} },
    },
  };
};

export const WORKSPACE_METHODS: Record<string, Method> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'conversations.info': conversationsInfo,
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
  'conversations.open': conversationsOpen,
  'views.publish': viewsPublish,
};
