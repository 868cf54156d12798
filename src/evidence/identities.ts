import type { Owner, Provider, SubjectKind } from './schema.js';

/**
 * Who an RBAC subject belongs to, per provider, from the providers' own documents. Rules are tried in order;
 * the first that matches classifies the subject, and a subject no rule matches is the customer's. Each rule
 * carries the document its fact comes from and the date it was checked. Where a vendor documents only part of
 * a default (GKE does not list its component identities), the rule says what was observed and where.
 */
export interface IdentityRule {
  id: string;
  /** The providers the rule applies on; `any` for Kubernetes itself. */
  providers: readonly Provider[] | 'any';
  owner: Owner;
  kinds: readonly SubjectKind[];
  names?: readonly string[];
  prefixes?: readonly string[];
  namespace?: string;
  note: string;
  source: string;
  checked: string;
}

const CHECKED = '2026-12-03';

const EKS_DEFAULT_IDENTITIES = 'https://docs.aws.amazon.com/eks/latest/userguide/default-roles-users.html';
const K8S_RBAC = 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/';

/** The name the analysis gives the EKS creator it cannot see (grants.ts). */
export const EKS_HIDDEN_CREATOR = 'the IAM identity that created the cluster';

export const IDENTITY_RULES: readonly IdentityRule[] = [
  // Bindings to everyone signed in (or not) are never a default grant of power: a customer made them.
  {
    id: 'k8s-everyone',
    providers: 'any',
    owner: 'customer',
    kinds: ['Group', 'User'],
    names: ['system:authenticated', 'system:unauthenticated', 'system:anonymous', 'system:serviceaccounts'],
    prefixes: ['system:serviceaccounts:'],
    note: 'a group that holds every signed-in (or anonymous) caller; no default binding gives it power',
    source: K8S_RBAC,
    checked: CHECKED,
  },
  {
    id: 'eks-addon-manager',
    providers: ['eks'],
    owner: 'provider',
    kinds: ['User'],
    names: ['eks:addon-manager'],
    note: 'EKS binds cluster-admin to its add-on manager through the eks:addon-cluster-admin binding',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html',
    checked: CHECKED,
  },
  {
    id: 'eks-prefixed',
    providers: ['eks'],
    owner: 'provider',
    kinds: ['User', 'Group'],
    prefixes: ['eks:'],
    note: 'identities EKS creates for its own components carry the eks prefix',
    source: EKS_DEFAULT_IDENTITIES,
    checked: CHECKED,
  },
  {
    id: 'eks-hidden-creator',
    providers: ['eks'],
    owner: 'creator',
    kinds: ['IAMPrincipal'],
    names: [EKS_HIDDEN_CREATOR],
    note: 'in CONFIG_MAP mode the creating IAM principal holds system:masters without appearing anywhere',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/security-iam-id-based-policy-examples.html',
    checked: CHECKED,
  },
  {
    id: 'eks-vpc-cni',
    providers: ['eks'],
    owner: 'provider',
    kinds: ['ServiceAccount'],
    names: ['aws-node'],
    namespace: 'kube-system',
    note: 'the aws-node service account of the Amazon VPC CNI plugin, created by EKS',
    source: EKS_DEFAULT_IDENTITIES,
    checked: CHECKED,
  },
  {
    id: 'aks-support',
    providers: ['aks'],
    owner: 'provider',
    kinds: ['User'],
    names: ['aks-support'],
    note: 'Microsoft support acts in the cluster through the aks-service role and aks-service-rolebinding',
    source: 'https://learn.microsoft.com/en-us/azure/aks/concepts-identity',
    checked: CHECKED,
  },
  {
    id: 'aks-local-accounts',
    providers: ['aks'],
    owner: 'local-admin',
    kinds: ['User'],
    names: ['clusterAdmin', 'clusterUser'],
    note: 'the certificate users of AKS local accounts, bound to cluster-admin by aks-cluster-admin-binding',
    source: 'https://learn.microsoft.com/en-us/azure/aks/manage-local-accounts-managed-azure-ad',
    checked: CHECKED,
  },
  {
    id: 'gke-control-plane',
    providers: ['gke'],
    owner: 'provider',
    kinds: ['User'],
    names: [
      'system:storageversionmigrator',
      'system:controller:glbc',
      'system:l7-lb-controller',
      'system:addon-manager',
      'system:clustermetrics',
      'system:managed-certificate-controller',
      'system:konnectivity-server',
      'system:pd-csi-controller',
      'system:cluster-autoscaler',
      'system:vpa-recommender',
    ],
    prefixes: ['system:gke-'],
    note:
      'components of the Google-run control plane; GKE does not list them, so the names are those observed ' +
      'on default GKE clusters (GKE audit-log samples; R. McCune, "Attack of the clones", 2022)',
    source: 'https://cloud.google.com/kubernetes-engine/docs/how-to/audit-logging',
    checked: CHECKED,
  },
  {
    id: 'kubeadm-cluster-admins',
    providers: ['kubeadm'],
    owner: 'creator',
    kinds: ['Group'],
    names: ['kubeadm:cluster-admins'],
    note: 'kubeadm init writes admin.conf for whoever creates the cluster; its group is bound to cluster-admin',
    source: 'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/',
    checked: CHECKED,
  },
  {
    id: 'kubeadm-super-admin',
    providers: ['kubeadm'],
    owner: 'local-admin',
    kinds: ['Group'],
    names: ['system:masters'],
    note: "kubeadm's super-admin.conf certificate is in system:masters, which no RBAC change can restrict",
    source: 'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/',
    checked: CHECKED,
  },
  {
    id: 'k8s-system-masters',
    providers: 'any',
    owner: 'system',
    kinds: ['Group'],
    names: ['system:masters'],
    note: "Kubernetes' built-in superuser group; who is in it is decided by credentials, not by RBAC",
    source: K8S_RBAC,
    checked: CHECKED,
  },
  {
    id: 'k8s-system-identity',
    providers: 'any',
    owner: 'system',
    kinds: ['User', 'Group'],
    prefixes: ['system:'],
    note: 'the system: prefix is reserved for Kubernetes components',
    source: K8S_RBAC,
    checked: CHECKED,
  },
  {
    id: 'k8s-kube-system-sa',
    providers: 'any',
    owner: 'system',
    kinds: ['ServiceAccount'],
    namespace: 'kube-system',
    note: 'a service account of a component in kube-system (controllers, add-ons)',
    source: K8S_RBAC,
    checked: CHECKED,
  },
];

export interface Classification {
  owner: Owner;
  rule: string | null;
  source: string | null;
}

const matches = (rule: IdentityRule, kind: SubjectKind, name: string, namespace?: string) =>
  rule.kinds.includes(kind) &&
  (rule.namespace === undefined || rule.namespace === namespace) &&
  ((!rule.names && !rule.prefixes) ||
    !!rule.names?.includes(name) ||
    !!rule.prefixes?.some((p) => name.startsWith(p)));

/** The first rule that applies on this provider and matches; the customer's when none does. */
export function classify(
  provider: Provider,
  kind: SubjectKind,
  name: string,
  namespace?: string,
): Classification {
  for (const rule of IDENTITY_RULES) {
    if (rule.providers !== 'any' && !rule.providers.includes(provider)) continue;
    if (matches(rule, kind, name, namespace))
      return { owner: rule.owner, rule: rule.id, source: rule.source };
  }
  return { owner: 'customer', rule: null, source: null };
}
