import type { Outcome, Questionnaire } from '../../advisor/questionnaire.js';
import type { Recommendation } from '../../advisor/recommend.js';
import type { Session } from '../../advisor/session.js';
import type { SupersededBy } from '../../advisor/steps.js';
import { RECOMMENDATION_EVENT, recommendationMetadata, slackDate } from './card.js';
import { context, esc, type SlackMessage, section } from './text.js';

/**
 * What *Share to channel* posts: a few lines a channel reads at a glance (the verdict, its strongest reasons, the
 * risk questions still open) and the way to the thread, where the full card is. One copy per assessment follows
 * its verdict: it says when the verdict is being revised, and shows the new one once there is one.
 */

const TOP_REASONS = 3;
const NAMED_RISKS = 3;

const threadLink = (link: string) => `<${link}|Open the assessment thread>`;

const names = (items: string[], max: number) => {
  const shown = items.slice(0, max).map((n) => `_${esc(n)}_`);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
};

/** The summary of a finished assessment, with the card's metadata so workflows can read the verdict. */
export function summaryMessage(session: Session, rec: Recommendation, link: string): SlackMessage {
  const { outcome, decision } = rec;
  const who = `<@${session.userId}>`;
  const reasons = decision.reasons.slice(0, TOP_REASONS).map((r) => r.text);
  const open = rec.risks.filter((r) => r.status === 'open');
  const risksLine =
    open.length === 0
      ? 'No risk question is left open.'
      : `*${open.length} risk question${open.length === 1 ? '' : 's'} still open:* ${names(
          open.map((r) => r.short),
          NAMED_RISKS,
        )}`;
  const blocks = [
    section(`${outcome.emoji} ${who}'s Kubernetes hosting assessment: *${esc(outcome.title)}*`, 'summary'),
    ...(reasons.length > 0
      ? [section(['*Why*', ...reasons.map((r) => `• ${esc(r)}`)].join('\n'), 'summary:why')]
      : []),
    section(risksLine, 'summary:risks'),
    context(`${threadLink(link)} for the full card, what to check and the decision record.`),
  ];
  const text =
    `${who}'s Kubernetes hosting assessment: ${outcome.title}. ` +
    `${reasons.length > 0 ? `Why: ${reasons.join('; ')}. ` : ''}` +
    `${open.length} of ${rec.risks.length} risk questions still open.`;
  return { text, blocks, metadata: recommendationMetadata(session, rec) };
}

const REVISED_BECAUSE: Record<SupersededBy, string> = {
  change: 'an answer is being changed',
  restart: 'it was started again',
  evidence: 'cluster evidence came in',
};

/** The channel's copy while the verdict it showed no longer stands and no new one is there yet. */
export function revisingMessage(
  q: Questionnaire,
  s: Pick<Session, 'id' | 'userId' | 'channelId' | 'threadTs'>,
  was: { outcome: Outcome; at: number; by: SupersededBy },
  link: string,
): SlackMessage {
  const who = `<@${s.userId}>`;
  const o = q.outcomes[was.outcome];
  const text = `${who}'s Kubernetes hosting assessment is being revised: ${REVISED_BECAUSE[was.by]}. It said ${o.title} until then.`;
  return {
    text,
    blocks: [
      section(
        `:hourglass_flowing_sand: ${who}'s Kubernetes hosting assessment is being revised: ${REVISED_BECAUSE[was.by]}.`,
        'summary',
      ),
      context(
        `It said ~${esc(o.title)}~ until ${slackDate(was.at)}. This message shows the new verdict once there is one. ${threadLink(link)}`,
      ),
    ],
    // The verdict it showed, marked as no longer standing, so workflows do not read it as current.
    metadata: {
      event_type: RECOMMENDATION_EVENT,
      event_payload: {
        assessment_id: s.id,
        outcome: was.outcome,
        superseded_at: was.at,
        user_id: s.userId,
        channel_id: s.channelId,
        thread_ts: s.threadTs,
      },
    },
  };
}

/** An earlier copy, once a newer verdict of the same assessment is shared as a message of its own. */
export function replacedMessage(q: Questionnaire, session: Session, outcome: Outcome, link: string) {
  const o = q.outcomes[outcome];
  const said = `<@${session.userId}>'s Kubernetes hosting assessment has a newer verdict, shared below:`;
  return {
    text: `${said} ${o.title}.`,
    blocks: [
      section(`:arrow_down: ${said} *${esc(o.title)}*`, 'summary'),
      context(`This copy no longer follows it. ${threadLink(link)}`),
    ],
  } satisfies SlackMessage;
}
