import { findingsOf } from '../advisor/findings.js';
import type {
  ChannelRef,
  DigestRun,
  DigestStore,
  RunStatus,
  Subscription,
} from '../advisor/ports/digests.js';
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

/** Posts a digest to its channel; the Slack layer implements it. */
export type Publish = (digest: Digest) => Promise<{ ts: string }>;

/** How a Publish says why a post failed: its message is the reason recorded with the run (Slack's code). */
export class PublishError extends Error {
  override name = 'PublishError';
}

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
  /** Claims the run for `tick`, then builds and publishes it; 'taken' when another process claimed it. */
  runScheduled(due: Due, publish: Publish): Promise<Exclude<RunStatus, 'claimed'> | 'taken'>;
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

    async runScheduled({ subscription: sub, tick }, publish) {
      const ref = { teamId: sub.teamId, channelId: sub.channelId };
      const period = periodEnding(sub, tick, sub.lastRunEnd);
      const claimed = await store.claimRun({
        ...ref,
        periodStart: period.start,
        periodEnd: tick,
        claimedAt: now(),
      });
      if (!claimed) return 'taken';
      const finish = (
        status: Exclude<RunStatus, 'claimed'>,
        extra: { messageTs?: string; error?: string } = {},
      ) =>
        store
          .finishRun({ ...ref, periodEnd: tick }, { status, ...extra, finishedAt: now() })
          .then(() => status);
      try {
        const digest = await compose(ref, period, sub.tz, 'scheduled', sub.cadence);
        if (digest.empty && !sub.includeEmpty) return finish('empty');
        const { ts } = await publish(digest);
        return finish('posted', { messageTs: ts });
      } catch (error) {
        // At most once: a failed post is recorded, not retried, since Slack may have posted it after all.
        await finish('failed', { error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
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
