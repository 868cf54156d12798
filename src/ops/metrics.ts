import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Every metric the app exports, on its own registry so tests and several apps in one process do not clash. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'k8s_advisor_slack_requests_total',
      help: 'Requests received from Slack, by kind (command, event, action, other)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    admitted: new Counter({
      name: 'k8s_advisor_slack_requests_admitted_total',
      help: 'Requests to /slack/events let in, by whether they waited for a slot (waited="true") or not',
      labelNames: ['waited'],
      registers: [registry],
    }),
    shed: new Counter({
      name: 'k8s_advisor_slack_requests_shed_total',
      help: 'Requests to /slack/events turned away with a 503 under overload, by reason (queue_full, wait_timeout)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: 'k8s_advisor_ack_latency_seconds',
      help: 'Time from receiving a Slack request to answering it (Slack retries after 3 s)',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: [registry],
    }),
    started: new Counter({
      name: 'k8s_advisor_assessments_started_total',
      help: 'Assessments started',
      registers: [registry],
    }),
    completed: new Counter({
      name: 'k8s_advisor_assessments_completed_total',
      help: 'Assessments completed, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    slackErrors: new Counter({
      name: 'k8s_advisor_slack_api_errors_total',
      help: 'Slack Web API calls that failed, by method and error',
      labelNames: ['method', 'error'],
      registers: [registry],
    }),
    outboxDelivery: new Histogram({
      name: 'k8s_advisor_outbox_delivery_seconds',
      help: 'Time from committing a Slack call to Slack taking it, by kind',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    outboxRetries: new Counter({
      name: 'k8s_advisor_outbox_retries_total',
      help: 'Slack calls put back for a later try, by kind and reason',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    outboxDead: new Counter({
      name: 'k8s_advisor_outbox_dead_total',
      help: 'Slack calls given up on, by kind and reason',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    storeLatency: new Histogram({
      name: 'k8s_advisor_store_latency_seconds',
      help: 'Time spent in store operations, by operation',
      labelNames: ['op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** How deep the outbox is and how old its oldest call, read from the database when Prometheus scrapes. */
export function observeOutbox(
  metrics: Metrics,
  stats: () => Promise<{ depth: number; oldestAgeMs: number; dead: number }>,
) {
  let last: Promise<{ depth: number; oldestAgeMs: number; dead: number }> | undefined;
  // One query per scrape for the three gauges, which are collected together.
  const read = () => {
    last ??= stats().finally(() => {
      last = undefined;
    });
    return last;
  };
  const gauge = (name: string, help: string, pick: (s: Awaited<ReturnType<typeof stats>>) => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        this.set(pick(await read()));
      },
    });
  gauge('k8s_advisor_outbox_depth', 'Slack calls waiting to be sent (all replicas)', (s) => s.depth);
  gauge(
    'k8s_advisor_outbox_oldest_age_seconds',
    'Age of the oldest Slack call waiting to be sent, 0 when none waits',
    (s) => s.oldestAgeMs / 1000,
  );
  gauge('k8s_advisor_outbox_dead', 'Slack calls given up on and kept for inspection', (s) => s.dead);
}

/**
 * The admission gate's metrics: requests in process and waiting (read when Prometheus scrapes), and the counts of
 * those let in and turned away, in the gate's own terms.
 */
export function observeAdmission(metrics: Metrics, state: () => { inProcess: number; waiting: number }) {
  const gauge = (name: string, help: string, pick: (s: ReturnType<typeof state>) => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      collect() {
        this.set(pick(state()));
      },
    });
  gauge(
    'k8s_advisor_slack_requests_in_process',
    'Requests to /slack/events admitted and not yet answered (at most ADMISSION_MAX_IN_FLIGHT)',
    (s) => s.inProcess,
  );
  gauge(
    'k8s_advisor_slack_requests_waiting',
    'Requests to /slack/events waiting for a slot, their bodies unread',
    (s) => s.waiting,
  );
  return {
    admitted: (waited: boolean) => metrics.admitted.inc({ waited: String(waited) }),
    shed: (reason: string) => metrics.shed.inc({ reason }),
  };
}

/** The sender's metrics, in its own terms. */
export const senderMetrics = (metrics: Metrics) => ({
  delivered: (kind: string, latencyMs: number) => metrics.outboxDelivery.observe({ kind }, latencyMs / 1000),
  retried: (kind: string, reason: string) => metrics.outboxRetries.inc({ kind, reason }),
  dead: (kind: string, reason: string) => metrics.outboxDead.inc({ kind, reason }),
});

/** Times every method of an object (a store) into a histogram labelled by method name. */
export function timed<T extends object>(target: T, histogram: Histogram<'op'>): T {
  // One wrapper per method, with its label child bound once: no label hashing on every call.
  const wrappers = new Map<string, (...args: unknown[]) => unknown>();
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      let wrapper = wrappers.get(prop);
      if (!wrapper) {
        const child = histogram.labels({ op: prop });
        wrapper = (...args: unknown[]) => {
          const started = performance.now();
          const observe = () => child.observe((performance.now() - started) / 1000);
          const result = value.apply(obj, args);
          if (result instanceof Promise) return result.finally(observe);
          observe();
          return result;
        };
        wrappers.set(prop, wrapper);
      }
      return wrapper;
    },
  });
}

/**
 * A fetch for the WebClient that counts failed Slack calls by method: HTTP errors, network errors and
 * `ok: false` answers alike. The body is read once and handed on as a new Response: cloning it instead tees
 * the stream, which the benchmark showed to cost a quarter of the CPU per Web API call.
 */
export function countingFetch(metrics: Metrics, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf('/') + 1).split('?')[0] ?? 'unknown';
    let res: Response;
    try {
      res = await inner(input, init);
    } catch (error) {
      metrics.slackErrors.inc({
        method,
        error: (error as Error).name === 'AbortError' ? 'timeout' : 'network',
      });
      throw error;
    }
    if (!res.ok) {
      metrics.slackErrors.inc({ method, error: `http_${res.status}` });
      return res;
    }
    const body = await res.text();
    // Slack's error answers are small JSON objects starting with "ok":false; no need to parse the rest.
    if (/^\s*\{\s*"ok"\s*:\s*false/.test(body)) {
      const error = /"error"\s*:\s*"([^"]{1,100})"/.exec(body)?.[1] ?? 'unknown';
      metrics.slackErrors.inc({ method, error });
    }
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
