import { PROVIDER_LABELS } from './provider.js';
import type { Evidence, EvidenceSubject, Provider, Tristate } from './schema.js';

/**
 * What a recommendation card (or an ADR, or a digest) shows of a validated evidence file, as plain values.
 * Strings here are the file's own text, already free of control characters (the validator saw to that) but not
 * escaped: render names with `mrkdwnLiteral` (text.ts) in Slack and `markdownLiteral` in Markdown.
 */
export interface EvidenceSummary {
  /** The provider's cluster name when known, else the kubeconfig context. */
  cluster: string;
  collectedAt: string;
  provider: Provider;
  providerLabel: string;
  kubernetesVersion: string | null;
  /** How many subjects hold cluster-admin-equivalent power cluster-wide; null when bindings were unreadable. */
  clusterAdminSubjects: number | null;
  /** How many of those are the customer's own (not the provider's, the system's, local or the creator's). */
  customerSubjects: number | null;
  /** The provider's own subjects among them, by name (at most `PROVIDER_NAMES_SHOWN`). */
  providerSubjects: string[];
  /** How many provider subjects there are in all (may exceed the names listed). */
  providerSubjectCount: number;
  creatorAdmin: Tristate;
  localAccounts: Tristate;
  auditLogs: Tristate;
  /** Things the command could not read; a card should say the evidence is partial when this is above 0. */
  gaps: number;
  truncated: boolean;
}

export const PROVIDER_NAMES_SHOWN = 10;

/** The name a person recognises: a service account as namespace/name. */
export const subjectLabel = (s: Pick<EvidenceSubject, 'kind' | 'name' | 'namespace'>) =>
  s.kind === 'ServiceAccount' && s.namespace ? `${s.namespace}/${s.name}` : s.name;

export function summariseEvidence(e: Evidence): EvidenceSummary {
  const subjects = e.clusterAdmin;
  const provider = subjects?.filter((s) => s.owner === 'provider') ?? [];
  return {
    cluster: e.cluster.name ?? e.cluster.context,
    collectedAt: e.collectedAt,
    provider: e.cluster.provider,
    providerLabel: PROVIDER_LABELS[e.cluster.provider],
    kubernetesVersion: e.cluster.kubernetesVersion,
    clusterAdminSubjects: subjects ? subjects.length : null,
    customerSubjects: subjects ? subjects.filter((s) => s.owner === 'customer').length : null,
    providerSubjects: provider.slice(0, PROVIDER_NAMES_SHOWN).map(subjectLabel),
    providerSubjectCount: provider.length,
    creatorAdmin: e.findings.creatorAdmin.value,
    localAccounts: e.findings.localAccounts.value,
    auditLogs: e.findings.auditLogs.value,
    gaps: e.gaps.length,
    truncated: e.truncated,
  };
}
