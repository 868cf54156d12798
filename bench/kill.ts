// kill -9 in the middle of answers: does an answer the app acknowledged survive the process dying at once?
// Starts assessments, answers them all at the same moment (thread replies and button clicks), SIGKILLs the app
// as soon as a given number of answers has been acknowledged (HTTP 200), restarts it on the same store, then
// reads the store through the app's own adapter to see which acknowledged answers are there, and watches the
// stand-in for the next questions the app still owed.

import { Agent } from 'node:http';
import { blockAction, messageEvent, slashCommand } from '../src/standin/payloads.js';
import type { SlackStandin, StoredMessage } from '../src/standin/server.js';
import { openStore } from '../src/store/open.js';
import { logKinds } from './app-log.js';
import { type AppOptions, type RunningChild, startChild } from './apps.js';
import { FirstQuestions, isQuestion, questionIdOf } from './question-watch.js';
import { SEED_TEAM, seedChannel } from './seed.js';
import { postSigned, type SlackBody } from './signed-post.js';

export interface KillOptions {
  /** Assessments to start and answer once each. */
  threads: number;
  /** SIGKILL the app the moment this many answers have been acknowledged. */
  killAfter: number;
  /** After the restart, how long to wait for next questions the app still owed. */
  settleMs: number;
}

type Next = 'before restart' | 'after restart' | 'never';

export interface AcknowledgedAnswer {
  thread: string;
  kind: 'reply' | 'click';
  questionId: string;
  /** In the store after the restart, read through src/store/open.ts. */
  stored: boolean;
  /** When the next question of its thread reached the stand-in. */
  next: Next;
}

export interface KillFigures {
  threads: number;
  answersSent: { reply: number; click: number };
  killAfter: number;
  /** False when fewer answers than killAfter were acknowledged: the app was killed after the last response. */
  killedOnTime: boolean;
  acknowledged: number;
  /** Acknowledged with 200 and not in the store after the restart. */
  lost: number;
  /** No 200 (the connection died with the app) yet in the store: harmless, Slack would retry them. */
  unacknowledgedStored: number;
  /** Answers without a response, or with one other than 200, by status or error. */
  notAcknowledged: Record<string, number>;
  /** For acknowledged answers: where their thread's next question came from. */
  nextQuestion: Record<Next, number>;
  /** fork() of the new process until it answered GET /healthz. */
  restartMs: number;
  answers: AcknowledgedAnswer[];
  /** Lines both processes logged at level error, and the most frequent kinds of them. */
  appErrorLines: number;
  appErrors: Record<string, number>;
}

interface Started {
  channel: string;
  owner: string;
  threadTs: string;
  question: StoredMessage;
}

/** The first option's button of a question, as a person clicks it: `answer:<question>:<option>`. */
function firstButton(q: StoredMessage) {
  const actions = (
    q.blocks as { type: string; block_id?: string; elements?: Record<string, string>[] }[] | undefined
  )?.find((b) => b.type === 'actions');
  return { blockId: actions?.block_id ?? '', button: actions?.elements?.[0] };
}

/** Starts `count` assessments, `concurrency` at a time, each with its own person; waits for each first question. */
async function startAssessments(
  standin: SlackStandin,
  secret: string,
  app: RunningChild,
  count: number,
  concurrency = 8,
): Promise<Started[]> {
  const watch = new FirstQuestions(standin);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const started: Started[] = [];
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const channel = seedChannel(i % 10);
        const owner = `U0KILL${String(i).padStart(4, '0')}`;
        const question = watch.wait(`${channel}|${owner}`, 15_000);
        const form = slashCommand({ teamId: SEED_TEAM, channelId: channel, userId: owner, text: '' });
        const r = await postSigned(agent, app.url, secret, { form }, 10_000);
        const q = r.status === 200 ? await question : undefined;
        if (!q) failures.push(r.status === 200 ? 'no first question' : `status ${r.status}`);
        else
          started.push({
            channel,
            owner,
            threadTs: q.message.thread_ts ?? q.message.ts,
            question: q.message,
          });
      }
    }),
  );
  agent.destroy();
  watch.close();
  if (failures.length > 0)
    throw new Error(
      `${failures.length} of ${count} assessments did not start: ${failures.slice(0, 3).join(', ')}`,
    );
  return started;
}

export async function runKill(
  standin: SlackStandin,
  secret: string,
  appOptions: AppOptions & { database: NonNullable<AppOptions['database']> },
  opts: KillOptions,
): Promise<KillFigures> {
  standin.reset();
  const first = await startChild(appOptions);
  const threads = await startAssessments(standin, secret, first, opts.threads);

  // Every question posted in a thread after the answers went out, other than the one answered: its next question.
  const answered = new Map(threads.map((t) => [`${t.channel}|${t.threadTs}`, questionIdOf(t.question)]));
  const nextAt = new Map<string, number>();
  const off = standin.onChange((change) => {
    const m = change.message;
    if (change.kind !== 'message' || !m?.thread_ts || !isQuestion(m)) return;
    const key = `${m.channel}|${m.thread_ts}`;
    if (answered.has(key) && questionIdOf(m) !== answered.get(key) && !nextAt.has(key))
      nextAt.set(key, performance.now());
  });

  const answers = threads.map((t, i) => {
    const kind: 'reply' | 'click' = i % 2 === 0 ? 'reply' : 'click';
    let body: SlackBody;
    if (kind === 'reply') {
      body = {
        json: messageEvent({
          teamId: SEED_TEAM,
          channelId: t.channel,
          userId: t.owner,
          text: '1',
          threadTs: t.threadTs,
        }),
      };
    } else {
      const { blockId, button } = firstButton(t.question);
      const q = t.question;
      body = {
        form: blockAction({
          teamId: SEED_TEAM,
          channelId: t.channel,
          userId: t.owner,
          message: { ts: q.ts, thread_ts: q.thread_ts ?? q.ts, blocks: q.blocks ?? [], text: q.text },
          actionId: button?.action_id ?? '',
          blockId,
          ...(button?.value !== undefined && { value: button.value }),
        }),
      };
    }
    return { thread: t, kind, questionId: questionIdOf(t.question) ?? '', body, status: 0, error: '' };
  });

  // All at once, one connection each; the kill happens in the callback of the killAfter-th 200, not a tick later.
  const agent = new Agent({ keepAlive: true, maxSockets: answers.length });
  let acknowledged = 0;
  let killAt: number | undefined;
  const kill = () => {
    if (killAt !== undefined) return;
    killAt = performance.now();
    process.kill(first.pid, 'SIGKILL');
  };
  await Promise.all(
    answers.map(async (a) => {
      const r = await postSigned(agent, first.url, secret, a.body, 10_000);
      a.status = r.status;
      a.error = r.error ?? '';
      if (r.status === 200 && ++acknowledged === opts.killAfter) kill();
    }),
  );
  const killedOnTime = killAt !== undefined;
  kill();
  agent.destroy();
  await first.exited;
  const appErrors = first.errors();

  // Calls the dead process had already sent may still land before the new one starts: those count as before.
  const restartAt = performance.now();
  const second = await startChild(appOptions);
  const acked = answers.filter((a) => a.status === 200);
  const key = (a: (typeof answers)[number]) => `${a.thread.channel}|${a.thread.threadTs}`;
  const waitUntil = performance.now() + opts.settleMs;
  while (performance.now() < waitUntil && !acked.every((a) => nextAt.has(key(a))))
    await new Promise((r) => setTimeout(r, 50));
  off();

  // Read while the restarted app runs on it, through the app's own adapter.
  const store = await openStore(appOptions.database);
  const stored = new Map<(typeof answers)[number], boolean>();
  try {
    for (const a of answers) {
      const sessions = await store.byThread(SEED_TEAM, a.thread.channel, a.thread.threadTs);
      const mine = sessions.find((s) => s.userId === a.thread.owner);
      stored.set(a, mine !== undefined && a.questionId in mine.answers);
    }
  } finally {
    await store.close();
  }
  appErrors.push(...second.errors());
  await second.stop();

  const notAcknowledged: Record<string, number> = {};
  for (const a of answers.filter((x) => x.status !== 200)) {
    const kind = a.status === 0 ? a.error || 'no_response' : `http_${a.status}`;
    notAcknowledged[kind] = (notAcknowledged[kind] ?? 0) + 1;
  }
  const list: AcknowledgedAnswer[] = acked.map((a) => {
    const at = nextAt.get(key(a));
    return {
      thread: `${a.thread.channel}/${a.thread.threadTs}`,
      kind: a.kind,
      questionId: a.questionId,
      stored: stored.get(a) === true,
      next: at === undefined ? 'never' : at < restartAt ? 'before restart' : 'after restart',
    };
  });
  const count = (next: Next) => list.filter((a) => a.next === next).length;
  return {
    threads: threads.length,
    answersSent: {
      reply: answers.filter((a) => a.kind === 'reply').length,
      click: answers.filter((a) => a.kind === 'click').length,
    },
    killAfter: opts.killAfter,
    killedOnTime,
    acknowledged: acked.length,
    lost: list.filter((a) => !a.stored).length,
    unacknowledgedStored: answers.filter((a) => a.status !== 200 && stored.get(a)).length,
    notAcknowledged,
    nextQuestion: {
      'before restart': count('before restart'),
      'after restart': count('after restart'),
      never: count('never'),
    },
    restartMs: Math.round(second.readyMs),
    answers: list,
    appErrorLines: appErrors.length,
    appErrors: logKinds(appErrors),
  };
}
