// Times a channel digest over the seeded store: the weekly preview a user asks for, and a digest over the
// channel's whole history. The digest lives in src/digest/ and src/store/; it is loaded by computed specifiers
// and checked for the functions used here, so the bench reports "not measured" rather than breaking when
// that code is missing or has changed shape.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadQuestionnaire, type Questionnaire } from '../src/advisor/questionnaire.js';
import type { Config } from '../src/config.js';
import { median, round } from './stats.js';

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..');
const DAY = 86_400_000;

export interface DigestMeasure {
  status: 'measured' | 'not_built' | 'not_measured';
  /** The budget's figure: the slower of the two digests, first (cold) run. */
  ms: number | null;
  note: string;
  preview?: { coldMs: number; medianMs: number; started: number };
  fullHistory?: { coldMs: number; medianMs: number; started: number; completed: number };
}

interface Ref {
  teamId: string;
  channelId: string;
}
interface Counts {
  counts?: { started?: number; completed?: number };
}
interface DigestStore {
  digestStats(q: Ref & { start: number; end: number; idleMs: number; listLimit: number }): Promise<unknown>;
  close(): Promise<void>;
}
interface DigestApi {
  openStore(database: Config['database']): Promise<DigestStore>;
  createDigestService(opts: { store: DigestStore; questionnaire: Questionnaire }): {
    preview(ref: Ref, tz?: string): Promise<Counts>;
  };
  buildDigest(q: Questionnaire, stats: unknown, ctx: unknown): Counts;
}

async function loadApi(): Promise<DigestApi | string> {
  const load = async (path: string) => {
    const specifier = path; // computed: the type checker does not follow it
    return (await import(specifier)) as Record<string, unknown>;
  };
  try {
    const [open, service, build] = await Promise.all([
      load('../src/store/open.js'),
      load('../src/digest/service.js'),
      load('../src/digest/build.js'),
    ]);
    const api = {
      openStore: open.openStore,
      createDigestService: service.createDigestService,
      buildDigest: build.buildDigest,
    };
    const missing = Object.entries(api).filter(([, fn]) => typeof fn !== 'function');
    if (missing.length > 0) return `no ${missing.map(([name]) => name).join(', ')} export`;
    return api as unknown as DigestApi;
  } catch (error) {
    return `cannot load the digest code (${(error as Error).message.split('\n')[0]})`;
  }
}

async function time<T>(fn: () => Promise<T>, runs: number) {
  const t0 = performance.now();
  const first = await fn();
  const coldMs = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    warm.push(performance.now() - t);
  }
  return { first, coldMs: round(coldMs, 1) ?? 0, medianMs: round(median(warm), 1) ?? 0 };
}

export async function measureDigest(
  database: Config['database'],
  ref: Ref,
  runs = 5,
): Promise<DigestMeasure> {
  if (!existsSync(join(repoRoot, 'src', 'digest')))
    return { status: 'not_built', ms: null, note: 'not measured (not built yet)' };
  const api = await loadApi();
  if (typeof api === 'string') return { status: 'not_measured', ms: null, note: `not measured: ${api}` };
  const q = loadQuestionnaire(join(repoRoot, 'conversations', 'k8s-hosting.yml'));
  const store = await api.openStore(database);
  try {
    if (typeof store.digestStats !== 'function')
      return { status: 'not_measured', ms: null, note: 'not measured: the store has no digestStats' };
    const service = api.createDigestService({ store, questionnaire: q });
    const preview = await time(() => service.preview(ref, 'UTC'), runs);
    // The whole history of the channel in one digest: every stored assessment of that channel counted.
    const end = Date.now();
    const period = { start: end - 366 * DAY, end };
    const full = await time(async () => {
      const stats = await store.digestStats({ ...ref, ...period, idleMs: 14 * DAY, listLimit: 10 });
      return api.buildDigest(q, stats, {
        ...ref,
        trigger: 'manual',
        cadence: null,
        period,
        tz: 'UTC',
        idleMs: 14 * DAY,
      });
    }, runs);
    return {
      status: 'measured',
      ms: Math.max(preview.coldMs, full.coldMs),
      note: 'measured',
      preview: {
        coldMs: preview.coldMs,
        medianMs: preview.medianMs,
        started: preview.first.counts?.started ?? 0,
      },
      fullHistory: {
        coldMs: full.coldMs,
        medianMs: full.medianMs,
        started: full.first.counts?.started ?? 0,
        completed: full.first.counts?.completed ?? 0,
      },
    };
  } catch (error) {
    return {
      status: 'not_measured',
      ms: null,
      note: `not measured: the digest failed (${(error as Error).message})`,
    };
  } finally {
    await store.close();
  }
}
