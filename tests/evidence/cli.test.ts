import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/evidence/schema.js';
import { summariseEvidence } from '../../src/evidence/summary.js';
import { parseEvidence } from '../../src/evidence/validate.js';
import { built } from '../support/built.js';
import { type FakeApiServer, kubeconfigYaml, startFakeApiServer } from './support/fake-apiserver.js';
import { FIXTURES, type FixtureProvider, loadFixture } from './support/fixtures.js';

/** Runs the built command as its own process against a fake API server, the way a user runs it. */

let servers: FakeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

// A bearer token made at run time, shaped like a service-account JWT, so a leak would be caught by the check.
const makeToken = () =>
  [
    'eyJ',
    randomBytes(12).toString('hex'),
    '.eyJ',
    randomBytes(24).toString('hex'),
    '.',
    randomBytes(16).toString('hex'),
  ].join('');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  token: string;
  server: FakeApiServer;
  evidence?: Evidence;
  markdown?: string;
  cliCalls: string[][];
}

async function runCli(
  provider: FixtureProvider,
  o: {
    args?: string[];
    forbid?: string[];
    pageSize?: number;
    context?: string;
    user?: string;
    cli?: boolean;
    cliFail?: string;
    badToken?: boolean;
    mutate?: (c: ReturnType<typeof loadFixture>) => void;
  } = {},
): Promise<Run> {
  const token = makeToken();
  const cluster = loadFixture(provider);
  o.mutate?.(cluster);
  const server = await startFakeApiServer({ cluster, token, forbid: o.forbid, pageSize: o.pageSize });
  servers.push(server);
  const dir = mkdtempSync(join(tmpdir(), 'evidence-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    kubeconfigYaml({
      server: server.url,
      context: o.context ?? `${provider}-pilot`,
      user: o.user ?? 'tester',
      token: o.badToken ? makeToken() : token,
    }),
  );
  const bin = join(dir, 'bin');
  const log = join(dir, 'cli.log');
  if (o.cli) {
    const fake = join(process.cwd(), 'tests', 'evidence', 'support', 'fake-cli.mjs');
    chmodSync(fake, 0o755);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bin);
    for (const tool of ['aws', 'gcloud', 'az']) symlinkSync(fake, join(bin, tool));
  }
  const out = join(dir, 'evidence.json');
  const md = join(dir, 'evidence.md');
  const env: Record<string, string> = {
    // Only node and (when asked) the fake CLIs are on PATH: no real aws, gcloud or az can be reached.
    PATH: [o.cli ? bin : join(dir, 'empty'), dirname(process.execPath)].join(delimiter),
    HOME: dir,
    FAKE_CLI_FIXTURE: join(FIXTURES, provider, 'cli.json'),
    FAKE_CLI_LOG: log,
    ...(o.cliFail && { FAKE_CLI_FAIL: o.cliFail }),
  };
  const child = spawn(
    process.execPath,
    [...built('evidence'), '--kubeconfig', kubeconfig, '--out', out, '--markdown', md, ...(o.args ?? [])],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const text = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  return {
    code,
    stdout,
    stderr,
    dir,
    token,
    server,
    evidence: text ? JSON.parse(text) : undefined,
    markdown: existsSync(md) ? readFileSync(md, 'utf8') : undefined,
    cliCalls: existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [],
  };
}

const names = (e: Evidence, owner: string) =>
  (e.clusterAdmin ?? []).filter((s) => s.owner === owner).map((s) => s.name);

function expectReadOnly(r: Run) {
  expect(r.server.requests.length).toBeGreaterThan(0);
  for (const q of r.server.requests) {
    expect(q.method).toBe('GET');
    expect(q.path).not.toMatch(/secrets/);
  }
  const raw = readFileSync(join(r.dir, 'evidence.json'), 'utf8');
  expect(raw).not.toContain(r.token);
  expect(r.markdown).not.toContain(r.token);
  expect(r.stdout + r.stderr).not.toContain(r.token);
}

describe('k8s-advisor-evidence against a fake API server', () => {
  it('EKS: flags the add-on manager as the provider’s, the aws-auth superuser as the customer’s, and validates', async () => {
    const r = await runCli('eks');
    expect(r.code, r.stderr).toBe(0);
    const e = r.evidence as Evidence;
    expect(parseEvidence(JSON.stringify(e)).ok).toBe(true);
    expect(e.cluster.provider).toBe('eks');
    expect(e.cluster.context).toBe('eks-pilot');
    expect(e.cluster.kubernetesVersion).toBe('v1.31.2-eks-7f9249a');
    expect(e.cluster.nodes).toBe(2);
    expect(e.tool.name).toBe('k8s-advisor-evidence');
    expect(Date.parse(e.collectedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(names(e, 'provider')).toEqual(['eks:addon-manager']);
    const addon = e.clusterAdmin?.find((s) => s.name === 'eks:addon-manager');
    expect(addon?.rule).toBe('eks-addon-manager');
    expect(addon?.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(names(e, 'customer')).toEqual(
      expect.arrayContaining([
        'platform-admins',
        'arn:aws:iam::111122223333:role/platform-admin',
        'arn:aws:iam::111122223333:user/alice',
      ]),
    );
    // A RoleBinding to the edit ClusterRole stays in its namespace.
    expect(names(e, 'customer')).not.toContain('payments-team');
    expect(e.namespaced?.some((g) => g.name === 'payments-team' && g.bindingNamespace === 'payments')).toBe(
      true,
    );
    expect(e.findings.localAccounts.value).toBe('no');
    expect(e.findings.creatorAdmin.value).toBe('unknown');
    expect(e.gaps).toEqual([]);
    expect(r.markdown).toContain('# Cluster evidence: eks-pilot');
    expect(r.stdout).toContain('Cluster-admin subjects:');
    expectReadOnly(r);
  });

  it('GKE: the storage-version migrator and load-balancer controllers are the provider’s; audit logs are on', async () => {
    const r = await runCli('gke', { context: 'gke_pilot-project_us-central1_pilot' });
    expect(r.code, r.stderr).toBe(0);
    const e = r.evidence as Evidence;
    expect(e.cluster.provider).toBe('gke');
    expect(e.cluster.name).toBe('pilot');
    expect(names(e, 'provider').sort()).toEqual(
      ['system:controller:glbc', 'system:l7-lb-controller', 'system:storageversionmigrator'].sort(),
    );
    expect(names(e, 'customer')).toEqual(['owner@example.com']);
    expect(e.findings.auditLogs.value).toBe('yes');
    expect(e.findings.localAccounts.value).toBe('unknown');
    expectReadOnly(r);
  });

  it('AKS: aks-support is the provider’s, clusterAdmin and clusterUser are local accounts', async () => {
    const r = await runCli('aks', { context: 'pilot', user: 'clusterUser_rg-pilot_pilot' });
    expect(r.code, r.stderr).toBe(0);
    const e = r.evidence as Evidence;
    expect(e.cluster.provider).toBe('aks');
    expect(names(e, 'provider')).toEqual(['aks-support']);
    expect(names(e, 'local-admin').sort()).toEqual(['clusterAdmin', 'clusterUser']);
    expect(names(e, 'customer')).toEqual(['5f3b2c1a-0000-4000-8000-00000000aad1']);
    expect(e.findings.localAccounts.value).toBe('unknown');
    const s = summariseEvidence(e);
    expect(s.providerSubjects).toEqual(['aks-support']);
    expectReadOnly(r);
  });

  it('kubeadm: the creator group is still an admin, the ci deployer is the customer’s, team-a stays namespaced', async () => {
    const r = await runCli('kubeadm');
    expect(r.code, r.stderr).toBe(0);
    const e = r.evidence as Evidence;
    expect(e.cluster.provider).toBe('kubeadm');
    expect(names(e, 'creator')).toEqual(['kubeadm:cluster-admins']);
    expect(names(e, 'local-admin')).toEqual(['system:masters']);
    expect(e.clusterAdmin?.find((s) => s.name === 'deployer')).toMatchObject({
      kind: 'ServiceAccount',
      namespace: 'ci',
      owner: 'customer',
    });
    expect(e.clusterAdmin?.some((s) => s.name === 'bob@example.com')).toBe(false);
    expect(e.namespaced?.find((g) => g.name === 'bob@example.com')).toMatchObject({
      bindingNamespace: 'team-a',
      roleKind: 'ClusterRole',
      role: 'admin',
    });
    expect(e.findings.creatorAdmin.value).toBe('yes');
    expect(e.findings.localAccounts.value).toBe('yes');
    expect(e.findings.auditLogs.value).toBe('unknown');
    expect(e.providerView).toEqual({ eks: null, gke: null, aks: null });
    expectReadOnly(r);
  });

  it('a 403 on one list becomes a gap; the rest is still read and the file is written', async () => {
    const r = await runCli('eks', { forbid: ['roles'] });
    expect(r.code, r.stderr).toBe(0);
    const e = r.evidence as Evidence;
    expect(e.gaps).toEqual([
      { what: 'Roles', why: "the kubeconfig's identity may not read Roles (403 Forbidden)" },
    ]);
    expect(e.counts.roles).toBeNull();
    expect(e.counts.clusterRoleBindings).toBeGreaterThan(0);
    expect(e.clusterAdmin?.length).toBeGreaterThan(0);
    expect(r.stderr).toContain('Not read: Roles');
    expect(r.markdown).toContain('403 Forbidden');
    expect(parseEvidence(JSON.stringify(e)).ok).toBe(true);
  });

  it('bindings it may not list leave the file saying so, with exit code 1', async () => {
    const r = await runCli('gke', { forbid: ['clusterrolebindings'] });
    expect(r.code).toBe(1);
    expect(r.evidence?.clusterAdmin).toBeNull();
    expect(summariseEvidence(r.evidence as Evidence).clusterAdminSubjects).toBeNull();
    expect(r.stderr).toContain('cannot say who holds cluster-admin power');
  });

  it('credentials the server refuses become gaps, not a crash, and the token never shows', async () => {
    const r = await runCli('aks', { badToken: true });
    expect(r.code).toBe(1);
    expect(r.evidence?.gaps.map((g) => g.what)).toEqual(
      expect.arrayContaining(['ClusterRoles', 'ClusterRoleBindings', 'nodes', 'server version']),
    );
    expect(r.evidence?.gaps[0]?.why).toContain('401');
    expect(r.evidence?.cluster.provider).toBe('unknown');
  });

  it('pages through long lists', async () => {
    const r = await runCli('kubeadm', { pageSize: 3 });
    expect(r.code, r.stderr).toBe(0);
    const f = loadFixture('kubeadm');
    expect(r.evidence?.counts.clusterRoles).toBe(f.clusterroles.length);
    expect(r.server.requests.filter((q) => q.path.endsWith('/clusterroles')).length).toBeGreaterThan(3);
  });

  it('names with mentions, mrkdwn and control characters are written with look-alikes, and the file validates', async () => {
    const r = await runCli('kubeadm', {
      mutate: (c) =>
        c.clusterrolebindings.push({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'odd' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'User', name: '<!channel> *boss*\u0007\u202e' }],
        }),
    });
    expect(r.code, r.stderr).toBe(0);
    const odd = r.evidence?.clusterAdmin?.find((s) => s.name.startsWith('‹!channel›'));
    // Still shown, so the odd subject is not hidden, but with nothing Slack would turn into a ping or formatting.
    expect(odd?.name).toBe('‹!channel› ∗boss∗\ufffd\ufffd');
    expect(parseEvidence(JSON.stringify(r.evidence)).ok).toBe(true);
    expect(r.markdown).toContain('‹!channel› ∗boss∗');
    expect(r.markdown).not.toContain('<!channel>');
  });

  it('with --aws it reads access mode, access entries and logging through the aws CLI, read-only', async () => {
    const r = await runCli('eks', {
      cli: true,
      context: 'arn:aws:eks:us-east-1:111122223333:cluster/pilot',
      args: ['--aws'],
    });
    expect(r.code, r.stderr).toBe(0);
    const e = r.evidence as Evidence;
    expect(e.providerView.eks).toMatchObject({
      authenticationMode: 'API_AND_CONFIG_MAP',
      bootstrapClusterCreatorAdminPermissions: true,
      auditLogging: false,
    });
    expect(e.findings.auditLogs.value).toBe('no');
    expect(e.findings.creatorAdmin.value).toBe('unknown');
    expect(e.findings.creatorAdmin.basis).toContain('1 entry holds AmazonEKSClusterAdminPolicy');
    expect(names(e, 'customer')).toContain('arn:aws:iam::111122223333:role/pilot-creator');
    expect(
      e.namespaced?.find((g) => g.name === 'arn:aws:iam::111122223333:role/dev-team')?.bindingNamespace,
    ).toBe('dev');
    expect(JSON.stringify(e)).not.toContain('Q0EtREFUQS1TSE9VTEQtTk9ULUFQUEVBUg');
    const verbs = r.cliCalls.map((c) => c.slice(0, 3).join(' '));
    expect(new Set(verbs)).toEqual(
      new Set([
        'aws eks describe-cluster',
        'aws eks list-access-entries',
        'aws eks describe-access-entry',
        'aws eks list-associated-access-policies',
      ]),
    );
    expect(r.cliCalls[0]).toEqual([
      'aws',
      'eks',
      'describe-cluster',
      '--name',
      'pilot',
      '--output',
      'json',
      '--region',
      'us-east-1',
    ]);
  });

  it('with --gcloud it reads the GKE settings and never copies the client key or password', async () => {
    const r = await runCli('gke', {
      cli: true,
      context: 'gke_pilot-project_us-central1_pilot',
      args: ['--gcloud'],
    });
    expect(r.code, r.stderr).toBe(0);
    const e = r.evidence as Evidence;
    expect(e.providerView.gke).toEqual({
      legacyAbac: false,
      clientCertificate: true,
      basicAuth: false,
      googleGroupsForRbac: false,
    });
    expect(e.findings.localAccounts.value).toBe('yes');
    const raw = readFileSync(join(r.dir, 'evidence.json'), 'utf8');
    expect(raw).not.toContain('PRIVATE KEY');
    expect(raw).not.toContain('basic-auth-pw');
    expect(r.cliCalls).toEqual([
      [
        'gcloud',
        'container',
        'clusters',
        'describe',
        'pilot',
        '--format',
        'json',
        '--location',
        'us-central1',
        '--project',
        'pilot-project',
      ],
    ]);
  });

  it('with --az it reads local accounts and audit diagnostic settings', async () => {
    const r = await runCli('aks', {
      cli: true,
      context: 'pilot',
      user: 'clusterUser_rg-pilot_pilot',
      args: ['--az'],
    });
    expect(r.code, r.stderr).toBe(0);
    const e = r.evidence as Evidence;
    expect(e.providerView.aks).toMatchObject({
      disableLocalAccounts: false,
      entraId: true,
      auditLogging: true,
    });
    expect(e.findings.localAccounts.value).toBe('yes');
    expect(e.findings.auditLogs.value).toBe('yes');
    expect(r.cliCalls.map((c) => c.slice(0, 3).join(' '))).toEqual([
      'az aks show',
      'az monitor diagnostic-settings',
    ]);
    expect(r.cliCalls[0]).toContain('rg-pilot');
  });

  it('a missing or failing provider CLI is a gap, never a crash', async () => {
    const missing = await runCli('eks', {
      context: 'arn:aws:eks:us-east-1:111122223333:cluster/pilot',
      args: ['--aws'],
    });
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.evidence?.gaps).toEqual([
      {
        what: 'EKS cluster settings (aws eks describe-cluster)',
        why: 'the aws CLI is not installed (not on PATH)',
      },
    ]);
    const failing = await runCli('aks', {
      cli: true,
      context: 'pilot',
      user: 'clusterUser_rg-pilot_pilot',
      args: ['--az'],
      cliFail: 'ERROR: (AuthorizationFailed) The client does not have authorization to perform action',
    });
    expect(failing.code, failing.stderr).toBe(0);
    expect(failing.evidence?.gaps[0]?.why).toContain('AuthorizationFailed');
    expect(failing.evidence?.findings.localAccounts.value).toBe('unknown');
    const noName = await runCli('gke', { args: ['--gcloud'] });
    expect(noName.evidence?.gaps[0]).toEqual({
      what: 'GKE view (--gcloud)',
      why: 'the GKE cluster name is unknown; pass --cluster-name',
    });
  });

  it('usage errors and a missing context exit 2 with a clear message and write nothing', async () => {
    const r = await runCli('eks', { args: ['--context', 'nope'] });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No context named "nope"');
    expect(r.evidence).toBeUndefined();
    expect(r.server.requests).toEqual([]);
  });
});
