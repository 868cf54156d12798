import { auditLogs, creatorAdmin, localAccounts } from './findings.js';
import { clusterWideSubjects, namespacedGrants } from './grants.js';
import { classify } from './identities.js';
import { detectProvider } from './provider.js';
import {
  EVIDENCE_KIND,
  EVIDENCE_SCHEMA_VERSION,
  type Evidence,
  type EvidenceSubject,
  type Gap,
  LIMITS,
  type NamespacedGrant,
  type OWNERS,
} from './schema.js';
import type { Snapshot } from './snapshot.js';
import { cleanText } from './text.js';

export interface AnalyseOptions {
  collectedAt: Date;
  toolName: string;
  toolVersion: string;
}

const t = (s: string) => cleanText(s, LIMITS.text);
const opt = (s: string | undefined) => (s === undefined ? {} : { namespace: t(s) });

/** Customers' own grants first (they are what a reader acts on), then the creator, local admins, the provider. */
const OWNER_ORDER = ['customer', 'creator', 'local-admin', 'provider', 'system'] as const;
const rank = (s: { owner: (typeof OWNERS)[number] }) => OWNER_ORDER.indexOf(s.owner);

/** The evidence file from what the collector read: pure, so the same snapshot always gives the same file. */
export function analyse(s: Snapshot, o: AnalyseOptions): Evidence {
  const { provider, signals } = detectProvider(s);
  const gaps: Gap[] = [...s.gaps];
  let truncated = s.truncated;

  const raw = clusterWideSubjects(s);
  let clusterAdmin: EvidenceSubject[] | null = null;
  if (raw) {
    const all = raw
      .map((x): EvidenceSubject => {
        const c = classify(provider, x.kind, x.name, x.namespace);
        return {
          kind: x.kind,
          name: t(x.name),
          ...opt(x.namespace),
          owner: c.owner,
          rule: c.rule,
          source: c.source,
          grants: x.grants.slice(0, LIMITS.grantsPerSubject).map((g) => ({
            via: g.via,
            binding: t(g.binding),
            role: t(g.role),
            reasons: g.reasons,
          })),
        };
      })
      .sort((a, b) => rank(a) - rank(b) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    if (all.length > LIMITS.subjects || raw.some((x) => x.grants.length > LIMITS.grantsPerSubject)) {
      truncated = true;
      gaps.push({
        what: 'cluster-admin subjects',
        why: `more than the file holds; the first ${LIMITS.subjects} are kept`,
      });
    }
    clusterAdmin = all.slice(0, LIMITS.subjects);
  }

  const rawNs = namespacedGrants(s);
  let namespaced: NamespacedGrant[] | null = null;
  if (rawNs) {
    if (rawNs.length > LIMITS.namespacedGrants) {
      truncated = true;
      gaps.push({
        what: 'namespace-scoped grants',
        why: `more than the file holds; the first ${LIMITS.namespacedGrants} are kept`,
      });
    }
    namespaced = rawNs.slice(0, LIMITS.namespacedGrants).map((g) => ({
      kind: g.kind,
      name: t(g.name),
      ...opt(g.namespace),
      bindingNamespace: t(g.bindingNamespace),
      binding: t(g.binding),
      roleKind: g.roleKind,
      role: t(g.role),
      reasons: g.reasons,
    }));
  }

  const v = s.providerView;
  return {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    kind: EVIDENCE_KIND,
    tool: { name: o.toolName, version: o.toolVersion },
    collectedAt: o.collectedAt.toISOString(),
    cluster: {
      context: t(s.context),
      server: t(s.server),
      name: s.clusterName === null ? null : t(s.clusterName),
      provider,
      providerSignals: signals.slice(0, LIMITS.signals).map(t),
      kubernetesVersion: s.version === null ? null : t(s.version),
      nodes: s.nodeCount,
    },
    counts: {
      clusterRoles: s.clusterRoles?.length ?? null,
      clusterRoleBindings: s.clusterRoleBindings?.length ?? null,
      roles: s.roles?.length ?? null,
      roleBindings: s.roleBindings?.length ?? null,
    },
    clusterAdmin,
    namespaced,
    providerView: { eks: v.eks, gke: v.gke, aks: v.aks },
    findings: {
      creatorAdmin: creatorAdmin(s, provider, clusterAdmin),
      localAccounts: localAccounts(s, provider),
      auditLogs: auditLogs(s, provider),
    },
    gaps: gaps
      .slice(0, LIMITS.gaps)
      .map((g) => ({ what: t(g.what), why: cleanText(g.why, LIMITS.longText) })),
    truncated,
  };
}
