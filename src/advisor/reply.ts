import type { Answer } from './answer.js';
import type { Question } from './questionnaire.js';

export type Reply =
  /** `readAs` says how a reply that could be read two ways was taken. */
  | { kind: 'answer'; answer: Answer; readAs?: string }
  | { kind: 'back' }
  | { kind: 'restart' }
  | { kind: 'invalid'; message: string };

const WRAPPERS = new Set(['*', '_', '~', '`']);
const TRAILING = new Set(['.', '!', '?']);
const SPACE = /\s+/g;

/**
 * Lower-cased, with Slack formatting that wraps the whole reply (`*yes*`, `_partly_`) and trailing punctuation
 * taken off. Only the ends are trimmed, so an id such as `with_controls` keeps its underscore. Every step is a
 * single pass over the text: a reply of 40,000 dots costs no more than any other.
 */
export function normalise(s: string): string {
  let text = s.toLowerCase().replace(SPACE, ' ').trim();
  let start = 0;
  let end = text.length;
  while (start < end && WRAPPERS.has(text[start] as string)) start++;
  while (end > start && (WRAPPERS.has(text[end - 1] as string) || TRAILING.has(text[end - 1] as string)))
    end--;
  text = text.slice(start, end).trim();
  return text;
}

/** At most `max` characters of user text for an echo, never splitting a character made of two UTF-16 units. */
export function clipText(s: string, max: number): string {
  const chars = Array.from(s.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

const plainNumber = (text: string) => /^\d{1,9}$/.test(text);

/** The one whole number in a reply ("about 12 clusters", "1,200"), if there is exactly one. */
function numberIn(text: string): number | undefined {
  const numbers = text.match(/\d[\d,_]*/g) ?? [];
  if (numbers.length !== 1 || text.includes('-') || /\d\.\d/.test(text)) return undefined;
  const value = Number(numbers[0]?.replace(/[,_]/g, ''));
  return Number.isSafeInteger(value) ? value : undefined;
}

const commandOf = (text: string): 'back' | 'restart' | undefined => {
  if (text === 'back' || text === 'go back' || text === 'undo') return 'back';
  if (text === 'restart' || text === 'start over') return 'restart';
  return undefined;
};

/** The commands a thread reply may be whatever is waiting, a question or the card: `back` and `restart`. */
export const parseCommand = (raw: string) => commandOf(normalise(raw));

/** Turns a plain thread reply into an answer or a command; anything else says what would have worked. */
export function parseReply(question: Question, raw: string): Reply {
  const text = normalise(raw);
  if (text === 'skip') return { kind: 'answer', answer: { kind: 'skipped' } };
  const command = commandOf(text);
  if (command) return { kind: command };

  if (question.type === 'choice') {
    const { options } = question;
    const byNumber = plainNumber(text) ? options[Number(text) - 1] : undefined;
    const spaced = text.replaceAll('_', ' ');
    const match =
      byNumber ??
      options.find(
        (o) =>
          o.id === text ||
          o.id.replaceAll('_', ' ') === spaced ||
          o.formerly.includes(text) ||
          normalise(o.label) === text,
      );
    if (match) {
      const answer: Answer = { kind: 'option', optionId: match.id };
      // A bare number on a choice question picks by position; say so, since it could also be a count.
      return byNumber
        ? { kind: 'answer', answer, readAs: `Read “${text}” as option ${text}.` }
        : { kind: 'answer', answer };
    }
    const choices = options.map((o, i) => `${i + 1} (${o.label})`).join(', ');
    return {
      kind: 'invalid',
      message: `I could not match your reply to an option. Reply with a number from 1 to ${options.length}: ${choices}, or \`skip\`, \`back\`, \`restart\`.`,
    };
  }

  const preset = question.presets.find((p) => normalise(p.label) === text);
  if (preset) return { kind: 'answer', answer: { kind: 'number', value: preset.value, label: preset.label } };
  const value = numberIn(text);
  if (value !== undefined && value >= 1) {
    const answer: Answer = { kind: 'number', value };
    // A small number on a question with buttons could mean a button's position; say it was taken as a count.
    if (plainNumber(text) && value <= question.presets.length)
      return {
        kind: 'answer',
        answer,
        readAs: `Read “${text}” as ${value} ${question.unit}, not as button ${value}.`,
      };
    if (!plainNumber(text)) return { kind: 'answer', answer, readAs: `Read as ${value} ${question.unit}.` };
    return { kind: 'answer', answer };
  }
  return {
    kind: 'invalid',
    message: `I could not read one whole number there. Reply with a number of ${question.unit}, 1 or more (for example \`3\`), or \`skip\`, \`back\`, \`restart\`.`,
  };
}
