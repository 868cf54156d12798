import type { Decision } from './decide.js';
import { type Outcome, type Questionnaire, questionById } from './questionnaire.js';
import { type Answer, describeAnswer } from './session.js';

export type RiskStatus = 'answered' | 'concern' | 'open';

export interface RiskItem {
  id: string;
  question: string;
  status: RiskStatus;
  /** The user's answer in their own terms, when the risk is answered by a question. */
  answer?: string;
  /** Provider-specific pointer, when the user named a provider we have notes for. */
  note?: string;
}

/** The questions to settle about trusting a provider, each marked answered, a concern, or still open. */
export function riskRegister(q: Questionnaire, answers: Record<string, Answer>): RiskItem[] {
  const provider = answers.provider?.kind === 'option' ? answers.provider.optionId : undefined;
  return q.risks.map((risk) => {
    const note = provider ? risk.notes[provider] : undefined;
    const base = { id: risk.id, question: risk.question, ...(note && { note }) };
    const question = risk.answered_by ? questionById(q, risk.answered_by) : undefined;
    const answer = risk.answered_by ? answers[risk.answered_by] : undefined;
    if (!question || !answer || answer.kind === 'skipped') return { ...base, status: 'open' };
    const concern = answer.kind === 'option' && risk.concern.includes(answer.optionId);
    return { ...base, status: concern ? 'concern' : 'answered', answer: describeAnswer(question, answer) };
  });
}

export interface Responsibility {
  providerTakes: string[];
  staysYours: string[];
  /** For self-hosted outcomes: what the team takes on that a provider would have carried. */
  youTakeOn: string[];
}

export function responsibility(q: Questionnaire, outcome: Outcome): Responsibility {
  const r = q.responsibility;
  const managed = outcome === 'managed' || outcome === 'managed_with_safeguards';
  return managed
    ? { providerTakes: r.provider_takes, staysYours: r.stays_yours, youTakeOn: [] }
    : { providerTakes: [], staysYours: r.stays_yours, youTakeOn: r.self_hosted_takes_on };
}

export function openRiskIds(q: Questionnaire, answers: Record<string, Answer>): string[] {
  return riskRegister(q, answers)
    .filter((r) => r.status === 'open')
    .map((r) => r.id);
}

export type { Decision };
