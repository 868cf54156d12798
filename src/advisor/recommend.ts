import type { Decision } from './decide.js';
import {
  type AssessmentEvidence,
  decideWith,
  type EvidenceScope,
  effectiveAnswers,
  evidenceAnswers,
  evidenceScope,
} from './evidence.js';
import { evidenceRiskIds, registerWithEvidence } from './evidence-risks.js';
import { type Guidance, guidance } from './guidance.js';
import { type Outcome, optionOf, type Questionnaire, questionById } from './questionnaire.js';
import { type Responsibility, type RiskItem, responsibility } from './risks.js';
import type { Session } from './session.js';
import { type Flip, whatIf } from './what-if.js';

/** The cluster's evidence on a card: what it is, what it is about, and what it answered in the person's place. */
export interface EvidenceView {
  facts: AssessmentEvidence;
  scope: EvidenceScope;
  answered: { questionId: string; optionId: string; label: string; reason: string }[];
  /** Risk questions it settled or spoke to. */
  risks: string[];
}

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
  /** Present when the assessment carries evidence from a cluster. */
  evidence?: EvidenceView;
}

/**
 * Everything the card, the ADR and the export say about an assessment, from its answers and, when it has some,
 * the cluster's evidence (whose answers stand in for the person's where it gives them). Pure.
 */
export function recommend(
  q: Questionnaire,
  { answers, evidence }: Pick<Session, 'answers' | 'evidence'>,
): Recommendation {
  const backed = evidenceAnswers(q, answers, evidence);
  const effective = effectiveAnswers(answers, backed);
  const decision = decideWith(q, answers, evidence);
  const risks = registerWithEvidence(q, answers, decision.outcome, evidence);
  const answered = Object.entries(backed).map(([questionId, b]) => {
    const question = questionById(q, questionId);
    const label = (question && optionOf(question, b.answer.optionId)?.label) ?? b.answer.optionId;
    return { questionId, optionId: b.answer.optionId, label, reason: b.reason };
  });
  return {
    decision,
    whatIf: whatIf(q, effective),
    risks,
    responsibility: responsibility(q, decision.outcome, effective),
    guidance: guidance(q, effective, decision),
    outcome: q.outcomes[decision.outcome],
    questionnaireVersion: q.version,
    ...(evidence && {
      evidence: {
        facts: evidence,
        scope: evidenceScope(answers, evidence),
        answered,
        risks: evidenceRiskIds(risks),
      },
    }),
  };
}
