import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Metrics } from '../ops/metrics.js';
import { NOT_ACKNOWLEDGED } from './listeners/registry.js';

type Body = {
  command?: string;
  event?: { type?: string };
  type?: string;
  event_id?: string;
  trigger_id?: string;
  team_id?: string;
  team?: { id?: string };
  user?: { id?: string };
  user_id?: string;
};

export function kindOfBody(body: Body): 'command' | 'event' | 'action' | 'other' {
  if (body.command) return 'command';
  if (body.event) return 'event';
  if (body.type === 'block_actions') return 'action';
  return 'other';
}

/** Counts work in flight, so shutdown can wait for listeners still posting after their ack. */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];
  enter() {
    this.count++;
  }
  leave() {
    this.count--;
    if (this.count === 0) for (const w of this.waiters.splice(0)) w();
  }
  get size() {
    return this.count;
  }
  /** Resolves when nothing is in flight, or after `timeoutMs`, whichever comes first. */
  drained(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * One structured log line per Slack request, with its request id. Only ids are logged: never message text,
 * tokens or the signing secret. The child logger is made only for a line that will be written.
 */
export function registerRequestLog(app: App, log: Logger, metrics: Metrics, inFlight: InFlight) {
  app.use(async (args) => {
    const { body, context, next } = args as AnyMiddlewareArgs & {
      context: Record<string, unknown>;
      next: () => Promise<void>;
    };
    const b = body as Body;
    const kind = kindOfBody(b);
    const lineFor = () =>
      log.child({
        request_id:
          (context.requestId as string | undefined) ?? b.event_id ?? b.trigger_id ?? crypto.randomUUID(),
        kind,
        team: b.team_id ?? b.team?.id,
        user: b.user_id ?? b.user?.id,
        ...(context.retryNum !== undefined && { retry: context.retryNum }),
      });
    metrics.requests.inc({ kind });
    inFlight.enter();
    const started = performance.now();
    try {
      await next();
      if (log.isLevelEnabled('info'))
        lineFor().info({ ms: Math.round(performance.now() - started) }, `handled ${kind}`);
    } catch (error) {
      // Logged here, with the request id, rather than by app.error again without it.
      lineFor().error({ err: error, ms: Math.round(performance.now() - started) }, `failed ${kind}`);
      // Nothing was committed: on to the receiver, which answers with an error status so Slack retries.
      if ((error as { code?: string }).code === NOT_ACKNOWLEDGED) throw error;
    } finally {
      inFlight.leave();
    }
  });
}
