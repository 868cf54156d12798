// The playground's channel history on disk, so a restart shows the same channels and threads.
// The app's assessments live in its own database; this file holds what the Slack stand-in would otherwise forget.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Config } from '../config.js';
import type { SlackStandin, StandinSnapshot } from '../standin/server.js';

/** Kinds of change that alter what a restart must show; ephemerals are never kept, as in Slack. */
const KEPT = new Set(['message', 'file', 'update', 'delete', 'reset']);

/**
 * Next to the SQLite file (data/k8s-advisor.db → data/k8s-advisor.playground.json), so one DATABASE_URL keeps
 * assessments and the threads they live in together. In-memory SQLite keeps no history either.
 */
export function historyPath(database: Config['database']): string | undefined {
  if (database.engine === 'postgres') return join('data', 'playground-history.json');
  const path = database.path;
  if (path === '' || path === ':memory:' || path.startsWith('file::memory:')) return undefined;
  return join(dirname(path), `${basename(path, extname(path))}.playground.json`);
}

function isSnapshot(value: unknown): value is StandinSnapshot {
  const v = value as Partial<StandinSnapshot> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.version === 1 &&
    Array.isArray(v.channels) &&
    Array.isArray(v.messages) &&
    typeof v.lastTs === 'string' &&
    v.messages.every((m) => typeof m?.channel === 'string' && typeof m?.ts === 'string')
  );
}

/** The saved history, or undefined when there is none. A damaged file is set aside rather than trusted. */
export function loadHistory(path: string): StandinSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (isSnapshot(parsed)) return parsed;
    throw new Error('not a playground history file');
  } catch (error) {
    const aside = `${path}.unreadable-${Date.now()}`;
    renameSync(path, aside);
    console.warn(`playground: ${path} could not be read (${(error as Error).message}); moved to ${aside}.`);
    return undefined;
  }
}

function save(path: string, snapshot: StandinSnapshot): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  // Atomic on POSIX: a crash mid-write leaves the previous history, never half a file.
  renameSync(tmp, path);
}

export interface HistoryKeeper {
  /** Writes now if anything changed since the last write. */
  flush(): void;
  /** Flushes and stops following the stand-in. */
  stop(): void;
}

/** Follows the stand-in's changes and writes its snapshot shortly after each one (bursts coalesce). */
export function keepHistory(standin: SlackStandin, path: string, delayMs = 25): HistoryKeeper {
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (!timer) return;
    clearTimeout(timer);
    timer = undefined;
    try {
      save(path, standin.snapshot());
    } catch (error) {
      console.warn(`playground: could not save the channel history to ${path}: ${(error as Error).message}`);
    }
  };
  const unsubscribe = standin.onChange((change) => {
    if (!KEPT.has(change.kind) || change.message?.is_ephemeral) return;
    timer ??= setTimeout(flush, delayMs);
  });
  return {
    flush,
    stop() {
      unsubscribe();
      flush();
    },
  };
}
