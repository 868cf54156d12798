import type { EventArgs, ListenerDeps, Register } from './registry.js';

/** The fields of a plain message event that a thread reply carries; other subtypes have different shapes. */
interface PlainMessage {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
}

/**
 * A person's reply in an assessment's thread: an answer, `back`, `restart` or `skip`. The change and the messages
 * it owes commit before the response leaves (the app processes events before responding), keyed by event_id.
 */
export function messageHandler({ service, sender }: Pick<ListenerDeps, 'service' | 'sender'>) {
  return async ({ event, body, context }: EventArgs<'message'>) => {
    const m = event as unknown as PlainMessage;
    // Only a person's new reply in a thread: no edits, joins or bot posts (our own included).
    if (m.subtype !== undefined || m.bot_id !== undefined || !m.user || m.user === context.botUserId) return;
    if (!m.thread_ts || m.thread_ts === m.ts || typeof m.text !== 'string') return;
    const teamId = (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    const at = { teamId, channelId: m.channel, threadTs: m.thread_ts, userId: m.user };
    await service.reply(at, m.text, `event:${(body as { event_id: string }).event_id}`);
    sender.wake();
  };
}

export const registerMessages: Register = (on, deps) => {
  on.event('message', messageHandler(deps));
};
