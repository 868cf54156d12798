import { optionOf, type Question } from './questionnaire.js';

/**
 * One answer. A number chosen from a preset keeps the preset's words (`label`, e.g. "2 to 5"), so the record
 * says what the person chose rather than the figure that stands in for it; a typed number has no label.
 */
export type Answer =
  | { kind: 'option'; optionId: string }
  | { kind: 'number'; value: number; label?: string }
  | { kind: 'skipped' };

/** "1 cluster", "2 to 5 clusters", "40 nodes". */
export function describeNumber(question: Question, value: number, label?: string): string {
  if (question.type !== 'number') return label ?? String(value);
  const words = label ?? String(value);
  const one = value === 1 && (label === undefined || label === '1');
  return `${words} ${one ? (question.unit_one ?? question.unit) : question.unit}`;
}

export function describeAnswer(question: Question, answer: Answer | undefined): string {
  if (!answer || answer.kind === 'skipped') return 'Skipped';
  if (answer.kind === 'number') return describeNumber(question, answer.value, answer.label);
  return optionOf(question, answer.optionId)?.label ?? answer.optionId;
}

/**
 * The words an answer puts into a reason's `{value}`: the preset chosen, or the number typed. A preset label
 * starts a button ("Under 10"), so inside a sentence it starts lower-case ("with under 10 nodes").
 */
export function valueWords(answer: Answer | undefined): string {
  if (answer?.kind !== 'number') return '';
  const words = answer.label ?? String(answer.value);
  return words.charAt(0).toLowerCase() + words.slice(1);
}

/** A button's value as an answer; a preset button keeps the preset's words. */
export function clickedAnswer(question: Question, value: string): Answer {
  if (value === 'skip') return { kind: 'skipped' };
  if (question.type !== 'number') return { kind: 'option', optionId: value };
  const number = Number(value);
  const preset = question.presets.find((p) => p.value === number);
  return { kind: 'number', value: number, ...(preset && { label: preset.label }) };
}
