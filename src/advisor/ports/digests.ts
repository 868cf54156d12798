import type { Finding } from '../findings.js';
import type { Session } from '../session.js';
import type { Envelope } from './outbox.js';

/** A channel's digest schedule. One per channel; times are wall-clock in `tz`, an IANA zone. */
export interface Subscription {
  teamId: string;
  channelId: string;
  /** Who set the schedule: they, or a workspace admin or owner, may change or stop it. */
  userId: string;
  cadence: 'daily' | 'weekly';
  /** 0 = Sunday … 6 = Saturday for weekly digests; null for daily ones. */
  weekday: number | null;
  hour: number;
  minute: number;
  tz: string;
  /** Post a digest even for a period with nothing new. */
  includeEmpty: boolean;
  /** Optimistic concurrency, as for assessments: 0 for one not stored yet. */
  version: number;
  createdAt: number;
  /** When the schedule (cadence, day, time, zone) was last set; ticks before it are not owed a digest. */
  scheduledAt: number;
}

export type ChannelRef = Pick<Subscription, 'teamId' | 'channelId'>;

export type RunStatus = 'claimed' | 'posted' | 'empty' | 'failed';

/** One scheduled digest of one channel, keyed by the period's end: the unit of exactly-once. */
export interface DigestRun extends ChannelRef {
  periodStart: number;
  periodEnd: number;
  status: RunStatus;
  messageTs: string | null;
  error: string | null;
  claimedAt: number;
  finishedAt: number | null;
}

/** Periods are half-open, [start, end), in epoch milliseconds. */
export interface StatsQuery extends ChannelRef {
  start: number;
  end: number;
  /** An assessment still active this long after its last change counts as abandoned. */
  idleMs: number;
  /** How many completed assessments to list (the count is always exact). */
  listLimit: number;
}

export interface Tally {
  itemId: string;
  count: number;
}

export interface CompletedRef {
  id: string;
  userId: string;
  threadTs: string;
  outcome: string;
  completedAt: number;
}

/**
 * What a channel did in a period, counted by the database. Two cohorts and one event:
 * - started: created in the period; of those, `inProgress` are still active;
 * - completed: completed in the period (and still completed), split by outcome; `withSkips` skipped a question,
 *   `withEvidence` is backed by evidence from a cluster;
 * - abandoned: still active and idle for `idleMs` with the idle time running out in the period, so each
 *   abandoned assessment is counted in exactly one period;
 * - restarted: in either cohort and restarted at least once, counted once.
 * Reasons, open risks and skipped questions count the completed cohort's findings.
 */
export interface DigestStats {
  started: number;
  inProgress: number;
  completed: number;
  withSkips: number;
  withEvidence: number;
  restarted: number;
  abandoned: number;
  outcomes: Record<string, number>;
  reasons: Tally[];
  openRisks: Tally[];
  skipped: Tally[];
  completedList: CompletedRef[];
}

/**
 * The digest port, owned by the core like AssessmentStore; both adapters in src/store/ implement it and share one
 * contract suite (tests/store/digest-contract.ts).
 */
export interface DigestStore {
  getSubscription(ref: ChannelRef): Promise<Subscription | undefined>;
  /** Every subscription with the end of its latest recorded run, for the scheduler. */
  listSubscriptions(): Promise<(Subscription & { lastRunEnd: number | null })[]>;
  /**
   * Stores `sub` if the stored version still equals `sub.version` (0: none stored), then bumps it.
   * False when someone changed or created it meanwhile.
   */
  saveSubscription(sub: Subscription): Promise<boolean>;
  /** Deletes the subscription if its version is still `version`. Past runs are kept. */
  deleteSubscription(ref: ChannelRef, version: number): Promise<boolean>;
  /**
   * Records the run for (channel, periodEnd) once; false when it was recorded before, by anyone. The outbox
   * calls that post it commit in the same transaction, and only when the run is new (ports/outbox.ts).
   */
  claimRun(
    run: ChannelRef & { periodStart: number; periodEnd: number; claimedAt: number },
    outbox?: Envelope[],
  ): Promise<boolean>;
  finishRun(
    run: ChannelRef & { periodEnd: number },
    result: { status: Exclude<RunStatus, 'claimed'>; messageTs?: string; error?: string; finishedAt: number },
  ): Promise<void>;
  lastRun(ref: ChannelRef): Promise<DigestRun | undefined>;
  /** Counts for one channel and period, in one consistent read. */
  digestStats(q: StatsQuery): Promise<DigestStats>;
  /** Completed assessments saved before findings were stored, oldest first. */
  completedWithoutFindings(limit: number): Promise<Session[]>;
  /** Whether every completed assessment has its findings, so there is nothing to backfill. */
  findingsBackfilled(): Promise<boolean>;
  /** Records that a backfill found nothing left; start-up then skips it for good. */
  markFindingsBackfilled(): Promise<void>;
  /** Stores findings for an assessment if it is still at `version`; false when it has moved on. */
  putFindings(id: string, version: number, findings: Finding[]): Promise<boolean>;
}
