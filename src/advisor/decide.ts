import { type Answer, valueWords } from './answer.js';
import { askedByAnswers } from './applicable.js';
import {
  type Acceptability,
  type Effect,
  type Explanation,
  NEUTRAL,
  type NeedLevel,
  OUTCOMES,
  type Outcome,
  optionOf,
  type Question,
  type Questionnaire,
} from './questionnaire.js';

export type Weighed = 'need' | 'acceptability';

export interface Reason {
  questionId: string;
  text: string;
  judgment: Weighed;
  /** Signed pull toward a provider: need, or trust; rules weigh most. */
  weight: number;
  rule?: 'rule_out' | 'safeguards' | 'unknown';
  /** The answer behind it came from the cluster's evidence, not from the person (see evidence.ts). */
  fromEvidence?: boolean;
}

/** Is a provider acceptable at all: its privileged access, trust, controls and compliance. */
export interface AcceptabilityJudgment {
  level: Acceptability;
  trust: number;
  /** Questions whose answers leave acceptability not yet known (skipped, or "we do not know"). */
  unknowns: string[];
  /** Questions whose answers allow a provider only with safeguards. */
  safeguards: string[];
  ruledOutBy: string[];
  reasons: Reason[];
}

/** How much would a provider take off this team: team, clusters, nodes, variability. */
export interface NeedJudgment {
  level: NeedLevel;
  score: number;
  /** The need is enough to favour a provider (or the team is one a provider always helps). */
  favoursProvider: boolean;
  reasons: Reason[];
}

export interface Decision {
  outcome: Outcome;
  acceptability: AcceptabilityJudgment;
  need: NeedJudgment;
  /** Which judgment set the verdict. */
  decidedBy: Weighed | 'both';
  explanation: Explanation;
  /** Little for a provider to take off a team that can run it: either path is sound. */
  bothViable: boolean;
  /** The strongest reasons, the deciding judgment's first: decision drivers in the ADR, counted by digests. */
  reasons: Reason[];
  /** Applicable questions skipped or not yet answered. */
  open: string[];
  /** A small team told to run Kubernetes itself must hear that this is a risk of its own. */
  smallTeamWarning: boolean;
}

export const rank = (o: Outcome): number => OUTCOMES.indexOf(o);

/** What an answer contributes, and whether it was skipped (or not given yet). */
export function effectOf(
  question: Question,
  answer: Answer | undefined,
): { effect: Effect; skipped: boolean } {
  if (!answer || answer.kind === 'skipped') return { effect: question.skipped ?? NEUTRAL, skipped: true };
  if (question.type === 'choice') {
    const option = answer.kind === 'option' ? optionOf(question, answer.optionId) : undefined;
    return { effect: option ?? NEUTRAL, skipped: false };
  }
  if (answer.kind !== 'number') return { effect: NEUTRAL, skipped: false };
  const band = question.bands.filter((b) => b.min <= answer.value).at(-1) ?? question.bands[0] ?? NEUTRAL;
  return { effect: band, skipped: false };
}

/** Questions that weigh on the verdict: need and acceptability questions asked given the answers so far. */
function weighing(q: Questionnaire, answers: Record<string, Answer>): Question[] {
  return q.questions.filter((x) => x.judgment !== 'context' && askedByAnswers(x, answers));
}

function judge(q: Questionnaire, answers: Record<string, Answer>) {
  const { scoring } = q;
  const need: NeedJudgment = { level: 'low', score: 0, favoursProvider: false, reasons: [] };
  const acc: AcceptabilityJudgment = {
    level: 'acceptable',
    trust: 0,
    unknowns: [],
    safeguards: [],
    ruledOutBy: [],
    reasons: [],
  };
  let smallTeam = false;
  for (const question of weighing(q, answers)) {
    const answer = answers[question.id];
    const { effect } = effectOf(question, answer);
    const text = effect.reason?.replaceAll('{value}', valueWords(answer));
    if (question.judgment === 'need') {
      need.score += effect.need;
      smallTeam ||= effect.favours_provider;
      if (text) need.reasons.push({ questionId: question.id, text, judgment: 'need', weight: effect.need });
      continue;
    }
    acc.trust += effect.trust;
    if (effect.unknown) acc.unknowns.push(question.id);
    if (effect.safeguards) acc.safeguards.push(question.id);
    if (effect.rule_out) acc.ruledOutBy.push(question.id);
    const rule = effect.rule_out
      ? 'rule_out'
      : effect.unknown
        ? 'unknown'
        : effect.safeguards
          ? 'safeguards'
          : undefined;
    if (text) {
      acc.reasons.push({
        questionId: question.id,
        text,
        judgment: 'acceptability',
        weight: effect.rule_out ? -1000 : effect.trust,
        ...(rule && { rule }),
      });
    }
  }
  need.favoursProvider = smallTeam || need.score >= scoring.need_favours_at;
  need.level = need.score >= scoring.need_high_at ? 'high' : need.favoursProvider ? 'moderate' : 'low';
  acc.level =
    acc.ruledOutBy.length > 0
      ? 'ruled_out'
      : acc.trust <= scoring.unacceptable_at
        ? 'unacceptable'
        : acc.unknowns.length > 0
          ? 'not_yet_known'
          : acc.trust < scoring.acceptable_at || acc.safeguards.length > 0
            ? 'acceptable_with_safeguards'
            : 'acceptable';
  return { need, acc, smallTeam };
}

/**
 * The verdict from the two judgments, as the article makes them. A provider that is ruled out or unacceptable
 * means running it yourselves, whatever it would save. Otherwise the need decides how far to lean on a provider:
 * when it favours one (or the team is small), doubts about the provider call for safeguards, and unknowns are
 * questions to answer first, never a verdict. When a provider would take little off a team that can carry the
 * work, doubts tip the balance to running it yourselves, and both paths are called viable.
 */
function verdict(
  need: NeedJudgment,
  acc: AcceptabilityJudgment,
  q: Questionnaire,
): Pick<Decision, 'outcome' | 'decidedBy' | 'explanation' | 'bothViable'> {
  // Unknowns add no trust, like a middling answer: doubt comes from what the answers add up to, so not knowing
  // weighs no more than an honest "partly" would.
  const doubtful = acc.trust < q.scoring.doubtful_below;
  const bothViable = !need.favoursProvider;
  switch (acc.level) {
    case 'ruled_out':
      return {
        outcome: 'self_hosted_required',
        decidedBy: 'acceptability',
        explanation: 'ruled_out',
        bothViable: false,
      };
    case 'unacceptable':
      return {
        outcome: 'self_hosted',
        decidedBy: 'acceptability',
        explanation: 'unacceptable',
        bothViable: false,
      };
    default:
  }
  if (!need.favoursProvider && doubtful) {
    return {
      outcome: 'self_hosted',
      decidedBy: 'need',
      explanation: 'little_need_doubtful_provider',
      bothViable,
    };
  }
  if (acc.level === 'acceptable') {
    return {
      outcome: 'managed',
      decidedBy: 'both',
      explanation: bothViable ? 'acceptable_little_need' : 'acceptable',
      bothViable,
    };
  }
  return {
    outcome: 'managed_with_safeguards',
    decidedBy: 'acceptability',
    explanation: acc.level === 'not_yet_known' ? 'not_yet_known' : 'safeguards',
    bothViable,
  };
}

/** Reasons ordered for a verdict: the ones that pull the way it went first, unknowns first when they decide. */
function ordered(reasons: Reason[], towardProvider: boolean, unknownsDecide = false): Reason[] {
  const ruleFirst = (r: Reason) =>
    r.rule === 'rule_out' ? 2 : unknownsDecide && r.rule === 'unknown' ? 1 : 0;
  return [...reasons].sort(
    (a, b) => ruleFirst(b) - ruleFirst(a) || (towardProvider ? b.weight - a.weight : a.weight - b.weight),
  );
}

/** The questions asked given the answers and the verdict they lead to (context questions may wait on it). */
export function askedGiven(q: Questionnaire, answers: Record<string, Answer>, outcome: Outcome): Question[] {
  return q.questions.filter(
    (x) => askedByAnswers(x, answers) && (!x.ask_when_outcome || x.ask_when_outcome.includes(outcome)),
  );
}

/** The verdict for a set of answers, with both judgments. Pure: the same answers always give the same decision. */
export function decide(q: Questionnaire, answers: Record<string, Answer>): Decision {
  const { need, acc, smallTeam } = judge(q, answers);
  const result = verdict(need, acc, q);
  const towardProvider = rank(result.outcome) >= rank('managed_with_safeguards');
  need.reasons = ordered(need.reasons, true);
  acc.reasons = ordered(acc.reasons, towardProvider, acc.level === 'not_yet_known');
  const first = result.decidedBy === 'need' ? need.reasons : acc.reasons;
  const second = result.decidedBy === 'need' ? acc.reasons : need.reasons;
  const open = askedGiven(q, answers, result.outcome)
    .filter((x) => {
      const a = answers[x.id];
      return !a || a.kind === 'skipped';
    })
    .map((x) => x.id);
  return {
    ...result,
    acceptability: acc,
    need,
    reasons: [...first, ...second].slice(0, q.scoring.top_reasons),
    open,
    smallTeamWarning: smallTeam && rank(result.outcome) <= rank('self_hosted'),
  };
}
