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

/** The result of every use case: what the caller should show. The Slack layer turns it into messages. */
export type Step =
  | {
      kind: 'ask';
      session: Session;
      question: Question;
      progress: Progress;
      answered?: Answered;
      note?: string;
    }
  | { kind: 'done'; session: Session; recommendation: Recommendation; answered?: Answered }
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
