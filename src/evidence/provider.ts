import type { Provider } from './schema.js';
import type { Snapshot } from './snapshot.js';

/**
 * Tells EKS, GKE, AKS, kubeadm and the rest apart from what any reader of the cluster can see. Signals the
 * provider itself sets (its version suffix, its API host, its own bindings) weigh 2; node provider ids weigh 1,
 * since a self-hosted cluster on a cloud's machines has them too.
 */
interface Signal {
  provider: Exclude<Provider, 'other' | 'unknown'>;
  weight: number;
  text: string;
}

const TIE_ORDER = ['eks', 'gke', 'aks', 'kubeadm'] as const;

export function detectProvider(s: Snapshot): { provider: Provider; signals: string[] } {
  const signals: Signal[] = [];
  const add = (provider: Signal['provider'], weight: number, text: string) =>
    signals.push({ provider, weight, text });

  if (s.version?.includes('-eks-')) add('eks', 2, `server version ${s.version} (EKS build)`);
  if (s.version?.includes('-gke.')) add('gke', 2, `server version ${s.version} (GKE build)`);
  const host = s.server.replace(/:\d+$/, '').toLowerCase();
  if (host.endsWith('.eks.amazonaws.com') || host.endsWith('.eks.amazonaws.com.cn'))
    add('eks', 2, 'API server host is an EKS endpoint');
  if (host.endsWith('.azmk8s.io')) add('aks', 2, 'API server host is an AKS endpoint');

  const bindings = (s.clusterRoleBindings ?? []).map((b) => b.name);
  if (bindings.some((n) => n.startsWith('eks:'))) add('eks', 2, 'EKS-created bindings (eks: prefix)');
  if (bindings.includes('aks-service-rolebinding')) add('aks', 2, 'the AKS binding aks-service-rolebinding');
  if (bindings.some((n) => n.startsWith('kubeadm:'))) add('kubeadm', 2, 'kubeadm-created bindings');
  if (s.awsAuth?.present) add('eks', 1, 'the kube-system/aws-auth ConfigMap exists');

  const ids = s.providerIds ?? [];
  const count = (prefix: string) => ids.filter((id) => id.startsWith(prefix)).length;
  if (count('aws://') > 0) add('eks', 1, `${count('aws://')} node(s) on EC2 (providerID aws://)`);
  if (count('gce://') > 0) add('gke', 1, `${count('gce://')} node(s) on Compute Engine (providerID gce://)`);
  if (count('azure://') > 0) add('aks', 1, `${count('azure://')} node(s) on Azure (providerID azure://)`);

  const score = (p: Signal['provider']) =>
    signals.filter((x) => x.provider === p).reduce((sum, x) => sum + x.weight, 0);
  const best = TIE_ORDER.reduce((a, b) => (score(b) > score(a) ? b : a));
  if (score(best) > 0) {
    return { provider: best, signals: signals.filter((x) => x.provider === best).map((x) => x.text) };
  }
  const readSomething = s.version !== null || s.clusterRoleBindings !== null || s.providerIds !== null;
  const other = ids.find((id) => id.includes('://'));
  return readSomething
    ? { provider: 'other', signals: other ? [`node providerID scheme ${other.split('://')[0]}://`] : [] }
    : { provider: 'unknown', signals: [] };
}

export const PROVIDER_LABELS: Record<Provider, string> = {
  eks: 'Amazon EKS',
  gke: 'Google GKE',
  aks: 'Azure AKS',
  kubeadm: 'kubeadm (self-hosted)',
  other: 'another distribution (self-hosted or unrecognised)',
  unknown: 'not detected',
};
