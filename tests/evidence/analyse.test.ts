import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/evidence/analyse.js';
import { IDENTITY_RULES } from '../../src/evidence/identities.js';
import { hintsFrom } from '../../src/evidence/kubeconfig.js';
import { detectProvider } from '../../src/evidence/provider.js';
import { type EksView, LIMITS } from '../../src/evidence/schema.js';
import type { Snapshot } from '../../src/evidence/snapshot.js';
import { parseEvidence } from '../../src/evidence/validate.js';
import { FIXTURE_PROVIDERS, fixtureSnapshot } from './support/fixtures.js';

const run = (s: Snapshot) =>
  analyse(s, {
    collectedAt: new Date('2026-12-03T10:00:00Z'),
    toolName: 'k8s-advisor-evidence',
    toolVersion: '0.1.0',
  });

const eksView = (over: Partial<EksView>): EksView => ({
  authenticationMode: 'API_AND_CONFIG_MAP',
  bootstrapClusterCreatorAdminPermissions: true,
  auditLogging: true,
  accessEntries: [],
  ...over,
});

const ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

describe('analyse', () => {
  it.each(FIXTURE_PROVIDERS)(
    'detects %s from its fixture and writes a file the validator accepts',
    (provider) => {
      const e = run(fixtureSnapshot(provider));
      expect(e.cluster.provider).toBe(provider);
      expect(e.cluster.providerSignals.length).toBeGreaterThan(0);
      expect(parseEvidence(JSON.stringify(e))).toEqual({ ok: true, evidence: e });
    },
  );

  it('is deterministic: the same snapshot gives the same file', () => {
    expect(run(fixtureSnapshot('aks'))).toEqual(run(fixtureSnapshot('aks')));
  });

  it('EKS in CONFIG_MAP mode: the hidden creator is listed and the creator is an admin', () => {
    const e = run(
      fixtureSnapshot('eks', {
        providerView: {
          eks: eksView({ authenticationMode: 'CONFIG_MAP', accessEntries: null }),
          gke: null,
          aks: null,
        },
      }),
    );
    expect(e.findings.creatorAdmin.value).toBe('yes');
    expect(e.findings.creatorAdmin.basis).toContain('https://docs.aws.amazon.com/');
    expect(e.clusterAdmin?.find((s) => s.owner === 'creator')).toMatchObject({
      kind: 'IAMPrincipal',
      grants: [{ via: 'provider', role: 'system:masters' }],
    });
  });

  it('EKS access entries: the creator bootstrap off, or its entry removed, means the creator is not an admin', () => {
    const off = run(
      fixtureSnapshot('eks', {
        providerView: {
          eks: eksView({ bootstrapClusterCreatorAdminPermissions: false }),
          gke: null,
          aks: null,
        },
      }),
    );
    expect(off.findings.creatorAdmin.value).toBe('no');
    const removed = run(fixtureSnapshot('eks', { providerView: { eks: eksView({}), gke: null, aks: null } }));
    expect(removed.findings.creatorAdmin.value).toBe('no');
    expect(removed.findings.auditLogs.value).toBe('yes');
  });

  it('EKS access entries: an admin policy at cluster scope and a powerful Kubernetes group both count', () => {
    const e = run(
      fixtureSnapshot('eks', {
        providerView: {
          eks: eksView({
            accessEntries: [
              {
                principalArn: 'arn:aws:iam::1:role/a',
                type: 'STANDARD',
                username: null,
                kubernetesGroups: [],
                policies: [{ policyArn: ADMIN_POLICY, scope: 'cluster', namespaces: [] }],
              },
              {
                principalArn: 'arn:aws:iam::1:role/b',
                type: 'STANDARD',
                username: 'b',
                kubernetesGroups: ['platform-admins'],
                policies: [],
              },
              {
                principalArn: 'arn:aws:iam::1:role/c',
                type: 'STANDARD',
                username: 'c',
                kubernetesGroups: ['viewers'],
                policies: [{ policyArn: ADMIN_POLICY, scope: 'namespace', namespaces: ['x'] }],
              },
            ],
          }),
          gke: null,
          aks: null,
        },
      }),
    );
    const arns = (e.clusterAdmin ?? []).filter((s) => s.kind === 'IAMPrincipal').map((s) => s.name);
    expect(arns).toEqual(expect.arrayContaining(['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b']));
    expect(arns).not.toContain('arn:aws:iam::1:role/c');
    expect(e.namespaced?.find((g) => g.name === 'arn:aws:iam::1:role/c')?.bindingNamespace).toBe('x');
    expect(e.findings.creatorAdmin.value).toBe('unknown');
  });

  it('aws-auth: a mapping into system:masters or into a powerful group gives the IAM principal cluster-admin power', () => {
    const e = run(
      fixtureSnapshot('eks', {
        awsAuth: {
          present: true,
          mappings: [
            { arn: 'arn:aws:iam::1:user/root-ish', username: 'x', groups: ['system:masters'] },
            { arn: 'arn:aws:iam::1:role/ops', username: 'ops', groups: ['platform-admins'] },
            {
              arn: 'arn:aws:iam::1:role/node',
              username: 'system:node:{{EC2PrivateDNSName}}',
              groups: ['system:nodes'],
            },
          ],
        },
      }),
    );
    const names = (e.clusterAdmin ?? []).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['arn:aws:iam::1:user/root-ish', 'arn:aws:iam::1:role/ops']),
    );
    expect(names).not.toContain('arn:aws:iam::1:role/node');
    expect(e.clusterAdmin?.find((s) => s.name === 'arn:aws:iam::1:user/root-ish')?.grants[0]).toMatchObject({
      via: 'aws-auth',
      role: 'system:masters',
    });
  });

  it('AKS and GKE views decide local accounts and audit logs', () => {
    const aks = run(
      fixtureSnapshot('aks', {
        providerView: {
          eks: null,
          gke: null,
          aks: {
            disableLocalAccounts: true,
            entraId: true,
            azureRbac: true,
            adminGroups: [],
            auditLogging: false,
          },
        },
      }),
    );
    expect(aks.findings.localAccounts.value).toBe('no');
    expect(aks.findings.auditLogs.value).toBe('no');
    const gke = run(
      fixtureSnapshot('gke', {
        providerView: {
          eks: null,
          gke: { legacyAbac: false, clientCertificate: false, basicAuth: true, googleGroupsForRbac: false },
          aks: null,
        },
      }),
    );
    expect(gke.findings.localAccounts.value).toBe('yes');
  });

  it('signing in with a client certificate shows local accounts work, on any distribution', () => {
    const e = run(fixtureSnapshot('gke', { credential: 'client-certificate' }));
    expect(e.findings.localAccounts.value).toBe('yes');
  });

  it('cuts long lists to the file limits, says so, and still validates', () => {
    const many = Array.from({ length: LIMITS.subjects + 50 }, (_, i) => ({
      kind: 'User',
      name: `user-${i}`,
    }));
    const base = fixtureSnapshot('kubeadm');
    const e = run({
      ...base,
      clusterRoleBindings: [
        ...(base.clusterRoleBindings ?? []),
        { name: 'many', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: many },
      ],
    });
    expect(e.clusterAdmin).toHaveLength(LIMITS.subjects);
    expect(e.truncated).toBe(true);
    expect(e.gaps.some((g) => g.what === 'cluster-admin subjects')).toBe(true);
    expect(parseEvidence(JSON.stringify(e)).ok).toBe(true);
  });

  it('neutralises control and direction characters in names and clips long ones, so the file validates', () => {
    const base = fixtureSnapshot('kubeadm');
    const e = run({
      ...base,
      clusterRoleBindings: [
        ...(base.clusterRoleBindings ?? []),
        {
          name: 'x\u202e',
          roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'User', name: `a\u0000b${'c'.repeat(500)}` }],
        },
      ],
    });
    const odd = e.clusterAdmin?.find((s) => s.name.startsWith('a'));
    expect(odd?.name.startsWith('a\ufffdb')).toBe(true);
    expect(odd?.name.length).toBe(LIMITS.text);
    expect(odd?.grants[0]?.binding).toBe('x\ufffd');
    expect(parseEvidence(JSON.stringify(e)).ok).toBe(true);
  });
});

describe('detectProvider', () => {
  it('tells a self-hosted cluster on other machines from an unreadable one', () => {
    const none = {
      clusterRoleBindings: [],
      awsAuth: null,
      version: 'v1.31.0+k3s1',
      providerIds: ['k3s://node-1'],
    };
    expect(detectProvider(fixtureSnapshot('kubeadm', none))).toEqual({
      provider: 'other',
      signals: ['node providerID scheme k3s://'],
    });
    const nothing = { clusterRoleBindings: null, awsAuth: null, version: null, providerIds: null };
    expect(detectProvider(fixtureSnapshot('kubeadm', nothing)).provider).toBe('unknown');
  });

  it('prefers kubeadm over EC2 node ids for a self-hosted cluster on AWS', () => {
    const s = fixtureSnapshot('kubeadm', { providerIds: ['aws:///us-east-1a/i-1'] });
    expect(detectProvider(s).provider).toBe('kubeadm');
  });
});

describe('identity rules', () => {
  it('each rule names an https source and the date it was checked', () => {
    for (const rule of IDENTITY_RULES) {
      expect(rule.source, rule.id).toMatch(/^https:\/\//);
      expect(rule.checked, rule.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('hintsFrom (kubeconfig)', () => {
  it('reads the names aws, gcloud and az write into a kubeconfig', () => {
    expect(hintsFrom('arn:aws:eks:eu-west-1:111122223333:cluster/prod', null).eks).toEqual({
      region: 'eu-west-1',
      name: 'prod',
    });
    expect(hintsFrom('gke_my-proj_europe-west1_prod', null).gke).toEqual({
      project: 'my-proj',
      location: 'europe-west1',
      name: 'prod',
    });
    const user = { name: 'clusterAdmin_rg_with_underscores_prod' } as never;
    expect(hintsFrom('prod', user).aks).toEqual({ resourceGroup: 'rg_with_underscores', name: 'prod' });
    const exec = {
      name: 'u',
      exec: { command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'c1', '--region', 'us-west-2'] },
    } as never;
    expect(hintsFrom('ctx', exec).eks).toEqual({ name: 'c1', region: 'us-west-2' });
  });
});
