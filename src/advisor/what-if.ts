import { decide, rank } from './decide.js';
import type { Outcome, Question, Questionnaire } from './questionnaire.js';
import { type Answer, describeAnswer, isApplicable } from './session.js';

export interface Flip {
  questionId: string;
  /** The changed answer, as the user would have given it. */
  answer: Answer;
  label: string;
  outcome: Outcome;
}

/** The answers worth trying instead of the given one: every other option, or one value from each other band. */
function alternatives(question: Question, current: Answer | undefined): Answer[] {
  if (question.type === 'choice') {
    return question.options
      .filter((o) => !(current?.kind === 'option' && current.optionId === o.id))
      .map((o) => ({ kind: 'option', optionId: o.id }));
  }
  const value = current?.kind === 'number' ? current.value : undefined;
  const band = (v: number) => question.bands.filter((b) => b.min <= v).length;
  return question.bands
    .filter((b) => value === undefined || band(b.min) !== band(value))
    .map((b) => ({ kind: 'number', value: b.min }));
}

/**
 * Which single changed answer would flip the verdict, nearest outcomes first. Pure, like decide: it only re-runs
 * the engine with one answer changed at a time.
 */
export function whatIf(q: Questionnaire, answers: Record<string, Answer>, limit = 3): Flip[] {
  const base = decide(q, answers).outcome;
  const flips: (Flip & { distance: number })[] = [];
  for (const question of q.questions) {
    if (!isApplicable(question, answers)) continue;
    for (const alt of alternatives(question, answers[question.id])) {
      const outcome = decide(q, { ...answers, [question.id]: alt }).outcome;
      if (outcome === base) continue;
      const distance = Math.abs(rank(outcome) - rank(base));
      const seen = flips.find((f) => f.questionId === question.id && f.outcome === outcome);
      // One line per question and outcome: the first (nearest) alternative that gets there says enough.
      if (!seen)
        flips.push({
          questionId: question.id,
          answer: alt,
          label: describeAnswer(question, alt),
          outcome,
          distance,
        });
    }
  }
  return flips
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map(({ distance: _d, ...flip }) => flip);
}
