import { EKS_HIDDEN_CREATOR } from './identities.js';
import { reasonsOf, resolveClusterRoles } from './rbac.js';
import { REASONS, type Reason, type SubjectKind } from './schema.js';
import type { RbacSubject, Snapshot } from './snapshot.js';

/**
 * Who holds cluster-admin-equivalent power and through what. Only ClusterRoleBindings (and, on EKS, access
 * policies at cluster scope and aws-auth mappings) give power cluster-wide; a RoleBinding, even to a ClusterRole,
 * stops at its namespace and is kept in a separate list, never counted with the cluster-wide ones.
 */

export interface RawGrant {
  via: 'ClusterRoleBinding' | 'AccessPolicy' | 'aws-auth' | 'provider';
  binding: string;
  role: string;
  reasons: Reason[];
}

export interface RawSubject {
  kind: SubjectKind;
  name: string;
  namespace?: string;
  grants: RawGrant[];
}

export interface RawNamespacedGrant {
  kind: SubjectKind;
  name: string;
  namespace?: string;
  bindingNamespace: string;
  binding: string;
  roleKind: 'Role' | 'ClusterRole';
  role: string;
}

/** The superuser group is authorized by the API server before RBAC: it holds every power, bound or not. */
export const SYSTEM_MASTERS = 'system:masters';
const ALL: Reason[] = [...REASONS];

const EKS_POLICY_PREFIX = 'arn:aws:eks::aws:cluster-access-policy/';
/**
 * EKS access policies and the powers they carry, from the policies' published rules
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html, checked 2026-12-03):
 * the admin and edit policies include Secret reads, pods/exec and service-account impersonation.
 */
export const EKS_POLICY_REASONS: Record<string, Reason[]> = {
  AmazonEKSClusterAdminPolicy: ALL,
  AmazonEKSAdminPolicy: ['impersonate', 'secrets', 'pods-exec'],
  AmazonEKSEditPolicy: ['impersonate', 'secrets', 'pods-exec'],
};

const subjectKind = (kind: string): SubjectKind | null =>
  kind === 'User' || kind === 'Group' || kind === 'ServiceAccount' ? kind : null;

const keyOf = (kind: string, name: string, namespace?: string) =>
  `${kind}\u0000${namespace ?? ''}\u0000${name}`;

class SubjectSet {
  readonly byKey = new Map<string, RawSubject>();
  add(kind: SubjectKind, name: string, namespace: string | undefined, grant: RawGrant) {
    const key = keyOf(kind, name, namespace);
    const subject = this.byKey.get(key) ?? { kind, name, ...(namespace && { namespace }), grants: [] };
    subject.grants.push(grant);
    this.byKey.set(key, subject);
  }
  reasonsOfGroup(group: string): Reason[] {
    if (group === SYSTEM_MASTERS) return ALL;
    const s = this.byKey.get(keyOf('Group', group));
    return s ? REASONS.filter((r) => s.grants.some((g) => g.reasons.includes(r))) : [];
  }
}

const saNamespace = (s: RbacSubject, fallback?: string) =>
  s.kind === 'ServiceAccount' ? (s.namespace ?? fallback) : undefined;

export function clusterWideSubjects(s: Snapshot): RawSubject[] | null {
  if (!s.clusterRoleBindings) return null;
  const rules = resolveClusterRoles(s.clusterRoles ?? []);
  const set = new SubjectSet();

  for (const b of s.clusterRoleBindings) {
    if (b.roleRef.kind !== 'ClusterRole') continue; // the API server refuses anything else here
    const reasons = reasonsOf(rules.get(b.roleRef.name) ?? []);
    if (reasons.length === 0) continue;
    for (const subject of b.subjects ?? []) {
      const kind = subjectKind(subject.kind);
      if (!kind || !subject.name) continue;
      set.add(kind, subject.name, saNamespace(subject), {
        via: 'ClusterRoleBinding',
        binding: b.name,
        role: b.roleRef.name,
        reasons,
      });
    }
  }

  // IAM principals mapped into groups that hold power (aws-auth), then EKS access entries.
  for (const m of s.awsAuth?.mappings ?? []) {
    for (const group of m.groups) {
      const reasons = set.reasonsOfGroup(group);
      if (reasons.length > 0)
        set.add('IAMPrincipal', m.arn, undefined, {
          via: 'aws-auth',
          binding: 'kube-system/aws-auth',
          role: group,
          reasons,
        });
    }
  }
  for (const entry of s.providerView.eks?.accessEntries ?? []) {
    for (const policy of entry.policies) {
      const reasons = EKS_POLICY_REASONS[policy.policyArn.replace(EKS_POLICY_PREFIX, '')];
      if (reasons && policy.scope === 'cluster')
        set.add('IAMPrincipal', entry.principalArn, undefined, {
          via: 'AccessPolicy',
          binding: `access entry ${entry.username ?? entry.principalArn}`,
          role: policy.policyArn.replace(EKS_POLICY_PREFIX, ''),
          reasons,
        });
    }
    for (const group of entry.kubernetesGroups) {
      const reasons = set.reasonsOfGroup(group);
      if (reasons.length > 0)
        set.add('IAMPrincipal', entry.principalArn, undefined, {
          via: 'AccessPolicy',
          binding: `access entry ${entry.username ?? entry.principalArn}`,
          role: `group ${group}`,
          reasons,
        });
    }
  }
  // In CONFIG_MAP mode EKS keeps the creator's superuser grant where no reader of the cluster can see it.
  if (s.providerView.eks?.authenticationMode === 'CONFIG_MAP')
    set.add('IAMPrincipal', EKS_HIDDEN_CREATOR, undefined, {
      via: 'provider',
      binding: 'EKS cluster creation (CONFIG_MAP mode)',
      role: SYSTEM_MASTERS,
      reasons: ALL,
    });

  return [...set.byKey.values()];
}

/** Powerful grants made by RoleBindings and namespace-scoped access policies: confined to one namespace. */
export function namespacedGrants(s: Snapshot): (RawNamespacedGrant & { reasons: Reason[] })[] | null {
  if (!s.roleBindings) return null;
  const clusterRules = resolveClusterRoles(s.clusterRoles ?? []);
  const roleRules = new Map((s.roles ?? []).map((r) => [`${r.namespace}/${r.name}`, r.rules ?? []]));
  const out: (RawNamespacedGrant & { reasons: Reason[] })[] = [];
  for (const b of s.roleBindings) {
    const roleKind =
      b.roleRef.kind === 'Role' ? 'Role' : b.roleRef.kind === 'ClusterRole' ? 'ClusterRole' : null;
    if (!roleKind) continue;
    const rules =
      roleKind === 'Role'
        ? roleRules.get(`${b.namespace}/${b.roleRef.name}`)
        : clusterRules.get(b.roleRef.name);
    const reasons = reasonsOf(rules ?? []);
    if (reasons.length === 0) continue;
    for (const subject of b.subjects ?? []) {
      const kind = subjectKind(subject.kind);
      if (!kind || !subject.name) continue;
      const namespace = saNamespace(subject, b.namespace);
      out.push({
        kind,
        name: subject.name,
        ...(namespace && { namespace }),
        bindingNamespace: b.namespace,
        binding: b.name,
        roleKind,
        role: b.roleRef.name,
        reasons,
      });
    }
  }
  for (const entry of s.providerView.eks?.accessEntries ?? []) {
    for (const policy of entry.policies) {
      const name = policy.policyArn.replace(EKS_POLICY_PREFIX, '');
      const reasons = EKS_POLICY_REASONS[name];
      if (!reasons || policy.scope !== 'namespace') continue;
      for (const ns of policy.namespaces)
        out.push({
          kind: 'IAMPrincipal',
          name: entry.principalArn,
          bindingNamespace: ns,
          binding: `access entry ${entry.username ?? entry.principalArn}`,
          roleKind: 'ClusterRole',
          role: name,
          reasons,
        });
    }
  }
  return out;
}
