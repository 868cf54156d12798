import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AdvisorService } from '../../advisor/service.js';
import type { ChatApi } from '../chat-client.js';
import { deliver } from '../deliver.js';

export type MessageArgs = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

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

/** `chat`: where replies go (the app's lean chat client); Bolt's client when not given. */
export function messageHandler(service: AdvisorService, chat?: ChatApi) {
  return async ({ event, body, client, context, logger }: MessageArgs) => {
    const m = event as unknown as PlainMessage;
    // Only a person's new reply in a thread: no edits, joins or bot posts (our own included).
    if (m.subtype !== undefined || m.bot_id !== undefined || !m.user || m.user === context.botUserId) return;
    if (!m.thread_ts || m.thread_ts === m.ts || typeof m.text !== 'string') return;
    const teamId = (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    const at = { teamId, channelId: m.channel, threadTs: m.thread_ts, userId: m.user };
    const step = await service.reply(at, m.text, `event:${(body as { event_id: string }).event_id}`);
    await deliver(step, at, { chat: chat ?? client.chat, service, logger });
  };
}

export function registerMessages(app: App, service: AdvisorService, chat?: ChatApi) {
  app.event('message', messageHandler(service, chat));
}
