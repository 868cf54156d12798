import { type Decision, decide } from './decide.js';
import type { Outcome, Questionnaire } from './questionnaire.js';
import { type Responsibility, type RiskItem, responsibility, riskRegister } from './risks.js';
import type { Session } from './session.js';
import { type Flip, whatIf } from './what-if.js';

/** Everything the card, the ADR and the export say about a completed assessment. */
export interface Recommendation {
  decision: Decision;
  /** Single changed answers that would flip the verdict. */
  whatIf: Flip[];
  risks: RiskItem[];
  responsibility: Responsibility;
  outcome: Questionnaire['outcomes'][Outcome];
}

/** The verdict and what follows from it, from the answers alone. Pure. */
export function recommend(q: Questionnaire, s: Pick<Session, 'answers'>): Recommendation {
  const decision = decide(q, s.answers);
  return {
    decision,
    whatIf: whatIf(q, s.answers),
    risks: riskRegister(q, s.answers),
    responsibility: responsibility(q, decision.outcome),
    outcome: q.outcomes[decision.outcome],
  };
}
