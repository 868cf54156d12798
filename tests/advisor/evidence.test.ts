import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, rank } from '../../src/advisor/decide.js';
import {
  type AssessmentEvidence,
  decideWith,
  effectiveAnswers,
  evidenceAnswers,
  evidenceScope,
  evidenceTime,
  lockdownFromEvidence,
} from '../../src/advisor/evidence.js';
import { registerWithEvidence } from '../../src/advisor/evidence-risks.js';
import { riskRegister } from '../../src/advisor/risks.js';
import { anyAnswers, anyEvidence } from '../support/arbitraries.js';
import { fixtureFacts, hostileFacts } from '../support/evidence.js';
import { answers, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

const facts = (over: Partial<AssessmentEvidence> = {}) =>
  hostileFacts({
    provider: 'eks',
    clusterAdminSubjects: 10,
    providerSubjectCount: 0,
    providerSubjects: [],
    creatorAdmin: 'no',
    localAccounts: 'no',
    auditLogs: 'yes',
    ...over,
  });

/** A small platform team with one small cluster that trusts its provider: managed, both paths viable. */
const LOW_NEED = answers({
  team: opt('dedicated'),
  clusters: { kind: 'number', value: 1 },
  nodes: { kind: 'number', value: 5 },
  variability: opt('steady'),
});

describe('what the evidence says about restricting the provider’s roles', () => {
  it.each([
    ['nothing of the kind', {}, 'yes'],
    ['the provider’s own identities with cluster-admin power', { providerSubjectCount: 2 }, 'partly'],
    ['the creator still an admin', { creatorAdmin: 'yes' }, 'partly'],
    ['local accounts enabled', { localAccounts: 'yes' }, 'partly'],
    ['provider identities and the creator', { providerSubjectCount: 1, creatorAdmin: 'yes' }, 'no'],
    ['provider identities and local accounts', { providerSubjectCount: 1, localAccounts: 'yes' }, 'no'],
    ['all three', { providerSubjectCount: 3, creatorAdmin: 'yes', localAccounts: 'yes' }, 'no'],
    [
      'provider identities, the creator unknown',
      { providerSubjectCount: 1, creatorAdmin: 'unknown' },
      'partly',
    ],
  ] as const)('%s → %s', (_name, over, expected) => {
    expect(lockdownFromEvidence(facts(over))?.answer).toEqual({ kind: 'option', optionId: expected });
  });

  it('leaves the self-graded answer when nothing is known to be wrong but something is unknown', () => {
    expect(lockdownFromEvidence(facts({ creatorAdmin: 'unknown' }))).toBeUndefined();
    expect(lockdownFromEvidence(facts({ localAccounts: 'unknown' }))).toBeUndefined();
    expect(lockdownFromEvidence(facts({ clusterAdminSubjects: null }))).toBeUndefined();
  });

  it('says why in words that quote nothing from the file', () => {
    const b = lockdownFromEvidence(facts({ providerSubjectCount: 3, creatorAdmin: 'yes' }));
    expect(b?.reason).toContain("3 of the provider's own identities hold cluster-admin power");
    expect(b?.reason).toContain('still an admin');
    expect(b?.reason).not.toContain('prod');
    expect(b?.reason).not.toContain('<');
  });
});

describe('which questions the evidence answers', () => {
  it('comes from the provider the team weighs, one not named yet, or none at all', () => {
    const eks = facts({ provider: 'eks' });
    expect(evidenceScope(answers({ provider: opt('eks') }), eks)).toBe('provider');
    expect(evidenceScope(answers({ provider: opt('undecided') }), eks)).toBe('provider');
    expect(evidenceScope(answers({ provider: skipped }), eks)).toBe('provider');
    expect(evidenceScope({}, eks)).toBe('provider');
    expect(evidenceScope(answers({ provider: opt('gke') }), eks)).toBe('other_provider');
    expect(evidenceScope(answers({ provider: opt('other') }), eks)).toBe('other_provider');
    expect(evidenceScope(answers(), facts({ provider: 'kubeadm' }))).toBe('self_hosted');
    expect(evidenceScope(answers(), facts({ provider: 'other' }))).toBe('self_hosted');
    expect(evidenceScope(answers(), facts({ provider: 'unknown' }))).toBe('undetected');
  });

  it('answers access_lockdown only where it is asked, and only from the weighed provider’s cluster', () => {
    const e = facts({ providerSubjectCount: 1 });
    expect(Object.keys(evidenceAnswers(q, answers(), e))).toEqual(['access_lockdown']);
    expect(evidenceAnswers(q, answers({ provider_access: opt('no') }), e)).toEqual({});
    expect(evidenceAnswers(q, answers({ compliance: opt('airgapped') }), e)).toEqual({});
    expect(evidenceAnswers(q, answers({ provider: opt('aks') }), e)).toEqual({});
    expect(evidenceAnswers(q, answers(), facts({ provider: 'kubeadm', providerSubjectCount: 1 }))).toEqual(
      {},
    );
    expect(evidenceAnswers(q, answers(), undefined)).toEqual({});
  });

  it('writes the time the card shows', () => {
    expect(evidenceTime('2026-12-03T10:15:30+01:00')).toBe('2026-12-03 09:15 UTC');
  });
});

describe('the verdict recomputed from the evidence-backed answers', () => {
  it('EKS fixture (read with --aws): the provider’s own identity holds cluster-admin, so only in part: safeguards', async () => {
    const e = await fixtureFacts('eks');
    expect(decide(q, answers()).outcome).toBe('managed');
    const d = decideWith(q, answers(), e);
    expect(d.outcome).toBe('managed_with_safeguards');
    expect(d.acceptability.level).toBe('acceptable_with_safeguards');
    const reason = d.acceptability.reasons.find((r) => r.questionId === 'access_lockdown');
    expect(reason).toMatchObject({ fromEvidence: true });
    expect(reason?.text).toContain('only in part');
  });

  it.each([
    ['gke', 'no'],
    ['aks', 'no'],
  ] as const)(
    '%s fixture (read with its CLI): provider identities and local accounts → %s',
    async (p, option) => {
      const e = await fixtureFacts(p);
      const a = answers({ provider: opt(p) });
      expect(evidenceAnswers(q, a, e).access_lockdown?.answer.optionId).toBe(option);
      expect(decideWith(q, a, e).outcome).toBe('managed_with_safeguards');
    },
  );

  it('kubeadm fixture: a cluster the team runs answers nothing about a provider', async () => {
    const e = await fixtureFacts('kubeadm');
    expect(decideWith(q, answers(), e)).toEqual(decide(q, answers()));
  });

  it('can tip a team with little need to running it themselves, decided by the need judgment as before', () => {
    expect(decide(q, LOW_NEED).outcome).toBe('managed');
    const d = decideWith(q, LOW_NEED, facts({ providerSubjectCount: 1, localAccounts: 'yes' }));
    expect(d.outcome).toBe('self_hosted');
    expect(d.decidedBy).toBe('need');
    expect(d.explanation).toBe('little_need_doubtful_provider');
  });

  it('answers a skipped or unknown access_lockdown, taking it off the unknowns', () => {
    const a = answers({ access_lockdown: skipped });
    expect(decide(q, a).acceptability.unknowns).toContain('access_lockdown');
    const d = decideWith(q, a, facts());
    expect(d.acceptability.unknowns).not.toContain('access_lockdown');
    expect(d.open).not.toContain('access_lockdown');
  });
});

describe('properties of the evidence', () => {
  it('only replaces answers: the need judgment is untouched and the verdict is that of the effective answers', () => {
    fc.assert(
      fc.property(anyAnswers, anyEvidence, (a, e) => {
        const d = decideWith(q, a, e);
        const plain = decide(q, effectiveAnswers(a, evidenceAnswers(q, a, e)));
        expect(d.need).toEqual(decide(q, a).need);
        expect(d.outcome).toBe(plain.outcome);
        expect(d.acceptability.level).toBe(plain.acceptability.level);
        expect(d.decidedBy).toBe(plain.decidedBy);
      }),
    );
  });

  it('unknown findings, another provider’s cluster or a self-run one leave the self-graded verdict', () => {
    fc.assert(
      fc.property(anyAnswers, anyEvidence, (a, e) => {
        const scope = evidenceScope(a, e);
        const silent = lockdownFromEvidence(e) === undefined || scope !== 'provider';
        if (silent) expect(decideWith(q, a, e)).toEqual(decide(q, a));
      }),
    );
  });

  it('is monotone: finding one more thing wrong never gives a more managed verdict', () => {
    const worse = (e: AssessmentEvidence): AssessmentEvidence[] => [
      ...(e.creatorAdmin === 'no' ? [{ ...e, creatorAdmin: 'yes' as const }] : []),
      ...(e.localAccounts === 'no' ? [{ ...e, localAccounts: 'yes' as const }] : []),
      ...(e.clusterAdminSubjects !== null && e.providerSubjectCount === 0
        ? [{ ...e, providerSubjectCount: 1, clusterAdminSubjects: e.clusterAdminSubjects + 1 }]
        : []),
    ];
    fc.assert(
      fc.property(anyAnswers, anyEvidence, (a, e) => {
        const base = rank(decideWith(q, a, e).outcome);
        for (const w of worse(e)) expect(rank(decideWith(q, a, w).outcome)).toBeLessThanOrEqual(base);
      }),
    );
  });

  it('marks every reason it gave, and only those', () => {
    fc.assert(
      fc.property(anyAnswers, anyEvidence, (a, e) => {
        const backed = evidenceAnswers(q, a, e);
        for (const r of decideWith(q, a, e).acceptability.reasons)
          expect(r.fromEvidence === true).toBe(r.questionId in backed);
      }),
    );
  });
});

describe('the risks the evidence settles', () => {
  const statusOf = (items: { id: string; status: string }[], id: string) =>
    items.find((r) => r.id === id)?.status;

  it('on a managed verdict: the creator still an admin, audit logs off', () => {
    const e = facts({ creatorAdmin: 'yes', auditLogs: 'no', providerSubjectCount: 2 });
    const plain = riskRegister(q, answers(), 'managed_with_safeguards');
    expect(statusOf(plain, 'creator_admin')).toBe('open');
    expect(statusOf(plain, 'break_glass')).toBe('open');
    expect(statusOf(plain, 'outsider_access')).toBe('answered');
    const items = registerWithEvidence(q, answers(), 'managed_with_safeguards', e);
    expect(items.find((r) => r.id === 'creator_admin')).toMatchObject({
      status: 'concern',
      fromEvidence: true,
    });
    expect(items.find((r) => r.id === 'break_glass')?.evidence).toContain('audit logs are off');
    expect(statusOf(items, 'break_glass')).toBe('concern');
    expect(statusOf(items, 'outsider_access')).toBe('concern');
    // role_lockdown follows the evidence's answer to access_lockdown, and says so.
    expect(items.find((r) => r.id === 'role_lockdown')).toMatchObject({
      status: 'concern',
      fromEvidence: true,
    });
  });

  it('answers them when the cluster shows them in order, and leaves unknowns open', () => {
    const items = registerWithEvidence(q, answers(), 'managed', facts({ creatorAdmin: 'unknown' }));
    expect(statusOf(items, 'creator_admin')).toBe('open');
    expect(items.find((r) => r.id === 'creator_admin')?.fromEvidence).toBeUndefined();
    expect(statusOf(items, 'break_glass')).toBe('answered');
    expect(items.find((r) => r.id === 'outsider_access')).toMatchObject({
      status: 'answered',
      fromEvidence: true,
    });
  });

  it('on a self-hosted verdict, from a cluster the team runs: break-glass and audit logging', async () => {
    const kubeadm = await fixtureFacts('kubeadm');
    const a = answers({ provider_access: opt('no'), self_host_site: opt('own_datacenter') });
    const items = registerWithEvidence(q, a, 'self_hosted_required', kubeadm);
    // Certificate admin works and audit logging cannot be read from the API: still open, with what it showed.
    expect(items.find((r) => r.id === 'break_glass_own')).toMatchObject({
      status: 'open',
      fromEvidence: true,
    });
    expect(items.find((r) => r.id === 'break_glass_own')?.evidence).toContain('client certificate');
    const off = registerWithEvidence(q, a, 'self_hosted_required', { ...kubeadm, auditLogs: 'no' });
    expect(statusOf(off, 'break_glass_own')).toBe('concern');
    expect(statusOf(off, 'audit_retention')).toBe('concern');
    // A managed provider's cluster says nothing about running your own.
    const eks = registerWithEvidence(q, a, 'self_hosted_required', await fixtureFacts('eks'));
    expect(eks.some((r) => r.fromEvidence)).toBe(false);
  });
});
