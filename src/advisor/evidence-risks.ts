import type { Answer } from './answer.js';
import {
  type AssessmentEvidence,
  type EvidenceScope,
  effectiveAnswers,
  evidenceAnswers,
  evidenceScope,
} from './evidence.js';
import type { Outcome, Questionnaire } from './questionnaire.js';
import { type RiskItem, type RiskStatus, riskRegister } from './risks.js';

/**
 * The risk register with what the cluster's evidence shows: a risk it settles is answered (or a concern) in the
 * evidence's words, one it only informs keeps its status and gains those words. Managed verdicts take evidence
 * from the provider's cluster (the creator's admin, access that bypasses approval, audit logs against outsiders);
 * self-hosted verdicts take evidence from a cluster the team runs (its own break-glass access, audit logging).
 * Unknown findings change nothing. Pure.
 */
type Said = { status?: RiskStatus; words: string };
type Rule = (e: AssessmentEvidence) => Said | undefined;

const providerCount = (e: AssessmentEvidence) =>
  e.clusterAdminSubjects === null
    ? "whether the provider's own identities hold cluster-admin power is unknown"
    : e.providerSubjectCount === 0
      ? "none of the provider's own identities holds cluster-admin power"
      : `${e.providerSubjectCount} of the provider's own identities ${e.providerSubjectCount === 1 ? 'holds' : 'hold'} cluster-admin power`;

const PROVIDER_RULES: Record<string, Rule> = {
  creator_admin: (e) => {
    const who =
      e.clusterAdminSubjects === null
        ? ''
        : `; ${e.clusterAdminSubjects} subjects hold cluster-admin power, ${e.customerSubjects ?? 0} of them yours`;
    if (e.creatorAdmin === 'yes')
      return { status: 'concern', words: `the identity that created the cluster is still an admin${who}` };
    if (e.creatorAdmin === 'no')
      return {
        status: 'answered',
        words: `the identity that created the cluster is no longer an admin${who}`,
      };
    return undefined;
  },
  break_glass: (e) => {
    if (e.auditLogs === 'yes')
      return {
        status: 'answered',
        words: `${providerCount(e)}, and control-plane audit logs are on, so what they do is recorded for you`,
      };
    if (e.auditLogs === 'no')
      return {
        status: 'concern',
        words: `${providerCount(e)}, and control-plane audit logs are off, so you would not learn what they do`,
      };
    return undefined;
  },
  outsider_access: (e) => {
    if (e.auditLogs === 'no')
      return {
        status: 'concern',
        words:
          'control-plane audit logs are off: access through the provider’s channels leaves no record you can read',
      };
    if (e.auditLogs === 'yes') return { words: 'control-plane audit logs are on' };
    return undefined;
  },
};

const SELF_HOSTED_RULES: Record<string, Rule> = {
  break_glass_own: (e) => {
    const admin = e.creatorAdmin === 'yes' || e.localAccounts === 'yes';
    if (!admin && e.creatorAdmin === 'no' && e.localAccounts === 'no')
      return {
        status: 'answered',
        words: 'no certificate or creator admin works: admin access goes through your identity provider',
      };
    if (!admin) return undefined;
    const what = 'admin access by client certificate works (an admin.conf-style credential)';
    if (e.auditLogs === 'yes')
      return { status: 'answered', words: `${what}, and the API server's audit log records its use` };
    if (e.auditLogs === 'no')
      return { status: 'concern', words: `${what}, and no audit log records its use` };
    return { words: `${what}; whether its use is logged is unknown` };
  },
  audit_retention: (e) => {
    if (e.auditLogs === 'yes')
      return {
        status: 'answered',
        words: 'API audit logging is on; check where the logs are kept, and for how long',
      };
    if (e.auditLogs === 'no') return { status: 'concern', words: 'API audit logging is off' };
    return undefined;
  },
};

function rulesFor(scope: EvidenceScope, managed: boolean): Record<string, Rule> {
  if (managed) return scope === 'provider' ? PROVIDER_RULES : {};
  return scope === 'self_hosted' ? SELF_HOSTED_RULES : {};
}

/** The register that fits the verdict, with the evidence's answers in place and its findings applied. */
export function registerWithEvidence(
  q: Questionnaire,
  answers: Record<string, Answer>,
  outcome: Outcome,
  e: AssessmentEvidence | undefined,
): RiskItem[] {
  const backed = evidenceAnswers(q, answers, e);
  const items = riskRegister(q, effectiveAnswers(answers, backed), outcome);
  if (!e) return items;
  const managed = outcome === 'managed' || outcome === 'managed_with_safeguards';
  const rules = rulesFor(evidenceScope(answers, e), managed);
  const answeredBy = new Map(
    [...q.risks.provider, ...q.risks.self_hosted].map((r) => [r.id, r.answered_by] as const),
  );
  return items.map((item) => {
    const by = answeredBy.get(item.id);
    // Answered by a question the evidence answered: its status already follows the evidence's answer.
    if (by && by in backed) return { ...item, fromEvidence: true };
    const said = rules[item.id]?.(e);
    if (!said) return item;
    return { ...item, status: said.status ?? item.status, evidence: said.words, fromEvidence: true };
  });
}

/** The ids of the risks the evidence settled or spoke to, for the card's metadata. */
export const evidenceRiskIds = (items: RiskItem[]) => items.filter((r) => r.fromEvidence).map((r) => r.id);
