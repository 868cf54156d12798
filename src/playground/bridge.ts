// Slack's side of the playground: what a person does on the page becomes the signed request Slack would send
// to the app's Request URL, built by the same payload builders the end-to-end tests use.

import { canSee } from '../standin/dms.js';
import {
  appHomeOpened,
  blockAction,
  fileShareEvent,
  messageEvent,
  slashCommand,
} from '../standin/payloads.js';
import type { SlackStandin, StoredMessage } from '../standin/server.js';
import { postSigned } from '../standin/sign.js';
import { viewAction } from '../standin/view-action.js';

export type Outcome = { ok: true; ts?: string } | { ok: false; error: string; detail?: string };

export interface BridgeOptions {
  standin: SlackStandin;
  /** The app's Request URL, e.g. http://127.0.0.1:PORT/slack/events */
  eventsUrl: string;
  signingSecret: string;
  /** Slack gives an app 3 seconds to acknowledge a command or a click. */
  ackTimeoutMs?: number;
}

export interface CommandInput {
  channel: string;
  user: string;
  command: string;
  text: string;
}

export interface MessageInput {
  channel: string;
  user: string;
  text: string;
  thread_ts?: string;
}

export interface ActionInput {
  channel: string;
  user: string;
  message_ts: string;
  action_id: string;
  block_id?: string;
  /** static_select: the option picked. */
  selected_option?: { value: string; text: string };
}

/** A file a person shares, as a reply in a thread (or in the conversation itself). */
export interface UploadInput {
  channel: string;
  user: string;
  filename: string;
  content: Buffer;
  thread_ts?: string;
}

/** A click on a button of the person's Home view. */
export interface ViewActionInput {
  user: string;
  action_id: string;
  value?: string;
}

/** Slack escapes these three in what a person types; apps get `&lt;` and never a raw `<`. */
const slackEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function createBridge({ standin, eventsUrl, signingSecret, ackTimeoutMs = 3000 }: BridgeOptions) {
  const teamId = standin.teamId;
  const userName = (id: string) => standin.users().find((u) => u.id === id)?.name;
  const channelOf = (id: string) => standin.channels().find((c) => c.id === id);
  // Slack names every DM "directmessage" in command and interaction payloads.
  const channelName = (id: string) => {
    const c = channelOf(id);
    return c?.is_im ? 'directmessage' : c?.name;
  };

  /** A person acts only where they can see: another person's DM does not exist for them. */
  function check(channel: string, user: string): Outcome | undefined {
    if (!userName(user)) return { ok: false, error: 'user_not_found' };
    if (!canSee(channelOf(channel), user)) return { ok: false, error: 'channel_not_found' };
    return undefined;
  }

  /** Sends a signed request and waits for the ack, at most as long as Slack would. */
  async function deliver(body: { form?: Record<string, string>; json?: unknown }) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ackTimeoutMs);
    });
    try {
      const res = await Promise.race([postSigned(eventsUrl, signingSecret, body), timeout]);
      if (res === 'timeout') {
        return {
          ok: false as const,
          error: 'operation_timeout',
          detail: 'The app did not acknowledge within 3 seconds.',
        };
      }
      if (res.status !== 200) {
        return {
          ok: false as const,
          error: 'dispatch_failed',
          detail: `The app answered HTTP ${res.status}.`,
        };
      }
      return { ok: true as const, text: res.text };
    } catch (error) {
      return { ok: false as const, error: 'dispatch_failed', detail: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  /** An ack with a body is a message for the person who acted: Slack posts it like a response_url body. */
  async function postAckBody(text: string, responseUrl: string): Promise<Outcome> {
    if (text.trim() === '') return { ok: true };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = { text };
    }
    if (typeof body === 'string') body = { text: body };
    const res = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // A refused body already shows as a `refused` change; the command itself went through.
    return res.ok ? { ok: true } : { ok: false, error: 'invalid_response', detail: await res.text() };
  }

  return {
    async command({ channel, user, command, text }: CommandInput): Promise<Outcome> {
      const bad = check(channel, user);
      if (bad) return bad;
      const responseUrl = standin.responseUrl({ channel, user });
      const form = slashCommand({
        teamId,
        channelId: channel,
        channelName: channelName(channel),
        userId: user,
        userName: userName(user),
        command,
        text: slackEscape(text),
        responseUrl,
      });
      const acked = await deliver({ form });
      if (!acked.ok) return acked;
      return postAckBody(acked.text, responseUrl);
    },

    async message({ channel, user, text, thread_ts }: MessageInput): Promise<Outcome> {
      const bad = check(channel, user);
      if (bad) return bad;
      if (thread_ts && !standin.message(channel, thread_ts)) return { ok: false, error: 'thread_not_found' };
      const stored = standin.recordUserMessage({ channel, user, text: slackEscape(text), thread_ts });
      const event = messageEvent({
        teamId,
        channelId: channel,
        userId: user,
        text: stored.text,
        ts: stored.ts,
        threadTs: stored.thread_ts,
        botUserId: standin.botUserId,
        channelType: channelOf(channel)?.is_im ? 'im' : 'channel',
      });
      const acked = await deliver({ json: event });
      return acked.ok ? { ok: true, ts: stored.ts } : acked;
    },

    /** Shares a file as the Slack client does: the stand-in stores it and the app hears the file_share event. */
    async upload({ channel, user, filename, content, thread_ts }: UploadInput): Promise<Outcome> {
      const bad = check(channel, user);
      if (bad) return bad;
      if (thread_ts && !standin.message(channel, thread_ts)) return { ok: false, error: 'thread_not_found' };
      const stored = standin.recordUserFile({
        channel,
        user,
        filename,
        content,
        ...(thread_ts && { thread_ts }),
      });
      const event = fileShareEvent({
        teamId,
        channelId: channel,
        userId: user,
        message: stored,
        botUserId: standin.botUserId,
        channelType: channelOf(channel)?.is_im ? 'im' : 'channel',
      });
      const acked = await deliver({ json: event });
      return acked.ok ? { ok: true, ts: stored.ts } : acked;
    },

    async action(input: ActionInput): Promise<Outcome> {
      const bad = check(input.channel, input.user);
      if (bad) return bad;
      const message: StoredMessage | undefined = standin.message(input.channel, input.message_ts);
      if (!message || (message.is_ephemeral && message.visible_to !== input.user)) {
        return { ok: false, error: 'message_not_found' };
      }
      const option = input.selected_option;
      const form = blockAction({
        teamId,
        channelId: input.channel,
        channelName: channelName(input.channel),
        userId: input.user,
        userName: userName(input.user),
        message,
        actionId: input.action_id,
        blockId: input.block_id ?? '',
        ...(option && {
          selectedOption: {
            text: { type: 'plain_text', text: option.text, emoji: true },
            value: option.value,
          },
        }),
        responseUrl: standin.responseUrl({
          channel: input.channel,
          user: input.user,
          messageTs: message.ts,
          threadTs: message.thread_ts,
        }),
      });
      // Slack ignores the body of a block_actions ack; answers come through the Web API or response_url.
      const acked = await deliver({ form });
      return acked.ok ? { ok: true } : acked;
    },

    /** The person opens the app's Home tab: the app hears app_home_opened and publishes their view. */
    async homeOpened(user: string): Promise<Outcome> {
      if (!userName(user)) return { ok: false, error: 'user_not_found' };
      const acked = await deliver({
        json: appHomeOpened({ teamId, userId: user, botUserId: standin.botUserId }),
      });
      return acked.ok ? { ok: true } : acked;
    },

    /** A click on the person's own Home view; nobody can click on someone else's. */
    async viewAction({ user, action_id, value }: ViewActionInput): Promise<Outcome> {
      if (!userName(user)) return { ok: false, error: 'user_not_found' };
      const view = standin.views().find((v) => v.user === user);
      if (!view) return { ok: false, error: 'view_not_found' };
      const form = viewAction({ teamId, userId: user, view, actionId: action_id, value });
      const acked = await deliver({ form });
      return acked.ok ? { ok: true } : acked;
    },
  };
}

export type Bridge = ReturnType<typeof createBridge>;
