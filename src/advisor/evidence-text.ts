import { type AssessmentEvidence, evidenceTime, type Tristate } from './evidence.js';
import type { Questionnaire } from './questionnaire.js';
import { questionById } from './questionnaire.js';
import type { EvidenceView } from './recommend.js';

/**
 * The evidence in Markdown, for the decision record and the export. Names come from an uploaded file, so each is
 * written literally: Markdown's emphasis, code, link, strikethrough and table characters are backslash-escaped
 * and `&`, `<`, `>` become entities, so no name can format, link or inject HTML. (The evidence module has the
 * same rule for its own summary; the core may not import it, so the rule is restated here for the core's text.)
 */
export const markdownName = (s: string) =>
  s
    .replace(/[\\`*_[\]|~#]/g, (c) => `\\${c}`)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');

/** "from evidence, name, 2026-12-03 09:00 UTC": what stands in for a self-graded answer. */
export const evidenceMarkdownMark = (e: Pick<AssessmentEvidence, 'cluster' | 'collectedAt'>) =>
  `from evidence, ${markdownName(e.cluster)}, ${evidenceTime(e.collectedAt)}`;

const WORD: Record<Tristate, string> = { yes: 'yes', no: 'no', unknown: 'not known' };

const SCOPE: Record<EvidenceView['scope'], string | undefined> = {
  provider: undefined,
  self_hosted:
    'It comes from a cluster we run ourselves: it speaks to the risks of running Kubernetes ourselves, not to a provider’s access.',
  other_provider:
    'It comes from another provider than the one weighed here, so it answers no question about that one.',
  undetected: 'The command could not tell what runs the cluster, so it answers no question here.',
};

/** The lines of the evidence summary, as Markdown bullets (without the heading). */
export function evidenceLines(q: Questionnaire, view: EvidenceView): string[] {
  const e = view.facts;
  const names = e.providerSubjects.map(markdownName).join(', ');
  const more = e.providerSubjectCount - e.providerSubjects.length;
  const provider =
    e.clusterAdminSubjects === null
      ? 'not known (the bindings could not be read)'
      : e.providerSubjectCount === 0
        ? 'none'
        : `${e.providerSubjectCount}: ${names}${more > 0 ? ` and ${more} more` : ''}`;
  return [
    `Cluster: ${markdownName(e.cluster)} (${e.providerLabel}${e.kubernetesVersion ? `, Kubernetes ${markdownName(e.kubernetesVersion)}` : ''}), collected ${evidenceTime(e.collectedAt)}`,
    `Cluster-admin power: ${e.clusterAdminSubjects === null ? 'not known (the bindings could not be read)' : `${e.clusterAdminSubjects} subjects, ${e.customerSubjects ?? 0} of them ours`}`,
    `The provider's own identities with that power: ${provider}`,
    `Creator still an admin: ${WORD[e.creatorAdmin]}`,
    `Local accounts work: ${WORD[e.localAccounts]}`,
    `Control-plane audit logs on: ${WORD[e.auditLogs]}`,
    ...view.answered.map(
      (a) =>
        `It answered "${questionById(q, a.questionId)?.short ?? a.questionId}": ${a.label}, in place of a self-graded answer`,
    ),
    ...(SCOPE[view.scope] ? [SCOPE[view.scope] as string] : []),
    ...(e.gaps > 0 || e.truncated ? ['Partial: the evidence file lists what could not be read'] : []),
  ];
}
