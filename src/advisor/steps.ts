import type { Envelope } from './ports/outbox.js';
import type { Question, Questionnaire } from './questionnaire.js';
import { type Recommendation, recommend } from './recommend.js';
import { currentQuestion, progress, type Session } from './session.js';

export interface Progress {
  index: number;
  total: number;
}

/** What just happened to the previous question, so the question message can show the answer. */
export interface Answered {
  question: Question;
  label: string;
  /** How a typed reply that could be read two ways was taken. */
  readAs?: string;
}

/** What made an earlier verdict no longer stand: a changed answer (or `back`), a restart, new cluster evidence. */
export type SupersededBy = 'change' | 'restart' | 'evidence';

/**
 * A finished assessment whose verdict a step replaces, as its card showed it: one verdict is current, so that card
 * (and any copy shared to the channel) is to say it was superseded, and lose its buttons.
 */
export interface Supersedes {
  session: Session;
  at: number;
  by: SupersededBy;
}

/** The result of every use case: what the caller should show. The Slack layer turns it into messages. */
export type Step =
  | {
      kind: 'ask';
      session: Session;
      question: Question;
      progress: Progress;
      answered?: Answered;
      note?: string;
      supersedes?: Supersedes;
    }
  | {
      kind: 'done';
      session: Session;
      recommendation: Recommendation;
      answered?: Answered;
      supersedes?: Supersedes;
    }
  /** A restart of a finished assessment asks first: its decision is kept, but its card stops being current. */
  | { kind: 'confirm_restart'; session: Session }
  | { kind: 'invalid'; session: Session; question: Question; progress: Progress; message: string }
  | { kind: 'rejected'; session: Session; message: string }
  | { kind: 'not_owner'; ownerId: string }
  | { kind: 'not_ours' }
  | { kind: 'expired'; session: Session; idleDays: number }
  | { kind: 'ignored' }
  | { kind: 'duplicate' };

/** Where a person acts on an assessment: its thread, and who they are. */
export interface Thread {
  teamId: string;
  channelId: string;
  threadTs: string;
  userId: string;
}

/**
 * Where a step lands: its thread and who acted, the message they acted on (a clicked question) and whether the
 * assessment was just started there (its parent message already shows the first question's progress).
 */
export interface Origin extends Thread {
  messageTs?: string;
  started?: boolean;
}

/** The step that shows an assessment as it stands: its current question, or its card once complete. */
export function showStep(q: Questionnaire, s: Session, answered?: Answered, note?: string): Step {
  const question = currentQuestion(q, s);
  if (!question)
    return { kind: 'done', session: s, recommendation: recommend(q, s), ...(answered && { answered }) };
  return {
    kind: 'ask',
    session: s,
    question,
    progress: progress(q, s),
    ...(answered && { answered }),
    ...(note && { note }),
  };
}

/** The step, saying which earlier verdict it replaces, when it shows a question or a card. */
export function superseding(step: Step, supersedes: Supersedes | undefined): Step {
  return supersedes && (step.kind === 'ask' || step.kind === 'done') ? { ...step, supersedes } : step;
}

/**
 * Whether going from `before` to `after` replaces a verdict: a finished assessment left completion, or completed
 * anew. Evidence that leaves it completed keeps its completion time but shows a recomputed card, so it counts too.
 */
export function supersedes(
  before: Session,
  after: Session,
  by: SupersededBy,
  at: number,
): Supersedes | undefined {
  if (before.status !== 'completed') return undefined;
  const replaced =
    by !== 'change' || after.status !== 'completed' || after.completedAt !== before.completedAt;
  return replaced ? { session: before, at, by } : undefined;
}

/**
 * What showing a step takes, as outbox calls (src/slack/envelopes.ts makes Slack's). Committed in the same
 * transaction as the change that produced the step, so an acknowledged request never loses its next message.
 */
export type Planner = (step: Step, at: Origin) => Envelope[];
