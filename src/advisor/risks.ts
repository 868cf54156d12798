import { type Answer, describeAnswer } from './answer.js';
import { answersMatch } from './applicable.js';
import { effectOf } from './decide.js';
import {
  type Fact,
  type Outcome,
  optionOf,
  PROVIDER_QUESTION,
  type Questionnaire,
  questionById,
  type Risk,
} from './questionnaire.js';

export type RiskStatus = 'answered' | 'concern' | 'open';

export interface RiskItem {
  id: string;
  /** A few words naming it, for the card. */
  short: string;
  question: string;
  status: RiskStatus;
  /** The user's answer in their own terms, when the risk is answered by a question. */
  answer?: string;
  /** What the named provider offers on this question, with its source; or a generic hint. */
  note?: Fact | { text: string };
  /** The cluster's evidence settled or informed it (evidence-risks.ts); `evidence` is what it showed. */
  fromEvidence?: boolean;
  evidence?: string;
}

export const isManaged = (o: Outcome) => o === 'managed' || o === 'managed_with_safeguards';

/** The provider the team named, when the questionnaire has notes for it. */
export function namedProvider(q: Questionnaire, answers: Record<string, Answer>): string | undefined {
  const a = answers[PROVIDER_QUESTION];
  return a?.kind === 'option' && a.optionId in q.providers ? a.optionId : undefined;
}

/** The register that fits a verdict: trusting the provider for managed ones, running it yourselves otherwise. */
export function registerFor(q: Questionnaire, outcome: Outcome): Risk[] {
  return isManaged(outcome) ? q.risks.provider : q.risks.self_hosted;
}

export function riskById(q: Questionnaire, id: string): Risk | undefined {
  return [...q.risks.provider, ...q.risks.self_hosted].find((r) => r.id === id);
}

/**
 * The risk questions for a verdict, each answered, a concern, or still open. An answer of "we do not know" leaves
 * its question open: it is something to find out, not something settled.
 */
export function riskRegister(
  q: Questionnaire,
  answers: Record<string, Answer>,
  outcome: Outcome,
): RiskItem[] {
  const provider = namedProvider(q, answers);
  return registerFor(q, outcome)
    .filter((risk) => answersMatch(risk.when ?? {}, answers, { unknownMatches: false }))
    .map((risk) => {
      const hint = typeof risk.hint === 'string' ? { text: risk.hint } : risk.hint;
      const note = (provider && risk.notes[provider]) || hint;
      const base = { id: risk.id, short: risk.short, question: risk.question, ...(note && { note }) };
      const question = risk.answered_by ? questionById(q, risk.answered_by) : undefined;
      const answer = risk.answered_by ? answers[risk.answered_by] : undefined;
      if (!question || !answer || answer.kind === 'skipped') return { ...base, status: 'open' as const };
      const said = describeAnswer(question, answer);
      if (effectOf(question, answer).effect.unknown)
        return { ...base, status: 'open' as const, answer: said };
      const option = answer.kind === 'option' ? optionOf(question, answer.optionId) : undefined;
      const concern = option !== undefined && risk.concern.includes(option.id);
      return { ...base, status: concern ? ('concern' as const) : ('answered' as const), answer: said };
    });
}

export interface Responsibility {
  providerTakes: string[];
  staysYours: string[];
  /** For self-hosted outcomes: what the team takes on that a provider would have carried. */
  youTakeOn: string[];
  /** The named provider's own terms: SLA tiers, node patching modes, backups, version skew. */
  providerNotes: Fact[];
}

export function responsibility(
  q: Questionnaire,
  outcome: Outcome,
  answers: Record<string, Answer>,
): Responsibility {
  const r = q.responsibility;
  if (!isManaged(outcome)) {
    return {
      providerTakes: [],
      staysYours: r.self_hosted.stays_yours,
      youTakeOn: r.self_hosted.you_take_on,
      providerNotes: [],
    };
  }
  const provider = namedProvider(q, answers);
  return {
    providerTakes: r.managed.provider_takes,
    staysYours: r.managed.stays_yours,
    youTakeOn: [],
    providerNotes: provider ? (q.providers[provider]?.responsibility ?? []) : [],
  };
}
