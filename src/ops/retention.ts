import type { Logger } from 'pino';
import { DAY_MS } from '../advisor/time.js';
import type { UserDataService } from '../advisor/user-data.js';

export interface Retention {
  /** Stops the timer and waits for a purge in progress, so the store can be closed after it. */
  stop(): Promise<void>;
  /** The purge started at start-up (tests await it). */
  readonly first: Promise<void>;
}

/**
 * RETENTION_DAYS: purges completed assessments at start-up and then once a day. Every replica may run it; the
 * deletes are idempotent. The timer is unref'd, so it never keeps the process alive.
 */
export function startRetention(
  service: Pick<UserDataService, 'purgeExpired'>,
  log: Pick<Logger, 'info' | 'error'>,
  intervalMs = DAY_MS,
): Retention {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      try {
        const purged = await service.purgeExpired();
        if (purged) {
          const { before, ...counts } = purged;
          log.info(
            { ...counts, before: new Date(before).toISOString() },
            'retention: purged old assessments',
          );
        }
      } catch (error) {
        log.error({ err: error }, 'retention: purge failed; will try again at the next run');
      }
    });
    return running;
  };
  const first = run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    first,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
