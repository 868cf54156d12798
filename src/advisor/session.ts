import type { Answer } from './answer.js';
import { askedGiven } from './decide.js';
import { echo } from './echo.js';
import { type AssessmentEvidence, decideWith, evidenceAnswers } from './evidence.js';
import type { Outcome, Question, Questionnaire } from './questionnaire.js';

export { type Answer, describeAnswer } from './answer.js';

/** Who and where: an assessment belongs to one user in one thread. */
export interface SessionKey {
  teamId: string;
  channelId: string;
  threadTs: string;
  userId: string;
}

export interface Session extends SessionKey {
  id: string;
  questionnaireId: string;
  /** The questionnaire version the answers were given under (recorded on every change). */
  questionnaireVersion: number;
  status: 'active' | 'completed';
  answers: Record<string, Answer>;
  /** Question ids in the order they were answered, so `back` knows where to return. */
  order: string[];
  restarts: number;
  outcome: Outcome | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  /**
   * Evidence from a cluster the owner uploaded into the thread (evidence.ts). Where it answers a question, its
   * answer stands in for the person's in the verdict, and that question is not asked while it does.
   */
  evidence?: AssessmentEvidence;
  /**
   * Set on a finished assessment that a restart replaced with a new one in its thread: kept as history (Home,
   * `adr`, digests), no longer the thread's live assessment.
   */
  archivedAt?: number;
}

export type SessionError =
  | { code: 'completed' }
  | { code: 'not_current'; questionId: string; currentId: string | null }
  | { code: 'invalid_answer'; questionId: string; message: string }
  | { code: 'nothing_to_undo' }
  | { code: 'unknown_question'; questionId: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: SessionError };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: SessionError): Result<T> => ({ ok: false, error });

export function newSession(key: SessionKey, q: Questionnaire, id: string, now: number): Session {
  return {
    ...key,
    id,
    questionnaireId: q.id,
    questionnaireVersion: q.version,
    status: 'active',
    answers: {},
    order: [],
    restarts: 0,
    outcome: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
}

/**
 * The questions asked given these answers: by their conditions, and context questions by the verdict (which the
 * evidence, when there is some, may have moved).
 */
export function applicableQuestions(
  q: Questionnaire,
  answers: Record<string, Answer>,
  evidence?: AssessmentEvidence,
): Question[] {
  return askedGiven(q, answers, decideWith(q, answers, evidence).outcome);
}

/**
 * toAsk's last answer for an answers object: one interaction asks it of the same session several times (the
 * question, its progress, the step shown), each a run of the decision. Answers are never changed in place (a
 * change makes a new object), so the object with the questionnaire and the evidence names the result.
 */
const asked = new WeakMap<
  object,
  { q: Questionnaire; evidence: AssessmentEvidence | undefined; questions: Question[] }
>();

/** Applicable questions still to ask: not answered, and not answered by the evidence. Callers must not change it. */
function toAsk(q: Questionnaire, s: Pick<Session, 'answers' | 'evidence'>): Question[] {
  const hit = asked.get(s.answers);
  if (hit && hit.q === q && hit.evidence === s.evidence) return hit.questions;
  const backed = evidenceAnswers(q, s.answers, s.evidence);
  const questions = applicableQuestions(q, s.answers, s.evidence).filter(
    (question) => question.id in s.answers || !(question.id in backed),
  );
  asked.set(s.answers, { q, evidence: s.evidence, questions });
  return questions;
}

export function currentQuestion(q: Questionnaire, s: Session): Question | undefined {
  if (s.status !== 'active') return undefined;
  return toAsk(q, s).find((question) => !(question.id in s.answers));
}

/** Where the question being asked stands among those that apply: its own position, also when one is changed. */
export function progress(q: Questionnaire, s: Session): { index: number; total: number } {
  const asked = toAsk(q, s);
  const current = asked.findIndex((question) => !(question.id in s.answers));
  return { index: current === -1 ? asked.length : current + 1, total: asked.length };
}

export function validateAnswer(question: Question, answer: Answer): string | undefined {
  if (answer.kind === 'skipped') return undefined;
  if (question.type === 'choice') {
    if (answer.kind !== 'option') return 'Pick one of the options.';
    if (!question.options.some((o) => o.id === answer.optionId))
      return `"${echo(answer.optionId)}" is not an option.`;
    return undefined;
  }
  if (answer.kind !== 'number') return `Give a whole number of ${question.unit}.`;
  if (!Number.isInteger(answer.value) || answer.value < 1)
    return `Give a whole number of ${question.unit}, 1 or more.`;
  if (answer.value > 1_000_000)
    return `That is more ${question.unit} than this advisor can weigh; give a rough figure.`;
  return undefined;
}

/** Drop answers to questions that earlier answers have made irrelevant, so nothing stale feeds the verdict. */
function prune(
  q: Questionnaire,
  answers: Record<string, Answer>,
  order: string[],
  evidence: AssessmentEvidence | undefined,
) {
  const keep = new Set(applicableQuestions(q, answers, evidence).map((x) => x.id));
  const pruned = Object.fromEntries(Object.entries(answers).filter(([qid]) => keep.has(qid)));
  return { answers: pruned, order: order.filter((qid) => keep.has(qid)) };
}

function settle(q: Questionnaire, s: Session, now: number, outcomeOf: (s: Session) => Outcome): Session {
  const next: Session = { ...s, status: 'active', updatedAt: now, questionnaireVersion: q.version };
  if (currentQuestion(q, next)) return { ...next, outcome: null, completedAt: null };
  const completed = { ...next, status: 'completed' as const, completedAt: now };
  return { ...completed, outcome: outcomeOf(completed) };
}

export function answerQuestion(
  q: Questionnaire,
  s: Session,
  questionId: string,
  answer: Answer,
  now: number,
  outcomeOf: (s: Session) => Outcome,
): Result<Session> {
  if (s.status !== 'active') return fail({ code: 'completed' });
  const current = currentQuestion(q, s);
  if (!current || current.id !== questionId) {
    return fail({ code: 'not_current', questionId, currentId: current?.id ?? null });
  }
  const problem = validateAnswer(current, answer);
  if (problem) return fail({ code: 'invalid_answer', questionId, message: problem });
  const { answers, order } = prune(
    q,
    { ...s.answers, [questionId]: answer },
    [...s.order, questionId],
    s.evidence,
  );
  return ok(settle(q, { ...s, answers, order }, now, outcomeOf));
}

export function goBack(
  q: Questionnaire,
  s: Session,
  now: number,
  outcomeOf: (s: Session) => Outcome,
): Result<Session> {
  const last = s.order.at(-1);
  if (!last) return fail({ code: 'nothing_to_undo' });
  const { [last]: _dropped, ...answers } = s.answers;
  return ok(settle(q, { ...s, answers, order: s.order.slice(0, -1) }, now, outcomeOf));
}

/** Re-open one answered question (the card's "Change an answer"); the others stay. */
export function reopen(
  q: Questionnaire,
  s: Session,
  questionId: string,
  now: number,
  outcomeOf: (s: Session) => Outcome,
): Result<Session> {
  if (!q.questions.some((x) => x.id === questionId)) return fail({ code: 'unknown_question', questionId });
  if (!(questionId in s.answers)) return fail({ code: 'not_current', questionId, currentId: null });
  // Later answers that depended on this one are pruned when the new answer lands.
  const { [questionId]: _dropped, ...answers } = s.answers;
  const order = s.order.filter((x) => x !== questionId);
  return ok(settle(q, { ...s, answers, order }, now, outcomeOf));
}

/**
 * Attaches the cluster's evidence (a newer upload replaces the last). The evidence may answer the current
 * question, complete the assessment, or move the verdict so that another question applies (where self-hosted
 * clusters would run): the assessment settles again. An assessment that stays completed keeps its completion time.
 */
export function attachEvidence(
  q: Questionnaire,
  s: Session,
  evidence: AssessmentEvidence,
  now: number,
  outcomeOf: (s: Session) => Outcome,
): Session {
  const { answers, order } = prune(q, s.answers, s.order, evidence);
  const next = settle(q, { ...s, answers, order, evidence }, now, outcomeOf);
  return s.status === 'completed' && next.status === 'completed'
    ? { ...next, completedAt: s.completedAt }
    : next;
}

/**
 * The assessment a restart of a finished one starts: a new assessment (its own id) in the same thread, so the
 * finished one stays as it was, as history. The evidence stays, as for any restart.
 */
export function successor(s: Session, id: string, now: number): Session {
  const { archivedAt: _archived, ...rest } = restart(s, now);
  return { ...rest, id, version: 0, createdAt: now };
}

export function restart(s: Session, now: number): Session {
  return {
    ...s,
    status: 'active',
    answers: {},
    order: [],
    outcome: null,
    completedAt: null,
    restarts: s.restarts + 1,
    updatedAt: now,
  };
}
