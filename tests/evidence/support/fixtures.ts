import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAwsAuth } from '../../../src/evidence/collect.js';
import type { Snapshot } from '../../../src/evidence/snapshot.js';

/** The fixture clusters of tests/fixtures/evidence: upstream defaults (common/) plus each provider's own objects. */
export const FIXTURES = join(process.cwd(), 'tests', 'fixtures', 'evidence');
export const FIXTURE_PROVIDERS = ['eks', 'gke', 'aks', 'kubeadm'] as const;
export type FixtureProvider = (typeof FIXTURE_PROVIDERS)[number];

export type K8sObject = Record<string, unknown> & { metadata: { name: string; namespace?: string } };

export interface FixtureCluster {
  version: Record<string, unknown>;
  nodes: K8sObject[];
  clusterroles: K8sObject[];
  clusterrolebindings: K8sObject[];
  roles: K8sObject[];
  rolebindings: K8sObject[];
  configmaps: Record<string, K8sObject>;
}

const read = (...p: string[]) => JSON.parse(readFileSync(join(FIXTURES, ...p), 'utf8'));
const items = (provider: string, kind: string, withCommon = true): K8sObject[] => [
  ...(withCommon ? read('common', `${kind}.json`).items : []),
  ...read(provider, `${kind}.json`).items,
];

export function loadFixture(provider: FixtureProvider): FixtureCluster {
  return {
    version: read(provider, 'version.json').version,
    nodes: read(provider, 'nodes.json').items,
    clusterroles: items(provider, 'clusterroles'),
    clusterrolebindings: items(provider, 'clusterrolebindings'),
    roles: items(provider, 'roles'),
    rolebindings: items(provider, 'rolebindings'),
    configmaps: read(provider, 'configmaps.json').configmaps,
  };
}

/** The provider CLIs' recorded answers (aws, gcloud, az) for a fixture cluster. */
export const loadCliFixture = (provider: FixtureProvider) => read(provider, 'cli.json');

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is walked loosely; the analysis types check the result
type Obj = Record<string, any>;

/** The snapshot the collector would build from a fixture, for the pure analysis tests. */
export function fixtureSnapshot(provider: FixtureProvider, over: Partial<Snapshot> = {}): Snapshot {
  const f = loadFixture(provider);
  const cm = f.configmaps['kube-system/aws-auth'] as Obj | undefined;
  return {
    context: `${provider}-pilot`,
    server: '127.0.0.1:6443',
    credential: 'token',
    kubeconfigUser: 'tester',
    clusterName: 'pilot',
    version: String(f.version.gitVersion),
    providerIds: f.nodes.map((n: Obj) => n.spec?.providerID ?? '').filter((x: string) => x !== ''),
    nodeCount: f.nodes.length,
    clusterRoles: f.clusterroles.map((r: Obj) => ({
      name: r.metadata.name,
      labels: r.metadata.labels,
      rules: r.rules ?? null,
      aggregationRule: r.aggregationRule ?? null,
    })),
    clusterRoleBindings: f.clusterrolebindings.map((b: Obj) => ({
      name: b.metadata.name,
      subjects: b.subjects ?? null,
      roleRef: b.roleRef,
    })),
    roles: f.roles.map((r: Obj) => ({
      name: r.metadata.name,
      namespace: r.metadata.namespace,
      rules: r.rules,
    })),
    roleBindings: f.rolebindings.map((b: Obj) => ({
      name: b.metadata.name,
      namespace: b.metadata.namespace,
      subjects: b.subjects,
      roleRef: b.roleRef,
    })),
    awsAuth: cm ? { present: true, mappings: parseAwsAuth(cm.data, 500) } : { present: false, mappings: [] },
    providerView: { eks: null, gke: null, aks: null },
    gaps: [],
    truncated: false,
    ...over,
  };
}
