import type { Questionnaire } from '../../advisor/questionnaire.js';
import type { Progress } from '../../advisor/service.js';
import type { Session } from '../../advisor/session.js';
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
