// What every stand-in Web API method gets, and the checks they share.

import { BLOCK_KIT_LIMITS, messageProblems } from './block-kit.js';
import type { StandinStore } from './store.js';
import type { StandinChannel, StoredMessage } from './types.js';

export interface MethodContext {
  store: StandinStore;
  /** The workspace the call acts in; an org-wide token's auth.test without team_id names the org here. */
  teamId: string;
  /** The Enterprise Grid org of the workspace, if any. */
  enterpriseId?: string;
  /** The call's token is an org-wide installation's. */
  orgWide?: boolean;
  botUserId: string;
  botId: string;
  appId: string;
  /** http://host:port of the stand-in, for upload URLs and response URLs. */
  origin: string;
  /** Where people open links (permalinks, file URLs): the stand-in itself or the playground's page. */
  publicOrigin: string;
  /** When true, posting to a channel nobody added fails with channel_not_found. */
  strictChannels: boolean;
}

export type MethodResult =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: string; [key: string]: unknown };

export type Method = (args: Record<string, unknown>, ctx: MethodContext) => MethodResult;

export const fail = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({
  ok: false,
  error,
  ...extra,
});

export function resolveChannel(ctx: MethodContext, id: string | undefined): StandinChannel | undefined {
  if (!id) return undefined;
  const known = ctx.store.channels.get(id);
  if (known || ctx.strictChannels) return known;
  // Lenient by default: tests and the playground may post anywhere, like a bot invited everywhere.
  return ctx.store.addChannel({ id, name: id.toLowerCase() });
}

/** Slack's refusal for a message's text/blocks, or undefined when Slack would accept it. */
export function checkMessage(text: string | undefined, blocks: unknown): MethodResult | undefined {
  const errors = messageProblems({ text, blocks });
  if (errors.length === 0) return undefined;
  if (errors.includes('message: needs text or blocks')) return fail('no_text');
  if ((text?.length ?? 0) > BLOCK_KIT_LIMITS.message.text) return fail('msg_too_long');
  // Slack also mirrors the reasons into response_metadata, which @slack/web-api logs.
  return fail('invalid_blocks', {
    errors,
    response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
  });
}

/** A message as Slack returns it in API responses: no stand-in bookkeeping fields. */
export function publicMessage(m: StoredMessage): Record<string, unknown> {
  const { channel: _channel, is_ephemeral: _e, visible_to: _v, ...rest } = structuredClone(m);
  return rest;
}

/** A new message authored by the app's bot user. */
export function botMessage(
  ctx: MethodContext,
  fields: Partial<StoredMessage> & { channel: string },
): StoredMessage {
  return {
    type: 'message',
    ts: ctx.store.nextTs(),
    text: '',
    user: ctx.botUserId,
    bot_id: ctx.botId,
    app_id: ctx.appId,
    team: ctx.teamId,
    ...fields,
  };
}

/** Replies to a reply land in the parent's thread, as in Slack. */
export function threadRoot(
  ctx: MethodContext,
  channel: string,
  threadTs: string | undefined,
): string | undefined {
  if (!threadTs) return undefined;
  const target = ctx.store.getMessage(channel, threadTs);
  return target?.thread_ts ?? threadTs;
}
