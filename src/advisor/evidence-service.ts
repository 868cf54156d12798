import type { AssessmentEvidence } from './evidence.js';
import { decideWith } from './evidence.js';
import { findingsOf } from './findings.js';
import type { AssessmentStore } from './ports/assessments.js';
import type { Envelope } from './ports/outbox.js';
import type { Questionnaire } from './questionnaire.js';
import type { ServiceObserver } from './service.js';
import { attachEvidence, currentQuestion, type Session } from './session.js';
import { type Step, showStep, supersedes, superseding, type Thread } from './steps.js';
import { upgradeSession } from './upgrade.js';

/** Whose assessment a thread holds, as seen by the person acting in it. */
export type EvidenceTarget =
  | { kind: 'own'; session: Session }
  | { kind: 'not_owner'; ownerId: string }
  | { kind: 'not_ours' };

export interface Attached {
  kind: 'attached';
  /** The assessment as it was, and the question it was waiting on (null once complete). */
  before: Session;
  askedBefore: string | null;
  /** What to show now: the card (recomputed), or the question the assessment waits on. */
  step: Extract<Step, { kind: 'ask' | 'done' }>;
}

export type AttachResult =
  | Attached
  | Exclude<EvidenceTarget, { kind: 'own' }>
  | { kind: 'duplicate' }
  | { kind: 'rejected'; message: string };

/**
 * The evidence use cases: find the caller's assessment in a thread (before anything is downloaded), then attach
 * an already validated evidence summary to it. Slack-free, like the assessment use cases; the state change and
 * its idempotency key are saved in one transaction, with the findings digests count.
 */
export interface EvidenceService {
  target(at: Thread): Promise<EvidenceTarget>;
  /**
   * Attaches the evidence; the outbox calls `outbox` makes of the result (saying so, the card or question that
   * follows) commit in the same transaction as the change (ports/outbox.ts).
   */
  attach(
    at: Thread,
    evidence: AssessmentEvidence,
    idempotencyKey: string,
    outbox?: (attached: Attached) => Envelope[],
  ): Promise<AttachResult>;
}

export interface EvidenceServiceOptions {
  store: AssessmentStore;
  questionnaire: Questionnaire;
  now?: () => number;
  observer?: Pick<ServiceObserver, 'completed'>;
}

const MAX_ATTEMPTS = 3;

export function createEvidenceService({
  store,
  questionnaire: q,
  now = Date.now,
  observer,
}: EvidenceServiceOptions): EvidenceService {
  const outcomeOf = (s: Session) => decideWith(q, s.answers, s.evidence).outcome;

  const target = async (at: Thread): Promise<EvidenceTarget> => {
    const own = await store.get(at);
    if (own) return { kind: 'own', session: upgradeSession(q, own) };
    const owner = (await store.byThread(at.teamId, at.channelId, at.threadTs))[0];
    return owner ? { kind: 'not_owner', ownerId: owner.userId } : { kind: 'not_ours' };
  };

  return {
    target,
    async attach(at, evidence, key, outbox) {
      // Optimistic concurrency, as for answers: a change made meanwhile is reloaded and the evidence applied again.
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const found = await target(at);
        if (found.kind !== 'own') return found;
        const before = found.session;
        const next = attachEvidence(q, before, evidence, now(), outcomeOf);
        const findings =
          before.status === 'active' && next.status === 'active' ? undefined : findingsOf(q, next);
        // The result as it will stand once saved (a save bumps the version), so its calls commit with it.
        const attached: Attached = {
          kind: 'attached',
          before,
          askedBefore: currentQuestion(q, before)?.id ?? null,
          // A finished assessment's card is shown again, recomputed: the one before is superseded.
          step: superseding(
            showStep(q, { ...next, version: next.version + 1 }),
            supersedes(before, next, 'evidence', next.updatedAt),
          ) as Attached['step'],
        };
        const saved = await store.save(next, key, findings, outbox?.(attached));
        if (saved.status === 'duplicate') return { kind: 'duplicate' };
        if (saved.status === 'saved') {
          if (before.status === 'active' && saved.session.outcome) observer?.completed(saved.session.outcome);
          return attached;
        }
      }
      return {
        kind: 'rejected',
        message: 'Too many changes to this assessment at once; upload the file again.',
      };
    },
  };
}
