import { findingsOf } from '../advisor/findings.js';
import type {
  ChannelRef,
  DigestRun,
  DigestStore,
  RunStatus,
  Subscription,
} from '../advisor/ports/digests.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { Questionnaire } from '../advisor/questionnaire.js';
import { DEFAULT_IDLE_MS, daysToMs } from '../advisor/time.js';
import { buildDigest, type Digest } from './build.js';
import { dueTick, isTimeZone, nextTick, type Period, periodEnding, type Schedule } from './period.js';

/** Who runs a digest command, as Slack's users.info describes them. */
export interface Caller {
  userId: string;
  tz?: string;
  isAdmin: boolean;
  isOwner: boolean;
}

/**
 * Posts a digest to its channel, or finds it there already posted (a send repeated after a crash); the Slack
 * layer implements it. Its errors are the outbox sender's to retry or give up on.
 */
export type Publish = (digest: Digest) => Promise<{ ts: string }>;

/**
 * One digest to post, as its outbox item carries it: the period is fixed when it is queued, and the message is
 * built from the store when it is sent.
 */
export interface DigestJob extends ChannelRef {
  trigger: Digest['trigger'];
  cadence: Digest['cadence'];
  periodStart: number;
  periodEnd: number;
  tz: string;
  /** Posted even when nothing happened: a channel that asked for empty digests, and every `digest now`. */
  includeEmpty: boolean;
}

/** The outbox calls that post a digest (src/slack/ makes Slack's). */
export type PlanDigest = (job: DigestJob) => Envelope[];

/** The job that posts a digest previewed with `digest now`, for the same period. */
export const manualJob = (d: Digest): DigestJob => ({
  teamId: d.teamId,
  channelId: d.channelId,
  trigger: d.trigger,
  cadence: d.cadence,
  periodStart: d.period.start,
  periodEnd: d.period.end,
  tz: d.period.tz,
  includeEmpty: true,
});

export type ChangeResult =
  | {
      kind: 'subscribed';
      subscription: Subscription;
      previous?: Subscription;
      next: number;
      guessedTz: boolean;
    }
  | { kind: 'unsubscribed'; previous: Subscription }
  | { kind: 'empty_set'; subscription: Subscription }
  | { kind: 'none' }
  | { kind: 'refused'; ownerId: string }
  | { kind: 'conflict' };

export interface Status {
  subscription?: Subscription;
  next?: number;
  lastRun?: DigestRun;
}

export type Due = { subscription: Subscription & { lastRunEnd: number | null }; tick: number };

/** A subscription and, when it is owed one at the time asked, the tick of its due digest. */
export type AgendaItem = { subscription: Due['subscription']; tick?: number };

export interface DigestService {
  status(ref: ChannelRef): Promise<Status>;
  subscribe(ref: ChannelRef, caller: Caller, schedule: Omit<Schedule, 'tz'>): Promise<ChangeResult>;
  unsubscribe(ref: ChannelRef, caller: Caller): Promise<ChangeResult>;
  setIncludeEmpty(ref: ChannelRef, caller: Caller, include: boolean): Promise<ChangeResult>;
  /** The digest so far: since the channel's last digest, or the last 7 days without a subscription. */
  preview(ref: ChannelRef, tz?: string): Promise<Digest>;
  /** Every subscription, each with the tick it is owed a digest for at `at`, if any. */
  agenda(at: number): Promise<AgendaItem[]>;
  /**
   * Claims the run for `tick` and commits the outbox calls that post it in the same transaction: 'queued', or
   * 'taken' when another process (or an earlier pass) claimed it.
   */
  runScheduled(due: Due, plan: PlanDigest): Promise<'queued' | 'taken'>;
  /**
   * The sender's side of a queued digest: builds it now, posts it through `publish` unless it is an empty one
   * nobody asked for, and records a scheduled run as posted or empty.
   */
  send(job: DigestJob, publish: Publish): Promise<{ status: 'posted'; ts: string } | { status: 'empty' }>;
  /** Records a scheduled run as failed, with the reason, once its post is given up on. */
  failed(job: DigestJob, reason: string): Promise<void>;
  /** Derives findings for completed assessments stored before findings existed; returns how many. */
  backfillFindings(): Promise<number>;
}

export interface DigestServiceOptions {
  store: DigestStore;
  questionnaire: Questionnaire;
  now?: () => number;
  /** Still active this long after the last change: abandoned. Default 14 days. */
  idleMs?: number;
  /** Completed assessments listed (with links) per digest. Default 10. */
  listLimit?: number;
}

const AD_HOC_MS = daysToMs(7);

export const mayChange = (sub: Subscription, caller: Caller) =>
  sub.userId === caller.userId || caller.isAdmin || caller.isOwner;

const sameSchedule = (a: Schedule, b: Schedule) =>
  a.cadence === b.cadence &&
  a.weekday === b.weekday &&
  a.hour === b.hour &&
  a.minute === b.minute &&
  a.tz === b.tz;

export function createDigestService({
  store,
  questionnaire: q,
  now = Date.now,
  idleMs = DEFAULT_IDLE_MS,
  listLimit = 10,
}: DigestServiceOptions): DigestService {
  const compose = async (
    ref: ChannelRef,
    period: Period,
    tz: string,
    trigger: Digest['trigger'],
    cadence: Digest['cadence'],
  ) => {
    const stats = await store.digestStats({ ...ref, ...period, idleMs, listLimit });
    return buildDigest(q, stats, { ...ref, trigger, cadence, period, tz, idleMs });
  };

  /** Loads the subscription and checks the caller may change it. */
  const guarded = async (ref: ChannelRef, caller: Caller) => {
    const existing = await store.getSubscription(ref);
    if (existing && !mayChange(existing, caller))
      return { refused: { kind: 'refused', ownerId: existing.userId } as const };
    return { existing };
  };

  return {
    async status(ref) {
      const subscription = await store.getSubscription(ref);
      if (!subscription) return {};
      const lastRun = await store.lastRun(ref);
      return { subscription, next: nextTick(subscription, now()), ...(lastRun && { lastRun }) };
    },

    async subscribe(ref, caller, schedule) {
      const { existing, refused } = await guarded(ref, caller);
      if (refused) return refused;
      const guessedTz = !isTimeZone(caller.tz);
      const at = now();
      const wanted = { ...schedule, tz: isTimeZone(caller.tz) ? caller.tz : 'UTC' };
      const sub: Subscription = {
        ...ref,
        ...wanted,
        userId: caller.userId,
        includeEmpty: existing?.includeEmpty ?? false,
        version: existing?.version ?? 0,
        createdAt: existing?.createdAt ?? at,
        // Ticks before a new schedule are not owed a digest; an unchanged schedule keeps its debts.
        scheduledAt: existing && sameSchedule(existing, wanted) ? existing.scheduledAt : at,
      };
      if (!(await store.saveSubscription(sub))) return { kind: 'conflict' };
      return {
        kind: 'subscribed',
        subscription: { ...sub, version: sub.version + 1 },
        ...(existing && { previous: existing }),
        next: nextTick(sub, at),
        guessedTz,
      };
    },

    async unsubscribe(ref, caller) {
      const { existing, refused } = await guarded(ref, caller);
      if (refused) return refused;
      if (!existing) return { kind: 'none' };
      if (!(await store.deleteSubscription(ref, existing.version))) return { kind: 'conflict' };
      return { kind: 'unsubscribed', previous: existing };
    },

    async setIncludeEmpty(ref, caller, include) {
      const { existing, refused } = await guarded(ref, caller);
      if (refused) return refused;
      if (!existing) return { kind: 'none' };
      const sub = { ...existing, includeEmpty: include };
      if (!(await store.saveSubscription(sub))) return { kind: 'conflict' };
      return { kind: 'empty_set', subscription: { ...sub, version: sub.version + 1 } };
    },

    async preview(ref, tz = 'UTC') {
      const at = now();
      const sub = await store.getSubscription(ref);
      if (!sub)
        return compose(ref, { start: at - AD_HOC_MS, end: at }, isTimeZone(tz) ? tz : 'UTC', 'manual', null);
      const last = await store.lastRun(ref);
      const period = periodEnding(sub, at, last?.periodEnd ?? null);
      return compose(ref, period, sub.tz, 'manual', sub.cadence);
    },

    async agenda(at) {
      const subs = await store.listSubscriptions();
      return subs.map((subscription) => {
        const tick = dueTick(subscription, at, subscription.lastRunEnd);
        return tick === undefined ? { subscription } : { subscription, tick };
      });
    },

    async runScheduled({ subscription: sub, tick }, plan) {
      const ref = { teamId: sub.teamId, channelId: sub.channelId };
      const period = periodEnding(sub, tick, sub.lastRunEnd);
      const job: DigestJob = {
        ...ref,
        trigger: 'scheduled',
        cadence: sub.cadence,
        periodStart: period.start,
        periodEnd: tick,
        tz: sub.tz,
        includeEmpty: sub.includeEmpty,
      };
      const run = { ...ref, periodStart: period.start, periodEnd: tick, claimedAt: now() };
      // Exactly once across replicas and restarts: only the claim's transaction queues the post.
      return (await store.claimRun(run, plan(job))) ? 'queued' : 'taken';
    },

    async send(job, publish) {
      const ref = { teamId: job.teamId, channelId: job.channelId };
      const finish = async (
        status: Exclude<RunStatus, 'claimed'>,
        extra: { messageTs?: string; error?: string } = {},
      ) => {
        // A manual digest has no run to record.
        if (job.trigger !== 'scheduled') return;
        await store.finishRun({ ...ref, periodEnd: job.periodEnd }, { status, ...extra, finishedAt: now() });
      };
      const period = { start: job.periodStart, end: job.periodEnd };
      const digest = await compose(ref, period, job.tz, job.trigger, job.cadence);
      if (digest.empty && !job.includeEmpty) {
        await finish('empty');
        return { status: 'empty' };
      }
      const { ts } = await publish(digest);
      await finish('posted', { messageTs: ts });
      return { status: 'posted', ts };
    },

    async failed(job, reason) {
      if (job.trigger !== 'scheduled') return;
      await store.finishRun(
        { teamId: job.teamId, channelId: job.channelId, periodEnd: job.periodEnd },
        { status: 'failed', error: reason, finishedAt: now() },
      );
    },

    async backfillFindings() {
      if (await store.findingsBackfilled()) return 0;
      let total = 0;
      for (let round = 0; round < 50; round++) {
        const batch = await store.completedWithoutFindings(200);
        let written = 0;
        for (const s of batch) if (await store.putFindings(s.id, s.version, findingsOf(q, s))) written++;
        total += written;
        // The last batch: what it could not write has moved on, and its next save writes its findings.
        if (batch.length < 200) {
          await store.markFindingsBackfilled();
          break;
        }
        if (written === 0) break;
      }
      return total;
    },
  };
}
