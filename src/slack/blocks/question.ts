import type { Question } from '../../advisor/questionnaire.js';
import type { Progress } from '../../advisor/steps.js';
import { type Block, button, context, esc, type SlackMessage, section } from './text.js';

export const questionBlockId = (questionId: string) => `question:${questionId}`;
export const answerActionId = (questionId: string, optionId: string) => `answer:${questionId}:${optionId}`;

function choices(question: Question) {
  const buttons =
    question.type === 'choice'
      ? question.options.map((o) => button(o.label, answerActionId(question.id, o.id), o.id))
      : question.presets.map((p) =>
          button(p.label, answerActionId(question.id, String(p.value)), String(p.value)),
        );
  return [...buttons, button('Skip', answerActionId(question.id, 'skip'), 'skip')];
}

function replyHint(question: Question): string {
  if (question.type === 'number') {
    return `Or reply in this thread with a number of ${question.unit}. \`skip\`, \`back\` and \`restart\` work too.`;
  }
  return `Or reply with the option's number (1–${question.options.length}) or name. \`skip\`, \`back\` and \`restart\` work too.`;
}

/** A question as posted in the thread: prompt, progress, buttons, and how to answer by typing. */
export function questionMessage(question: Question, progress: Progress, note?: string): SlackMessage {
  const blocks: Block[] = [];
  if (note) blocks.push(context(`:warning: ${esc(note)}`));
  blocks.push(
    section(`*${esc(question.prompt)}*`, questionBlockId(question.id)),
    ...(question.help ? [context(esc(question.help))] : []),
    { type: 'actions', block_id: `answers:${question.id}`, elements: choices(question) },
    context(`Question ${progress.index} of ${progress.total}`, replyHint(question)),
  );
  return { text: `Question ${progress.index} of ${progress.total}: ${question.prompt}`, blocks };
}

/**
 * The same question once answered, by a click or a typed reply: the buttons go, the answer stays visible, and
 * how a typed reply was read when it could be read two ways.
 */
export function answeredMessage(question: Question, label: string, readAs?: string): SlackMessage {
  return {
    text: `${question.prompt} Answer: ${label}`,
    blocks: [
      section(`*${esc(question.prompt)}*`, questionBlockId(question.id)),
      context(`:white_check_mark: *${esc(label)}*`, ...(readAs ? [esc(readAs)] : [])),
    ],
  };
}

/**
 * A reply that answers nothing: one short line in the thread saying why and how to answer, instead of the whole
 * question again (its buttons are still live above).
 */
export function invalidReplyMessage(question: Question, progress: Progress, message: string): SlackMessage {
  const line = `:warning: ${esc(message)}`;
  return {
    text: `${message} (question ${progress.index} of ${progress.total}: ${question.prompt})`,
    blocks: [context(line, `Question ${progress.index} of ${progress.total}: ${replyHint(question)}`)],
  };
}
