import {
  ApiException,
  CoreV1Api,
  type KubeConfig,
  RbacAuthorizationV1Api,
  type V1PolicyRule,
  VersionApi,
} from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import type { Gap } from './schema.js';
import { redactSecrets } from './secrets.js';
import type {
  AwsAuthMapping,
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
  Snapshot,
} from './snapshot.js';
import { cleanText } from './text.js';

/**
 * Reads the cluster, read-only: gets and lists of ClusterRoles, ClusterRoleBindings, Roles, RoleBindings, the
 * server version, nodes (for spec.providerID alone) and the kube-system/aws-auth ConfigMap. It never asks for
 * Secrets and never writes. Each read that fails becomes a gap with the reason; the rest still runs.
 */
export type ClusterReads = Pick<
  Snapshot,
  | 'version'
  | 'providerIds'
  | 'nodeCount'
  | 'clusterRoles'
  | 'clusterRoleBindings'
  | 'roles'
  | 'roleBindings'
  | 'awsAuth'
> & { gaps: Gap[]; truncated: boolean };

export interface CollectOptions {
  timeoutMs: number;
  /** Most objects read of one kind; past it the list is cut and the file says so. */
  maxItems: number;
}

const PAGE = 500;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Why a read failed, in words, without echoing response bodies (they can carry anything). */
export function describeFailure(error: unknown, what: string): string {
  if (error instanceof ApiException) {
    if (error.code === 401)
      return 'the API server did not accept the kubeconfig credentials (401 Unauthorized)';
    if (error.code === 403) return `the kubeconfig's identity may not read ${what} (403 Forbidden)`;
    if (error.code === 404) return 'not found (404)';
    return `the API server answered HTTP ${error.code}`;
  }
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code))
    return `could not reach the API server (${e.code})`;
  return cleanText(redactSecrets(String(e?.message ?? error)), 300);
}

const rules = (r: V1PolicyRule[] | undefined | null): PolicyRule[] =>
  (r ?? []).map((x) => ({
    verbs: x.verbs ?? [],
    ...(x.apiGroups && { apiGroups: x.apiGroups }),
    ...(x.resources && { resources: x.resources }),
    ...(x.resourceNames && { resourceNames: x.resourceNames }),
    ...(x.nonResourceURLs && { nonResourceURLs: x.nonResourceURLs }),
  }));

const subjects = (s: { kind: string; name: string; namespace?: string }[] | undefined) =>
  (s ?? []).map((x) => ({ kind: x.kind, name: x.name, ...(x.namespace && { namespace: x.namespace }) }));

/** aws-auth's mapRoles and mapUsers are YAML inside the ConfigMap; only ARNs, usernames and groups are kept. */
export function parseAwsAuth(data: Record<string, string> | undefined, max: number): AwsAuthMapping[] {
  const out: AwsAuthMapping[] = [];
  for (const [key, arnKey] of [
    ['mapRoles', 'rolearn'],
    ['mapUsers', 'userarn'],
  ] as const) {
    const text = data?.[key];
    if (!text) continue;
    const list: unknown = parseYaml(text, { maxAliasCount: 10 });
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const m = item as Record<string, unknown>;
      if (typeof m?.[arnKey] !== 'string') continue;
      out.push({
        arn: m[arnKey] as string,
        username: typeof m.username === 'string' ? m.username : null,
        groups: Array.isArray(m.groups) ? m.groups.filter((g): g is string => typeof g === 'string') : [],
      });
      if (out.length >= max) return out;
    }
  }
  return out;
}

export async function collectCluster(kc: KubeConfig, o: CollectOptions): Promise<ClusterReads> {
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const versionApi = kc.makeApiClient(VersionApi);
  const gaps: Gap[] = [];
  let truncated = false;

  /** Pages through a list; null (and a gap) when it cannot be read. */
  async function list<T, U>(
    what: string,
    page: (cont: string | undefined) => Promise<{ items: T[]; metadata?: { _continue?: string } }>,
    map: (item: T) => U,
  ): Promise<U[] | null> {
    const out: U[] = [];
    let cont: string | undefined;
    try {
      do {
        const res = await withTimeout(page(cont), o.timeoutMs);
        for (const item of res.items) {
          if (out.length >= o.maxItems) {
            truncated = true;
            gaps.push({ what, why: `more than ${o.maxItems}; only the first ${o.maxItems} were analysed` });
            return out;
          }
          out.push(map(item));
        }
        cont = res.metadata?._continue || undefined;
      } while (cont);
      return out;
    } catch (error) {
      gaps.push({ what, why: describeFailure(error, what) });
      return null;
    }
  }

  const [version, nodes, clusterRoles, clusterRoleBindings, roles, roleBindings, awsAuth] = await Promise.all(
    [
      withTimeout(versionApi.getCode(), o.timeoutMs).then(
        (v) => v.gitVersion ?? null,
        (error) => {
          gaps.push({ what: 'server version', why: describeFailure(error, 'the server version') });
          return null;
        },
      ),
      list(
        'nodes',
        (c) => core.listNode({ limit: PAGE, _continue: c }),
        (n) => n.spec?.providerID ?? '',
      ),
      list(
        'ClusterRoles',
        (c) => rbac.listClusterRole({ limit: PAGE, _continue: c }),
        (r): ClusterRole => ({
          name: r.metadata?.name ?? '',
          ...(r.metadata?.labels && { labels: r.metadata.labels }),
          rules: rules(r.rules),
          ...(r.aggregationRule && {
            aggregationRule: {
              clusterRoleSelectors: (r.aggregationRule.clusterRoleSelectors ?? []).map((s) => ({
                ...(s.matchLabels && { matchLabels: s.matchLabels }),
                ...(s.matchExpressions && { matchExpressions: s.matchExpressions }),
              })),
            },
          }),
        }),
      ),
      list(
        'ClusterRoleBindings',
        (c) => rbac.listClusterRoleBinding({ limit: PAGE, _continue: c }),
        (b): ClusterRoleBinding => ({
          name: b.metadata?.name ?? '',
          subjects: subjects(b.subjects),
          roleRef: { kind: b.roleRef.kind, name: b.roleRef.name },
        }),
      ),
      list(
        'Roles',
        (c) => rbac.listRoleForAllNamespaces({ limit: PAGE, _continue: c }),
        (r): Role => ({
          name: r.metadata?.name ?? '',
          namespace: r.metadata?.namespace ?? '',
          rules: rules(r.rules),
        }),
      ),
      list(
        'RoleBindings',
        (c) => rbac.listRoleBindingForAllNamespaces({ limit: PAGE, _continue: c }),
        (b): RoleBinding => ({
          name: b.metadata?.name ?? '',
          namespace: b.metadata?.namespace ?? '',
          subjects: subjects(b.subjects),
          roleRef: { kind: b.roleRef.kind, name: b.roleRef.name },
        }),
      ),
      withTimeout(
        core.readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' }),
        o.timeoutMs,
      ).then(
        (cm) => {
          try {
            return { present: true, mappings: parseAwsAuth(cm.data, o.maxItems) };
          } catch {
            gaps.push({ what: 'kube-system/aws-auth', why: 'its mapRoles or mapUsers is not valid YAML' });
            return null;
          }
        },
        (error) => {
          if (error instanceof ApiException && error.code === 404) return { present: false, mappings: [] };
          gaps.push({ what: 'kube-system/aws-auth', why: describeFailure(error, 'the aws-auth ConfigMap') });
          return null;
        },
      ),
    ],
  );

  return {
    version,
    providerIds: nodes ? nodes.filter((id) => id !== '') : null,
    nodeCount: nodes ? nodes.length : null,
    clusterRoles,
    clusterRoleBindings,
    roles,
    roleBindings,
    awsAuth,
    gaps,
    truncated,
  };
}
