// The load generator: Slack-signed requests with fresh ids, a fixed number in flight, and the Slack stand-in
// watched for the moment the next question arrives.

import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { blockAction, messageEvent, slashCommand } from '../src/standin/payloads.js';
import type { SlackStandin, StoredMessage } from '../src/standin/server.js';
import type { RunningChild, Stats } from './apps.js';
import { isQuestion, MENTION } from './question-watch.js';
import { SEED_CHANNELS, SEED_TEAM, SEED_USERS, seedChannel, seedUser } from './seed.js';
import { postSigned, type SlackBody } from './signed-post.js';

export type Scenario = 'command' | 'reply' | 'click';
export const SCENARIOS: Scenario[] = ['command', 'reply', 'click'];

/** A started assessment the load can answer: its thread, its owner and the question now waiting. */
interface Thread {
  channel: string;
  threadTs: string;
  owner: string;
  question: StoredMessage;
  answered: number;
}

export interface RoundResult {
  scenario: Scenario;
  app: RunningChild['kind'];
  /** Interactions that completed: acked with 200 and the next question posted. */
  completed: number;
  errors: number;
  errorKinds: Record<string, number>;
  elapsedMs: number;
  ackMs: number[];
  nextMs: number[];
  peakRss: number;
  appCpuMs: number;
  loaderCpuMs: number;
  /** CPU time the whole machine spent outside this app and the load generator (other work, the database). */
  otherCpuMs: number | null;
  /** True when the pool of started assessments ran dry before the round's time was up. */
  poolExhausted: boolean;
}

export interface RoundOptions {
  scenario: Scenario;
  durationMs: number;
  concurrency: number;
  /** For reply/click: how many assessments to start (untimed) before the round. */
  poolSize: number;
  timeoutMs?: number;
}

/** Answers per assessment: the questionnaire asks 9 when every answer is the first option; the 9th ends it. */
const ANSWERS_PER_THREAD = 8;

/** Busy CPU time of the whole machine so far, from /proc/stat (Linux); null elsewhere. */
function machineBusyMs(): number | null {
  try {
    const fields =
      readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

type Waiter = (m: StoredMessage, at: number) => void;

export class LoadHarness {
  /** Keyed `channel|thread_ts`: an answer waits for the next question in its thread. */
  private readonly byThread = new Map<string, Waiter>();
  /** Keyed `channel|user`: a command waits for the top-level message that mentions its user. */
  private readonly byUser = new Map<string, Waiter>();
  private refusals: string[] = [];
  private lastChange = performance.now();
  private users = 0;
  private channels = 0;

  constructor(
    private readonly standin: SlackStandin,
    private readonly secret: string,
  ) {
    standin.onChange((change) => {
      const at = performance.now();
      this.lastChange = at;
      if (change.kind === 'refused') this.refusals.push(`${change.method}: ${change.error}`);
      const m = change.message;
      if (change.kind !== 'message' || !m) return;
      if (m.thread_ts && m.thread_ts !== m.ts) {
        const key = `${m.channel}|${m.thread_ts}`;
        const waiter = this.byThread.get(key);
        if (waiter && isQuestion(m)) {
          this.byThread.delete(key);
          waiter(m, at);
        }
        return;
      }
      const user = MENTION.exec(m.text)?.[1];
      const key = `${m.channel}|${user}`;
      const waiter = user && this.byUser.get(key);
      if (!waiter) return;
      this.byUser.delete(key);
      // The bare app's one message is the answer; k8s-advisor's parent message opens the thread to watch.
      if (isQuestion(m)) waiter(m, at);
      else this.byThread.set(`${m.channel}|${m.ts}`, waiter);
    });
  }

  /** Users in turn: never two requests from one user in flight, since there are far more users than slots. */
  private nextUser() {
    this.users = (this.users + 1) % SEED_USERS;
    return seedUser(this.users);
  }

  /** New assessments land in the channels that hold the stored ones, as they would in a workspace. */
  private nextChannel() {
    this.channels = (this.channels + 1) % SEED_CHANNELS;
    return seedChannel(this.channels);
  }

  /** Resolves with the next question posted in the thread (for a command: in the thread it opens). */
  private expect(
    map: Map<string, Waiter>,
    key: string,
    timeoutMs: number,
  ): Promise<{ message: StoredMessage; at: number } | undefined> {
    return new Promise((resolve) => {
      const waiter: Waiter = (message, at) => {
        clearTimeout(timer);
        resolve({ message, at });
      };
      const timer = setTimeout(() => {
        // The waiter may have moved from byUser to byThread; drop it wherever it is.
        for (const m of [this.byUser, this.byThread]) for (const [k, w] of m) if (w === waiter) m.delete(k);
        resolve(undefined);
      }, timeoutMs);
      map.set(key, waiter);
    });
  }

  /** Waits until the stand-in has been quiet for `quietMs`, so one round's tail never overlaps the next. */
  async settle(quietMs = 200, maxMs = 5000) {
    const t0 = performance.now();
    while (performance.now() - this.lastChange < quietMs && performance.now() - t0 < maxMs)
      await new Promise((r) => setTimeout(r, 50));
  }

  /** Runs one interaction: returns ack and next-question latencies, or the kind of failure. */
  private async interact(
    agent: Agent,
    app: RunningChild,
    body: SlackBody,
    wait: { map: 'thread' | 'user'; key: string },
    timeoutMs: number,
  ): Promise<
    { ok: true; ackMs: number; nextMs: number; message: StoredMessage } | { ok: false; error: string }
  > {
    const t0 = performance.now();
    const map = wait.map === 'thread' ? this.byThread : this.byUser;
    const next = this.expect(map, wait.key, timeoutMs);
    const { status } = await postSigned(agent, app.url, this.secret, body);
    const ackMs = performance.now() - t0;
    if (status !== 200) {
      // The app never saw it, or refused it: the question will not come. Its waiter times out unused.
      return { ok: false, error: `http_${status}` };
    }
    const got = await next;
    if (!got) return { ok: false, error: 'no_next_question' };
    return { ok: true, ackMs, nextMs: got.at - t0, message: got.message };
  }

  private command(agent: Agent, app: RunningChild, channel: string, user: string, timeoutMs: number) {
    const form = slashCommand({ teamId: SEED_TEAM, channelId: channel, userId: user, text: '' });
    return this.interact(agent, app, { form }, { map: 'user', key: `${channel}|${user}` }, timeoutMs);
  }

  /** Starts `count` assessments through the app itself (not timed), `concurrency` at a time. */
  private async startThreads(app: RunningChild, count: number, concurrency: number) {
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const threads: Thread[] = [];
    let started = 0;
    let failures = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (started < count) {
          started += 1;
          const channel = this.nextChannel();
          const owner = this.nextUser();
          const r = await this.command(agent, app, channel, owner, 15_000);
          if (!r.ok) {
            failures += 1;
            continue;
          }
          threads.push({
            channel,
            threadTs: r.message.thread_ts ?? r.message.ts,
            owner,
            question: r.message,
            answered: 0,
          });
        }
      }),
    );
    agent.destroy();
    if (failures > 0) throw new Error(`${app.kind}: ${failures} of ${count} assessments failed to start`);
    return threads;
  }

  /** One timed round of one scenario against one app. */
  async round(app: RunningChild, opts: RoundOptions): Promise<RoundResult> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    this.standin.reset();
    const pool =
      opts.scenario === 'command' ? [] : await this.startThreads(app, opts.poolSize, opts.concurrency);
    await this.settle();
    this.refusals = [];

    const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
    const result: RoundResult = {
      scenario: opts.scenario,
      app: app.kind,
      completed: 0,
      errors: 0,
      errorKinds: {},
      elapsedMs: 0,
      ackMs: [],
      nextMs: [],
      peakRss: 0,
      appCpuMs: 0,
      loaderCpuMs: 0,
      otherCpuMs: null,
      poolExhausted: false,
    };
    const fail = (error: string) => {
      result.errors += 1;
      result.errorKinds[error] = (result.errorKinds[error] ?? 0) + 1;
    };

    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const s = await app.stats();
        result.peakRss = Math.max(result.peakRss, s.rss);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const before: Stats = await app.stats();
    const loaderBefore = process.cpuUsage();
    const machineBefore = machineBusyMs();
    const t0 = performance.now();
    const deadline = t0 + opts.durationMs;
    let lastDone = t0;

    const worker = async () => {
      while (performance.now() < deadline) {
        let r: Awaited<ReturnType<LoadHarness['interact']>>;
        let thread: Thread | undefined;
        if (opts.scenario === 'command') {
          r = await this.command(agent, app, this.nextChannel(), this.nextUser(), timeoutMs);
        } else {
          thread = pool.shift();
          if (!thread) {
            result.poolExhausted = true;
            return;
          }
          const wait = { map: 'thread' as const, key: `${thread.channel}|${thread.threadTs}` };
          if (opts.scenario === 'reply') {
            const json = messageEvent({
              teamId: SEED_TEAM,
              channelId: thread.channel,
              userId: thread.owner,
              text: '1',
              threadTs: thread.threadTs,
            });
            r = await this.interact(agent, app, { json }, wait, timeoutMs);
          } else {
            const q = thread.question;
            const actions = (
              q.blocks as { type: string; block_id?: string; elements?: Record<string, string>[] }[]
            )
              .filter((b) => b.type === 'actions')
              .at(0);
            const button = actions?.elements?.[0];
            const form = blockAction({
              teamId: SEED_TEAM,
              channelId: thread.channel,
              userId: thread.owner,
              message: { ts: q.ts, thread_ts: q.thread_ts ?? q.ts, blocks: q.blocks ?? [], text: q.text },
              actionId: button?.action_id ?? '',
              blockId: actions?.block_id ?? '',
              ...(button?.value !== undefined && { value: button.value }),
            });
            r = await this.interact(agent, app, { form }, wait, timeoutMs);
          }
        }
        if (r.ok) {
          result.completed += 1;
          result.ackMs.push(r.ackMs);
          result.nextMs.push(r.nextMs);
          lastDone = performance.now();
          if (thread) {
            thread.question = r.message;
            thread.answered += 1;
            if (thread.answered < ANSWERS_PER_THREAD) pool.push(thread);
          }
        } else {
          fail(r.error);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, () => worker()));
    result.elapsedMs = Math.max(lastDone, Math.min(performance.now(), deadline)) - t0;
    const loader = process.cpuUsage(loaderBefore);
    result.loaderCpuMs = (loader.user + loader.system) / 1000;
    const after = await app.stats();
    const machineAfter = machineBusyMs();
    result.appCpuMs = after.cpuMs - before.cpuMs;
    if (machineBefore !== null && machineAfter !== null)
      result.otherCpuMs = Math.max(0, machineAfter - machineBefore - result.appCpuMs - result.loaderCpuMs);
    sampling = false;
    await sampler;
    agent.destroy();
    await this.settle();
    for (const refusal of this.refusals) fail(`standin refused ${refusal}`);
    return result;
  }
}
