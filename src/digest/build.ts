import { reasonText, reasonWeight } from '../advisor/findings.js';
import type { CompletedRef, DigestStats, Tally } from '../advisor/ports/digests.js';
import { OUTCOMES, type Outcome, type Questionnaire, questionById } from '../advisor/questionnaire.js';
import { riskById } from '../advisor/risks.js';
import { msToDays } from '../advisor/time.js';
import type { Period } from './period.js';

/** A channel digest as data: what the store counted, named in the questionnaire's words. Pure. */

export interface Ranked {
  id: string;
  text: string;
  count: number;
}

export interface OutcomeCount {
  outcome: Outcome;
  title: string;
  emoji: string;
  count: number;
}

export interface Digest {
  teamId: string;
  channelId: string;
  trigger: 'scheduled' | 'manual';
  cadence: 'daily' | 'weekly' | null;
  period: Period & { tz: string };
  counts: {
    started: number;
    completed: number;
    inProgress: number;
    restarted: number;
    abandoned: number;
    withSkips: number;
    /** Completed assessments backed by evidence from a cluster. */
    withEvidence: number;
  };
  idleDays: number;
  /** Most managed first, every outcome listed (zeros included) so the bars line up. */
  outcomes: OutcomeCount[];
  reasons: Ranked[];
  openRisks: Ranked[];
  skipped: Ranked[];
  /** The first completed assessments of the period; `counts.completed` says how many there were. */
  completedList: CompletedRef[];
  /** Nothing started, completed or abandoned. */
  empty: boolean;
}

export interface DigestContext {
  teamId: string;
  channelId: string;
  trigger: Digest['trigger'];
  cadence: Digest['cadence'];
  period: Period;
  tz: string;
  idleMs: number;
}

/** Most common first; ties by `order` (lower first), then by id, so equal counts read in a useful order. */
const rank = (items: Tally[], text: (id: string) => string, order: (id: string) => number): Ranked[] =>
  items
    .map((t) => ({ id: t.itemId, text: text(t.itemId), count: t.count }))
    .sort((a, b) => b.count - a.count || order(a.id) - order(b.id) || a.id.localeCompare(b.id));

/** Position in a list, unknown ids last. */
const position = (ids: string[]) => (id: string) => {
  const i = ids.indexOf(id);
  return i < 0 ? ids.length : i;
};

export function buildDigest(q: Questionnaire, stats: DigestStats, ctx: DigestContext): Digest {
  const outcomes = [...OUTCOMES].reverse().map((outcome) => ({
    outcome,
    title: q.outcomes[outcome].title,
    emoji: q.outcomes[outcome].emoji,
    count: stats.outcomes[outcome] ?? 0,
  }));
  const risk = (id: string) => riskById(q, id)?.question ?? id;
  const riskIds = [...q.risks.provider, ...q.risks.self_hosted].map((r) => r.id);
  const question = (id: string) => questionById(q, id)?.prompt ?? id;
  return {
    teamId: ctx.teamId,
    channelId: ctx.channelId,
    trigger: ctx.trigger,
    cadence: ctx.cadence,
    period: { ...ctx.period, tz: ctx.tz },
    counts: {
      started: stats.started,
      completed: stats.completed,
      inProgress: stats.inProgress,
      restarted: stats.restarted,
      abandoned: stats.abandoned,
      withSkips: stats.withSkips,
      withEvidence: stats.withEvidence,
    },
    idleDays: msToDays(ctx.idleMs),
    outcomes,
    // Equally common reasons: the ones that weigh most on a verdict first (rules, then the strongest pulls).
    reasons: rank(
      stats.reasons,
      (id) => reasonText(q, id),
      (id) => -reasonWeight(q, id),
    ),
    openRisks: rank(stats.openRisks, risk, position(riskIds)),
    skipped: rank(stats.skipped, question, position(q.questions.map((x) => x.id))),
    completedList: stats.completedList,
    empty: stats.started === 0 && stats.completed === 0 && stats.abandoned === 0,
  };
}

/**
 * Names one digest of a channel: its trigger and period (epoch ms). A scheduled one's period end is its run's
 * key; a `digest now` ends when it was asked for. Carried in the message's metadata, so a repeated send finds
 * the digest already in the channel instead of posting it again.
 */
export const periodId = (d: Pick<Digest, 'trigger' | 'period'>) =>
  `${d.trigger}:${d.period.start}-${d.period.end}`;

/** The machine-readable counts a digest message carries in its metadata. */
export function digestPayload(d: Digest) {
  return {
    team_id: d.teamId,
    channel_id: d.channelId,
    trigger: d.trigger,
    period_id: periodId(d),
    period_start: new Date(d.period.start).toISOString(),
    period_end: new Date(d.period.end).toISOString(),
    timezone: d.period.tz,
    started: d.counts.started,
    completed: d.counts.completed,
    in_progress: d.counts.inProgress,
    restarted: d.counts.restarted,
    abandoned: d.counts.abandoned,
    with_evidence: d.counts.withEvidence,
    outcomes: Object.fromEntries(d.outcomes.map((o) => [o.outcome, o.count])) as Record<Outcome, number>,
  };
}
