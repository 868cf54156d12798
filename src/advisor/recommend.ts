import { type Decision, decide } from './decide.js';
import { type Guidance, guidance } from './guidance.js';
import type { Outcome, Questionnaire } from './questionnaire.js';
import { type Responsibility, type RiskItem, responsibility, riskRegister } from './risks.js';
import type { Session } from './session.js';
import { type Flip, whatIf } from './what-if.js';

export interface Recommendation {
  decision: Decision;
  /** Single changed answers that would flip the verdict. */
  whatIf: Flip[];
  /** The register that fits the verdict: trusting the provider, or running it yourselves. */
  risks: RiskItem[];
  responsibility: Responsibility;
  guidance: Guidance;
  outcome: Questionnaire['outcomes'][Outcome];
  questionnaireVersion: number;
}

/** Everything the card, the ADR and the export say about an assessment, from its answers alone. Pure. */
export function recommend(q: Questionnaire, { answers }: Pick<Session, 'answers'>): Recommendation {
  const decision = decide(q, answers);
  return {
    decision,
    whatIf: whatIf(q, answers),
    risks: riskRegister(q, answers, decision.outcome),
    responsibility: responsibility(q, decision.outcome, answers),
    guidance: guidance(q, answers, decision),
    outcome: q.outcomes[decision.outcome],
    questionnaireVersion: q.version,
  };
}
