import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, rank } from '../../src/advisor/decide.js';
import type { Answer } from '../../src/advisor/session.js';
import { anyAnswers, choice } from '../support/arbitraries.js';
import { answers, num, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

/** Each need question's options, from least to most work a provider would take off the team. */
const NEED_ORDER: Record<string, string[]> = {
  team: ['dedicated', 'growing', 'small'],
  variability: ['steady', 'seasonal', 'elastic'],
};

/**
 * Each trust question's options from least to most trust. "We do not know" sits below an honest middle answer:
 * knowing more may lift the verdict, never lower it past what an honest "partly" gives.
 */
const TRUST_ORDER: Record<string, string[]> = {
  provider_access: ['no', 'with_controls', 'yes'],
  provider_trust: ['low', 'medium', 'high'],
  access_mitigations: ['none', 'unknown', 'partial', 'strong'],
  access_lockdown: ['no', 'unknown', 'partly', 'yes'],
};

const UNKNOWN_OPTION: Record<string, string> = { access_mitigations: 'unknown', access_lockdown: 'unknown' };
const PROVIDER_QUESTIONS = ['provider_trust', 'access_mitigations', 'access_lockdown'];

const monotone = (order: Record<string, string[]>) => {
  for (const [questionId, options] of Object.entries(order)) {
    it(`moves toward managed, never away, as ${questionId} moves toward ${options.at(-1)}`, () => {
      fc.assert(
        fc.property(anyAnswers, fc.integer({ min: 0, max: options.length - 2 }), (a, i) => {
          const before = decide(q, { ...a, [questionId]: opt(options[i] as string) }).outcome;
          const after = decide(q, { ...a, [questionId]: opt(options[i + 1] as string) }).outcome;
          expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
        }),
      );
    });
  }
};

describe('decide: properties over every answer combination', () => {
  it('gives the same verdict for the same answers', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        expect(decide(q, a)).toEqual(decide(q, structuredClone(a)));
      }),
    );
  });

  describe('is monotone in need', () => {
    monotone(NEED_ORDER);
    for (const questionId of ['clusters', 'nodes']) {
      it(`moves toward managed, never away, as ${questionId} grows`, () => {
        fc.assert(
          fc.property(
            anyAnswers,
            fc.integer({ min: 1, max: 2000 }),
            fc.integer({ min: 0, max: 2000 }),
            (a, n, more) => {
              const before = decide(q, { ...a, [questionId]: num(n) }).outcome;
              const after = decide(q, { ...a, [questionId]: num(n + more) }).outcome;
              expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
            },
          ),
        );
      });
    }
  });

  describe('is monotone in trust', () => monotone(TRUST_ORDER));

  it('never lets a skip beat an honest "we do not know": same verdict, same judgments', () => {
    fc.assert(
      fc.property(anyAnswers, fc.constantFrom(...Object.keys(UNKNOWN_OPTION)), (a, questionId) => {
        const honest = decide(q, { ...a, [questionId]: opt(UNKNOWN_OPTION[questionId] as string) });
        const skip = decide(q, { ...a, [questionId]: skipped });
        expect(skip.outcome).toBe(honest.outcome);
        expect(skip.acceptability.level).toBe(honest.acceptability.level);
      }),
    );
  });

  it('treats a skipped provider_trust like an honest "medium": never better', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        const skip = decide(q, { ...a, provider_trust: skipped }).outcome;
        const medium = decide(q, { ...a, provider_trust: opt('medium') }).outcome;
        expect(rank(skip)).toBeLessThanOrEqual(rank(medium));
      }),
    );
  });

  it('never gives a small team a self-hosted verdict from unknowns alone', () => {
    const unknownish = fc.record({
      provider_access: fc.constantFrom(opt('yes'), opt('with_controls'), skipped),
      compliance: fc.constantFrom(
        opt('none'),
        opt('regulated'),
        opt('government'),
        opt('sovereignty'),
        skipped,
      ),
      provider_trust: fc.constantFrom(opt('high'), opt('medium'), skipped),
      access_mitigations: fc.constantFrom(opt('unknown'), opt('partial'), opt('strong'), skipped),
      access_lockdown: fc.constantFrom(opt('unknown'), opt('partly'), opt('yes'), skipped),
    });
    fc.assert(
      fc.property(anyAnswers, unknownish, (a, provider) => {
        const d = decide(q, { ...a, ...provider, team: opt('small') });
        expect(d.outcome).toBe(
          d.acceptability.level === 'acceptable' ? 'managed' : 'managed_with_safeguards',
        );
      }),
    );
  });

  it('gives managed with safeguards, unknowns listed, whenever the need favours a provider and only unknowns stand in the way', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        const open: Record<string, Answer> = { ...a, provider_access: opt('yes'), compliance: opt('none') };
        for (const id of PROVIDER_QUESTIONS) open[id] = skipped;
        const d = decide(q, open);
        if (!d.need.favoursProvider) return;
        expect(d.outcome).toBe('managed_with_safeguards');
        expect(d.acceptability.unknowns).toEqual(PROVIDER_QUESTIONS);
        expect(d.explanation).toBe('not_yet_known');
      }),
    );
  });

  it('requires self-hosting whenever provider access is ruled out or the site is air-gapped', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        expect(decide(q, { ...a, provider_access: opt('no') }).outcome).toBe('self_hosted_required');
        const airgapped = { ...a, provider_access: opt('yes'), compliance: opt('airgapped') };
        expect(decide(q, airgapped).outcome).toBe('self_hosted_required');
      }),
    );
  });

  it('never gives plain managed when provider access needs controls or a compliance regime applies', () => {
    fc.assert(
      fc.property(anyAnswers, fc.constantFrom('regulated', 'government', 'sovereignty'), (a, regime) => {
        expect(decide(q, { ...a, provider_access: opt('with_controls') }).outcome).not.toBe('managed');
        expect(decide(q, { ...a, compliance: opt(regime) }).outcome).not.toBe('managed');
      }),
    );
  });

  it('makes a provider unacceptable when the trust answers are at their worst, whatever the need', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        const worst = {
          provider_trust: opt('low'),
          access_mitigations: opt('none'),
          access_lockdown: opt('no'),
        };
        const d = decide(q, { ...a, provider_access: opt('yes'), compliance: opt('none'), ...worst });
        expect(d.acceptability.level).toBe('unacceptable');
        expect(d.outcome).toBe('self_hosted');
        expect(d.decidedBy).toBe('acceptability');
      }),
    );
  });

  it('never lets the context questions (provider, where to self-host) change the verdict', () => {
    fc.assert(
      fc.property(
        anyAnswers,
        choice('eks', 'gke', 'aks', 'other', 'undecided'),
        choice('same_cloud', 'own_datacenter'),
        (a, p, site) => {
          const base = decide(q, a).outcome;
          expect(decide(q, { ...a, provider: p, self_host_site: site }).outcome).toBe(base);
        },
      ),
    );
  });
});

describe('decide: the two judgments and what it says', () => {
  it('keeps the judgments apart: trust never moves the need, need never moves acceptability', () => {
    const trusting = decide(q, answers({ provider_trust: opt('high') }));
    const wary = decide(q, answers({ provider_trust: opt('low') }));
    expect(wary.need).toEqual(trusting.need);
    const big = decide(q, answers({ clusters: num(40), nodes: num(900) }));
    const tiny = decide(q, answers({ clusters: num(1), nodes: num(3) }));
    expect(big.acceptability.level).toBe(tiny.acceptability.level);
    expect(big.acceptability.trust).toBe(tiny.acceptability.trust);
  });

  it('lists skipped questions as open and explains itself in the user’s terms', () => {
    const d = decide(q, answers({ access_lockdown: skipped, clusters: num(12) }));
    expect(d.open).toEqual(['access_lockdown']);
    expect(d.acceptability.unknowns).toEqual(['access_lockdown']);
    expect(d.reasons.length).toBeLessThanOrEqual(q.scoring.top_reasons);
    expect(d.need.reasons.map((r) => r.text).join(' ')).toContain('12 clusters');
  });

  it('words a preset answer with the range chosen, a typed one with the number typed', () => {
    const preset = decide(q, answers({ clusters: num(3, '2 to 5') }));
    expect(preset.need.reasons.map((r) => r.text).join(' ')).toContain('2 to 5 clusters');
    const under = decide(q, answers({ nodes: num(5, 'Under 10') }));
    expect(under.need.reasons.map((r) => r.text).join(' ')).toContain('With under 10 nodes');
    const typed = decide(q, answers({ clusters: num(4) }));
    expect(typed.need.reasons.map((r) => r.text).join(' ')).toContain('4 clusters');
  });

  it('puts the deciding rule first: ruled-out provider access leads the reasons', () => {
    const d = decide(q, answers({ provider_access: opt('no') }));
    expect(d.reasons[0]?.questionId).toBe('provider_access');
    expect(d.decidedBy).toBe('acceptability');
  });

  it('lists a skipped compliance or site question as open without changing the verdict', () => {
    const withNone = decide(q, answers({ compliance: opt('none') }));
    const skippedCompliance = decide(q, answers({ compliance: skipped }));
    expect(skippedCompliance.outcome).toBe(withNone.outcome);
    expect(skippedCompliance.open).toContain('compliance');
    const required = decide(q, answers({ provider_access: opt('no'), self_host_site: skipped }));
    expect(required.outcome).toBe('self_hosted_required');
    expect(required.open).toContain('self_host_site');
  });

  it('warns a small team told to self-host that this is a risk of its own', () => {
    expect(decide(q, answers({ team: opt('small'), provider_access: opt('no') })).smallTeamWarning).toBe(
      true,
    );
    expect(decide(q, answers({ team: opt('dedicated'), provider_access: opt('no') })).smallTeamWarning).toBe(
      false,
    );
    expect(decide(q, answers({ team: opt('small') })).smallTeamWarning).toBe(false);
  });
});
