import { decideWith, effectiveAnswers, evidenceAnswers } from './evidence.js';
import { registerWithEvidence } from './evidence-risks.js';
import { optionOf, type Question, type Questionnaire, questionById } from './questionnaire.js';
import type { Answer, Session } from './session.js';

/**
 * What a completed assessment found, in a form a database can count: the reasons its card gave, the risk
 * questions it left open and the questions it skipped. Derived from the answers by the pure core and stored
 * with the assessment, so channel digests aggregate them in SQL instead of replaying every assessment.
 */
export type FindingKind = 'reason' | 'open_risk' | 'skipped';

export interface Finding {
  kind: FindingKind;
  /** reason: `<question>:<option id | band min | skipped>`; open_risk: a risk id; skipped: a question id. */
  itemId: string;
}

/**
 * Findings of a completed assessment; none for one still in progress (so a restart clears them). With evidence,
 * they follow the evidence-backed verdict: its reasons, and the risks still open once the evidence is applied.
 */
export function findingsOf(q: Questionnaire, s: Pick<Session, 'status' | 'answers' | 'evidence'>): Finding[] {
  if (s.status !== 'completed') return [];
  const decision = decideWith(q, s.answers, s.evidence);
  const effective = effectiveAnswers(s.answers, evidenceAnswers(q, s.answers, s.evidence));
  const open = registerWithEvidence(q, s.answers, decision.outcome, s.evidence).filter(
    (r) => r.status === 'open',
  );
  return [
    ...decision.reasons.map((r) => ({
      kind: 'reason' as const,
      itemId: reasonKey(q, r.questionId, effective),
    })),
    ...open.map((r) => ({ kind: 'open_risk' as const, itemId: r.id })),
    ...Object.entries(s.answers)
      .filter(([, a]) => a.kind === 'skipped')
      .map(([itemId]) => ({ kind: 'skipped' as const, itemId })),
  ];
}

/** Which option, number band or skip produced a question's reason: the same key for the same wording. */
export function reasonKey(q: Questionnaire, questionId: string, answers: Record<string, Answer>): string {
  const answer = answers[questionId];
  const question = questionById(q, questionId);
  if (!answer || answer.kind === 'skipped' || !question) return `${questionId}:skipped`;
  if (answer.kind === 'option')
    return `${questionId}:${optionOf(question, answer.optionId)?.id ?? answer.optionId}`;
  if (question.type !== 'number') return `${questionId}:skipped`;
  const band = question.bands.filter((b) => b.min <= answer.value).at(-1) ?? question.bands[0];
  return `${questionId}:${band?.min ?? 1}`;
}

/** The reason's wording for a key; a number band's `{value}` becomes its range, e.g. "2 to 5". */
export function reasonText(q: Questionnaire, key: string): string {
  const [questionId = '', variant = ''] = key.split(':');
  const question = questionById(q, questionId);
  if (!question) return key;
  if (variant === 'skipped') return question.skipped?.reason ?? `${question.prompt} (skipped)`;
  if (question.type === 'choice') {
    const option = optionOf(question, variant);
    return option?.reason ?? `${question.prompt}: ${option?.label ?? variant}`;
  }
  const i = question.bands.findIndex((b) => String(b.min) === variant);
  const band = question.bands[i];
  if (!band) return key;
  return (band.reason ?? `${question.prompt}: {value}`).replaceAll('{value}', bandRange(question, i));
}

/** How strongly a reason weighs on a verdict, to rank equally common reasons: rules first, then |need + trust|. */
export function reasonWeight(q: Questionnaire, key: string): number {
  const [questionId = '', variant = ''] = key.split(':');
  const question = questionById(q, questionId);
  const effect =
    variant === 'skipped'
      ? question?.skipped
      : question?.type === 'choice'
        ? optionOf(question, variant)
        : question?.bands.find((band) => String(band.min) === variant);
  if (!effect) return 0;
  if (effect.rule_out) return 1000;
  if (effect.safeguards || effect.unknown) return 500;
  return Math.abs(effect.need + effect.trust);
}

function bandRange(question: Extract<Question, { type: 'number' }>, i: number): string {
  const min = question.bands[i]?.min ?? 1;
  const next = question.bands[i + 1]?.min;
  if (next === undefined) return `${min} or more`;
  return next - 1 === min ? String(min) : `${min} to ${next - 1}`;
}
