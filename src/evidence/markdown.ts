import { PROVIDER_LABELS } from './provider.js';
import type { Evidence, EvidenceSubject, Finding, Owner, Reason } from './schema.js';
import { subjectLabel } from './summary.js';
import { markdownLiteral as md } from './text.js';

/** The human-readable companion of an evidence file: what was found, by whom it is held, and what is missing. */

const OWNER_TITLES: Record<Owner, string> = {
  customer: 'Your own identities',
  creator: 'The cluster creator',
  'local-admin': 'Local (certificate) accounts',
  provider: "The provider's own identities",
  system: 'Kubernetes system components',
};

const REASON_WORDS: Record<Reason, string> = {
  wildcard: 'every verb on every resource',
  escalate: 'escalate (grant more than it holds)',
  bind: 'bind roles',
  impersonate: 'impersonate users, groups or service accounts',
  secrets: 'read Secrets',
  'nodes-proxy': "reach nodes' kubelets (nodes/proxy)",
  'pods-exec': 'exec into pods',
};

const FINDING_WORDS: Record<Finding['value'], string> = { yes: 'Yes', no: 'No', unknown: 'Unknown' };

const reasons = (list: Reason[]) => list.map((r) => REASON_WORDS[r]).join('; ');

function subjectRows(subjects: EvidenceSubject[]): string[] {
  return subjects.map((s) => {
    const via = s.grants.map((g) => `${md(g.binding)} → ${md(g.role)}`).join('<br>');
    const why = reasons([...new Set(s.grants.flatMap((g) => g.reasons))]);
    return `| ${s.kind} | ${md(subjectLabel(s))} | ${via} | ${why} |`;
  });
}

export function renderMarkdown(e: Evidence): string {
  const c = e.cluster;
  const lines: string[] = [
    `# Cluster evidence: ${md(c.name ?? c.context)}`,
    '',
    `Collected ${e.collectedAt} by ${md(e.tool.name)} ${md(e.tool.version)} (schema ${e.schemaVersion}), read-only.`,
    '',
    '| | |',
    '| --- | --- |',
    `| Context | ${md(c.context)} |`,
    `| API server | ${md(c.server || 'unknown')} |`,
    `| Provider | ${PROVIDER_LABELS[c.provider]}${c.providerSignals.length ? ` (${c.providerSignals.map(md).join('; ')})` : ''} |`,
    `| Kubernetes | ${md(c.kubernetesVersion ?? 'unknown')} |`,
    `| Nodes | ${c.nodes ?? 'unknown'} |`,
    '',
    '## Findings',
    '',
    `- **Cluster creator still an admin:** ${FINDING_WORDS[e.findings.creatorAdmin.value]}. ${md(e.findings.creatorAdmin.basis)}`,
    `- **Local accounts enabled:** ${FINDING_WORDS[e.findings.localAccounts.value]}. ${md(e.findings.localAccounts.basis)}`,
    `- **Control-plane audit logs on:** ${FINDING_WORDS[e.findings.auditLogs.value]}. ${md(e.findings.auditLogs.basis)}`,
    '',
    '## Who holds cluster-admin power',
    '',
  ];

  if (!e.clusterAdmin) lines.push('The cluster role bindings could not be read; see the gaps below.', '');
  else {
    lines.push(
      `${e.clusterAdmin.length} subject(s) can act as cluster admin across the whole cluster. Namespace-scoped ` +
        'grants are listed apart below and are not counted here.',
      '',
    );
    for (const owner of ['customer', 'creator', 'local-admin', 'provider', 'system'] as const) {
      const group = e.clusterAdmin.filter((s) => s.owner === owner);
      if (group.length === 0) continue;
      lines.push(
        `### ${OWNER_TITLES[owner]} (${group.length})`,
        '',
        '| Kind | Name | Through | Can |',
        '| --- | --- | --- | --- |',
      );
      lines.push(...subjectRows(group), '');
    }
  }

  lines.push('## Powerful grants confined to one namespace', '');
  if (!e.namespaced) lines.push('The role bindings could not be read; see the gaps below.', '');
  else if (e.namespaced.length === 0) lines.push('None.', '');
  else {
    lines.push('| Namespace | Kind | Name | Binding → role | Can |', '| --- | --- | --- | --- | --- |');
    for (const g of e.namespaced.slice(0, 100))
      lines.push(
        `| ${md(g.bindingNamespace)} | ${g.kind} | ${md(subjectLabel(g))} | ${md(g.binding)} → ${g.roleKind} ${md(g.role)} | ${reasons(g.reasons)} |`,
      );
    if (e.namespaced.length > 100)
      lines.push('', `… and ${e.namespaced.length - 100} more in the JSON file.`);
    lines.push('');
  }

  lines.push('## What could not be read', '');
  if (e.gaps.length === 0) lines.push('Nothing: every read succeeded.');
  else for (const g of e.gaps) lines.push(`- **${md(g.what)}:** ${md(g.why)}`);
  if (e.truncated) lines.push('', 'Some lists were cut to the file’s limits; counts are lower bounds.');
  lines.push(
    '',
    '---',
    'Read with get and list only: RBAC objects, the server version, node provider ids and the aws-auth ConfigMap. ' +
      'No Secret was read and nothing was changed.',
    '',
  );
  return lines.join('\n');
}
