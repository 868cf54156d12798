import type { Questionnaire } from '../../advisor/questionnaire.js';
import type { Session } from '../../advisor/session.js';
import { slackDate } from './card.js';
import { button, esc, type SlackMessage, section } from './text.js';

/**
 * Asked, only of the person who clicked, before a finished assessment starts again: the decision is not thrown
 * away (it stays in their history), but its card stops being the current verdict.
 */
export function restartConfirmMessage(q: Questionnaire, session: Session): SlackMessage {
  const o = session.outcome ? q.outcomes[session.outcome] : undefined;
  const decided = o ? `${o.emoji} *${esc(o.title)}*` : 'this decision';
  const when = session.completedAt ? `, ${slackDate(session.completedAt)}` : '';
  const text =
    'Start this assessment again? The finished decision is kept in your history (App Home, `/k8s-advisor adr`, channel digests); its card here is marked superseded.';
  return {
    text,
    blocks: [
      section(
        `:repeat: *Start this assessment again?* The finished decision (${decided}${when}) is kept in your history: App Home, \`/k8s-advisor adr\` and channel digests still have it. Its card here is marked superseded, and the questions start from the first.`,
        'restart:confirm',
      ),
      {
        type: 'actions',
        block_id: 'restart',
        elements: [
          button('Start again', 'card:restart:confirm', session.id, 'danger'),
          button('Keep this decision', 'card:restart:cancel', session.id),
        ],
      },
    ],
  };
}

/** What the question turns into once answered. */
export const RESTART_CONFIRMED =
  ':repeat: Started again: the first question is below. The finished decision is kept in your history.';
export const RESTART_CANCELLED = 'Kept: nothing changed, and the card above is still the current verdict.';
