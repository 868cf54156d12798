import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Metrics } from './metrics.js';

const STARTED = Symbol('k8s-advisor.started');
const REQUEST_ID = Symbol('k8s-advisor.requestId');
type Tracked = IncomingMessage & { [STARTED]?: number; [REQUEST_ID]?: string; rawBody?: Buffer };

/** What a Slack request is, read from the body Bolt has already buffered. */
export function kindOf(req: Tracked): 'command' | 'event' | 'action' | 'other' {
  const body = req.rawBody?.subarray(0, 2048).toString() ?? '';
  if (body.startsWith('{')) return 'event';
  if (/(^|&)payload=/.test(body)) return 'action';
  if (/(^|&)command=/.test(body)) return 'command';
  return 'other';
}

export const requestIdOf = (req: IncomingMessage): string =>
  ((req as Tracked)[REQUEST_ID] ??= req.headers['x-request-id']?.toString().slice(0, 64) || randomUUID());

/**
 * Ack latency as Slack sees it: from the request arriving to the response being written. Measured on the
 * server because Bolt acks events before any middleware runs.
 */
export function observeAcks(server: Server, metrics: Metrics, path = '/slack/events') {
  server.prependListener('request', (req: Tracked, res: ServerResponse) => {
    if (!req.url?.startsWith(path)) return;
    req[STARTED] = performance.now();
    requestIdOf(req);
    res.once('finish', () => {
      const started = req[STARTED];
      if (started !== undefined)
        metrics.ackLatency.observe({ kind: kindOf(req) }, (performance.now() - started) / 1000);
    });
  });
}

export interface Readiness {
  /** Resolves when the app can serve: database reachable, questionnaire loaded. Rejects with the reason. */
  check(): Promise<void>;
}

const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
};

/** /healthz (the process answers) and /readyz (it can do work): on the Slack port and the metrics port. */
export function probeRoutes(readiness: Readiness, isStopping: () => boolean): CustomRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => send(res, 200, 'ok\n') },
    {
      path: '/readyz',
      method: 'GET',
      handler: async (_req, res) => {
        if (isStopping()) return send(res, 503, 'stopping\n');
        try {
          await readiness.check();
          send(res, 200, 'ready\n');
        } catch (error) {
          send(res, 503, `not ready: ${(error as Error).message}\n`);
        }
      },
    },
  ];
}

/** /metrics (Prometheus text): served on METRICS_PORT only, so the Slack endpoint never exposes it. */
export function metricsRoute(metrics: Metrics): CustomRoute {
  return {
    path: '/metrics',
    method: 'GET',
    handler: async (_req, res) =>
      send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType),
  };
}

/** The probes and /metrics together: what the metrics server serves. */
export function opsRoutes(metrics: Metrics, readiness: Readiness, isStopping: () => boolean): CustomRoute[] {
  return [...probeRoutes(readiness, isStopping), metricsRoute(metrics)];
}

/**
 * Serves routes on a small server of their own: the metrics port, and the probes in Socket Mode, where Bolt
 * runs no HTTP server. Rejects when the port cannot be had (EADDRINUSE), instead of crashing the process.
 */
export async function serveOps(routes: CustomRoute[], host: string, port: number): Promise<Server> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    const route = routes.find((r) => r.path === req.url?.split('?')[0] && r.method === req.method);
    if (!route) return send(res, 404, 'not found\n');
    void route.handler(req as never, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
