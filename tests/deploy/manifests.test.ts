// An app that advises on Kubernetes security passes its own advice: the manifests under deploy/ are rendered
// (tests/deploy/render.ts stands in for kustomize), validated against the Kubernetes OpenAPI schemas with
// kubernetes-models, and checked for the Pod Security "restricted" settings, probes, resources, a
// PodDisruptionBudget, a NetworkPolicy and secrets kept out of the repository. The Dockerfile is checked too.
// kube-score and Polaris cannot be installed here (prebuilt Go binaries only), so the checks of theirs that
// apply to these objects are encoded below and named where they are: kube-score's container-image-pull-policy,
// container-ephemeral-storage-request-and-limit, container-security-context-user-group-id,
// deployment-has-host-podantiaffinity, pod-networkpolicy, service-targets-pod; Polaris's pullPolicyNotAlways,
// metadataAndInstanceMismatched, topologySpreadConstraint, missingNetworkPolicy, missingPodDisruptionBudget.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { type INetworkPolicy, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import {
  type IPodDisruptionBudget,
  PodDisruptionBudget,
} from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { type INamespace, Namespace } from 'kubernetes-models/v1/Namespace';
import { type ISecret, Secret } from 'kubernetes-models/v1/Secret';
import { type IService, Service } from 'kubernetes-models/v1/Service';
import { type IServiceAccount, ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Config, loadConfig } from '../../src/config.js';
import { type KubeObject, parseImage, RenderError, render } from './render.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const deployDir = join(root, 'deploy');

const MODELS: Record<string, (data: unknown) => { validate(): void }> = {
  'v1/Namespace': (d) => new Namespace(d as INamespace),
  'v1/ServiceAccount': (d) => new ServiceAccount(d as IServiceAccount),
  'v1/Service': (d) => new Service(d as IService),
  'v1/Secret': (d) => new Secret(d as ISecret),
  'apps/v1/Deployment': (d) => new Deployment(d as IDeployment),
  'policy/v1/PodDisruptionBudget': (d) => new PodDisruptionBudget(d as IPodDisruptionBudget),
  'networking.k8s.io/v1/NetworkPolicy': (d) => new NetworkPolicy(d as INetworkPolicy),
};

/** Base and every overlay, so a new overlay is checked without editing this file. */
const overlaysDir = join(deployDir, 'overlays');
const targets = [
  'base',
  ...(existsSync(overlaysDir) ? readdirSync(overlaysDir).map((name) => `overlays/${name}`) : []),
];

/** kube-score: user and group ids at or above 10000 never match a user on the node. */
const MIN_ID = 10_000;

const RECOMMENDED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
];

const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
  .version;

function only<T>(objects: KubeObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  expect(
    found.map((o) => o.metadata.name),
    `exactly one ${kind}`,
  ).toHaveLength(1);
  return found[0] as unknown as T;
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };

/** True when a non-empty matchLabels selector selects these labels; matchExpressions are not used here. */
function selects(selector: Selector | undefined, labels: Record<string, string> | undefined): boolean {
  expect(selector?.matchExpressions ?? [], 'matchExpressions are not used by deploy/').toEqual([]);
  const matchLabels = Object.entries(selector?.matchLabels ?? {});
  return matchLabels.length > 0 && matchLabels.every(([k, v]) => labels?.[k] === v);
}

/** A Kubernetes quantity in base units (cores, bytes). */
function quantity(q: string | number | undefined): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q ?? '');
  if (!m) throw new Error(`not a quantity: ${String(q)}`);
  const factors: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(m[1]) * (factors[m[2] ?? ''] ?? Number.NaN);
}

/** A probe's or Service's port (a number or a container port name) as a number. */
function portNumber(container: IContainer, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function allContainers(d: IDeployment): IContainer[] {
  const spec = d.spec?.template.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function appContainer(d: IDeployment): IContainer {
  const containers = d.spec?.template.spec?.containers ?? [];
  expect(containers, 'one application container').toHaveLength(1);
  return containers[0] as IContainer;
}

function named<T>(objects: KubeObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind}/${name}`).toBeDefined();
  return found as unknown as T;
}

/** The app's configuration as the container's env sets it (the Secret adds only credentials). */
function containerConfig(c: IContainer): Config {
  return loadConfig(
    {
      ...Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value])),
      SLACK_BOT_TOKEN: 'xoxb-x',
      SLACK_SIGNING_SECRET: 's',
    },
    join(root, 'tests', 'deploy', 'no-such.env'),
  );
}

/** The container ports a Service sends traffic to. */
function servicePorts(service: IService, c: IContainer): (number | undefined)[] {
  return (service.spec?.ports ?? []).map((p) => portNumber(c, p.targetPort ?? p.port));
}

function readExampleSecret(): ISecret {
  const secret = parse(readFileSync(join(deployDir, 'base', 'secret.example.yaml'), 'utf8')) as ISecret;
  return secret;
}

const SENSITIVE = /TOKEN|SECRET|PASSWORD|PASSWD|DATABASE_URL|API_KEY|PRIVATE_KEY|CREDENTIAL/i;

describe.each(targets)('deploy/%s', (target) => {
  // Rendered in the tests, not while collecting them, so a rendering error fails tests rather than the file.
  let rendered: KubeObject[] | undefined;
  const objects = () => {
    rendered ??= render(join(deployDir, target));
    return rendered;
  };
  const deployment = () => only<IDeployment>(objects(), 'Deployment');
  const podLabels = () => deployment().spec?.template.metadata?.labels;

  it('renders objects() that are valid against the Kubernetes OpenAPI schemas', () => {
    expect(objects().length).toBeGreaterThan(0);
    for (const o of objects()) {
      const model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(model, `${o.apiVersion} ${o.kind} has a model in this test`).toBeDefined();
      expect(() => model?.(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
    const kinds = objects()
      .map((o) => o.kind)
      .sort();
    expect(kinds).toEqual(
      [
        'Deployment',
        'Namespace',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Service',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
  });

  it('places everything in a namespace that enforces Pod Security "restricted"', () => {
    const ns = only<INamespace>(objects(), 'Namespace');
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const o of objects().filter((x) => x.kind !== 'Namespace')) {
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(ns.metadata?.name);
    }
  });

  it('runs at least two replicas, spread over nodes, rolling out without losing capacity', () => {
    const d = deployment();
    expect(d.spec?.replicas).toBeGreaterThanOrEqual(2);
    expect(selects(d.spec?.selector, podLabels()), 'the selector matches the pod template').toBe(true);
    expect(d.spec?.strategy?.type ?? 'RollingUpdate').toBe('RollingUpdate');
    expect(d.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    expect(quantity(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0)).toBeGreaterThan(0);
    const pod = d.spec?.template.spec;
    const spread = (pod?.topologySpreadConstraints ?? []).some(
      (c) => c.topologyKey === 'kubernetes.io/hostname' && selects(c.labelSelector, podLabels()),
    );
    const antiAffinity = [
      ...(pod?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.map(
        (t) => t.podAffinityTerm,
      ) ?? []),
      ...(pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ].some((t) => t.topologyKey === 'kubernetes.io/hostname' && selects(t.labelSelector, podLabels()));
    expect(spread, 'topologySpreadConstraints over nodes (Polaris topologySpreadConstraint)').toBe(true);
    expect(antiAffinity, 'a host podAntiAffinity (kube-score deployment-has-host-podantiaffinity)').toBe(
      true,
    );
  });

  it('hardens the pod: non-root, seccomp RuntimeDefault, no host namespaces, no service account token', () => {
    const pod = deployment().spec?.template.spec;
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(pod?.securityContext?.runAsUser, 'kube-score: uid >= 10000').toBeGreaterThanOrEqual(MIN_ID);
    expect(pod?.securityContext?.runAsGroup, 'kube-score: gid >= 10000').toBeGreaterThanOrEqual(MIN_ID);
    expect(pod?.securityContext?.fsGroup, 'the volumes group').toBe(pod?.securityContext?.runAsGroup);
    expect(pod?.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
    expect(pod?.hostNetwork ?? false).toBe(false);
    expect(pod?.hostPID ?? false).toBe(false);
    expect(pod?.hostIPC ?? false).toBe(false);
    expect(pod?.securityContext?.sysctls ?? []).toEqual([]);
    for (const v of pod?.volumes ?? []) {
      expect(v.hostPath, `volume ${v.name} is not a hostPath`).toBeUndefined();
      const types = Object.keys(v).filter((k) => k !== 'name');
      expect([
        'emptyDir',
        'secret',
        'configMap',
        'projected',
        'downwardAPI',
        'persistentVolumeClaim',
      ]).toEqual(expect.arrayContaining(types));
    }
    expect(pod?.automountServiceAccountToken).toBe(false);
    const sa = only<IServiceAccount>(objects(), 'ServiceAccount');
    expect(pod?.serviceAccountName).toBe(sa.metadata?.name);
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it('hardens every container: read-only root, no privilege escalation, all capabilities dropped', () => {
    const containers = allContainers(deployment());
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) {
      const sc = c.securityContext;
      expect(sc?.runAsNonRoot, c.name).toBe(true);
      expect(sc?.runAsUser, `${c.name} uid`).toBeGreaterThanOrEqual(MIN_ID);
      expect(sc?.runAsGroup, `${c.name} gid`).toBeGreaterThanOrEqual(MIN_ID);
      expect(sc?.readOnlyRootFilesystem, c.name).toBe(true);
      expect(sc?.allowPrivilegeEscalation, c.name).toBe(false);
      expect(sc?.privileged ?? false, c.name).toBe(false);
      expect(sc?.capabilities?.drop, c.name).toEqual(['ALL']);
      expect(sc?.capabilities?.add ?? [], c.name).toEqual([]);
      expect(sc?.seccompProfile?.type, c.name).toBe('RuntimeDefault');
      expect(sc?.procMount ?? 'Default', c.name).toBe('Default');
      for (const p of c.ports ?? []) expect(p.hostPort, `${c.name} hostPort`).toBeUndefined();
    }
  });

  it('mounts a writable emptyDir at /tmp, since the root filesystem is read-only', () => {
    const d = deployment();
    const mount = appContainer(d).volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(mount).toBeDefined();
    const volume = d.spec?.template.spec?.volumes?.find((v) => v.name === mount?.name);
    expect(volume?.emptyDir).toBeDefined();
  });

  it('sets CPU, memory and ephemeral-storage requests and limits on every container, requests within limits', () => {
    const volumes = deployment().spec?.template.spec?.volumes ?? [];
    const emptyDirs = volumes.reduce(
      (sum, v) => sum + (v.emptyDir ? quantity(v.emptyDir.sizeLimit ?? 'NaN') : 0),
      0,
    );
    for (const c of allContainers(deployment())) {
      // kube-score container-ephemeral-storage-request-and-limit; the limit holds the emptyDirs (sizeLimit set).
      expect(quantity(c.resources?.limits?.['ephemeral-storage'])).toBeGreaterThan(emptyDirs);
      for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
        const request = c.resources?.requests?.[resource];
        const limit = c.resources?.limits?.[resource];
        expect(request, `${c.name} ${resource} request`).toBeDefined();
        expect(limit, `${c.name} ${resource} limit`).toBeDefined();
        expect(quantity(request)).toBeGreaterThan(0);
        expect(quantity(request)).toBeLessThanOrEqual(quantity(limit));
      }
    }
  });

  it("caps Node's heap well below the memory limit, leaving room for the rest of the process", () => {
    const c = appContainer(deployment());
    const options = c.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
    const mib = /(?:^|\s)--max-old-space-size=(\d+)(?:\s|$)/.exec(options)?.[1];
    expect(mib, 'NODE_OPTIONS sets --max-old-space-size').toBeDefined();
    const heap = Number(mib) * 2 ** 20;
    const limit = quantity(c.resources?.limits?.memory);
    expect(heap, 'at most 70% of the memory limit').toBeLessThanOrEqual(0.7 * limit);
    expect(heap, "room for the app's working set").toBeGreaterThanOrEqual(128 * 2 ** 20);
  });

  it('probes liveness on /healthz and readiness on /readyz at the port the app listens on', () => {
    const c = appContainer(deployment());
    const config = containerConfig(c);
    const listening = config.port;
    expect(c.ports?.map((p) => [p.name, p.containerPort])).toEqual([
      ['http', listening],
      ['metrics', config.metricsPort],
    ]);
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(portNumber(c, c.livenessProbe?.httpGet?.port)).toBe(listening);
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(portNumber(c, c.readinessProbe?.httpGet?.port)).toBe(listening);
    if (c.startupProbe) {
      expect(c.startupProbe.httpGet?.path).toBe('/healthz');
      expect(portNumber(c, c.startupProbe.httpGet?.port)).toBe(listening);
    }
  });

  it('exposes the Slack port alone in the Slack Service, and metrics in a Service of their own', () => {
    const c = appContainer(deployment());
    const config = containerConfig(c);
    expect(config.metricsPort).toBeDefined();
    expect(config.metricsPort).not.toBe(config.port);
    const slack = named<IService>(objects(), 'Service', 'k8s-advisor');
    const metrics = named<IService>(objects(), 'Service', 'k8s-advisor-metrics');
    for (const service of [slack, metrics]) {
      // kube-score service-targets-pod.
      expect(
        selects({ matchLabels: service.spec?.selector }, podLabels()),
        'the Service selects the pods',
      ).toBe(true);
      expect(service.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
    }
    expect(servicePorts(slack, c), 'the Service an ingress routes carries no metrics').toEqual([config.port]);
    expect(servicePorts(metrics, c)).toEqual([config.metricsPort]);
    const annotations = deployment().spec?.template.metadata?.annotations ?? {};
    expect(Number(annotations['prometheus.io/port']), 'scrape annotation').toBe(config.metricsPort);
  });

  it('has a PodDisruptionBudget selecting the pods that keeps one serving and still lets a node drain', () => {
    const d = deployment();
    const pdb = only<IPodDisruptionBudget>(objects(), 'PodDisruptionBudget');
    expect(selects(pdb.spec?.selector, podLabels()), 'the PDB selects the pods').toBe(true);
    const minAvailable = pdb.spec?.minAvailable;
    expect(typeof minAvailable, 'minAvailable as a number of pods').toBe('number');
    expect(minAvailable).toBeGreaterThanOrEqual(1);
    expect(minAvailable).toBeLessThan(d.spec?.replicas ?? 1);
  });

  it('takes the Slack credentials and DATABASE_URL from a Secret kept out of the repository', () => {
    expect(objects().filter((o) => o.kind === 'Secret' || o.kind === 'ConfigMap')).toEqual([]);
    const c = appContainer(deployment());
    const refs = (c.envFrom ?? []).map((e) => e.secretRef).filter((r) => r !== undefined);
    expect(refs).toHaveLength(1);
    expect(refs[0]?.name).toBe(readExampleSecret().metadata?.name);
    expect(refs[0]?.optional ?? false).toBe(false);
    for (const e of c.env ?? []) {
      // A plain value would be in the repository, and env wins over envFrom.
      expect(SENSITIVE.test(e.name) && e.valueFrom === undefined, `${e.name} is not set in plain text`).toBe(
        false,
      );
      expect(e.name.startsWith('SLACK_'), `${e.name} comes from the Secret`).toBe(false);
    }
  });

  it('runs a pinned image, never :latest, pulled Always', () => {
    for (const c of allContainers(deployment())) {
      // kube-score container-image-pull-policy, Polaris pullPolicyNotAlways.
      expect(c.imagePullPolicy, c.name).toBe('Always');
      const image = parseImage(c.image ?? '');
      expect(image.tag !== undefined || image.digest !== undefined, `${c.image} has a tag or digest`).toBe(
        true,
      );
      expect(image.tag, c.image).not.toBe('latest');
    }
  });

  it('restricts traffic with a NetworkPolicy: ingress on the app port, egress to DNS, PostgreSQL and HTTPS', () => {
    const c = appContainer(deployment());
    const np = only<INetworkPolicy>(objects(), 'NetworkPolicy');
    expect(selects(np.spec?.podSelector, podLabels()), 'the NetworkPolicy selects the pods').toBe(true);
    expect(np.spec?.policyTypes?.slice().sort()).toEqual(['Egress', 'Ingress']);
    const ports = (rules: { ports?: { port?: string | number; protocol?: string }[] }[] | undefined) => {
      const all = (rules ?? []).map((r) => r.ports ?? []);
      expect(
        all.every((p) => p.length > 0),
        'every rule names its ports',
      ).toBe(true);
      return all.flat().map((p) => `${p.protocol ?? 'TCP'}/${portNumber(c, p.port)}`);
    };
    const config = containerConfig(c);
    expect(ports(np.spec?.ingress).sort()).toEqual(
      [`TCP/${config.port}`, `TCP/${config.metricsPort}`].sort(),
    );
    expect(ports(np.spec?.egress).sort()).toEqual(['TCP/443', 'TCP/53', 'TCP/5432', 'UDP/53']);
  });

  it('admits the Slack port from the ingress namespace only, and the metrics port from monitoring only', () => {
    const c = appContainer(deployment());
    const config = containerConfig(c);
    const np = only<INetworkPolicy>(objects(), 'NetworkPolicy');
    const rules = np.spec?.ingress ?? [];
    /** The namespaces (by kubernetes.io/metadata.name) a rule admits; any other kind of peer fails. */
    const namespaces = (rule: (typeof rules)[number]) => {
      expect(rule.from?.length, 'every ingress rule names its sources').toBeGreaterThan(0);
      return (rule.from ?? []).map((peer) => {
        expect(peer.ipBlock, 'no address ranges').toBeUndefined();
        expect(peer.podSelector, 'whole namespaces, selected by label').toBeUndefined();
        const labels = peer.namespaceSelector?.matchLabels ?? {};
        expect(peer.namespaceSelector?.matchExpressions ?? []).toEqual([]);
        expect(Object.keys(labels), 'selected by the label the API server sets').toEqual([
          'kubernetes.io/metadata.name',
        ]);
        return labels['kubernetes.io/metadata.name'];
      });
    };
    const admitting = (port: number | undefined) =>
      rules
        .filter((r) => (r.ports ?? []).some((p) => portNumber(c, p.port) === port))
        .flatMap((r) => namespaces(r));
    expect(admitting(config.port)).toEqual(['ingress-nginx']);
    expect(admitting(config.metricsPort)).toEqual(['monitoring']);
  });

  it('carries the recommended app.kubernetes.io labels on every object and on the pods', () => {
    const d = deployment();
    for (const o of objects()) {
      for (const key of RECOMMENDED_LABELS) {
        expect(o.metadata.labels?.[key], `${o.kind}/${o.metadata.name} ${key}`).toBeDefined();
      }
      for (const [key, value] of Object.entries(o.metadata.labels ?? {})) {
        expect(value, `${o.kind}/${o.metadata.name} ${key} is a valid label value`).toMatch(
          /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/,
        );
      }
    }
    for (const key of RECOMMENDED_LABELS) expect(podLabels()?.[key], `pod ${key}`).toBeDefined();
    // Polaris metadataAndInstanceMismatched.
    expect(d.metadata?.labels?.['app.kubernetes.io/instance']).toBe(d.metadata?.name);
    expect(d.metadata?.labels?.['app.kubernetes.io/version']).toBe(packageVersion);
    expect(d.metadata?.labels?.['app.kubernetes.io/component']).toBeDefined();
  });
});

describe('deploy/overlays/production', () => {
  it('runs more replicas than the base, from a registry image, with a budget of two', () => {
    const objects = render(join(deployDir, 'overlays', 'production'));
    const d = only<IDeployment>(objects, 'Deployment');
    expect(d.spec?.replicas).toBe(3);
    expect(parseImage(appContainer(d).image ?? '').name).toContain('/');
    expect(parseImage(appContainer(d).image ?? '').tag, 'the release the labels name').toBe(packageVersion);
    expect(only<IPodDisruptionBudget>(objects, 'PodDisruptionBudget').spec?.minAvailable).toBe(2);
  });
});

describe('deploy/base/secret.example.yaml', () => {
  it('is a valid Secret, with placeholders only', () => {
    const secret = readExampleSecret();
    expect(() => new Secret(secret).validate()).not.toThrow();
    expect(secret.data, 'values as stringData, readable placeholders').toBeUndefined();
    for (const [key, value] of Object.entries(secret.stringData ?? {})) {
      expect(value, `${key} is a placeholder`).toContain('REPLACE-ME');
    }
  });

  it('has the keys the app needs, and a PostgreSQL DATABASE_URL the app accepts in HTTP mode', () => {
    const secret = readExampleSecret();
    const data = secret.stringData ?? {};
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DATABASE_URL']),
    );
    expect(data.DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
    const d = only<IDeployment>(render(join(deployDir, 'base')), 'Deployment');
    const env = Object.fromEntries((appContainer(d).env ?? []).map((e) => [e.name, e.value]));
    const config = loadConfig({ ...data, ...env }, join(root, 'tests', 'deploy', 'no-such.env'));
    expect(config.mode).toBe('http');
    expect(config.database.engine).toBe('postgres');
    expect(config.host).toBe('0.0.0.0');
  });
});

describe('tests/deploy/render.ts', () => {
  function renderTemp(kustomization: string): () => KubeObject[] {
    return () => {
      const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-render-'));
      try {
        writeFileSync(join(dir, 'kustomization.yaml'), kustomization);
        writeFileSync(
          join(dir, 'sa.yaml'),
          'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n',
        );
        return render(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
  }
  const header = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [sa.yaml]\n';

  it('fails loudly on a kustomization field it does not implement', () => {
    expect(renderTemp(`${header}commonLabels: {a: b}\n`)).toThrow(RenderError);
    expect(renderTemp(`${header}namePrefix: x-\n`)).toThrow(/namePrefix/);
  });

  it('fails on strategic-merge patches, unknown operations and targets that match nothing', () => {
    const patch = (body: string, kind = 'Service') =>
      `${header}patches:\n  - target: {kind: ${kind}, name: svc}\n    patch: |-\n${body.replace(/^/gm, '      ')}\n`;
    expect(renderTemp(patch('spec:\n  type: NodePort'))).toThrow(/JSON 6902/);
    expect(renderTemp(patch('- op: move\n  from: /a\n  path: /b'))).toThrow(RenderError);
    expect(renderTemp(patch('- op: add\n  path: /spec\n  value: {}', 'Deployment'))).toThrow(/no Deployment/);
    const [, svc] = renderTemp(patch('- op: add\n  path: /spec\n  value: {type: ClusterIP}'))();
    expect(svc?.spec).toEqual({ type: 'ClusterIP' });
  });

  it('applies namespace and labels like kustomize, and refuses kinds it does not know', () => {
    const [sa] = renderTemp(`${header}namespace: ns\nlabels:\n  - pairs: {team: a}\n`)();
    expect(sa?.metadata).toEqual({ name: 'sa', namespace: 'ns', labels: { team: 'a' } });
    const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-render-'));
    try {
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [cm.yaml]\n',
      );
      writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n');
      expect(() => render(dir)).toThrow(/ConfigMap is not known/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses image references with registries, ports, tags and digests', () => {
    expect(parseImage('registry:5000/a/b:1.2')).toEqual({ name: 'registry:5000/a/b', tag: '1.2' });
    expect(parseImage('registry:5000/a/b')).toEqual({ name: 'registry:5000/a/b' });
    expect(parseImage('b@sha256:00')).toEqual({ name: 'b', digest: 'sha256:00' });
  });
});

/** Dockerfile instructions with comments dropped and continuation lines joined. */
function dockerfile(): { instruction: string; args: string }[] {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => !/^\s*#/.test(l));
  return lines
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [instruction = '', ...rest] = l.split(/\s+/);
      return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile', () => {
  const parsed = () => {
    const instructions = dockerfile();
    const froms = instructions.map((x, i) => ({ ...x, i })).filter((x) => x.instruction === 'FROM');
    // ARGs before the first FROM are the only ones a FROM line can use; their defaults are the build's.
    const globalArgs = Object.fromEntries(
      instructions
        .slice(0, froms[0]?.i ?? 0)
        .filter((x) => x.instruction === 'ARG')
        .map((x) => x.args.split('=', 2) as [string, string | undefined]),
    );
    const image = (from: { args: string }) =>
      (from.args.split(/\s+/)[0] ?? '').replace(
        /^\$\{(\w+)\}$|^\$(\w+)$/,
        (_m, a, b) => globalArgs[a ?? b] ?? '',
      );
    return { instructions, froms, image, finalStage: instructions.slice(froms.at(-1)?.i ?? 0) };
  };

  it('is multi-stage, on the Node.js 24 LTS image pinned by digest', () => {
    const { froms, image } = parsed();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) {
      const ref = parseImage(image(f));
      expect(ref.name, image(f)).toBe('node');
      expect(ref.tag, image(f)).toMatch(/^24([.-]|$)/);
      expect(ref.digest, `${image(f)} is pinned by digest`).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it('runs the final stage as a numeric user and group at or above 10000, the pods ids', () => {
    const { finalStage } = parsed();
    const users = finalStage.filter((x) => x.instruction === 'USER');
    expect(users.length).toBeGreaterThan(0);
    const [user = '', group = ''] = users.at(-1)?.args.split(':') ?? [];
    expect(user, 'numeric, so the kubelet can verify runAsNonRoot').toMatch(/^[0-9]+$/);
    expect(group, 'a numeric group').toMatch(/^[0-9]+$/);
    expect(Number(user)).toBeGreaterThanOrEqual(MIN_ID);
    expect(Number(group)).toBeGreaterThanOrEqual(MIN_ID);
    const d = only<IDeployment>(render(join(deployDir, 'base')), 'Deployment');
    expect(d.spec?.template.spec?.securityContext?.runAsUser).toBe(Number(user));
    expect(d.spec?.template.spec?.securityContext?.runAsGroup).toBe(Number(group));
  });

  it('installs production dependencies only, from the lockfile, in a build stage', () => {
    const { instructions, finalStage } = parsed();
    const runs = instructions.filter((x) => x.instruction === 'RUN').map((x) => x.args);
    expect(runs.some((r) => /\bnpm ci\b[^&;|]*--omit[= ]dev\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm (i|install)\b/.test(r))).toBe(false);
    expect(finalStage.some((x) => x.instruction === 'RUN' && /\bnpm\b/.test(x.args))).toBe(false);
    expect(finalStage.some((x) => x.instruction === 'COPY' && /--from=\S+.*node_modules/.test(x.args))).toBe(
      true,
    );
  });

  it('starts the app with node, not npm, and ships what the app reads', () => {
    const { finalStage } = parsed();
    const cmd = finalStage.filter((x) => x.instruction === 'CMD' || x.instruction === 'ENTRYPOINT');
    expect(cmd.length).toBeGreaterThan(0);
    for (const c of cmd) expect(c.args).not.toMatch(/\bnpm\b|\bnpx\b/);
    expect(cmd.at(-1)?.args).toMatch(/dist\/main\.js/);
    const copies = finalStage.filter((x) => x.instruction === 'COPY').map((x) => x.args);
    expect(
      copies.some((c) => /--from=\S+\s+\S*dist\b/.test(c)),
      'the bundle from the build stage',
    ).toBe(true);
    for (const path of ['conversations', 'package.json', 'manifest.yml']) {
      expect(
        copies.some((c) => c.split(/\s+/).includes(path)),
        path,
      ).toBe(true);
    }
    const exposed = finalStage.filter((x) => x.instruction === 'EXPOSE').flatMap((x) => x.args.split(/\s+/));
    expect(exposed.sort()).toEqual(['3000', '9090']);
    expect(finalStage.some((x) => x.instruction === 'ENV' && /NODE_ENV=production/.test(x.args))).toBe(true);
  });

  it('carries no secrets: no ARG or ENV for credentials, and .env never reaches the build context', () => {
    const { instructions } = parsed();
    for (const x of instructions.filter((y) => y.instruction === 'ARG' || y.instruction === 'ENV')) {
      const names = x.args.split(/\s+/).map((a) => a.split('=')[0] ?? '');
      for (const name of names) expect(SENSITIVE.test(name), `${x.instruction} ${name}`).toBe(false);
    }
    for (const x of instructions.filter((y) => y.instruction === 'COPY' || y.instruction === 'ADD')) {
      expect(x.args).not.toMatch(/(^|\s|\/)\.env\b|\s\.\s|^\.\s/);
    }
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const excludesEnv =
      (ignore[0] === '*' || ignore.includes('.env')) && !ignore.some((l) => /^!.*\.env/.test(l));
    expect(excludesEnv, '.dockerignore keeps .env out').toBe(true);
  });
});
