// What the bench counts as finished work: a question that reached the Slack stand-in. A command's first question
// is found through the person it mentions: k8s-advisor's parent message mentions them and the question follows
// in its thread; the bare app's one message mentions them and is itself the "question".

import type { SlackStandin, StoredMessage } from '../src/standin/server.js';

/** A message with a `question:<id>` section: a question as k8s-advisor asks it, or the bare app's one reply. */
export const isQuestion = (m: StoredMessage) => questionIdOf(m) !== undefined;

/** The id of the question a message asks (its `question:<id>` block), if it asks one. */
export function questionIdOf(m: StoredMessage): string | undefined {
  for (const b of (m.blocks ?? []) as { block_id?: string }[])
    if (b.block_id?.startsWith('question:')) return b.block_id.slice('question:'.length);
  return undefined;
}

/** The person a top-level message is about: the parent message and the bare app's reply both mention them. */
export const MENTION = /<@(U[A-Z0-9]+)>/;

export interface Arrival {
  message: StoredMessage;
  /** performance.now() in the bench process when the stand-in stored it. */
  at: number;
}

/**
 * First questions by `channel|user`. A command's key must be unique while the watch runs (one person starts one
 * assessment per channel), so each arrival belongs to exactly one command.
 */
export class FirstQuestions {
  /** `channel|parent ts` → the key of the command whose parent message it is. */
  private readonly parents = new Map<string, string>();
  private readonly waiters = new Map<string, (a: Arrival) => void>();
  readonly arrivals = new Map<string, Arrival>();
  /** Questions in threads of parents this watch never saw (posted before it started): not expected. */
  strays = 0;
  private readonly off: () => void;

  constructor(standin: SlackStandin) {
    this.off = standin.onChange((change) => {
      const m = change.message;
      if (change.kind !== 'message' || !m) return;
      const at = performance.now();
      if (m.thread_ts && m.thread_ts !== m.ts) {
        if (!isQuestion(m)) return;
        const key = this.parents.get(`${m.channel}|${m.thread_ts}`);
        if (key === undefined) this.strays += 1;
        // Later questions in the thread answer something; only the first one is the command's.
        else if (!this.arrivals.has(key)) this.arrive(key, { message: m, at });
        return;
      }
      const user = MENTION.exec(m.text)?.[1];
      if (!user) return;
      const key = `${m.channel}|${user}`;
      if (isQuestion(m)) {
        if (!this.arrivals.has(key)) this.arrive(key, { message: m, at });
      } else this.parents.set(`${m.channel}|${m.ts}`, key);
    });
  }

  private arrive(key: string, a: Arrival) {
    this.arrivals.set(key, a);
    this.waiters.get(key)?.(a);
    this.waiters.delete(key);
  }

  /** The first question for `key`, once it arrives; undefined after `timeoutMs`. */
  wait(key: string, timeoutMs: number): Promise<Arrival | undefined> {
    const known = this.arrivals.get(key);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(key, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
    });
  }

  close() {
    this.off();
    this.waiters.clear();
  }
}
