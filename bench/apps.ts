// Starting, watching and stopping the apps under test, each in a child process of its own.

import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../scripts/build.mjs';
import type { Config } from '../src/config.js';
import type { AppKind, AppProcessEnv, ToChild, ToParent } from './app-process.js';

const here = join(fileURLToPath(import.meta.url), '..');
const repoRoot = join(here, '..');

/**
 * Bundles app-process.ts (with both apps and src/) the way scripts/build.mjs bundles the app for production,
 * so each app process runs plain JavaScript, as `npm start` and the image do. Returns the entry's path.
 */
export async function bundleAppProcess(outdir: string): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  await build({ ...BUNDLE_OPTIONS, entryPoints: { 'app-process': join(here, 'app-process.ts') }, outdir });
  return join(outdir, 'app-process.js');
}

export interface AppOptions {
  kind: AppKind;
  secret: string;
  apiUrl: string;
  database?: Config['database'];
  /** Directory for --cpu-prof profiles (one file per thread); none when undefined. */
  profileDir?: string;
  /** The bundle from bundleAppProcess. */
  entry: string;
  /** Run this copy of src/main.ts instead of src/ (for A/B experiments); loads TypeScript through tsx. */
  main?: string;
}

export interface Stats {
  rss: number;
  heapUsed: number;
  cpuMs: number;
}

export interface RunningChild {
  kind: AppKind;
  /** The app's process, for /proc/<pid>/status and for kill -9. */
  pid: number;
  port: number;
  /** Slack's Request URL of this app. */
  url: string;
  /** From fork() until the app answered GET /healthz with 200. */
  readyMs: number;
  stats(): Promise<Stats>;
  /** Lines the app wrote to stderr (its log level is 'error', so each one is a failure). */
  errors(): string[];
  /** Resolves with the exit code (null after a signal) once the process has gone, however it went. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startChild(opts: AppOptions): Promise<RunningChild> {
  const env: AppProcessEnv = {
    BENCH_KIND: opts.kind,
    BENCH_SECRET: opts.secret,
    BENCH_API_URL: opts.apiUrl,
    ...(opts.database && { BENCH_DATABASE: JSON.stringify(opts.database) }),
    ...(opts.profileDir && { BENCH_PROFILE_DIR: opts.profileDir }),
    ...(opts.main && { BENCH_MAIN: opts.main }),
    BENCH_ROOT: repoRoot,
  };
  // An experiment's copy of src/ is TypeScript, so only then does the app process load tsx.
  const execArgv = (opts.main ?? process.env.BENCH_MAIN) ? ['--import', 'tsx'] : [];
  if (opts.profileDir) {
    mkdirSync(opts.profileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`);
  }
  const t0 = performance.now();
  const child: ChildProcess = fork(opts.entry, [], {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // The app's log level is 'error': every stderr line counts, and so does every JSON log line on stdout
  // (pino) at level error or fatal. Other stdout lines (start-up announcements) do not.
  const errorLines: string[] = [];
  const lines = (stream: NodeJS.ReadableStream | null, keep: (line: string) => boolean) => {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const all = (partial + chunk).split('\n');
      partial = all.pop() ?? '';
      for (const line of all) if (line.trim() && keep(line)) errorLines.push(line);
    });
  };
  lines(child.stderr, () => true);
  lines(child.stdout, (line) => {
    try {
      const level = (JSON.parse(line) as { level?: unknown }).level;
      return level === 'error' || level === 'fatal' || (typeof level === 'number' && level >= 50);
    } catch {
      return false;
    }
  });

  let nextId = 0;
  const waiting = new Map<number, (s: Stats) => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${opts.kind} app did not start within 30 s`)), 30_000);
    child.on('message', (message: ToParent) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${opts.kind} app failed to start: ${message.message}`));
      } else if (message.type === 'stats') {
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.kind} app exited (${code}) before it was ready:\n${errorLines.join('\n')}`));
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  // Ready means answering HTTP, not just listening.
  for (;;) {
    const res = await fetch(`${origin}/healthz`).catch(() => undefined);
    if (res?.status === 200) break;
    if (performance.now() - t0 > 30_000) throw new Error(`${opts.kind} app never answered /healthz`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - t0;

  return {
    kind: opts.kind,
    pid: child.pid ?? 0,
    port,
    url: `${origin}/slack/events`,
    readyMs,
    stats: () =>
      new Promise<Stats>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, resolve);
        if (!child.send({ type: 'stats', id } satisfies ToChild)) reject(new Error('app process is gone'));
      }),
    errors: () => [...errorLines],
    exited,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' } satisfies ToChild);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
