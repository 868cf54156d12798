import type { EvidenceSubject, Finding, Provider } from './schema.js';
import type { Snapshot } from './snapshot.js';

/**
 * The three answers the advisor cares about: is the cluster's creator still an admin, can local (certificate)
 * accounts sign in, and are control-plane audit logs on. Each says yes, no or unknown with the basis, and a
 * provider-specific fact names its source. An answer the cluster alone cannot give stays unknown and says
 * which flag would settle it.
 */
const CHECKED = 'checked 2026-12-03';
const SRC = {
  eksCreator: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_AccessConfigResponse.html',
  eksCreatorHidden:
    'https://docs.aws.amazon.com/eks/latest/userguide/security-iam-id-based-policy-examples.html',
  eksLogging: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_LogSetup.html',
  eksAuth: 'https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html',
  gkeAudit: 'https://cloud.google.com/kubernetes-engine/docs/how-to/audit-logging',
  gkeIam: 'https://cloud.google.com/kubernetes-engine/docs/how-to/role-based-access-control',
  gkeAuth:
    'https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#restrict_authn_methods',
  aksLocal: 'https://learn.microsoft.com/en-us/azure/aks/manage-local-accounts-managed-azure-ad',
  aksLogs:
    'https://learn.microsoft.com/en-us/azure/azure-monitor/reference/supported-logs/microsoft-containerservice-managedclusters-logs',
  kubeadm: 'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/',
};
const cite = (url: string) => ` (${url}, ${CHECKED})`;

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const yes = (basis: string): Finding => ({ value: 'yes', basis: sentence(basis) });
const no = (basis: string): Finding => ({ value: 'no', basis: sentence(basis) });
const unknown = (basis: string): Finding => ({ value: 'unknown', basis: sentence(basis) });

export function creatorAdmin(s: Snapshot, provider: Provider, subjects: EvidenceSubject[] | null): Finding {
  const eks = s.providerView.eks;
  if (provider === 'eks') {
    if (!eks)
      return unknown('EKS keeps the creator grant outside the cluster; run again with --aws to read it.');
    if (eks.authenticationMode === 'CONFIG_MAP')
      return yes(
        `authentication mode CONFIG_MAP: EKS keeps the creator's hidden system:masters grant${cite(SRC.eksCreatorHidden)}.`,
      );
    if (eks.bootstrapClusterCreatorAdminPermissions === false)
      return no(
        `bootstrapClusterCreatorAdminPermissions is false: the creator was given no access entry${cite(SRC.eksCreator)}.`,
      );
    if (eks.bootstrapClusterCreatorAdminPermissions === true && eks.accessEntries) {
      const admins = eks.accessEntries.filter((e) =>
        e.policies.some((p) => p.policyArn.endsWith('/AmazonEKSClusterAdminPolicy') && p.scope === 'cluster'),
      );
      if (admins.length === 0)
        return no(
          `the creator's bootstrap access entry is gone: no entry holds AmazonEKSClusterAdminPolicy${cite(SRC.eksCreator)}.`,
        );
      return unknown(
        `the creator was given an admin access entry at creation; ${admins.length} entr${admins.length === 1 ? 'y holds' : 'ies hold'} ` +
          'AmazonEKSClusterAdminPolicy now, and EKS does not say which one is the creator.',
      );
    }
    return unknown('the EKS access configuration could not be read.');
  }
  if (provider === 'kubeadm') {
    const creator = subjects?.some((x) => x.owner === 'creator');
    if (creator)
      return yes(
        `the kubeadm:cluster-admins group of the creator's admin.conf is bound to cluster-admin${cite(SRC.kubeadm)}.`,
      );
    if (subjects) return no('no binding gives the kubeadm:cluster-admins group power any more.');
  }
  if (provider === 'gke')
    return unknown(
      `GKE grants admin through IAM roles rather than a creator binding; check the project's IAM policy${cite(SRC.gkeIam)}.`,
    );
  if (provider === 'aks')
    return unknown('AKS has no creator binding; admin comes from Azure roles and the local accounts below.');
  return unknown('no rule for this distribution tells who created the cluster.');
}

export function localAccounts(s: Snapshot, provider: Provider): Finding {
  const aks = s.providerView.aks;
  const gke = s.providerView.gke;
  if (aks && aks.disableLocalAccounts !== null)
    return aks.disableLocalAccounts
      ? no(`disableLocalAccounts is true${cite(SRC.aksLocal)}.`)
      : yes(
          `disableLocalAccounts is false: the admin certificate can still be fetched${cite(SRC.aksLocal)}.`,
        );
  if (gke && gke.clientCertificate !== null && gke.basicAuth !== null)
    return gke.clientCertificate || gke.basicAuth
      ? yes(`the cluster issues a client certificate or accepts basic auth${cite(SRC.gkeAuth)}.`)
      : no(`no client certificate is issued and basic auth is off${cite(SRC.gkeAuth)}.`);
  if (s.credential === 'client-certificate' && s.clusterRoleBindings !== null)
    return yes(
      'this command signed in with a client certificate from the kubeconfig, so local accounts work.',
    );
  if (provider === 'kubeadm')
    return yes(
      `kubeadm signs admins in with client certificates (admin.conf, super-admin.conf)${cite(SRC.kubeadm)}.`,
    );
  if (provider === 'eks')
    return no(
      `EKS signs people in through IAM (aws-auth or access entries); it hands out no static admin credential${cite(SRC.eksAuth)}.`,
    );
  if (provider === 'aks')
    return unknown(
      `AKS enables local accounts unless disableLocalAccounts is set; run again with --az to read it${cite(SRC.aksLocal)}.`,
    );
  if (provider === 'gke')
    return unknown('run again with --gcloud to read the cluster’s client-certificate settings.');
  return unknown('no rule for this distribution tells whether local accounts exist.');
}

export function auditLogs(s: Snapshot, provider: Provider): Finding {
  if (provider === 'gke')
    return yes(
      `GKE writes Admin Activity audit logs for the Kubernetes API and they cannot be turned off${cite(SRC.gkeAudit)}.`,
    );
  if (provider === 'eks') {
    const on = s.providerView.eks?.auditLogging;
    if (on === true)
      return yes(`the audit log type of EKS control-plane logging is enabled${cite(SRC.eksLogging)}.`);
    if (on === false)
      return no(`the audit log type of EKS control-plane logging is off${cite(SRC.eksLogging)}.`);
    return unknown('EKS control-plane logging is off until enabled; run again with --aws to read it.');
  }
  if (provider === 'aks') {
    const on = s.providerView.aks?.auditLogging;
    if (on === true)
      return yes(`a diagnostic setting sends kube-audit or kube-audit-admin logs${cite(SRC.aksLogs)}.`);
    if (on === false)
      return no(`no diagnostic setting sends kube-audit or kube-audit-admin logs${cite(SRC.aksLogs)}.`);
    return unknown('AKS audit logs need a diagnostic setting; run again with --az to read them.');
  }
  return unknown(
    'audit logging is set by the API server’s flags (--audit-policy-file, --audit-log-path), which the API does not show.',
  );
}
