// Sustained overload: slash commands from many channels with a fixed number in flight, each sender sending its
// next command as soon as the last one is answered, never waiting for its question. Measures what an app finishes
// (first questions that reached the stand-in) rather than what it acknowledges, how long it takes to deliver
// what it acknowledged once the load stops, and its resident memory all along.

import { Agent } from 'node:http';
import { slashCommand } from '../src/standin/payloads.js';
import type { SlackStandin } from '../src/standin/server.js';
import { logKinds } from './app-log.js';
import { type AppOptions, type RunningChild, startChild } from './apps.js';
import { FirstQuestions } from './question-watch.js';
import { type RssSample, sampleRss } from './rss.js';
import { SEED_TEAM, SEED_USERS, seedChannel, seedUser } from './seed.js';
import { postSigned } from './signed-post.js';
import { mb, median, percentile, round } from './stats.js';

export interface OverloadOptions {
  durationMs: number;
  /** Commands in flight: each sender waits only for the HTTP response to its last one. */
  concurrency: number;
  channels: number;
  /** How long to wait after the load for the questions of acknowledged commands. */
  drainCapMs: number;
  /** Stop waiting earlier once the stand-in has heard nothing from the app for this long. */
  quietMs: number;
  /** A response slower than this counts as none (status 0, 'timeout'). */
  responseTimeoutMs: number;
  /** After a 503 or 429 the sender pauses this long, as people do before trying again; no hot loop. */
  shedPauseMs: number;
  /** How often to read the app's resident memory. */
  rssEveryMs: number;
}

/** Slack shows the person an error when the ack takes longer than this. */
const SLACK_ACK_MS = 3000;

export interface OverloadFigures {
  app: RunningChild['kind'];
  loadSeconds: number;
  sent: number;
  acked: number;
  acksPerSec: number | null;
  ackP50: number | null;
  ackP99: number | null;
  /** Acked with 200, but later than Slack waits: the person saw an error although the work was taken. */
  ackedLate: number;
  /** 503 or 429 responses: the app said it is too busy. */
  shed: number;
  /** Every other response that was not a 200 (by status or error), shedding not included. */
  otherNon200: Record<string, number>;
  /** First questions (k8s-advisor) or posts (bare) that reached the stand-in while the load ran. */
  finishedDuringLoad: number;
  finishedPerSec: number | null;
  /** From the end of the load until the last acknowledged command's first question arrived. */
  drainMs: number | null;
  /** Acknowledged commands whose first question had not arrived when the wait ended. */
  neverArrived: number;
  /** How the wait for the drain ended: everything arrived, the cap, or the stand-in went quiet. */
  drainEnded: 'complete' | 'cap' | 'quiet' | 'app exited';
  /** Questions for commands that got no 200 (shed or failed ones the app still did). */
  finishedUnacked: number;
  peakRssMb: number | null;
  /** Median of the samples in each quarter of the load (the last one before its end if none fell in it). */
  rssQuartersMb: (number | null)[];
  rssEndOfLoadMb: number | null;
  rssAfterDrainMb: number | null;
  /** From the second quarter's median to the last quarter's, in per cent. */
  rssGrowthPct: number | null;
  rssSamples: number;
  appExited: boolean;
  /** Lines the app logged at level error, and the most frequent kinds of them. */
  appErrorLines: number;
  appErrors: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Command n's channel and person: every pair is used once in 2,000 × channels commands. */
function commandAt(n: number, channels: number) {
  const user = seedUser(n % SEED_USERS);
  const channel = seedChannel((n + Math.floor(n / SEED_USERS)) % channels);
  return { user, channel, key: `${channel}|${user}` };
}

export async function runOverload(
  standin: SlackStandin,
  secret: string,
  app: RunningChild,
  opts: OverloadOptions,
): Promise<OverloadFigures> {
  standin.reset();
  const watch = new FirstQuestions(standin);
  let lastChange = performance.now();
  const offChange = standin.onChange(() => {
    lastChange = performance.now();
  });
  let exited = false;
  void app.exited.then(() => {
    exited = true;
  });
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const acked: string[] = [];
  /** Of those, acks that came back before the load's time was up. */
  let ackedInTime = 0;
  const unacked = new Set<string>();
  const ackMs: number[] = [];
  const otherNon200: Record<string, number> = {};
  let shed = 0;
  let late = 0;
  let sent = 0;

  const rss = sampleRss(app.pid, opts.rssEveryMs);
  const t0 = performance.now();
  const deadline = t0 + opts.durationMs;
  const sender = async () => {
    while (performance.now() < deadline && !exited) {
      const { channel, user, key } = commandAt(sent++, opts.channels);
      const form = slashCommand({ teamId: SEED_TEAM, channelId: channel, userId: user, text: '' });
      const t = performance.now();
      const r = await postSigned(agent, app.url, secret, { form }, opts.responseTimeoutMs);
      const ms = performance.now() - t;
      if (r.status === 200) {
        acked.push(key);
        if (t + ms <= deadline) ackedInTime += 1;
        ackMs.push(ms);
        if (ms > SLACK_ACK_MS) late += 1;
        continue;
      }
      unacked.add(key);
      if (r.status === 503 || r.status === 429) {
        shed += 1;
        await sleep(opts.shedPauseMs);
      } else {
        const kind = r.status === 0 ? (r.error ?? 'no_response') : `http_${r.status}`;
        otherNon200[kind] = (otherNon200[kind] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, sender));
  agent.destroy();
  // The load is the time commands were sent. Commands still in flight then count as sent during it (answered,
  // shed or failed), but their questions, like everyone's after it, count in the drain.
  const loadEnd = deadline;

  const missing = () => acked.filter((k) => !watch.arrivals.has(k)).length;
  let drainEnded: OverloadFigures['drainEnded'] = 'complete';
  for (;;) {
    if (missing() === 0) break;
    const now = performance.now();
    if (exited) drainEnded = 'app exited';
    else if (now - loadEnd >= opts.drainCapMs) drainEnded = 'cap';
    else if (now - lastChange >= opts.quietMs) drainEnded = 'quiet';
    else {
      await sleep(50);
      continue;
    }
    break;
  }
  const samples = rss.stop();
  offChange();
  watch.close();

  const arrivals = [...watch.arrivals.entries()];
  const finishedDuringLoad = arrivals.filter(([, a]) => a.at <= loadEnd).length;
  // A loop, not Math.max(...): tens of thousands of arguments can overflow the stack.
  let lastAcked = loadEnd;
  for (const k of acked) lastAcked = Math.max(lastAcked, watch.arrivals.get(k)?.at ?? loadEnd);
  const loadSeconds = opts.durationMs / 1000;
  const quarters = quarterMedians(samples, t0, loadEnd);
  const [, q2, , q4] = quarters;
  const atOrBefore = samples.filter((s) => s.at <= loadEnd).at(-1);
  return {
    app: app.kind,
    loadSeconds: round(loadSeconds, 2) ?? 0,
    sent,
    acked: acked.length,
    acksPerSec: loadSeconds > 0 ? round(ackedInTime / loadSeconds) : null,
    ackP50: round(median(ackMs), 2),
    ackP99: round(percentile(ackMs, 99), 2),
    ackedLate: late,
    shed,
    otherNon200,
    finishedDuringLoad,
    finishedPerSec: loadSeconds > 0 ? round(finishedDuringLoad / loadSeconds) : null,
    drainMs: acked.length > 0 ? Math.round(lastAcked - loadEnd) : null,
    neverArrived: missing(),
    drainEnded,
    finishedUnacked: arrivals.filter(([k]) => unacked.has(k)).length,
    peakRssMb: samples.length ? round(mb(Math.max(...samples.map((s) => s.bytes)))) : null,
    rssQuartersMb: quarters.map((q) => (q === null ? null : round(mb(q)))),
    rssEndOfLoadMb: atOrBefore ? round(mb(atOrBefore.bytes)) : null,
    rssAfterDrainMb: samples.length ? round(mb(samples.at(-1)?.bytes ?? 0)) : null,
    rssGrowthPct: q2 && q4 ? round((100 * (q4 - q2)) / q2) : null,
    rssSamples: samples.length,
    appExited: exited,
    appErrorLines: app.errors().length,
    appErrors: logKinds(app.errors()),
  };
}

/**
 * The median resident size within each quarter of [from, to]. A quarter no sample fell in (the bench's own event
 * loop was late, or the quarter is shorter than the interval) takes the last sample before its end; null only
 * when there is none at all.
 */
function quarterMedians(samples: RssSample[], from: number, to: number): (number | null)[] {
  const span = (to - from) / 4;
  return [0, 1, 2, 3].map((q) => {
    const end = from + (q + 1) * span;
    const inside = samples.filter((s) => s.at >= from + q * span && s.at <= end).map((s) => s.bytes);
    if (inside.length) return median(inside);
    return samples.filter((s) => s.at <= end).at(-1)?.bytes ?? null;
  });
}

/** runOverload on an app started for it alone, so its memory figures start from a fresh process. */
export async function runOverloadOnFreshApp(
  standin: SlackStandin,
  secret: string,
  appOptions: AppOptions,
  opts: OverloadOptions,
  started?: (app: RunningChild) => void,
): Promise<OverloadFigures> {
  const app = await startChild(appOptions);
  started?.(app);
  try {
    return await runOverload(standin, secret, app, opts);
  } finally {
    await app.stop();
  }
}
