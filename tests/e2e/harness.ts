import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { blockAction, fileShareEvent, messageEvent, slashCommand } from '../../src/standin/payloads.js';
import {
  type SlackStandin,
  type StandinWorkspace,
  type StoredMessage,
  startSlackStandin,
} from '../../src/standin/server.js';
import { postSigned } from '../../src/standin/sign.js';

export const TEAM = 'T0STANDIN';
/** Ceiling for waits: they end as soon as their condition holds, so only a slow, loaded machine gets near it. */
export const WAIT_MS = 15_000;

type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string }[] };
const blocksOf = (m: StoredMessage) => (m.blocks ?? []) as Block[];

/** The question id a message asks, from its `question:<id>` block, if it still has buttons. */
export function askedQuestion(m: StoredMessage): string | undefined {
  const blocks = blocksOf(m);
  const id = blocks.find((b) => b.block_id?.startsWith('question:'))?.block_id?.slice('question:'.length);
  return id && blocks.some((b) => b.type === 'actions') ? id : undefined;
}

/** Slack gives a thread's parent thread_ts equal to its own ts once it has replies. */
export const isTopLevel = (m: StoredMessage) => !m.thread_ts || m.thread_ts === m.ts;

export interface Harness {
  standin: SlackStandin;
  app: RunningApp;
  url: string;
  secret: string;
  dbPath: string;
  stop(): Promise<void>;
}

export async function startHarness(
  opts: { dbPath?: string; standin?: SlackStandin; config?: Partial<Config> } = {},
): Promise<Harness> {
  const standin = opts.standin ?? (await startSlackStandin());
  for (const [id, name] of [
    ['U1', 'alex'],
    ['U2', 'sam'],
  ] as const) {
    if (!standin.users().some((u) => u.id === id)) standin.addUser({ id, name });
  }
  const secret = randomBytes(16).toString('hex');
  const dbPath = opts.dbPath ?? join(mkdtempSync(join(tmpdir(), 'k8s-advisor-e2e-')), 'e2e.db');
  const config: Config = {
    mode: 'http',
    slack: { botToken: 'xoxb-e2e', signingSecret: secret, apiUrl: standin.url },
    port: 0,
    host: '127.0.0.1',
    database: { engine: 'sqlite', path: dbPath },
    logLevel: 'silent',
    conversationsDir: 'conversations',
    ...opts.config,
  };
  const app = await startApp(config);
  return {
    standin,
    app,
    url: `http://127.0.0.1:${app.port}/slack/events`,
    secret,
    dbPath,
    stop: async () => {
      await app.stop();
      if (!opts.standin) await standin.close();
    },
  };
}

/** Where a driver acts: another workspace of the stand-in, in an Enterprise Grid org, installed org-wide. */
export interface DriverPlace {
  workspace?: StandinWorkspace;
  enterpriseId?: string;
  orgWide?: boolean;
}

/** Drives one user's assessment the way Slack would: signed requests in, stand-in messages out. */
export class Driver {
  threadTs = '';
  constructor(
    private readonly h: Pick<Harness, 'standin' | 'url' | 'secret'>,
    readonly user = 'U1',
    readonly channel = 'C1',
    private readonly place: DriverPlace = {},
  ) {}

  /** The stand-in workspace the driver acts in: the default one unless told. */
  get ws(): StandinWorkspace {
    return this.place.workspace ?? this.h.standin;
  }

  get team(): string {
    return this.ws.teamId;
  }

  /** The org fields every payload of this driver carries. */
  private get org() {
    return {
      ...(this.place.enterpriseId && { enterpriseId: this.place.enterpriseId }),
      ...(this.place.orgWide && { orgWide: true }),
    };
  }

  /** Where requests go; replica tests point it at one app process or another between steps. */
  target?: string;

  send(body: { form?: Record<string, string>; json?: unknown }, headers: Record<string, string> = {}) {
    return postSigned(this.target ?? this.h.url, this.h.secret, body, headers);
  }

  async command(text = '', triggerId?: string) {
    const res = await this.send({
      form: slashCommand({
        teamId: this.team,
        ...this.org,
        channelId: this.channel,
        userId: this.user,
        text,
        ...(triggerId && { triggerId }),
      }),
    });
    return res;
  }

  /** Starts an assessment and waits for its first question. */
  async start() {
    const before = new Set(this.ws.messages(this.channel).map((m) => m.ts));
    const res = await this.command('');
    if (res.status !== 200) throw new Error(`command answered ${res.status}`);
    const parent = await this.ws.waitFor(
      () =>
        this.ws
          .messages(this.channel)
          .find((m) => !before.has(m.ts) && isTopLevel(m) && m.text.includes(`<@${this.user}>`)),
      WAIT_MS,
    );
    this.threadTs = parent.ts;
    await this.waitForQuestion();
    return parent;
  }

  thread() {
    return this.ws.thread(this.channel, this.threadTs);
  }

  /** The newest message in the thread still asking a question (with buttons). */
  current(): StoredMessage | undefined {
    return this.thread()
      .filter((m) => askedQuestion(m))
      .at(-1);
  }

  waitForQuestion(id?: string, after?: string) {
    return this.ws.waitFor(() => {
      const m = this.current();
      if (!m || (after && m.ts <= after)) return undefined;
      return !id || askedQuestion(m) === id ? m : undefined;
    }, WAIT_MS);
  }

  /** The newest recommendation card in the thread. */
  card() {
    return this.thread()
      .filter(
        (m) =>
          (m.metadata as { event_type?: string } | undefined)?.event_type === 'k8s_advisor_recommendation',
      )
      .at(-1);
  }

  waitForCard() {
    return this.ws.waitFor(() => this.card(), WAIT_MS);
  }

  clickPayload(
    message: StoredMessage,
    actionId: string,
    value?: string,
    actionTs?: string,
    user = this.user,
  ) {
    return blockAction({
      teamId: this.team,
      ...this.org,
      channelId: this.channel,
      userId: user,
      message,
      actionId,
      blockId:
        blocksOf(message).find((b) => b.elements?.some((e) => e.action_id === actionId))?.block_id ?? '',
      ...(value !== undefined && { value }),
      ...(actionTs && { actionTs }),
    });
  }

  /** Picks `value` in a static select, as Slack sends it. */
  select(message: StoredMessage, actionId: string, value: string) {
    return this.send({
      form: blockAction({
        teamId: this.team,
        ...this.org,
        channelId: this.channel,
        userId: this.user,
        message,
        actionId,
        blockId: blocksOf(message).find((b) => JSON.stringify(b).includes(`"${actionId}"`))?.block_id ?? '',
        selectedOption: { text: { type: 'plain_text', text: value }, value },
      }),
    });
  }

  /** Clicks the button for `optionId` on the current question and waits for what follows. */
  async click(optionId: string, user = this.user) {
    const message = this.current();
    const qid = message && askedQuestion(message);
    if (!message || !qid) throw new Error('no question to answer');
    const res = await this.send({
      form: this.clickPayload(message, `answer:${qid}:${optionId}`, optionId, undefined, user),
    });
    if (res.status !== 200) throw new Error(`click answered ${res.status}`);
    return message;
  }

  async answer(optionId: string) {
    const asked = await this.click(optionId);
    // Done when something newer than the clicked question arrives: the next question or a card.
    await this.ws.waitFor(
      () => (this.current()?.ts ?? '') > asked.ts || (this.card()?.ts ?? '') > asked.ts,
      WAIT_MS,
    );
  }

  /**
   * Answers by question id until the card arrives: each question asked gets its profile answer by button, or
   * `skip` when the profile has none. Follows the questionnaire whatever order or subset it asks.
   */
  async answerAll(profile: Record<string, string>, { typed = false } = {}) {
    const startedAfter = this.card()?.ts ?? '';
    // Done when a new card is the newest thing asked: a typed answer leaves its question's buttons in place.
    const done = () => {
      const card = this.card();
      const asked = this.current();
      return card && card.ts > startedAfter && (!asked || asked.ts < card.ts) ? card : undefined;
    };
    for (let step = 0; step < 20; step++) {
      const finished = done();
      if (finished) return finished;
      const message = await this.ws.waitFor(() => (done() ? 'card' : this.current()), WAIT_MS);
      if (message === 'card') continue;
      const qid = askedQuestion(message) as string;
      const value = profile[qid] ?? 'skip';
      if (typed) {
        await this.reply(value);
        await this.ws.waitFor(
          () => (this.current()?.ts ?? '') > message.ts || (this.card()?.ts ?? '') > message.ts,
          WAIT_MS,
        );
      } else await this.answer(value);
    }
    throw new Error('the card never came');
  }

  replyPayload(text: string, user = this.user, eventId?: string) {
    const stored = this.ws.recordUserMessage({
      channel: this.channel,
      user,
      text,
      thread_ts: this.threadTs,
    });
    return messageEvent({
      teamId: this.team,
      ...this.org,
      channelId: this.channel,
      userId: user,
      text,
      ts: stored.ts,
      threadTs: this.threadTs,
      botUserId: this.ws.botUserId,
      ...(eventId && { eventId }),
    });
  }

  /** Shares a file in the thread as `user`, as the Slack client does, and sends Slack's `file_share` event. */
  async upload(filename: string, content: Buffer | string, user = this.user) {
    const message = this.ws.recordUserFile({
      channel: this.channel,
      user,
      thread_ts: this.threadTs,
      filename,
      content: Buffer.from(content),
    });
    const res = await this.send({
      json: fileShareEvent({
        teamId: this.team,
        ...this.org,
        channelId: this.channel,
        userId: user,
        message,
        botUserId: this.ws.botUserId,
      }),
    });
    if (res.status !== 200) throw new Error(`event answered ${res.status}`);
    return message;
  }

  async reply(text: string, user = this.user) {
    const res = await this.send({ json: this.replyPayload(text, user) });
    if (res.status !== 200) throw new Error(`event answered ${res.status}`);
  }
}
