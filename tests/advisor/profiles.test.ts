import { describe, expect, it } from 'vitest';
import type { Acceptability, NeedLevel, Outcome } from '../../src/advisor/questionnaire.js';
import { recommend } from '../../src/advisor/recommend.js';
import type { Answer } from '../../src/advisor/session.js';
import { num, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

/**
 * Teams a security lead would recognise, with the verdict each must reach and why. The verdict follows the
 * source article's two judgments: is a provider acceptable at all, and how much would it take off this team.
 */
interface Profile {
  name: string;
  why: string;
  answers: Record<string, Answer>;
  outcome: Outcome;
  acceptability: Acceptability;
  need: NeedLevel;
  /** Further checks on the recommendation. */
  expect?: (rec: ReturnType<typeof recommend>) => void;
}

const provider = (id: string, trust: string, mitigations: string, lockdown: string) => ({
  provider_access: opt('yes'),
  compliance: opt('none'),
  provider: opt(id),
  provider_trust: opt(trust),
  access_mitigations: opt(mitigations),
  access_lockdown: opt(lockdown),
});
const smallEstate = { clusters: num(1, '1'), nodes: num(5, 'Under 10'), variability: opt('steady') };
const registerIds = (rec: ReturnType<typeof recommend>) => rec.risks.map((r) => r.id);

const PROFILES: Profile[] = [
  {
    name: 'a three-person startup with one small cluster that trusts its cloud but does not know its controls',
    why: 'a small team leans managed; unknown controls are questions to answer first, not a verdict',
    answers: { team: opt('small'), ...smallEstate, ...provider('eks', 'high', 'unknown', 'unknown') },
    outcome: 'managed_with_safeguards',
    acceptability: 'not_yet_known',
    need: 'moderate',
    expect: (rec) => {
      expect(rec.guidance.findOut.map((f) => f.questionId)).toEqual([
        'access_mitigations',
        'access_lockdown',
      ]);
      expect(rec.guidance.findOut.every((f) => f.steps.every((s) => 'source' in s))).toBe(true);
      expect(rec.decision.explanation).toBe('not_yet_known');
    },
  },
  {
    name: 'a small team with 20 clusters of 500 nodes and elastic load, medium trust, controls unknown',
    why: 'a provider would take a great deal off; doubts call for safeguards and finding out',
    answers: {
      team: opt('small'),
      clusters: num(20),
      nodes: num(500),
      variability: opt('elastic'),
      ...provider('gke', 'medium', 'unknown', 'unknown'),
    },
    outcome: 'managed_with_safeguards',
    acceptability: 'not_yet_known',
    need: 'high',
  },
  {
    name: 'a dedicated platform team with one small steady cluster and a provider it fully trusts',
    why: 'both paths are viable; an acceptable provider still saves the control-plane chores',
    answers: { team: opt('dedicated'), ...smallEstate, ...provider('eks', 'high', 'strong', 'yes') },
    outcome: 'managed',
    acceptability: 'acceptable',
    need: 'low',
    expect: (rec) => {
      expect(rec.decision.bothViable).toBe(true);
      expect(rec.guidance.controls?.mode).toBe('keep_on');
    },
  },
  {
    name: 'a dedicated platform team with one small steady cluster and reservations about the provider',
    why: 'little for a provider to take off a capable team, and doubts about it: run it yourselves, both viable',
    answers: { team: opt('dedicated'), ...smallEstate, ...provider('aks', 'medium', 'partial', 'partly') },
    outcome: 'self_hosted',
    acceptability: 'acceptable_with_safeguards',
    need: 'low',
    expect: (rec) => {
      expect(rec.decision.decidedBy).toBe('need');
      expect(rec.decision.bothViable).toBe(true);
      expect(rec.guidance.distributions.length).toBeGreaterThan(0);
    },
  },
  {
    name: 'a dedicated platform team with 30 clusters of 300 nodes that trusts its provider',
    why: 'a capable team is free to choose; at this scale a trusted provider saves a great deal',
    answers: {
      team: opt('dedicated'),
      clusters: num(30),
      nodes: num(300),
      variability: opt('elastic'),
      ...provider('gke', 'high', 'strong', 'yes'),
    },
    outcome: 'managed',
    acceptability: 'acceptable',
    need: 'high',
  },
  {
    name: 'a growing team whose security requirements rule out provider access',
    why: 'no amount of saved work outweighs a requirement: self-hosting is the only option',
    answers: {
      team: opt('growing'),
      clusters: num(8, '6 to 15'),
      nodes: num(120),
      variability: opt('seasonal'),
      provider_access: opt('no'),
      self_host_site: opt('own_datacenter'),
    },
    outcome: 'self_hosted_required',
    acceptability: 'ruled_out',
    need: 'high',
    expect: (rec) => {
      expect(registerIds(rec)).not.toContain('trust');
      expect(registerIds(rec)).toEqual(
        expect.arrayContaining(['etcd_restore', 'cve_patching', 'break_glass_own']),
      );
      expect(rec.guidance.distributions.length).toBeGreaterThan(0);
      expect(rec.guidance.middlePaths.map((m) => m.id)).toContain('provider_software_on_your_hardware');
    },
  },
  {
    name: 'a bank on AKS under PCI DSS that trusts Microsoft and has checked its controls',
    why: 'regulated workloads fit a managed service once its access is logged and contained',
    answers: {
      team: opt('growing'),
      ...smallEstate,
      ...provider('aks', 'high', 'strong', 'yes'),
      compliance: opt('regulated'),
    },
    outcome: 'managed_with_safeguards',
    acceptability: 'acceptable_with_safeguards',
    need: 'moderate',
    expect: (rec) => {
      expect(rec.guidance.controls?.provider).toBe('Azure AKS');
      expect(rec.guidance.controls?.mode).toBe('switch_on');
      expect(JSON.stringify(rec.guidance.controls)).toContain('Customer Lockbox');
    },
  },
  {
    name: 'a government agency considering GKE under FedRAMP',
    why: 'government rules leave a provider acceptable only in its authorised regions, under control',
    answers: {
      team: opt('growing'),
      clusters: num(3, '2 to 5'),
      nodes: num(30, '10 to 50'),
      variability: opt('steady'),
      ...provider('gke', 'high', 'strong', 'yes'),
      compliance: opt('government'),
    },
    outcome: 'managed_with_safeguards',
    acceptability: 'acceptable_with_safeguards',
    need: 'moderate',
    expect: (rec) => {
      expect(rec.guidance.middlePaths.map((m) => m.id)).toContain('government_regions');
      expect(JSON.stringify(rec.guidance.controls)).toContain('Access Approval');
    },
  },
  {
    name: 'an air-gapped defence site',
    why: 'no outside link means no provider can run the control plane: self-hosting is required',
    answers: {
      team: opt('dedicated'),
      clusters: num(3),
      nodes: num(60),
      variability: opt('steady'),
      provider_access: opt('yes'),
      compliance: opt('airgapped'),
      self_host_site: opt('sovereign_or_airgapped'),
    },
    outcome: 'self_hosted_required',
    acceptability: 'ruled_out',
    need: 'moderate',
    expect: (rec) => {
      expect(rec.guidance.middlePaths.map((m) => m.id)).toEqual(
        expect.arrayContaining(['disconnected_offerings', 'provider_software_on_your_hardware']),
      );
      expect(registerIds(rec)).toContain('offline_supply');
    },
  },
  {
    name: 'a small team that does not trust its provider',
    why: 'an untrusted provider is unacceptable whatever it would save; a small team must hear the cost of self-hosting',
    answers: { team: opt('small'), ...smallEstate, ...provider('eks', 'low', 'strong', 'yes') },
    outcome: 'self_hosted',
    acceptability: 'unacceptable',
    need: 'moderate',
    expect: (rec) => {
      expect(rec.decision.smallTeamWarning).toBe(true);
      expect(rec.guidance.distributions.length).toBeGreaterThan(0);
    },
  },
  {
    name: 'a growing team with medium trust and nothing that stops outsiders',
    why: 'reservations plus a wide-open privileged channel make the provider unacceptable',
    answers: { team: opt('growing'), ...smallEstate, ...provider('gke', 'medium', 'none', 'partly') },
    outcome: 'self_hosted',
    acceptability: 'unacceptable',
    need: 'moderate',
  },
  {
    name: 'a growing team on EKS whose requirements allow provider access only with controls',
    why: 'the provider is acceptable once approval, logging and restriction are in place',
    answers: {
      team: opt('growing'),
      clusters: num(3, '2 to 5'),
      nodes: num(30, '10 to 50'),
      variability: opt('seasonal'),
      ...provider('eks', 'high', 'strong', 'partly'),
      provider_access: opt('with_controls'),
    },
    outcome: 'managed_with_safeguards',
    acceptability: 'acceptable_with_safeguards',
    need: 'moderate',
    expect: (rec) => {
      expect(JSON.stringify(rec.guidance.controls)).toContain('access entr');
      // What holds it back is the provider's side, so the what-if starts there.
      const first = q.questions.find((x) => x.id === rec.whatIf[0]?.questionId);
      expect(first?.judgment).toBe('acceptability');
    },
  },
  {
    name: 'a team that ruled out provider access but would self-host on the same cloud',
    why: 'required self-hosting, with a plain warning that the cloud still holds the infrastructure beneath',
    answers: {
      team: opt('growing'),
      ...smallEstate,
      provider_access: opt('no'),
      self_host_site: opt('same_cloud'),
    },
    outcome: 'self_hosted_required',
    acceptability: 'ruled_out',
    need: 'moderate',
    expect: (rec) => {
      expect(rec.guidance.siteNote).toContain('hypervisor');
      expect(registerIds(rec)).toContain('infrastructure_beneath');
    },
  },
  {
    name: 'a growing team that skipped every question about the provider',
    why: 'skipping is not knowing: find out before committing, never a self-hosted verdict',
    answers: {
      team: opt('growing'),
      ...smallEstate,
      provider_access: skipped,
      compliance: skipped,
      provider: skipped,
      provider_trust: skipped,
      access_mitigations: skipped,
      access_lockdown: skipped,
    },
    outcome: 'managed_with_safeguards',
    acceptability: 'not_yet_known',
    need: 'moderate',
    expect: (rec) => {
      expect(rec.guidance.findOut.map((f) => f.questionId)).toEqual([
        'provider_access',
        'provider_trust',
        'access_mitigations',
        'access_lockdown',
      ]);
    },
  },
  {
    name: 'a dedicated team with a tiny estate that trusts its provider but cannot restrict its roles',
    why: 'trust without restriction is acceptable with safeguards; at low need it stays a managed verdict, both viable',
    answers: { team: opt('dedicated'), ...smallEstate, ...provider('eks', 'high', 'strong', 'partly') },
    outcome: 'managed_with_safeguards',
    acceptability: 'acceptable_with_safeguards',
    need: 'low',
    expect: (rec) => expect(rec.decision.bothViable).toBe(true),
  },
];

describe('expert profiles reach the verdict a security lead would sign', () => {
  it('has at least twelve profiles', () => expect(PROFILES.length).toBeGreaterThanOrEqual(12));

  for (const p of PROFILES) {
    it(`${p.name}: ${p.outcome}, because ${p.why}`, () => {
      const rec = recommend(q, { answers: p.answers });
      expect({
        outcome: rec.decision.outcome,
        acceptability: rec.decision.acceptability.level,
        need: rec.decision.need.level,
      }).toEqual({ outcome: p.outcome, acceptability: p.acceptability, need: p.need });
      const managed = p.outcome === 'managed' || p.outcome === 'managed_with_safeguards';
      // The register follows the verdict: provider questions only where a provider is chosen.
      expect(registerIds(rec).includes('trust')).toBe(managed);
      p.expect?.(rec);
    });
  }
});
