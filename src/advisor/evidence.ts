import type { Answer } from './answer.js';
import { askedByAnswers } from './applicable.js';
import { type Decision, decide } from './decide.js';
import { PROVIDER_QUESTION, type Questionnaire, questionById } from './questionnaire.js';

/**
 * Evidence from a running cluster, as the core keeps it with an assessment: the summary of a validated evidence
 * file (what src/evidence's `summariseEvidence` gives, plus when it was attached). Plain data, so the core needs
 * nothing of the evidence module; the Slack edge parses the file and hands this in. Names (`cluster`,
 * `providerSubjects`) are the file's own text: free of control characters, never escaped, hostile all the same.
 */
export type Tristate = 'yes' | 'no' | 'unknown';
export type EvidenceProvider = 'eks' | 'gke' | 'aks' | 'kubeadm' | 'other' | 'unknown';

export interface AssessmentEvidence {
  cluster: string;
  /** When the command read the cluster (ISO 8601, from the file). */
  collectedAt: string;
  provider: EvidenceProvider;
  providerLabel: string;
  kubernetesVersion: string | null;
  /** Subjects with cluster-admin-equivalent power cluster-wide; null when the bindings could not be read. */
  clusterAdminSubjects: number | null;
  customerSubjects: number | null;
  /** The provider's own subjects among them, by name (the first few), and how many there are in all. */
  providerSubjects: string[];
  providerSubjectCount: number;
  creatorAdmin: Tristate;
  localAccounts: Tristate;
  auditLogs: Tristate;
  /** What the command could not read; above 0 the evidence is partial. */
  gaps: number;
  truncated: boolean;
  /** When it was attached to the assessment (epoch ms). */
  attachedAt: number;
}

/** "2026-12-03 09:00 UTC": when the evidence was collected, as the card, the ADR and the export say it. */
export function evidenceTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime())
    ? iso.slice(0, 40)
    : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * What the evidence is about, against the assessment's answers:
 * - provider: a managed cluster of the provider the team weighs (or has not named yet): it can answer questions
 *   about that provider's access;
 * - self_hosted: a cluster the team runs itself: it speaks to the risks of running it yourselves;
 * - other_provider: a managed cluster of another provider than the one named: it answers nothing about that one;
 * - undetected: the command could not tell what runs the cluster.
 */
export type EvidenceScope = 'provider' | 'self_hosted' | 'other_provider' | 'undetected';

const MANAGED: readonly EvidenceProvider[] = ['eks', 'gke', 'aks'];
const SELF_RUN: readonly EvidenceProvider[] = ['kubeadm', 'other'];

export function evidenceScope(answers: Record<string, Answer>, e: AssessmentEvidence): EvidenceScope {
  if (SELF_RUN.includes(e.provider)) return 'self_hosted';
  if (!MANAGED.includes(e.provider)) return 'undetected';
  const named = answers[PROVIDER_QUESTION];
  // "Not decided yet", skipped or not asked yet: the pilot cluster they have is the provider they weigh.
  if (named?.kind !== 'option' || named.optionId === 'undecided') return 'provider';
  return named.optionId === e.provider ? 'provider' : 'other_provider';
}

/** An answer the evidence gives in place of the person's own, and why, in words that name no file content. */
export interface Backing {
  answer: Extract<Answer, { kind: 'option' }>;
  reason: string;
}

export const LOCKDOWN_QUESTION = 'access_lockdown';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Can the provider's access be restricted, as the cluster shows it? Three things say no: the provider's own
 * identities holding cluster-admin power (the service needs them, so they cannot be removed), the creator still
 * an admin, and local accounts that get past the cloud's identity service. None of them: yes. One: partly. Two
 * or more: no. When none is known to be bad but one is unknown, the evidence settles nothing.
 */
export function lockdownFromEvidence(e: AssessmentEvidence): Backing | undefined {
  const provider: Tristate =
    e.clusterAdminSubjects === null ? 'unknown' : e.providerSubjectCount > 0 ? 'yes' : 'no';
  const facts: [Tristate, string, string, string][] = [
    [
      provider,
      `${plural(e.providerSubjectCount, "of the provider's own identities holds", "of the provider's own identities hold")} cluster-admin power, which the service needs and you cannot remove`,
      "none of the provider's own identities holds cluster-admin power",
      "whether the provider's identities hold cluster-admin power is unknown (the bindings could not be read)",
    ],
    [
      e.creatorAdmin,
      'the identity that created the cluster is still an admin',
      'the identity that created the cluster is no longer an admin',
      'whether the creator is still an admin is unknown',
    ],
    [
      e.localAccounts,
      "local admin accounts still work, past the cloud's identity service",
      'local accounts are off',
      'whether local accounts work is unknown',
    ],
  ];
  const bad = facts.filter(([v]) => v === 'yes').length;
  const unknown = facts.filter(([v]) => v === 'unknown').length;
  if (bad === 0 && unknown > 0) return undefined;
  const said = facts.map(([v, yes, no, unsure]) => (v === 'yes' ? yes : v === 'no' ? no : unsure));
  const list = `${said.slice(0, -1).join('; ')}; and ${said.at(-1)}`;
  const optionId = bad === 0 ? 'yes' : bad === 1 ? 'partly' : 'no';
  const lead =
    optionId === 'yes'
      ? "Your cluster shows the provider's access held in check"
      : optionId === 'partly'
        ? "Your cluster shows the provider's access can be held in check only in part"
        : "Your cluster shows the provider's access is not held in check";
  return { answer: { kind: 'option', optionId }, reason: `${lead}: ${list}.` };
}

/** The answers the evidence gives, by question id: only for questions asked given the answers so far. */
export function evidenceAnswers(
  q: Questionnaire,
  answers: Record<string, Answer>,
  e: AssessmentEvidence | undefined,
): Record<string, Backing> {
  if (!e || evidenceScope(answers, e) !== 'provider') return {};
  const question = questionById(q, LOCKDOWN_QUESTION);
  if (!question || !askedByAnswers(question, answers)) return {};
  const backing = lockdownFromEvidence(e);
  return backing ? { [LOCKDOWN_QUESTION]: backing } : {};
}

/** The answers the verdict rests on: the person's own, with the evidence's in place where it gives one. */
export function effectiveAnswers(
  answers: Record<string, Answer>,
  backed: Record<string, Backing>,
): Record<string, Answer> {
  const entries = Object.entries(backed);
  if (entries.length === 0) return answers;
  return { ...answers, ...Object.fromEntries(entries.map(([id, b]) => [id, b.answer])) };
}

/**
 * The decision with the evidence's answers in place of the self-graded ones. The two judgments stay as they are:
 * evidence only replaces answers, and the reasons it gave say so. Without evidence, exactly `decide`.
 */
export function decideWith(
  q: Questionnaire,
  answers: Record<string, Answer>,
  e: AssessmentEvidence | undefined,
): Decision {
  const backed = evidenceAnswers(q, answers, e);
  const decision = decide(q, effectiveAnswers(answers, backed));
  if (Object.keys(backed).length === 0) return decision;
  const mark = <R extends { questionId: string; text: string }>(r: R): R => {
    const b = backed[r.questionId];
    return b ? { ...r, text: b.reason, fromEvidence: true } : r;
  };
  return {
    ...decision,
    reasons: decision.reasons.map(mark),
    acceptability: { ...decision.acceptability, reasons: decision.acceptability.reasons.map(mark) },
  };
}
