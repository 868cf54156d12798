// Shared Slack fakes for listener tests: a Web API answered by nock that records every call, and the argument
// objects Bolt hands a listener (command, thread reply, click, App Home), with `ack` and `respond` as spies.

import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import type { ChatApi } from '../../src/slack/chat-client.js';

export const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'info',
  setName() {},
} as never;

export const TEAM = 'T1';
export const CHANNEL = 'C1';
export const OWNER = 'U1';
/** The parent message every fake assessment starts in, and the question message clicked in its thread. */
export const THREAD_TS = '1700000000.000100';
export const CLICKED_TS = '1700000000.000101';

export interface Call {
  method: string;
  body: Record<string, string>;
}

/** What the fake Web API answers a call with: a body, or undefined for `{ ok: true }` with a fresh ts. */
export type Answer = (call: Call) => Record<string, unknown> | undefined;

/**
 * A Slack Web API at a fake host, answered by nock and recording every call with its form body. `useFakeSlack`
 * installs it around each test of the file that calls it; nothing reaches the network.
 */
export class FakeSlack {
  readonly calls: Call[] = [];
  /** What was posted to response URLs minted by `responseUrl`, in order. */
  readonly responses: { url: string; body: Record<string, unknown> }[] = [];
  readonly client: WebClient;
  private nextTs = 100;

  constructor(
    readonly host: string,
    private readonly answer: Answer = () => undefined,
  ) {
    this.client = new WebClient('xoxb-listener-test', {
      slackApiUrl: `${host}/api/`,
      retryConfig: { retries: 0 },
    });
  }

  install(): void {
    this.clear();
    this.nextTs = 100;
    // nock 15.0 hands a one-argument reply function the fetch Request itself (pinned for Node 20).
    const reply = async (req: Request) => {
      const url = new URL(req.url);
      if (url.pathname.startsWith('/respond/')) {
        const body = JSON.parse(await req.text());
        this.responses.push({ url: req.url, body });
        // In the order of the Web API calls too, so a test can see what came before and after.
        this.calls.push({ method: 'response_url', body });
        return [200, 'ok'];
      }
      if (!url.pathname.startsWith('/api/')) return [200, 'OK'];
      const body = Object.fromEntries(new URLSearchParams(await req.text()));
      const call = { method: url.pathname.slice('/api/'.length), body };
      this.calls.push(call);
      const ts = `1700000000.${String(this.nextTs++).padStart(6, '0')}`;
      return [200, this.answer(call) ?? { ok: true, ts, channel: body.channel, message_ts: ts }];
    };
    nock(this.host)
      .persist()
      .post(/.*/)
      .reply(reply as never);
  }

  /** Forgets the calls so far, so a test can look at what one step did. */
  clear(): void {
    this.calls.length = 0;
    this.responses.length = 0;
  }

  /** A response_url at this fake Slack: what is posted to it lands in `responses`. */
  responseUrl(name = 'r1'): string {
    return `${this.host}/respond/${name}`;
  }

  /** The calls of one Web API method, in order. */
  posted(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  get methods(): string[] {
    return this.calls.map((c) => c.method);
  }
}

export function useFakeSlack(host = 'http://slack.test', answer?: Answer): FakeSlack {
  const slack = new FakeSlack(host, answer);
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => slack.install());
  afterEach(() => nock.cleanAll());
  return slack;
}

/** The blocks a call sent, parsed from its form body. */
export const blocksOf = (c: Call | undefined): { type: string; block_id?: string }[] =>
  JSON.parse(c?.body.blocks ?? '[]');

const spy = () => vi.fn(async (_?: unknown) => {});

/** What Bolt hands a subcommand: the command, `ack` and `respond` spies, the client and a logger. */
export function commandArgs(
  client: WebClient,
  text: string,
  { user = OWNER, triggerId = `trig-${Math.random()}`, channel = CHANNEL } = {},
) {
  return {
    command: {
      text,
      trigger_id: triggerId,
      team_id: TEAM,
      channel_id: channel,
      user_id: user,
      command: '/k8s-advisor',
      response_url: `${(client as { slackApiUrl?: string }).slackApiUrl?.replace(/\/api\/$/, '') ?? 'http://slack.test'}/respond/${triggerId}`,
    },
    ack: spy(),
    respond: spy(),
    client,
    logger: silentLogger,
  };
}

/** The first argument of a spy's first call, such as what a command acked with. */
export const firstArg = (f: { mock: { calls: unknown[][] } }) =>
  f.mock.calls[0]?.[0] as { response_type?: string; text?: string; blocks?: unknown[] } | undefined;

/** A person's reply in the fake assessment's thread, as a message event. */
export function replyArgs(
  client: WebClient,
  text: string,
  { user = OWNER, eventId = `Ev${Math.random()}` } = {},
) {
  return {
    event: {
      type: 'message',
      channel: CHANNEL,
      user,
      text,
      ts: `1700000001.${Math.floor(Math.random() * 1e6)}`,
      thread_ts: THREAD_TS,
    } as Record<string, unknown>,
    body: { team_id: TEAM, event_id: eventId },
    context: { botUserId: 'UBOT', teamId: TEAM },
    client,
    logger: silentLogger,
  };
}

/** A click on a button (or a menu choice, with `selected`) of a message in the fake assessment's thread. */
export function clickArgs(
  client: WebClient,
  actionId: string,
  value: string,
  {
    user = OWNER,
    actionTs = `${Math.random()}`,
    selected,
  }: { user?: string; actionTs?: string; selected?: string } = {},
) {
  const action = {
    type: selected === undefined ? 'button' : 'static_select',
    action_id: actionId,
    value,
    action_ts: actionTs,
    ...(selected !== undefined && { selected_option: { value: selected } }),
  };
  return {
    ack: spy(),
    respond: spy(),
    action,
    body: {
      type: 'block_actions',
      team: { id: TEAM },
      user: { id: user, team_id: TEAM },
      channel: { id: CHANNEL },
      container: { type: 'message', message_ts: CLICKED_TS, channel_id: CHANNEL, thread_ts: THREAD_TS },
      message: { ts: CLICKED_TS, thread_ts: THREAD_TS },
      actions: [action],
    },
    client,
    logger: silentLogger,
  };
}

export interface ChatCall {
  method: 'postMessage' | 'update' | 'postEphemeral';
  args: Record<string, unknown>;
}

/**
 * A chat client (the app's ChatApi) that records each call; `fail` picks calls to refuse, as Slack would with
 * an `ok: false` answer carrying `code`.
 */
export function fakeChat(fail: (call: ChatCall) => string | undefined = () => undefined) {
  const calls: ChatCall[] = [];
  let ts = 0;
  const method =
    (name: ChatCall['method']) =>
    async (args: Record<string, unknown>): Promise<never> => {
      const call = { method: name, args };
      calls.push(call);
      const code = fail(call);
      if (code)
        throw Object.assign(new Error(`An API error occurred: ${code}`), {
          data: { ok: false, error: code },
        });
      return { ok: true, ts: `1700000002.${String(++ts).padStart(6, '0')}`, channel: args.channel } as never;
    };
  const chat = {
    postMessage: method('postMessage'),
    update: method('update'),
    postEphemeral: method('postEphemeral'),
  } as unknown as ChatApi;
  return { chat, calls, of: (name: ChatCall['method']) => calls.filter((c) => c.method === name) };
}
