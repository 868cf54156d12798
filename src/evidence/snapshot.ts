import type { AksView, EksView, Gap, GkeView } from './schema.js';

/**
 * What the collector read, cut down to the fields the analysis needs. The collector maps the Kubernetes client's
 * objects onto these shapes straight away, so nothing else of them (annotations, managed fields, data) is kept;
 * the analysis is pure over this value, which is what the unit and property tests feed it.
 */

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ClusterRole {
  name: string;
  labels?: Record<string, string>;
  rules?: PolicyRule[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] | null } | null;
}

export interface Role {
  name: string;
  namespace: string;
  rules?: PolicyRule[] | null;
}

export interface RbacSubject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  kind: string;
  name: string;
}

export interface ClusterRoleBinding {
  name: string;
  subjects?: RbacSubject[] | null;
  roleRef: RoleRef;
}

export interface RoleBinding extends ClusterRoleBinding {
  namespace: string;
}

/** One entry of the EKS `aws-auth` ConfigMap's mapRoles or mapUsers. */
export interface AwsAuthMapping {
  arn: string;
  username: string | null;
  groups: string[];
}

export type Credential = 'client-certificate' | 'token' | 'exec' | 'auth-provider' | 'basic' | 'none';

export interface Snapshot {
  context: string;
  /** host[:port] of the API server. */
  server: string;
  credential: Credential;
  /** The kubeconfig user entry's name: AKS names it after the credential (clusterAdmin_…, clusterUser_…). */
  kubeconfigUser: string;
  /** The provider's cluster name as far as the kubeconfig or the flags tell it. */
  clusterName: string | null;
  version: string | null;
  /** Nodes' spec.providerID values (empty strings dropped); null when nodes could not be listed. */
  providerIds: string[] | null;
  nodeCount: number | null;
  clusterRoles: ClusterRole[] | null;
  clusterRoleBindings: ClusterRoleBinding[] | null;
  roles: Role[] | null;
  roleBindings: RoleBinding[] | null;
  /** null: could not be read; present false: the cluster has no aws-auth ConfigMap. */
  awsAuth: { present: boolean; mappings: AwsAuthMapping[] } | null;
  providerView: { eks: EksView | null; gke: GkeView | null; aks: AksView | null };
  gaps: Gap[];
  truncated: boolean;
}
