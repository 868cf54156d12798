import { type Answer, describeAnswer } from '../../advisor/answer.js';
import type { AssessmentEvidence, Tristate } from '../../advisor/evidence.js';
import {
  PROVIDER_QUESTION,
  type Question,
  type Questionnaire,
  questionById,
} from '../../advisor/questionnaire.js';
import type { EvidenceView, Recommendation } from '../../advisor/recommend.js';
import type { RiskItem } from '../../advisor/risks.js';
import type { Session } from '../../advisor/session.js';
import { evidenceMark, evidenceTime, literal } from './evidence.js';
import { type Block, esc, section } from './text.js';

/**
 * The recommendation card's side of evidence from a cluster: its Evidence section, the answer fields and risk
 * lines that say "from evidence, <cluster>, <time>" instead of a self-graded answer, and the metadata fields.
 */

const TRISTATE: Record<Tristate, string> = { yes: 'yes', no: 'no', unknown: 'not known' };

/** The provider's own identities by name, within a budget, the rest counted. */
function providerNames(e: AssessmentEvidence): string {
  if (e.clusterAdminSubjects === null) return 'not known (the bindings could not be read)';
  if (e.providerSubjectCount === 0) return 'none';
  const shown: string[] = [];
  let used = 0;
  for (const name of e.providerSubjects) {
    const item = literal(name);
    if (used + item.length > 1200) break;
    shown.push(item);
    used += item.length + 2;
  }
  const more = e.providerSubjectCount - shown.length;
  return `${e.providerSubjectCount}: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Why the evidence answers nothing about a provider, when it does not. */
function scopeNote(view: EvidenceView, named: string | undefined): string | undefined {
  const e = view.facts;
  switch (view.scope) {
    case 'self_hosted':
      return 'This is a cluster you run yourselves: it speaks to the risks of running Kubernetes yourselves, not to a provider’s access.';
    case 'other_provider':
      return `This cluster runs on ${esc(e.providerLabel)}, but you named ${esc(named ?? 'another provider')}, so it answers no question about that one.`;
    case 'undetected':
      return 'The command could not tell what runs this cluster, so it answers no question here.';
    default:
      return undefined;
  }
}

/** The card's Evidence section: provider detected, who holds cluster-admin power, the three findings. */
export function evidenceBlocks(q: Questionnaire, view: EvidenceView, named?: string): Block[] {
  const e = view.facts;
  const version = e.kubernetesVersion ? ` · Kubernetes ${literal(e.kubernetesVersion, 40)}` : '';
  const admins =
    e.clusterAdminSubjects === null
      ? 'not known (the bindings could not be read)'
      : `${e.clusterAdminSubjects} subjects, ${e.customerSubjects ?? 0} of them yours`;
  const lines = [
    `*Evidence from your cluster* ${literal(e.cluster)} · ${esc(e.providerLabel)}${version} · collected ${evidenceTime(e.collectedAt)}`,
    `• Cluster-admin power: ${admins}`,
    `• The provider’s own identities with that power: ${providerNames(e)}`,
    `• Creator still an admin: *${TRISTATE[e.creatorAdmin]}* · Local accounts work: *${TRISTATE[e.localAccounts]}* · Control-plane audit logs on: *${TRISTATE[e.auditLogs]}*`,
  ];
  for (const a of view.answered) {
    const short = questionById(q, a.questionId)?.short ?? a.questionId;
    lines.push(`• It answers _${esc(short)}_: *${esc(a.label)}*, in place of a self-graded answer`);
  }
  const note = scopeNote(view, named);
  if (note) lines.push(`• ${note}`);
  else if (view.answered.length === 0)
    lines.push('• It answers none of the questions asked here: what it shows is not conclusive for them.');
  if (view.risks.length > 0)
    lines.push(`• It speaks to ${view.risks.length} of the risk questions below (marked _from evidence_).`);
  if (e.gaps > 0 || e.truncated)
    lines.push(
      `• Partial: ${e.gaps > 0 ? `${e.gaps} thing${e.gaps === 1 ? '' : 's'} could not be read` : 'some lists were cut short'}; the evidence file says which.`,
    );
  return [section(lines.join('\n'), 'evidence')];
}

/** The name of the provider the person named, for saying that the evidence is about another one. */
export function namedProviderLabel(q: Questionnaire, s: Pick<Session, 'answers'>): string | undefined {
  const a = s.answers[PROVIDER_QUESTION];
  const question = questionById(q, PROVIDER_QUESTION);
  if (a?.kind !== 'option' || question?.type !== 'choice') return undefined;
  return question.options.find((o) => o.id === a.optionId)?.label;
}

/** An answer field's value when the evidence answered the question: its answer, marked, and what the person said. */
export function evidenceAnswerText(
  question: Question,
  session: Pick<Session, 'answers'>,
  rec: Pick<Recommendation, 'evidence'>,
): string | undefined {
  const view = rec.evidence;
  const a = view?.answered.find((x) => x.questionId === question.id);
  if (!view || !a) return undefined;
  const own: Answer | undefined = session.answers[question.id];
  const said = own ? ` (you said _${esc(describeAnswer(question, own))}_)` : '';
  return `${esc(a.label)} _(${evidenceMark(view.facts)})_${said}`;
}

/** A risk line's status when the evidence settled or informed it; undefined to keep the usual wording. */
export function evidenceRiskStatus(r: RiskItem, facts: AssessmentEvidence | undefined): string | undefined {
  if (!r.fromEvidence || !facts || r.evidence === undefined) return undefined;
  const words = `_${esc(r.evidence)}_ (${evidenceMark(facts)})`;
  if (r.status === 'open') return `*still open*; the cluster shows ${words}`;
  return `${r.status === 'concern' ? 'a concern' : 'answered'}: ${words}`;
}

/**
 * The evidence fields of the recommendation metadata: plain strings, numbers and booleans (Slack's message
 * metadata takes no arrays of strings), present only with evidence except `evidence` itself.
 */
export function evidenceMetadata(rec: Pick<Recommendation, 'evidence'>): Record<string, unknown> {
  const view = rec.evidence;
  if (!view) return { evidence: false };
  const e = view.facts;
  const at = new Date(e.collectedAt);
  return {
    evidence: true,
    evidence_cluster: e.cluster,
    evidence_at: Number.isNaN(at.getTime()) ? e.collectedAt : at.toISOString(),
    evidence_provider: e.provider,
    evidence_scope: view.scope,
    evidence_answers: Object.fromEntries(view.answered.map((a) => [a.questionId, a.optionId])),
    evidence_risks: view.risks.join(','),
    ...(e.clusterAdminSubjects !== null && { evidence_cluster_admin_subjects: e.clusterAdminSubjects }),
    evidence_provider_subjects: e.providerSubjectCount,
    evidence_creator_admin: e.creatorAdmin,
    evidence_local_accounts: e.localAccounts,
    evidence_audit_logs: e.auditLogs,
    evidence_partial: e.gaps > 0 || e.truncated,
  };
}
