import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Requests handled at once per replica unless ADMISSION_MAX_IN_FLIGHT says otherwise. */
export const DEFAULT_MAX_IN_FLIGHT = 64;
/**
 * Slack gives up on an ack after 3 s. A request waits for a slot at most half of that, so one admitted at the last
 * moment still has time to commit and answer.
 */
export const DEFAULT_MAX_WAIT_MS = 1_500;
/** Waiting requests per slot: enough to ride out a burst, few enough that each holds little (headers, no body). */
export const QUEUE_PER_SLOT = 4;

export type ShedReason = 'queue_full' | 'wait_timeout';

export interface AdmissionObserver {
  admitted(waited: boolean): void;
  shed(reason: ShedReason): void;
}

export interface AdmissionOptions {
  maxInFlight?: number;
  /** Requests waiting for a slot, at most; QUEUE_PER_SLOT × maxInFlight by default. */
  maxQueued?: number;
  maxWaitMs?: number;
  observer?: AdmissionObserver;
  /**
   * Whether delivery is behind (the outbox sender has more due than it can carry). While it is, at most
   * `pressedInFlight` requests are admitted: acks slow down, so the CPU goes to finishing work already
   * acknowledged rather than acknowledging more of it, and past the wait the excess is shed.
   */
  behind?: () => boolean;
  pressedInFlight?: number;
}

/** How often waiting requests look again whether delivery has caught up. */
const RECHECK_MS = 25;

interface Waiter {
  req: IncomingMessage;
  res: ServerResponse;
  proceed: () => void;
  timer: NodeJS.Timeout;
  /** Stops listening for the client going away. */
  detach: () => void;
}

const ON_CLOSE = Symbol('k8s-advisor.admission.onClose');
type Tracked = Socket & { [ON_CLOSE]?: Set<() => void> };

/**
 * Calls `fn` once, when the response closes or its connection does, whichever comes first; returns a function
 * that stops listening. The connection matters: a pipelined request's response, still waiting for its turn,
 * emits nothing when the socket goes, and its slot would be lost for good. One listener per socket, however many
 * requests it carries.
 */
function whenDone(req: IncomingMessage, res: ServerResponse, fn: () => void): () => void {
  const socket = req.socket as Tracked;
  let callbacks = socket[ON_CLOSE];
  if (!callbacks) {
    const all = new Set<() => void>();
    socket.once('close', () => {
      for (const f of [...all]) f();
    });
    socket[ON_CLOSE] = all;
    callbacks = all;
  }
  const set = callbacks;
  const detach = () => {
    res.off('close', done);
    set.delete(done);
  };
  let fired = false;
  const done = () => {
    detach();
    if (fired) return;
    fired = true;
    fn();
  };
  res.once('close', done);
  set.add(done);
  // Already gone: its 'close' has been and will not come again.
  if (socket.destroyed) setImmediate(done);
  return detach;
}

/**
 * Bounds the requests a replica works on at once, so memory stays flat however fast Slack sends: each request in
 * process holds its body, Bolt's objects and a wait for a database connection. Past `maxInFlight` a request waits
 * in a bounded FIFO line, its body unread, for at most `maxWaitMs`; past that, or when the line is full, it gets a
 * 503 with `Retry-After: 1` at once. Slack retries events on a 5xx; for a command or a click it tells the person to
 * try again. Durable work is not held here: it waits in the outbox.
 */
export class Admission {
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly maxWaitMs: number;
  private readonly observer: AdmissionObserver | undefined;
  private readonly behind: (() => boolean) | undefined;
  private readonly pressedInFlight: number;
  private recheck: NodeJS.Timeout | undefined;
  private running = 0;
  /** A Set keeps insertion order (FIFO) and lets a waiter that gave up leave from anywhere in line. */
  private readonly line = new Set<Waiter>();

  constructor({
    maxInFlight = DEFAULT_MAX_IN_FLIGHT,
    maxQueued,
    maxWaitMs = DEFAULT_MAX_WAIT_MS,
    observer,
    behind,
    pressedInFlight,
  }: AdmissionOptions = {}) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
      throw new RangeError('maxInFlight must be a whole number above 0');
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued ?? QUEUE_PER_SLOT * maxInFlight;
    this.maxWaitMs = maxWaitMs;
    this.observer = observer;
    this.behind = behind;
    this.pressedInFlight = Math.max(1, pressedInFlight ?? Math.ceil(maxInFlight / 16));
  }

  /** The slots open now: all of them, or few while delivery is behind. */
  private get limit() {
    return this.behind?.() ? this.pressedInFlight : this.maxInFlight;
  }

  /** Requests admitted and not yet answered. */
  get inProcess() {
    return this.running;
  }

  /** Requests waiting for a slot. */
  get waiting() {
    return this.line.size;
  }

  /**
   * Runs `proceed` now when a slot is free, later when one frees up, or never, answering 503 instead. An admitted
   * request keeps its slot until its response is closed (sent) or its connection is.
   */
  admit(req: IncomingMessage, res: ServerResponse, proceed: () => void): void {
    if (this.line.size === 0 && this.running < this.limit) {
      this.enter(req, res, proceed, false);
      return;
    }
    if (this.line.size >= this.maxQueued) {
      this.shed(req, res, 'queue_full');
      return;
    }
    const waiter: Waiter = {
      req,
      res,
      proceed,
      timer: setTimeout(() => {
        this.leaveLine(waiter);
        this.shed(req, res, 'wait_timeout');
      }, this.maxWaitMs),
      // The client gave up while waiting: its place goes to the next one rather than to a dead socket.
      detach: whenDone(req, res, () => this.leaveLine(waiter)),
    };
    this.line.add(waiter);
    this.watch();
  }

  /** While requests wait on delivery rather than on a slot, looks again now and then whether they may go. */
  private watch() {
    if (this.recheck || !this.behind) return;
    this.recheck = setInterval(() => {
      this.admitWaiting();
      if (this.line.size === 0) {
        clearInterval(this.recheck);
        this.recheck = undefined;
      }
    }, RECHECK_MS);
    this.recheck.unref();
  }

  /** Admits waiting requests, oldest first, while slots are open. */
  private admitWaiting() {
    for (const next of this.line) {
      if (this.running >= this.limit) return;
      this.leaveLine(next);
      // One whose connection closed with this one's (pipelined) is dropped, not admitted.
      if (next.req.socket.destroyed) continue;
      this.enter(next.req, next.res, next.proceed, true);
    }
  }

  private enter(req: IncomingMessage, res: ServerResponse, proceed: () => void, waited: boolean) {
    this.running++;
    this.observer?.admitted(waited);
    whenDone(req, res, () => this.release());
    try {
      proceed();
    } catch (error) {
      // A queued request proceeds from another response's 'close': a throw there must not end the process.
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy(error as Error);
    }
  }

  private release() {
    this.running--;
    this.admitWaiting();
  }

  private leaveLine(waiter: Waiter) {
    clearTimeout(waiter.timer);
    waiter.detach();
    this.line.delete(waiter);
  }

  private shed(req: IncomingMessage, res: ServerResponse, reason: ShedReason) {
    this.observer?.shed(reason);
    // No X-Slack-No-Retry: Slack is meant to try again. The body is discarded as it arrives, never buffered.
    res
      .writeHead(503, {
        'content-type': 'text/plain; charset=utf-8',
        'retry-after': '1',
        'cache-control': 'no-store',
      })
      .end('busy: try again in a moment\n');
    req.resume();
  }
}
