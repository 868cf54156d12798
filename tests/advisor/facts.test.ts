import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/advisor/questionnaire.js';
import { questionnaire as q } from '../support/questionnaire.js';

/** Every fact object anywhere in the questionnaire: anything with a source. */
function facts(node: unknown, path = '', out: [string, Fact][] = []): [string, Fact][] {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) facts(n, `${path}[${i}]`, out);
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ('source' in o || 'checked' in o) out.push([path, o as unknown as Fact]);
    for (const [k, v] of Object.entries(o)) facts(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/** The vendors' and projects' own documentation: facts are checked there, not in blogs. */
const OFFICIAL = [
  /(^|\.)amazon\.com$/,
  /(^|\.)amazonaws\.com$/,
  /^cloud\.google\.com$/,
  /^learn\.microsoft\.com$/,
  /^kubernetes\.io$/,
  /^docs\.rke2\.io$/,
  /^docs\.k3s\.io$/,
  /^docs\.openshift\.com$/,
  /^docs\.okd\.io$/,
  /^github\.com$/,
];

const VENDOR_WORDS =
  /\b(EKS|GKE|AKS|AWS|Google|Azure|Microsoft|Entra|Lockbox|Autopilot|Fargate|OpenShift|RKE2|K3s|Talos|kubeadm)\b/;

describe('facts in the questionnaire', () => {
  const all = facts(q);

  it('has vendor facts for each of EKS, GKE and AKS, and they all carry a source and a check date', () => {
    expect(all.length).toBeGreaterThan(40);
    for (const provider of ['eks', 'gke', 'aks']) {
      expect(all.filter(([path]) => path.includes(`.${provider}`)).length).toBeGreaterThan(5);
    }
    for (const [path, f] of all) {
      expect(f.source, path).toMatch(/^https:\/\//);
      expect(f.checked, path).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('checks every fact against official documentation, on a date that has passed', () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const [path, f] of all) {
      const host = new URL(f.source).hostname;
      expect(
        OFFICIAL.some((re) => re.test(host)),
        `${path}: ${host}`,
      ).toBe(true);
      expect(f.checked <= today, `${path} checked ${f.checked}`).toBe(true);
    }
  });

  it('puts no vendor claim in plain text where its source could not be shown', () => {
    const plain = [
      ...q.generic_controls,
      ...q.responsibility.managed.provider_takes,
      ...q.responsibility.managed.stays_yours,
      ...q.responsibility.self_hosted.you_take_on,
      ...q.responsibility.self_hosted.stays_yours,
      ...[...q.risks.provider, ...q.risks.self_hosted].flatMap((r) =>
        typeof r.hint === 'string' ? [r.hint] : [],
      ),
      ...q.questions.flatMap((x) => (typeof x.find_out?.generic === 'string' ? [x.find_out.generic] : [])),
    ];
    for (const line of plain) expect(line).not.toMatch(VENDOR_WORDS);
  });

  it('states none of the stale claims the domain facts correct', () => {
    const text = readFileSync('conversations/k8s-hosting.yml', 'utf8').toLowerCase();
    // EKS: the creator's admin is an access entry you can delete; only the bootstrap flag is fixed.
    expect(text).not.toMatch(/recreat\w* the cluster/);
    // Node patching can be the provider's (EKS Auto Mode, GKE auto-upgrade, AKS node OS channel).
    expect(text).not.toContain('yours either way');
    // The kubelet rule is three minor versions upstream, never two as the seed article says.
    expect(text).not.toMatch(/within two minor versions of your kubernetes api/);
    // AKS: Lockbox does not cover emergencies and legal demands, and etcd backups are not yours to restore.
    expect(JSON.stringify(q.providers.aks)).toMatch(/Emergencies and legal demands do not go through it/);
    expect(JSON.stringify(q.providers.aks)).toMatch(/neither you nor anyone else can\s+restore/);
  });

  it('says which version-skew rule applies where', () => {
    const skew = (id: string) => JSON.stringify(q.providers[id]?.responsibility);
    expect(skew('eks')).toMatch(/three minor versions older/);
    expect(skew('gke')).toMatch(/two minor versions older/);
    expect(skew('aks')).toMatch(/three minor versions ahead/);
    expect(q.responsibility.managed.stays_yours.join(' ')).toMatch(
      /upstream, a kubelet may trail the API server by three minor/,
    );
  });
});
