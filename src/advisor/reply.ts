import type { Question } from './questionnaire.js';
import type { Answer } from './session.js';

export type Reply =
  | { kind: 'answer'; answer: Answer }
  | { kind: 'back' }
  | { kind: 'restart' }
  | { kind: 'invalid'; message: string };

const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[*_~`]/g, '')
    .replace(/[.!?]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();

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
    const byNumber = /^\d+$/.test(text) ? options[Number(text) - 1] : undefined;
    const match =
      byNumber ??
      options.find(
        (o) =>
          normalise(o.id.replaceAll('_', ' ')) === text.replaceAll('_', ' ') || normalise(o.label) === text,
      );
    if (match) return { kind: 'answer', answer: { kind: 'option', optionId: match.id } };
    const choices = options.map((o, i) => `${i + 1} (${o.label})`).join(', ');
    return {
      kind: 'invalid',
      message: `I could not match "${raw.trim().slice(0, 80)}" to an option. Reply with a number from 1 to ${options.length}: ${choices}, or \`skip\`, \`back\`, \`restart\`.`,
    };
  }

  const preset = question.presets.find((p) => normalise(p.label) === text);
  if (preset) return { kind: 'answer', answer: { kind: 'number', value: preset.value } };
  // One whole number, perhaps with words around it ("about 12 clusters", "1,200").
  const numbers = text.match(/-?\d[\d,_]*(\.\d+)?/g) ?? [];
  const value = numbers.length === 1 ? Number(numbers[0]?.replace(/[,_]/g, '')) : Number.NaN;
  if (Number.isInteger(value) && value >= 1) return { kind: 'answer', answer: { kind: 'number', value } };
  return {
    kind: 'invalid',
    message: `Please reply with one whole number of ${question.unit}, 1 or more (for example \`3\`), or \`skip\`, \`back\`, \`restart\`.`,
  };
}
