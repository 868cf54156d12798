import { Cron } from 'croner';
import { cronPattern } from './period.js';
import type { DigestService, PlanDigest } from './service.js';

/**
 * Runs scheduled digests in this process. Each subscription gets a croner job that wakes the scheduler a few
 * seconds after its time (so writes stamped just before the period's end have landed), and a sweep every minute
 * re-reads subscriptions changed by other replicas and catches anything missed. Every wake-up does one pass:
 * queue what is due. Exactly once comes from the store, not from here: a digest is queued only by the process
 * that claims its (channel, period end) run, in the claim's transaction, so replicas and restarts cannot queue
 * it twice, and a digest missed while the app was down is owed once, for the latest tick, covering everything
 * since the last one. The outbox sender posts it (and, before a repeated post, looks for it in the channel).
 */

export interface Job {
  stop(): void;
}

/** Makes a job that calls `run` at each time of `pattern` in `timezone`; tests pass a fake one. */
export type CronFactory = (pattern: string, timezone: string, run: () => void) => Job;

export const cronerFactory: CronFactory = (pattern, timezone, run) =>
  new Cron(pattern, { timezone, protect: true, catch: true, unref: true }, run);

export interface SchedulerLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface SchedulerOptions {
  digests: DigestService;
  /** The outbox calls that post a digest, committed with its run's claim. */
  plan: PlanDigest;
  /** Tells the outbox sender that a pass queued digests. */
  wake?: () => void;
  now?: () => number;
  cron?: CronFactory;
  /** How long after its time a digest is built. Default 5 s; whole seconds. */
  graceMs?: number;
  /** When to re-read subscriptions and catch up. Default every minute, at second 30. */
  sweep?: string;
  logger?: SchedulerLogger;
}

export interface DigestScheduler {
  /** Stores missing findings, arms the jobs and posts what was missed while the app was down. */
  start(): Promise<void>;
  /** One pass: re-arm jobs from the store, post what is due. Concurrent calls share a pass. */
  sync(): Promise<void>;
  /** Stops every job and waits for a pass under way. */
  stop(): Promise<void>;
  /** The armed wake-ups, `team/channel pattern tz`, for tests and diagnostics. */
  jobs(): string[];
}

const silent: SchedulerLogger = { info() {}, warn() {}, error() {} };

export function createDigestScheduler({
  digests,
  plan,
  wake = () => {},
  now = Date.now,
  cron = cronerFactory,
  graceMs = 5_000,
  sweep = '30 * * * * *',
  logger = silent,
}: SchedulerOptions): DigestScheduler {
  const armed = new Map<string, { signature: string; job: Job }>();
  let sweeper: Job | undefined;
  let stopped = false;
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const graceSeconds = Math.min(59, Math.ceil(graceMs / 1000));

  const pass = async () => {
    if (stopped) return;
    const at = now();
    const agenda = await digests.agenda(at - graceMs);
    const seen = new Set<string>();
    for (const { subscription: sub } of agenda) {
      const key = `${sub.teamId}/${sub.channelId}`;
      const signature = `${cronPattern(sub, graceSeconds)} ${sub.tz}`;
      seen.add(key);
      if (armed.get(key)?.signature === signature) continue;
      armed.get(key)?.job.stop();
      try {
        armed.set(key, { signature, job: cron(cronPattern(sub, graceSeconds), sub.tz, () => void sync()) });
      } catch (error) {
        armed.delete(key);
        logger.warn(`digest for ${key} not scheduled: ${(error as Error).message}`);
      }
    }
    for (const [key, { job }] of armed) {
      if (seen.has(key)) continue;
      job.stop();
      armed.delete(key);
    }
    for (const item of agenda) {
      if (stopped || item.tick === undefined) continue;
      const { teamId, channelId } = item.subscription;
      try {
        const result = await digests.runScheduled({ subscription: item.subscription, tick: item.tick }, plan);
        if (result === 'queued') {
          logger.info(`digest for ${teamId}/${channelId}: queued`);
          wake();
        }
      } catch (error) {
        logger.error(`digest for ${teamId}/${channelId} failed: ${(error as Error).message}`);
      }
    }
  };

  // At most one pass runs and one waits; a wake-up during a pass is served by the waiting one.
  const sync = (): Promise<void> => {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = undefined;
      return pass().catch((error: Error) => logger.error(`digest pass failed: ${error.message}`));
    });
    queued = next;
    tail = next;
    return next;
  };

  return {
    async start() {
      stopped = false;
      try {
        const filled = await digests.backfillFindings();
        if (filled > 0) logger.info(`stored findings of ${filled} earlier assessments`);
      } catch (error) {
        logger.warn(`could not store findings of earlier assessments: ${(error as Error).message}`);
      }
      await sync();
      sweeper ??= cron(sweep, 'UTC', () => void sync());
    },
    sync,
    async stop() {
      stopped = true;
      sweeper?.stop();
      sweeper = undefined;
      for (const { job } of armed.values()) job.stop();
      armed.clear();
      await tail;
    },
    jobs: () => [...armed.entries()].map(([key, { signature }]) => `${key} ${signature}`),
  };
}
