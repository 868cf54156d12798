import {
  type Effect,
  OUTCOMES,
  type Outcome,
  type Question,
  type Questionnaire,
  questionById,
} from './questionnaire.js';
import { type Answer, applicableQuestions } from './session.js';

export interface Reason {
  questionId: string;
  text: string;
  /** Signed pull toward managed (lean + trust); rules (force, cap) weigh most. */
  weight: number;
  rule?: 'force' | 'cap' | 'rule_out';
}

export interface Decision {
  outcome: Outcome;
  lean: number;
  trust: number;
  reasons: Reason[];
  /** Applicable questions skipped or not yet answered: shown as open on the card. */
  open: string[];
  /** A small team told to run Kubernetes itself must hear that this is a risk of its own. */
  smallTeamWarning: boolean;
}

const NEUTRAL: Effect = { lean: 0, trust: 0 };
export const rank = (o: Outcome): number => OUTCOMES.indexOf(o);
const lower = (a: Outcome, b: Outcome): Outcome => (rank(a) <= rank(b) ? a : b);

function effectOf(question: Question, answer: Answer | undefined): { effect: Effect; value?: number } {
  if (!answer || answer.kind === 'skipped') return { effect: question.skipped ?? NEUTRAL };
  if (question.type === 'choice') {
    const option =
      answer.kind === 'option' ? question.options.find((o) => o.id === answer.optionId) : undefined;
    return { effect: option ?? NEUTRAL };
  }
  if (answer.kind !== 'number') return { effect: NEUTRAL };
  const band = question.bands.filter((b) => b.min <= answer.value).at(-1) ?? question.bands[0] ?? NEUTRAL;
  return { effect: band, value: answer.value };
}

/** The verdict for a set of answers. Pure: the same answers always give the same decision. */
export function decide(q: Questionnaire, answers: Record<string, Answer>): Decision {
  const { managed_at, full_trust_at, rule_out_at, top_reasons } = q.scoring;
  let lean = 0;
  let trust = 0;
  let forced = false;
  let cap: Outcome = 'managed';
  const reasons: Reason[] = [];
  const open: string[] = [];

  for (const question of applicableQuestions(q, answers)) {
    const answer = answers[question.id];
    if (!answer || answer.kind === 'skipped') open.push(question.id);
    const { effect, value } = effectOf(question, answer);
    lean += effect.lean;
    trust += effect.trust;
    if (effect.force) forced = true;
    if (effect.cap) cap = lower(cap, effect.cap);
    if (effect.reason) {
      const text = effect.reason.replaceAll('{value}', value === undefined ? '' : String(value));
      const rule = effect.force ? 'force' : effect.cap ? 'cap' : undefined;
      reasons.push({
        questionId: question.id,
        text,
        weight: effect.lean + effect.trust,
        ...(rule && { rule }),
      });
    }
  }

  const ruledOut = trust <= rule_out_at;
  let outcome: Outcome;
  if (forced) outcome = 'self_hosted_required';
  else if (ruledOut) outcome = 'self_hosted';
  else if (lean + trust >= managed_at)
    outcome = lower(trust >= full_trust_at ? 'managed' : 'managed_with_safeguards', cap);
  else outcome = 'self_hosted';

  const towardManaged = rank(outcome) >= rank('managed_with_safeguards');
  const ruleFirst = (r: Reason) =>
    (r.rule === 'force' && outcome === 'self_hosted_required') || (r.rule === 'cap' && outcome === cap)
      ? 1
      : 0;
  const trustReason = (r: Reason) =>
    ruledOut && !forced && r.weight < 0 && isTrustQuestion(q, r.questionId) ? 1 : 0;
  const sorted = [...reasons].sort(
    (a, b) =>
      ruleFirst(b) - ruleFirst(a) ||
      trustReason(b) - trustReason(a) ||
      (towardManaged ? b.weight - a.weight : a.weight - b.weight),
  );

  const team = answers.team;
  return {
    outcome,
    lean,
    trust,
    reasons: sorted.slice(0, top_reasons),
    open,
    smallTeamWarning:
      rank(outcome) <= rank('self_hosted') && team?.kind === 'option' && team.optionId === 'small',
  };
}

function isTrustQuestion(q: Questionnaire, questionId: string): boolean {
  const question = questionById(q, questionId);
  return question?.type === 'choice' && question.options.some((o) => o.trust !== 0);
}
