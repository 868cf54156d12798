import { describe, expect, it } from 'vitest';
import { decide } from '../../src/advisor/decide.js';
import { guidance } from '../../src/advisor/guidance.js';
import { recommend } from '../../src/advisor/recommend.js';
import { responsibility, riskRegister } from '../../src/advisor/risks.js';
import { whatIf } from '../../src/advisor/what-if.js';
import { answers, opt, questionnaire as q } from '../support/questionnaire.js';

describe('recommend', () => {
  it('gathers the verdict, what would flip it, the risk register and who does what, from the answers alone', () => {
    const a = answers({ team: opt('small') });
    const rec = recommend(q, { answers: a });
    const decision = decide(q, a);
    expect(rec.decision).toEqual(decision);
    expect(rec.outcome).toBe(q.outcomes[decision.outcome]);
    expect(rec.whatIf).toEqual(whatIf(q, a));
    expect(rec.risks).toEqual(riskRegister(q, a, decision.outcome));
    expect(rec.responsibility).toEqual(responsibility(q, decision.outcome, a));
    expect(rec.guidance).toEqual(guidance(q, a, decision));
    expect(rec.questionnaireVersion).toBe(q.version);
  });

  it('is pure: the same answers give the same recommendation', () => {
    const a = answers({ provider_access: opt('no') });
    expect(recommend(q, { answers: structuredClone(a) })).toEqual(recommend(q, { answers: a }));
  });
});
