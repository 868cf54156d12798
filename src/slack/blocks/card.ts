import { describeAnswer } from '../../advisor/answer.js';
import { type Questionnaire, questionById } from '../../advisor/questionnaire.js';
import type { Recommendation } from '../../advisor/recommend.js';
import type { Session } from '../../advisor/session.js';
import type { SupersededBy } from '../../advisor/steps.js';
import { flipCondition } from '../../advisor/what-if.js';
import { evidenceAnswerText, evidenceBlocks, evidenceMetadata, namedProviderLabel } from './card-evidence.js';
import {
  checkedLine,
  findOutBlocks,
  guidanceBlocks,
  judgmentBlocks,
  responsibilityBlocks,
  riskBlocks,
  riskTitle,
} from './card-sections.js';
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

/**
 * Lists in metadata are comma-separated ids: Slack's message metadata takes strings, numbers, booleans and
 * objects of those, but no array of plain strings.
 */
export const idList = (ids: string[]) => ids.join(',');

/** Answers in a machine-readable form: option ids, numbers, or "skipped". */
export function answerValues(session: Pick<Session, 'answers'>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(session.answers).map(([qid, a]) => [
      qid,
      a.kind === 'option' ? a.optionId : a.kind === 'number' ? a.value : 'skipped',
    ]),
  );
}

/** The words of preset answers ("2 to 5"), beside the numbers that stand in for them. */
export function answerLabels(session: Pick<Session, 'answers'>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(session.answers).flatMap(([qid, a]) =>
      a.kind === 'number' && a.label !== undefined ? [[qid, a.label]] : [],
    ),
  );
}

export function recommendationMetadata(session: Session, rec: Recommendation) {
  const { decision } = rec;
  return {
    event_type: RECOMMENDATION_EVENT,
    event_payload: {
      assessment_id: session.id,
      questionnaire_id: session.questionnaireId,
      questionnaire_version: rec.questionnaireVersion,
      outcome: decision.outcome,
      acceptability: decision.acceptability.level,
      need: decision.need.level,
      decided_by: decision.decidedBy,
      both_viable: decision.bothViable,
      user_id: session.userId,
      channel_id: session.channelId,
      thread_ts: session.threadTs,
      answers: answerValues(session),
      answer_labels: answerLabels(session),
      open_questions: idList(decision.open),
      open_risks: idList(rec.risks.filter((r) => r.status === 'open').map((r) => r.id)),
      unknowns: idList(decision.acceptability.unknowns),
      ...evidenceMetadata(rec),
    },
  };
}

function whatIfBlocks(q: Questionnaire, rec: Recommendation): Block[] {
  if (rec.whatIf.length === 0) return [];
  return bulletSections(
    '*What would change the verdict*',
    rec.whatIf.map((f) => {
      const o = q.outcomes[f.outcome];
      return `${esc(flipCondition(q, f, (label) => `_${label}_`))}: ${o.emoji} ${esc(o.title)}`;
    }),
  );
}

/** A date Slack shows in the reader's time zone, with the UTC day as the fallback. */
export const slackDate = (ms: number) =>
  `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${new Date(ms).toISOString().slice(0, 10)}>`;

const SUPERSEDED_BECAUSE: Record<SupersededBy, string> = {
  change: 'an answer was changed',
  restart: 'the assessment was restarted',
  evidence: 'cluster evidence was uploaded',
};

/** The line an earlier card gets in place of its buttons: why it no longer stands, and where the verdict is. */
export function supersededLine(at: number, by: SupersededBy): string {
  const kept =
    by === 'restart'
      ? ' This decision is kept in your history (App Home, `/k8s-advisor adr`, channel digests).'
      : '';
  return `:no_entry_sign: *Superseded* on ${slackDate(at)}: ${SUPERSEDED_BECAUSE[by]}.${kept} The current verdict is the latest card in this thread.`;
}

export interface CardOptions {
  /** An earlier verdict of the assessment: said so at its top, with no buttons to act on it. */
  superseded?: { at: number; by: SupersededBy };
}

/** The recommendation card, with the buttons to act on it; or, superseded, as a record of an earlier verdict. */
export function recommendationMessage(
  q: Questionnaire,
  session: Session,
  rec: Recommendation,
  opts: CardOptions = {},
): SlackMessage {
  const { decision, outcome, risks } = rec;
  const who = `<@${session.userId}>`;
  const { superseded } = opts;
  const blocks: Block[] = [
    header(`${superseded ? 'Superseded: ' : ''}${outcome.emoji} ${outcome.title}`),
    ...(superseded ? [context(supersededLine(superseded.at, superseded.by))] : []),
    section(`${esc(outcome.summary)}\n_Assessment by ${who}._`),
    ...findOutBlocks(rec.guidance),
    ...judgmentBlocks(q, rec),
    ...(rec.evidence ? evidenceBlocks(q, rec.evidence, namedProviderLabel(q, session)) : []),
  ];
  if (decision.smallTeamWarning)
    blocks.push(section(`:warning: *A risk of its own:* ${esc(q.small_team_warning)}`));
  blocks.push(...whatIfBlocks(q, rec), divider(), ...guidanceBlocks(rec.guidance));
  blocks.push(...responsibilityBlocks(rec), divider(), ...riskBlocks(rec), ...checkedLine(rec));
  if (decision.open.length > 0) {
    const names = decision.open.map((id) => questionById(q, id)?.prompt ?? id);
    blocks.push(context(`Skipped, and still open: ${names.map((n) => `_${esc(n)}_`).join(' · ')}`));
  }
  // The answers the verdict rests on: the person's own, or the evidence's where it answered in their place.
  const answered = new Set(rec.evidence?.answered.map((a) => a.questionId));
  blocks.push({
    type: 'section',
    block_id: 'answers',
    fields: q.questions
      .filter((x) => x.id in session.answers || answered.has(x.id))
      .slice(0, 10)
      .map((x) => ({
        type: 'mrkdwn',
        text: `*${esc(capitalise(x.short ?? x.id.replaceAll('_', ' ')))}*\n${
          evidenceAnswerText(x, session, rec) ?? esc(describeAnswer(x, session.answers[x.id]))
        }`,
      })),
  });
  if (!superseded) {
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
  const open = risks.filter((r) => r.status === 'open').length;
  const judged = `${q.judgments.acceptability.title} ${q.judgments.acceptability.levels[decision.acceptability.level]}. ${q.judgments.need.title} ${q.judgments.need.levels[decision.need.level]}.`;
  // Workflows reading the card's metadata can tell a superseded verdict from the current one.
  const current = recommendationMetadata(session, rec);
  const metadata = superseded
    ? { ...current, event_payload: { ...current.event_payload, superseded_at: superseded.at } }
    : current;
  return {
    text: `${superseded ? 'Superseded recommendation' : 'Recommendation'} for ${who}: ${outcome.title}. ${outcome.summary} ${judged} ${open} of ${risks.length} ${riskTitle(rec).toLowerCase()} are still open.`,
    blocks,
    metadata,
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
