import { describe, expect, it } from 'vitest';
import { decide } from '../../src/advisor/decide.js';
import { describeAnswer } from '../../src/advisor/session.js';
import { upgradeAnswers, upgradeSession } from '../../src/advisor/upgrade.js';
import { answers, opt, questionnaire as q } from '../support/questionnaire.js';

describe('answers given under questionnaire version 1', () => {
  const v1 = answers({ access_mitigations: opt('none_unknown'), access_lockdown: opt('no_unknown') });

  it('read the retired "none or we do not know" options as today’s "we do not know yet"', () => {
    expect(upgradeAnswers(q, v1)).toMatchObject({
      access_mitigations: opt('unknown'),
      access_lockdown: opt('unknown'),
    });
  });

  it('decide and read the same before and after the upgrade', () => {
    expect(decide(q, v1)).toEqual(decide(q, upgradeAnswers(q, v1)));
    const question = q.questions.find((x) => x.id === 'access_mitigations');
    if (!question) throw new Error('access_mitigations is gone');
    expect(describeAnswer(question, opt('none_unknown'))).toBe('We do not know yet');
  });

  it('leave current answers untouched, as the same object', () => {
    const current = answers();
    expect(upgradeAnswers(q, current)).toBe(current);
    const s = { answers: current, questionnaireVersion: 2 };
    expect(upgradeSession(q, s)).toBe(s);
  });

  it('keep the version the answers were given under until the assessment changes', () => {
    const s = { answers: v1, questionnaireVersion: 1 };
    expect(upgradeSession(q, s)).toMatchObject({
      questionnaireVersion: 1,
      answers: { access_lockdown: opt('unknown') },
    });
  });
});
