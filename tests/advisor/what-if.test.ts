import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, rank } from '../../src/advisor/decide.js';
import type { Answer } from '../../src/advisor/session.js';
import { whatIf } from '../../src/advisor/what-if.js';
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
      access_mitigations: choice('strong', 'partial', 'none_unknown'),
      access_lockdown: choice('yes', 'partly', 'no_unknown'),
    }) as fc.Arbitrary<Record<string, Answer>>;
    fc.assert(
      fc.property(arb, (a) => {
        const base = decide(q, a).outcome;
        const flips = whatIf(q, a, 10);
        for (const f of flips) {
          expect(f.outcome).not.toBe(base);
          expect(decide(q, { ...a, [f.questionId]: f.answer }).outcome).toBe(f.outcome);
        }
        const distances = flips.map((f) => Math.abs(rank(f.outcome) - rank(base)));
        expect(distances).toEqual([...distances].sort((x, y) => x - y));
      }),
      { numRuns: 200 },
    );
  });
});
