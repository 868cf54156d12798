import { type Questionnaire, questionById } from '../../advisor/questionnaire.js';
import type { Recommendation } from '../../advisor/recommend.js';
import type { RiskItem } from '../../advisor/risks.js';
import { describeAnswer, type Session } from '../../advisor/session.js';
import {
  type Block,
  bulletSections,
  button,
  context,
  divider,
  esc,
  header,
  type SlackMessage,
  section,
} from './text.js';

export const RECOMMENDATION_EVENT = 'k8s_advisor_recommendation';

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const RISK_MARK: Record<RiskItem['status'], string> = {
  answered: ':white_check_mark:',
  concern: ':warning:',
  open: ':grey_question:',
};

function riskLine(r: RiskItem): string {
  const status =
    r.status === 'open'
      ? '*still open*'
      : `${r.status === 'concern' ? 'a concern: ' : 'answered: '}_${esc(r.answer ?? '')}_`;
  const note = r.note ? `\n      ${esc(r.note)}` : '';
  return `${RISK_MARK[r.status]} ${esc(r.question)} ${status}${note}`;
}

/** Answers in a machine-readable form: option ids, numbers, or "skipped". */
export function answerValues(session: Session): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(session.answers).map(([qid, a]) => [
      qid,
      a.kind === 'option' ? a.optionId : a.kind === 'number' ? a.value : 'skipped',
    ]),
  );
}

export function recommendationMetadata(session: Session, rec: Recommendation) {
  return {
    event_type: RECOMMENDATION_EVENT,
    event_payload: {
      assessment_id: session.id,
      questionnaire_id: session.questionnaireId,
      outcome: rec.decision.outcome,
      user_id: session.userId,
      channel_id: session.channelId,
      thread_ts: session.threadTs,
      answers: answerValues(session),
      open_questions: rec.decision.open,
      open_risks: rec.risks.filter((r) => r.status === 'open').map((r) => r.id),
    },
  };
}

/** The recommendation card. `shared` drops the buttons, for the copy posted to the channel. */
export function recommendationMessage(
  q: Questionnaire,
  session: Session,
  rec: Recommendation,
  opts: { shared?: boolean } = {},
): SlackMessage {
  const { decision, outcome, responsibility: resp, risks } = rec;
  const who = `<@${session.userId}>`;
  const blocks: Block[] = [
    header(`${outcome.emoji} ${outcome.title}`),
    section(`${esc(outcome.summary)}\n_Assessment by ${who}._`),
    ...bulletSections(
      '*Why, from your answers*',
      decision.reasons.map((r) => esc(r.text)),
    ),
  ];
  if (decision.smallTeamWarning)
    blocks.push(section(`:warning: *A risk of its own:* ${esc(q.small_team_warning)}`));
  if (rec.whatIf.length > 0) {
    blocks.push(
      ...bulletSections(
        '*What would change the verdict*',
        rec.whatIf.map((f) => {
          const question = questionById(q, f.questionId);
          const o = q.outcomes[f.outcome];
          return `If ${esc(question?.short ?? f.questionId)} were _${esc(f.label)}_: ${o.emoji} ${esc(o.title)}`;
        }),
      ),
    );
  }
  blocks.push(divider());
  if (resp.providerTakes.length > 0) {
    blocks.push(...bulletSections('*What the provider takes off your plate*', resp.providerTakes.map(esc)));
  }
  if (resp.youTakeOn.length > 0) {
    blocks.push(...bulletSections('*What you take on by running it yourselves*', resp.youTakeOn.map(esc)));
  }
  blocks.push(...bulletSections('*What stays yours either way*', resp.staysYours.map(esc)));
  blocks.push(divider());
  const open = risks.filter((r) => r.status === 'open').length;
  blocks.push(
    ...bulletSections(
      `*Risk questions about trusting the provider* (${open} of ${risks.length} still open)`,
      risks.map(riskLine),
    ),
  );
  if (decision.open.length > 0) {
    const names = decision.open.map((id) => questionById(q, id)?.prompt ?? id);
    blocks.push(context(`Skipped, and counted as unknown: ${names.map((n) => `_${esc(n)}_`).join(' · ')}`));
  }
  blocks.push({
    type: 'section',
    block_id: 'answers',
    fields: q.questions
      .filter((x) => x.id in session.answers)
      .slice(0, 10)
      .map((x) => ({
        type: 'mrkdwn',
        text: `*${esc(capitalise(x.short ?? x.id.replaceAll('_', ' ')))}*\n${esc(describeAnswer(x, session.answers[x.id]))}`,
      })),
  });
  if (opts.shared) {
    blocks.push(context(`Shared from <@${session.userId}>'s assessment thread.`));
  } else {
    blocks.push({
      type: 'actions',
      block_id: 'card',
      elements: [
        button('Share to channel', 'card:share', session.id, 'primary'),
        button('Change an answer', 'card:change', session.id),
        button('Decision record (ADR)', 'card:adr', session.id),
        button('Restart', 'card:restart', session.id, 'danger'),
      ],
    });
  }
  const reasons = decision.reasons.map((r) => r.text).join(' ');
  return {
    text: `Recommendation for ${who}: ${outcome.title}. ${outcome.summary} ${reasons} ${open} of ${risks.length} risk questions about the provider are still open.`,
    blocks,
    metadata: recommendationMetadata(session, rec),
  };
}

/** Asks which answer to change, as a select of the answered questions. */
export function changePickerMessage(q: Questionnaire, session: Session): SlackMessage {
  const options = q.questions
    .filter((x) => x.id in session.answers)
    .map((x) => ({
      text: {
        type: 'plain_text',
        text: `${x.prompt.slice(0, 60)}${x.prompt.length > 60 ? '…' : ''}`,
        emoji: true,
      },
      value: x.id,
    }));
  return {
    text: 'Which answer do you want to change?',
    blocks: [
      {
        type: 'section',
        block_id: 'change',
        text: { type: 'mrkdwn', text: 'Which answer do you want to change? The others stay as they are.' },
        accessory: {
          type: 'static_select',
          action_id: 'change:pick',
          placeholder: { type: 'plain_text', text: 'Pick a question' },
          options,
        },
      },
    ],
  };
}
