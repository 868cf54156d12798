import type { Answer } from './answer.js';
import type { Question } from './questionnaire.js';

/**
 * Whether answers match a set of conditions (`ask_when`'s form): every named question has one of its values.
 * `unknownMatches`: a skipped or missing answer counts as a match (ask the follow-up rather than drop it) or not
 * (show advice only for what was actually said).
 */
export function answersMatch(
  sets: Record<string, string[]>,
  answers: Record<string, Answer>,
  { unknownMatches = true } = {},
): boolean {
  return Object.entries(sets).every(([dep, allowed]) => {
    const a = answers[dep];
    if (!a || a.kind === 'skipped') return unknownMatches;
    return a.kind === 'option' ? allowed.includes(a.optionId) : allowed.includes(String(a.value));
  });
}

/** Whether a question is asked, judged by earlier answers alone (not by the verdict). */
export function askedByAnswers(question: Question, answers: Record<string, Answer>): boolean {
  return answersMatch(question.ask_when ?? {}, answers);
}
