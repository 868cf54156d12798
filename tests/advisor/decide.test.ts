import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, rank } from '../../src/advisor/decide.js';
import type { Answer } from '../../src/advisor/session.js';
import { answers, num, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

const choice = (...ids: string[]) => fc.oneof(fc.constantFrom(...ids).map(opt), fc.constant(skipped));
const count = fc.oneof(fc.integer({ min: 1, max: 5000 }).map(num), fc.constant(skipped));

/** Any complete or partial set of answers, skips included. */
const anyAnswers = fc.record(
  {
    team: choice('small', 'growing', 'dedicated'),
    clusters: count,
    nodes: count,
    variability: choice('steady', 'seasonal', 'elastic'),
    provider_access: choice('yes', 'with_controls', 'no'),
    provider: choice('eks', 'gke', 'aks', 'other', 'undecided'),
    provider_trust: choice('high', 'medium', 'low'),
    access_mitigations: choice('strong', 'partial', 'none_unknown'),
    access_lockdown: choice('yes', 'partly', 'no_unknown'),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, Answer>>;

/** Each question's options from least to most pull toward managed. */
const TOWARD_MANAGED: Record<string, string[]> = {
  team: ['dedicated', 'growing', 'small'],
  variability: ['steady', 'seasonal', 'elastic'],
  provider_trust: ['low', 'medium', 'high'],
  access_mitigations: ['none_unknown', 'partial', 'strong'],
  access_lockdown: ['no_unknown', 'partly', 'yes'],
};

describe('decide', () => {
  it('gives the same verdict for the same answers', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        expect(decide(q, a)).toEqual(decide(q, structuredClone(a)));
      }),
    );
  });

  it('requires self-hosting whenever provider access is ruled out, whatever else was said', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        expect(decide(q, { ...a, provider_access: opt('no') }).outcome).toBe('self_hosted_required');
      }),
    );
  });

  it('never gives plain managed when provider access needs controls', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        expect(decide(q, { ...a, provider_access: opt('with_controls') }).outcome).not.toBe('managed');
      }),
    );
  });

  it('rules out both managed outcomes when all three trust answers are at their worst', () => {
    fc.assert(
      fc.property(anyAnswers, (a) => {
        const worst = {
          provider_trust: opt('low'),
          access_mitigations: opt('none_unknown'),
          access_lockdown: opt('no_unknown'),
        };
        expect(rank(decide(q, { ...a, ...worst }).outcome)).toBeLessThanOrEqual(rank('self_hosted'));
      }),
    );
  });

  for (const [questionId, order] of Object.entries(TOWARD_MANAGED)) {
    it(`moves toward managed, never away, as ${questionId} moves toward ${order.at(-1)}`, () => {
      fc.assert(
        fc.property(anyAnswers, fc.integer({ min: 0, max: order.length - 2 }), (a, i) => {
          const before = decide(q, { ...a, [questionId]: opt(order[i] as string) }).outcome;
          const after = decide(q, { ...a, [questionId]: opt(order[i + 1] as string) }).outcome;
          expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
        }),
      );
    });
  }

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

  it('reaches each of the four outcomes from realistic answers', () => {
    expect(decide(q, answers({ team: opt('small') })).outcome).toBe('managed');
    expect(decide(q, answers({ provider_access: opt('with_controls') })).outcome).toBe(
      'managed_with_safeguards',
    );
    expect(
      decide(
        q,
        answers({ team: opt('dedicated'), clusters: num(1), nodes: num(5), variability: opt('steady') }),
      ).outcome,
    ).toBe('self_hosted');
    expect(decide(q, answers({ provider_access: opt('no') })).outcome).toBe('self_hosted_required');
  });

  it('lists skipped questions as open and explains itself in the user’s terms', () => {
    const d = decide(q, answers({ access_lockdown: skipped, clusters: num(12) }));
    expect(d.open).toEqual(['access_lockdown']);
    expect(d.reasons.length).toBeGreaterThan(0);
    expect(d.reasons.length).toBeLessThanOrEqual(q.scoring.top_reasons);
    expect(d.reasons.map((r) => r.text).join(' ')).toContain('12 clusters');
  });

  it('puts the deciding rule first: ruled-out provider access leads the reasons', () => {
    const d = decide(q, answers({ provider_access: opt('no') }));
    expect(d.reasons[0]?.questionId).toBe('provider_access');
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

  it('treats unknown provider access as needing safeguards', () => {
    expect(decide(q, answers({ team: opt('small'), provider_access: skipped })).outcome).toBe(
      'managed_with_safeguards',
    );
  });
});
