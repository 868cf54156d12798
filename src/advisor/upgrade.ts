import type { Answer } from './answer.js';
import { optionOf, type Questionnaire, questionById } from './questionnaire.js';
import type { Session } from './session.js';

/**
 * Reads answers given under an earlier questionnaire version in today's terms: an option renamed since (listed
 * in its `formerly`) becomes its current id. The version stays as recorded until the assessment is next changed,
 * so the record still says which questionnaire the answers were given under.
 */
export function upgradeAnswers(q: Questionnaire, answers: Record<string, Answer>): Record<string, Answer> {
  let changed = false;
  const next = Object.fromEntries(
    Object.entries(answers).map(([questionId, answer]) => {
      const question = questionById(q, questionId);
      if (!question || answer.kind !== 'option') return [questionId, answer];
      const option = optionOf(question, answer.optionId);
      if (!option || option.id === answer.optionId) return [questionId, answer];
      changed = true;
      return [questionId, { kind: 'option', optionId: option.id } satisfies Answer];
    }),
  );
  return changed ? next : answers;
}

export function upgradeSession<S extends Pick<Session, 'answers'>>(q: Questionnaire, s: S): S {
  const answers = upgradeAnswers(q, s.answers);
  return answers === s.answers ? s : { ...s, answers };
}
