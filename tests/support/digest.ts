import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Finding } from '../../src/advisor/findings.js';
import type { DigestStats, Subscription } from '../../src/advisor/ports/digests.js';
import type { Session } from '../../src/advisor/session.js';
import type { Store } from '../../src/store/store.js';
import { freshSession } from './session.js';

/** Digest stats for tests: a busy day in one channel unless overridden. */
export function stats(over: Partial<DigestStats> = {}): DigestStats {
  return {
    started: 5,
    inProgress: 1,
    completed: 4,
    withSkips: 1,
    withEvidence: 2,
    restarted: 1,
    abandoned: 1,
    outcomes: { managed: 2, managed_with_safeguards: 1, self_hosted_required: 1 },
    reasons: [
      { itemId: 'team:small', count: 3 },
      { itemId: 'clusters:2', count: 2 },
      { itemId: 'provider_access:no', count: 1 },
    ],
    openRisks: [
      { itemId: 'break_glass', count: 4 },
      { itemId: 'trust', count: 1 },
    ],
    skipped: [{ itemId: 'provider_trust', count: 1 }],
    completedList: [1, 2, 3, 4].map((i) => ({
      id: `a${i}`,
      userId: `U${i}`,
      threadTs: `1750000000.00000${i}`,
      outcome: i <= 2 ? 'managed' : i === 3 ? 'managed_with_safeguards' : 'self_hosted_required',
      completedAt: 1_750_000_000_000 + i * 60_000,
    })),
    ...over,
  };
}

export interface FakeJob {
  pattern: string;
  tz: string;
  run: () => void;
  stopped: boolean;
}

/** A croner stand-in: records the jobs a scheduler arms, so a test fires them by hand on a fake clock. */
export function fakeCron() {
  const jobs: FakeJob[] = [];
  const factory = (pattern: string, tz: string, run: () => void) => {
    const job: FakeJob = { pattern, tz, run, stopped: false };
    jobs.push(job);
    return {
      stop: () => {
        job.stopped = true;
      },
    };
  };
  const live = () => jobs.filter((j) => !j.stopped);
  return { factory, jobs, live };
}

/** Answers that finish an assessment with each outcome (team small, 3 clusters, 30 nodes, steady first). */
export const PATHS = {
  self_hosted_required: [
    ['provider_access', 'no'],
    ['self_host_site', 'own_datacenter'],
  ],
  managed: [
    ['provider_access', 'yes'],
    ['compliance', 'none'],
    ['provider', 'eks'],
    ['provider_trust', 'high'],
    ['access_mitigations', 'strong'],
    ['access_lockdown', 'yes'],
  ],
  managed_with_safeguards: [
    ['provider_access', 'with_controls'],
    ['compliance', 'none'],
    ['provider', 'gke'],
    ['provider_trust', 'medium'],
    ['access_mitigations', 'partial'],
    ['access_lockdown', 'partly'],
  ],
} as const;

export const OPENING = [
  ['team', 'small'],
  ['clusters', '3'],
  ['nodes', '30'],
  ['variability', 'steady'],
] as const;

// Store fixtures: fresh channels, subscriptions and assessments with the digest contract's fixed period.

/** The contract's period starts here. Past 2^32 on purpose. */
export const T0 = 1_750_000_000_000;

export function channel() {
  const n = randomUUID().slice(0, 8);
  return { teamId: `T${n}`, channelId: `C${n}` };
}

export function subscription(over: Partial<Subscription> = {}): Subscription {
  return {
    ...channel(),
    userId: 'USUB',
    cadence: 'daily',
    weekday: null,
    hour: 9,
    minute: 30,
    tz: 'Europe/Berlin',
    includeEmpty: false,
    version: 0,
    createdAt: T0,
    scheduledAt: T0 + 1,
    ...over,
  };
}

function base(over: Partial<Session>): Session {
  return freshSession(over, T0);
}

export const active = (over: Partial<Session>) => base({ ...over, status: 'active' });
export const done = (over: Partial<Session>) =>
  base({ updatedAt: over.completedAt ?? T0, ...over, status: 'completed' });

/** Stores an assessment the way the service does: inserted, then saved with its findings when completed. */
export async function put(store: Store, s: Session, findings?: Finding[]) {
  expect((await store.insert(s)).status).toBe('saved');
  if (findings) expect((await store.save(s, undefined, findings)).status).toBe('saved');
}
