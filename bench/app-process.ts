// One app under test in a process of its own, so resident memory and CPU time are that app's alone.
// Started by bench/run.ts with fork(); configured through BENCH_* variables; talks over the IPC channel:
//   → { type: 'ready', port }                      once it listens
//   ← { type: 'stats', id }  → { type: 'stats', id, rss, heapUsed, cpuMs }
//   ← { type: 'stop' }       stops the app and exits (so --cpu-prof can write its profile)
// bench/apps.ts bundles this file as scripts/build.mjs bundles the app, so both apps run as production does:
// plain JavaScript, no TypeScript loader.

import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '../src/config.js';

export type AppKind = 'ours' | 'bare';

export interface AppProcessEnv {
  BENCH_KIND: AppKind;
  BENCH_SECRET: string;
  BENCH_API_URL: string;
  /** JSON of Config['database']; only for 'ours'. */
  BENCH_DATABASE?: string;
  /** Set when profiling: where to save the source maps of src/ next to the profile. */
  BENCH_PROFILE_DIR?: string;
  /** Another copy of src/main.ts to run instead (an experiment with a change, measured A/B against src/). */
  BENCH_MAIN?: string;
  /** The repository, for conversations/ (this file runs from a bundle elsewhere). */
  BENCH_ROOT: string;
}

export type ToParent =
  | { type: 'ready'; port: number }
  | { type: 'stats'; id: number; rss: number; heapUsed: number; cpuMs: number }
  | { type: 'failed'; message: string };

export type ToChild = { type: 'stats'; id: number } | { type: 'stop' };

const send = (message: ToParent) => process.send?.(message);

async function start(): Promise<() => Promise<void>> {
  const env = process.env as unknown as AppProcessEnv;
  if (env.BENCH_KIND === 'bare') {
    const { createBareApp } = await import('./bare-bolt.js');
    const app = createBareApp({
      botToken: 'xoxb-bench',
      signingSecret: env.BENCH_SECRET,
      apiUrl: env.BENCH_API_URL,
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as import('node:http').Server;
    const address = server.address();
    send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
    return async () => {
      await app.stop();
    };
  }
  const { startApp } = (
    env.BENCH_MAIN ? await import(pathToFileURL(env.BENCH_MAIN).href) : await import('../src/main.js')
  ) as typeof import('../src/main.js');
  const config: Config = {
    mode: 'http',
    slack: { botToken: 'xoxb-bench', signingSecret: env.BENCH_SECRET, apiUrl: env.BENCH_API_URL },
    port: 0,
    host: '127.0.0.1',
    database: JSON.parse(env.BENCH_DATABASE ?? '') as Config['database'],
    logLevel: 'error',
    conversationsDir: join(env.BENCH_ROOT, 'conversations'),
  };
  const running = await startApp(config);
  send({ type: 'ready', port: running.port ?? 0 });
  return () => running.stop();
}

// startApp announces itself on stdout; the bench reads only the IPC channel and stderr.
const stop = await start().catch((error: Error) => {
  send({ type: 'failed', message: error.stack ?? error.message });
  process.exit(1);
});

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(0), 15_000);
  await stop().catch(() => {});
  clearTimeout(timer);
  const profileDir = process.env.BENCH_PROFILE_DIR;
  // This file's directory: the bundle's, whose source maps lead back to src/ (or bench/ when run by tsx).
  if (profileDir)
    (await import('./profile.js')).saveSourceMaps(profileDir, dirname(fileURLToPath(import.meta.url)));
  process.exit(0);
};

process.on('message', (message: ToChild) => {
  if (message.type === 'stats') {
    const cpu = process.cpuUsage();
    send({
      type: 'stats',
      id: message.id,
      rss: process.memoryUsage.rss(),
      heapUsed: process.memoryUsage().heapUsed,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  } else if (message.type === 'stop') {
    void shutdown();
  }
});
process.on('disconnect', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
