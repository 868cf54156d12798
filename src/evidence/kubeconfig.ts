import { existsSync } from 'node:fs';
import { KubeConfig, type User } from '@kubernetes/client-node';
import type { Credential } from './snapshot.js';

/**
 * Opens the user's kubeconfig the way kubectl would and picks the context. Besides the client, it reads what
 * the kubeconfig tells about the cluster: the API host, how the user signs in (never the credential itself), and
 * the provider's names for the cluster where the usual tools put them (aws eks update-kubeconfig, gcloud
 * get-credentials, az aks get-credentials).
 */
export class KubeconfigError extends Error {}

export interface ClusterHints {
  eks: { name?: string; region?: string };
  gke: { project?: string; location?: string; name?: string };
  aks: { resourceGroup?: string; name?: string };
}

export interface OpenedKubeconfig {
  kc: KubeConfig;
  context: string;
  server: string;
  credential: Credential;
  userName: string;
  hints: ClusterHints;
}

function credentialOf(user: User | null): Credential {
  if (!user) return 'none';
  if (user.certData || user.certFile) return 'client-certificate';
  if (user.exec) return 'exec';
  if (user.authProvider) return 'auth-provider';
  if (user.token) return 'token';
  if (user.username) return 'basic';
  return 'none';
}

const argAfter = (args: unknown, ...names: string[]): string | undefined => {
  if (!Array.isArray(args)) return undefined;
  for (let i = 0; i < args.length - 1; i++) if (names.includes(String(args[i]))) return String(args[i + 1]);
  return undefined;
};

/** The provider names the usual tools write into a kubeconfig. Patterns are anchored and linear. */
export function hintsFrom(context: string, user: User | null): ClusterHints {
  const hints: ClusterHints = { eks: {}, gke: {}, aks: {} };
  const arn = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):\d{12}:cluster\/([A-Za-z0-9_-]+)$/.exec(context);
  if (arn) hints.eks = { region: arn[1], name: arn[2] };
  const exec = user?.exec as { command?: unknown; args?: unknown } | undefined;
  if (exec) {
    const name = argAfter(exec.args, '--cluster-name', '--cluster-id', '-i');
    const region = argAfter(exec.args, '--region');
    if (name) hints.eks.name = name;
    if (region) hints.eks.region = region;
  }
  const gke = /^gke_([a-z0-9.:-]+)_([a-z0-9-]+)_([a-z0-9-]+)$/.exec(context);
  if (gke) hints.gke = { project: gke[1], location: gke[2], name: gke[3] };
  const userName = user?.name ?? '';
  for (const prefix of ['clusterAdmin_', 'clusterUser_']) {
    const suffix = `_${context}`;
    if (
      userName.startsWith(prefix) &&
      userName.endsWith(suffix) &&
      userName.length > prefix.length + suffix.length
    )
      hints.aks = { resourceGroup: userName.slice(prefix.length, -suffix.length), name: context };
  }
  return hints;
}

/** `files`: the kubeconfig paths to merge (KUBECONFIG's list, or ~/.kube/config), used when `path` is absent. */
export function openKubeconfig(
  path: string | undefined,
  context: string | undefined,
  files: string[],
): OpenedKubeconfig {
  const kc = new KubeConfig();
  const candidates = path ? [path] : files;
  const present = candidates.filter((f) => existsSync(f));
  if (present.length === 0)
    throw new KubeconfigError(
      path
        ? `No kubeconfig at ${path}.`
        : 'No kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist); pass --kubeconfig PATH.',
    );
  try {
    if (path) kc.loadFromFile(path);
    else {
      kc.loadFromFile(present[0] as string);
      for (const extra of present.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(extra);
        kc.mergeConfig(more, true);
      }
    }
  } catch (error) {
    throw new KubeconfigError(`The kubeconfig could not be read: ${(error as Error).message.slice(0, 200)}`);
  }
  const names = kc.getContexts().map((c) => c.name);
  const chosen = context ?? kc.getCurrentContext();
  if (!chosen)
    throw new KubeconfigError(
      `The kubeconfig has no current context; pass --context (one of: ${names.slice(0, 10).join(', ')}).`,
    );
  if (!names.includes(chosen))
    throw new KubeconfigError(
      `No context named "${chosen.slice(0, 100)}" in the kubeconfig. Contexts: ${names.slice(0, 10).join(', ') || 'none'}.`,
    );
  kc.setCurrentContext(chosen);
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new KubeconfigError(`Context "${chosen}" names a cluster the kubeconfig does not define.`);
  let server: string;
  try {
    server = new URL(cluster.server).host;
  } catch {
    throw new KubeconfigError(`Context "${chosen}" has a server address that is not a URL.`);
  }
  const user = kc.getCurrentUser();
  return {
    kc,
    context: chosen,
    server,
    credential: credentialOf(user),
    userName: user?.name ?? '',
    hints: hintsFrom(chosen, user),
  };
}
