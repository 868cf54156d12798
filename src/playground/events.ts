// Server-sent events for the page: the stand-in's change log after a seq, then live changes, in order, once.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Change, SlackStandin } from '../standin/server.js';

export interface EventStreams {
  /**
   * Serves GET /api/events?after=<seq>; a reconnecting EventSource's Last-Event-ID wins when it is later.
   * Only changes `visible` lets through are sent (one person's view of the workspace).
   */
  serve(req: IncomingMessage, res: ServerResponse, url: URL, visible?: (change: Change) => boolean): void;
  /** Ends every open stream (on stop), so the server can close. */
  closeAll(): void;
}

const seqFrom = (value: string | string[] | null | undefined): number => {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n > 0 ? n : 0;
};

/**
 * Each stream starts with a `hello` event naming this run (`boot`): a page that followed an earlier run sees a
 * different boot and reloads its state instead of trusting seq numbers from before a restart.
 */
export function eventStreams(standin: SlackStandin, boot: string, heartbeatMs = 15_000): EventStreams {
  const open = new Set<ServerResponse>();

  return {
    serve(req, res, url, visible = () => true) {
      let last = Math.max(seqFrom(url.searchParams.get('after')), seqFrom(req.headers['last-event-id']));
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const latest = standin.changes().at(-1)?.seq ?? 0;
      res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ boot, seq: latest })}\n\n`);

      const send = (change: Change) => {
        if (change.seq <= last) return; // never twice, never backwards
        last = change.seq;
        if (!visible(change)) return;
        res.write(`id: ${change.seq}\ndata: ${JSON.stringify(change)}\n\n`);
      };
      // Replay and subscribe in the same tick: no change can slip between the two.
      for (const change of standin.changes(last)) send(change);
      const unsubscribe = standin.onChange(send);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
      open.add(res);
      const done = () => {
        unsubscribe();
        clearInterval(heartbeat);
        open.delete(res);
      };
      req.on('close', done);
      res.on('close', done);
    },
    closeAll() {
      for (const res of open) res.end();
      open.clear();
    },
  };
}
