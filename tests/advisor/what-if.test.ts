import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, rank } from '../../src/advisor/decide.js';
import type { Answer } from '../../src/advisor/session.js';
import { type Flip, flipCondition, whatIf } from '../../src/advisor/what-if.js';
import { answers, num, opt, questionnaire as q } from '../support/questionnaire.js';

describe('whatIf', () => {
  it('names the single answer that lifts the safeguards cap', () => {
    const a = answers({ team: opt('small'), provider_access: opt('with_controls') });
    expect(decide(q, a).outcome).toBe('managed_with_safeguards');
    expect(whatIf(q, a)).toContainEqual(
      expect.objectContaining({ questionId: 'provider_access', answer: opt('yes'), outcome: 'managed' }),
    );
  });

  it('shows how far a required self-hosting is from a provider', () => {
    const flips = whatIf(q, answers({ team: opt('small'), provider_access: opt('no') }));
    expect(flips[0]).toMatchObject({ questionId: 'provider_access' });
    expect(flips.every((f) => f.questionId === 'provider_access')).toBe(true);
  });

  it('puts the provider-side change first when doubts about the provider hold the verdict back', () => {
    const a = answers({ team: opt('small'), provider_trust: opt('medium') });
    expect(decide(q, a).outcome).toBe('managed_with_safeguards');
    expect(whatIf(q, a)[0]).toMatchObject({ questionId: 'provider_trust', outcome: 'managed' });
  });

  it('names number alternatives by a preset range, never by a figure nobody gave', () => {
    const a = answers({
      team: opt('dedicated'),
      clusters: num(1, '1'),
      nodes: num(5, 'Under 10'),
      variability: opt('steady'),
      provider_trust: opt('medium'),
    });
    const flip = whatIf(q, a, 10).find((f) => f.questionId === 'clusters');
    expect(flip?.label).toBe('6 to 15 clusters');
    expect(flip?.answer).toEqual(num(8, '6 to 15'));
  });

  it('names settling several unknowns together when no single answer would lift the verdict', () => {
    const a = answers({
      team: opt('small'),
      access_mitigations: opt('unknown'),
      access_lockdown: opt('unknown'),
    });
    expect(decide(q, a).outcome).toBe('managed_with_safeguards');
    const [first] = whatIf(q, a);
    expect(first).toMatchObject({
      questionId: 'access_mitigations',
      answer: opt('strong'),
      also: [{ questionId: 'access_lockdown', answer: opt('yes') }],
      outcome: 'managed',
    });
    expect(flipCondition(q, first as Flip, (l) => `"${l}"`)).toBe(
      'If the guards on provider access were "Strong controls we have checked" and restricting the provider\'s roles were "Yes"',
    );
  });

  it('tries other bands for number answers', () => {
    const a = answers({
      team: opt('dedicated'),
      clusters: num(1),
      nodes: num(5),
      variability: opt('steady'),
      provider_trust: opt('medium'),
    });
    expect(decide(q, a).outcome).toBe('self_hosted');
    const flip = whatIf(q, a, 10).find((f) => f.questionId === 'clusters');
    expect(flip?.answer.kind).toBe('number');
    expect(flip?.label).toMatch(/clusters$/);
  });

  it('only reports changes that really flip the verdict, nearest first', () => {
    const choice = (...ids: string[]) => fc.constantFrom(...ids).map(opt);
    const arb = fc.record({
      team: choice('small', 'growing', 'dedicated'),
      clusters: fc.integer({ min: 1, max: 40 }).map(num),
      nodes: fc.integer({ min: 1, max: 400 }).map(num),
      variability: choice('steady', 'seasonal', 'elastic'),
      provider_access: choice('yes', 'with_controls', 'no'),
      provider_trust: choice('high', 'medium', 'low'),
      compliance: choice('none', 'regulated', 'government', 'sovereignty', 'airgapped'),
      access_mitigations: choice('strong', 'partial', 'none', 'unknown'),
      access_lockdown: choice('yes', 'partly', 'no', 'unknown'),
    }) as fc.Arbitrary<Record<string, Answer>>;
    const judgment = (id: string) => q.questions.find((x) => x.id === id)?.judgment;
    fc.assert(
      fc.property(arb, (a) => {
        const decision = decide(q, a);
        const base = decision.outcome;
        const flips = whatIf(q, a, 10);
        for (const f of flips) {
          expect(f.outcome).not.toBe(base);
          const changed = Object.fromEntries([f, ...(f.also ?? [])].map((c) => [c.questionId, c.answer]));
          expect(decide(q, { ...a, ...changed }).outcome).toBe(f.outcome);
        }
        // A change of several unknowns together, when named, comes first and lifts the verdict.
        const together = flips.filter((f) => f.also);
        expect(together.length).toBeLessThanOrEqual(1);
        if (together[0]) {
          expect(flips[0]).toBe(together[0]);
          expect(rank(together[0].outcome)).toBeGreaterThan(rank(base));
        }
        // When the provider's side holds the verdict back, its changes come first; nearest first within each.
        const heldBack = base !== 'managed' && decision.acceptability.level !== 'acceptable';
        const group = (f: (typeof flips)[number]) =>
          heldBack && judgment(f.questionId) === 'acceptability' ? (rank(f.outcome) > rank(base) ? 0 : 1) : 2;
        const keys = flips
          .filter((f) => !f.also)
          .map((f) => [group(f), Math.abs(rank(f.outcome) - rank(base))] as const);
        const sorted = [...keys].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
        expect(keys).toEqual(sorted);
      }),
      { numRuns: 200 },
    );
  });
});
