import { type AssessmentEvidence, evidenceTime as timeOf } from '../../advisor/evidence.js';
import type { AttachResult } from '../../advisor/evidence-service.js';
import { type Questionnaire, questionById } from '../../advisor/questionnaire.js';
import { EVIDENCE_COMMAND, EVIDENCE_LIMITS, mrkdwnLiteral } from '../../evidence/index.js';
import { COMMAND } from './help.js';
import { clip, esc, type SlackMessage, section } from './text.js';

/**
 * What the app says about evidence from a cluster in the thread: the help, the marks that replace a self-graded
 * answer, and the replies to an upload (the card's section is in card-evidence.ts). Every name from a file (the
 * cluster, the provider's identities, the file's own name) goes through `mrkdwnLiteral`, so none can mention,
 * link or format.
 */

/** A name from a file, shortened and made literal. */
export const literal = (s: string, max = 80) => mrkdwnLiteral(clip(s, max));

/** "2026-12-03 09:00 UTC" from the file's ISO time, safe in mrkdwn. */
export const evidenceTime = (iso: string) => esc(timeOf(iso));

/** What stands in for a self-graded answer: "from evidence, `cluster`, 2026-12-03 09:00 UTC". */
export const evidenceMark = (e: Pick<AssessmentEvidence, 'cluster' | 'collectedAt'>) =>
  `from evidence, ${literal(e.cluster, 60)}, ${evidenceTime(e.collectedAt)}`;

/** `/k8s-advisor evidence`: how to make the file, what the command reads and never reads, and where it goes. */
export function evidenceHelpText(): string {
  return [
    '*Back your assessment with evidence from a cluster you already run*',
    'A pilot on EKS, GKE or AKS, or a cluster of your own, can answer the access questions instead of a guess: who holds cluster-admin power, which of those identities are the provider’s, whether the creator is still an admin, whether local accounts work and whether control-plane audit logs are on.',
    `1. From a checkout of k8s-advisor, with your own kubeconfig, run \`${EVIDENCE_COMMAND}\`. Add \`--aws\`, \`--gcloud\` or \`--az\` to read the provider’s own settings too.`,
    '2. Upload `evidence.json` as a reply in your assessment’s thread. Only the person who started the assessment can; a file from anyone else changes nothing.',
    '*What it reads:* ClusterRoles and ClusterRoleBindings, Roles and RoleBindings, the server version, the nodes’ provider ids and the `kube-system/aws-auth` ConfigMap; with a flag, the provider’s settings, read-only.',
    '*What it never reads or does:* Secrets or their values, and any write to the cluster. The file holds no credentials.',
    `I fetch the file with my bot token and refuse one over ${EVIDENCE_LIMITS.fileBytes / 1024} KB or not in the command’s format, changing nothing. An accepted file’s summary is stored with the assessment, encrypted like your answers, shown on its card, in its decision record and your export, and deleted with it.`,
  ].join('\n');
}

/** The reply to a file that is not usable evidence: why, that nothing changed, and how to make a good one. */
export function evidenceRefusedMessage(fileName: string, reason: string): SlackMessage {
  const text =
    `:warning: I could not use ${literal(fileName)} as evidence. ${esc(clip(reason, 600))}\n` +
    `Nothing in this assessment changed. Run \`${EVIDENCE_COMMAND}\` and upload the file it writes, unedited; \`${COMMAND} evidence\` explains more.`;
  return {
    text: `I could not use that file as evidence, so nothing changed. ${esc(clip(reason, 600))}`,
    blocks: [section(text, 'evidence:refused')],
  };
}

/** The private reply to someone who shares a file in another person's assessment thread. */
export const evidenceNotOwnerText = (ownerId: string) =>
  `This assessment belongs to <@${ownerId}>, so the file you shared changes nothing in it. To back your own assessment with evidence, start one with \`${COMMAND}\` and upload the file in its thread.`;

/** The reply to accepted evidence: what it is, what it answered and what it did to the verdict. */
export function evidenceAcceptedMessage(
  q: Questionnaire,
  result: Extract<AttachResult, { kind: 'attached' }>,
): SlackMessage {
  const { before, step } = result;
  const e = step.session.evidence as AssessmentEvidence;
  const lines = [
    `:white_check_mark: Evidence from ${literal(e.cluster)} (${esc(e.providerLabel)}, collected ${evidenceTime(e.collectedAt)}) is now part of this assessment.`,
  ];
  if (before.evidence)
    lines.push(
      `It replaces the evidence from ${literal(before.evidence.cluster)} (${evidenceTime(before.evidence.collectedAt)}).`,
    );
  if (step.kind === 'done') {
    const view = step.recommendation.evidence;
    const answered = view?.answered ?? [];
    if (answered.length > 0)
      lines.push(
        `It answers ${answered.map((a) => `_${esc(questionById(q, a.questionId)?.short ?? a.questionId)}_: *${esc(a.label)}*`).join(', ')}.`,
      );
    const now = q.outcomes[step.session.outcome ?? step.recommendation.decision.outcome];
    const was = before.outcome ? q.outcomes[before.outcome] : undefined;
    lines.push(
      was && was !== now
        ? `The verdict changes to ${now.emoji} *${esc(now.title)}* (it was ${was.emoji} ${esc(was.title)}); the card below shows why.`
        : `The verdict is ${now.emoji} *${esc(now.title)}*; the card below shows the evidence.`,
    );
  } else if (before.status === 'completed') {
    lines.push('With the evidence, the verdict moves, and one more question applies before the card.');
  } else {
    lines.push('Answer the remaining questions; the card will use the evidence where it answers them.');
  }
  const text = lines.join('\n');
  return { text, blocks: [section(text, 'evidence:accepted')] };
}
