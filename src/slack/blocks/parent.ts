import type { Questionnaire } from '../../advisor/questionnaire.js';
import type { Session } from '../../advisor/session.js';
import type { Progress } from '../../advisor/steps.js';
import { context, type SlackMessage, section } from './text.js';

/** The channel-level message that owns the thread; kept current so the channel sees status at a glance. */
export function parentMessage(
  q: Questionnaire,
  session: Pick<Session, 'userId' | 'outcome'>,
  progress?: Progress,
) {
  const who = `<@${session.userId}>`;
  if (session.outcome) {
    const o = q.outcomes[session.outcome];
    return {
      text: `${who}'s Kubernetes hosting assessment: ${o.title}`,
      blocks: [
        section(`${o.emoji} ${who}'s Kubernetes hosting assessment: *${o.title}*`),
        context('Finished. The recommendation, its reasons and the open risk questions are in the thread.'),
      ],
    } satisfies SlackMessage;
  }
  const status = progress ? `Question ${progress.index} of ${progress.total}` : 'Starting';
  return {
    text: `${who} is running a Kubernetes hosting assessment: ${q.title}`,
    blocks: [
      section(`:clipboard: ${who} is running a Kubernetes hosting assessment: *${q.title}*`),
      context(`${status}. Answers go in the thread; only ${who} can answer this one.`),
    ],
  } satisfies SlackMessage;
}

/** Said in the thread when the owner comes back to an assessment left idle too long. */
export function expiredMessage(idleDays: number): SlackMessage {
  const text = `This assessment sat unanswered for more than ${idleDays} days and has expired. Start it again from the first question?`;
  return {
    text,
    blocks: [
      section(`:hourglass: ${text}`),
      {
        type: 'actions',
        block_id: 'expired',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Restart' },
            action_id: 'card:restart',
            value: 'restart',
            style: 'primary',
          },
        ],
      },
    ],
  };
}
