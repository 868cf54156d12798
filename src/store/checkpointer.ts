// SQLite's WAL checkpoints, moved off the event loop. A commit in WAL mode only appends to the log; copying the
// log back into the database and fsyncing both is the checkpoint, and SQLite runs it inside whichever commit
// crosses the threshold. With 100,000 rows that stalled the app for tens of milliseconds at a time and was its
// largest cost per interaction (bench/RESULTS.md). Here a worker thread with its own connection checkpoints
// every so often instead; durability is unchanged (same synchronous level, same fsyncs, another thread).

import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface CheckpointerOptions {
  /** How often the worker checkpoints. */
  everyMs?: number;
  /**
   * The log may grow while writes never pause (the worker's checkpoints cannot restart it under a steady stream
   * of commits); past this size the app's own connection checkpoints what is left, which lets it restart.
   */
  maxWalBytes?: number;
  /** How often the app looks at the log's size. */
  sizeCheckMs?: number;
}

export interface Checkpointer {
  stop(): Promise<void>;
}

// Plain CommonJS evaluated in the worker, so it runs the same from src/ (tsx, vitest) and from the bundle.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// Never create a database: if the file is gone, so is the work.
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
// Checkpoints stream pages from the log to the file; they need no page cache to speak of.
db.pragma('cache_size = -512');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export function startCheckpointer(
  db: Database.Database,
  path: string,
  { everyMs = 100, maxWalBytes = 64 * 1024 * 1024, sizeCheckMs = 1000 }: CheckpointerOptions = {},
): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  // A restarted log is cut back to this size instead of keeping its high-water mark on disk.
  db.pragma(`journal_size_limit = ${maxWalBytes}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver, path, everyMs },
    // Its JavaScript is a timer, so small heaps are plenty; the thread still costs about 10 MB (V8 and the driver).
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // Should the worker ever fail, SQLite's own checkpoints take over again rather than the log growing.
  const fallBack = () => db.open && db.pragma('wal_autocheckpoint = 1000');
  worker.on('error', fallBack);

  const guard = setInterval(() => {
    try {
      const walBytes = statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
      // PASSIVE never waits: when the worker holds the checkpoint, this round is skipped. Run by the writing
      // connection between its commits, a complete checkpoint lets the next commit restart the log.
      if (walBytes > maxWalBytes) db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next round tries again, and the worker keeps checkpointing meanwhile.
    }
  }, sizeCheckMs);
  guard.unref();

  return {
    async stop() {
      clearInterval(guard);
      worker.postMessage('stop');
      // A timer that holds the process open: the worker is unref'd, and a stop awaited at exit must finish.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
      // Back to SQLite's own checkpoints for whatever this connection still writes before it closes.
      fallBack();
    },
  };
}
