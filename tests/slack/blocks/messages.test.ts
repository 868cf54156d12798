import { describe, expect, it } from 'vitest';
import type { Questionnaire } from '../../../src/advisor/questionnaire.js';
import { createAdvisorService } from '../../../src/advisor/service.js';
import { type Answer, newSession, type Session } from '../../../src/advisor/session.js';
import { changePickerMessage, recommendationMessage } from '../../../src/slack/blocks/card.js';
import { validateMessage } from '../../../src/slack/blocks/limits.js';
import { parentMessage } from '../../../src/slack/blocks/parent.js';
import { answeredMessage, questionMessage } from '../../../src/slack/blocks/question.js';
import { answers, opt, questionnaire, skipped } from '../../support/questionnaire.js';
import { memoryService } from '../../support/service.js';

const key = { teamId: 'T1', channelId: 'C1', threadTs: '1.0001', userId: 'U1' };

function completed(q: Questionnaire, a: Session['answers']): Session {
  return { ...newSession(key, q, 'a1', 0), status: 'completed', answers: a, outcome: 'managed' };
}

function cardFor(q: Questionnaire, a: Session['answers']) {
  const { store } = memoryService();
  const service = createAdvisorService({ store, questionnaire: q });
  const s = completed(q, a);
  return recommendationMessage(q, s, service.recommend(s));
}

/** A questionnaire with every text at the schema's maximum length, to prove the builders stay in bounds. */
function stretched(): Questionnaire {
  const long = (n: number) => 'x'.repeat(n);
  const q = structuredClone(questionnaire);
  q.title = long(150);
  for (const question of q.questions) {
    question.prompt = long(500);
    question.help = long(500);
    if (question.type === 'choice') for (const o of question.options) o.label = long(75);
  }
  for (const o of Object.values(q.outcomes)) {
    o.title = long(140);
    o.summary = long(300);
  }
  q.small_team_warning = long(1000);
  q.responsibility.provider_takes = Array.from({ length: 20 }, () => long(300));
  q.responsibility.stays_yours = Array.from({ length: 20 }, () => long(300));
  q.responsibility.self_hosted_takes_on = Array.from({ length: 20 }, () => long(300));
  q.risks = Array.from({ length: 12 }, (_, i) => ({
    id: `r${i}`,
    question: long(300),
    concern: [],
    notes: { eks: long(300) },
  }));
  return q;
}

describe('every message the app posts stays within Slack’s limits', () => {
  it('questions, asked and answered, at every step and with a warning', () => {
    for (const question of questionnaire.questions) {
      expect(validateMessage(questionMessage(question, { index: 3, total: 9 }))).toEqual([]);
      expect(validateMessage(questionMessage(question, { index: 3, total: 9 }, 'y'.repeat(2000)))).toEqual(
        [],
      );
      expect(validateMessage(answeredMessage(question, 'Small'))).toEqual([]);
    }
  });

  it('the card for each outcome, and the shared copy', () => {
    const variants: Record<string, Answer>[] = [
      {},
      { provider_access: opt('no'), team: opt('small') },
      { access_lockdown: skipped },
    ];
    for (const over of variants) {
      const card = cardFor(questionnaire, answers(over));
      expect(validateMessage(card)).toEqual([]);
      expect(card.text.length).toBeGreaterThan(20);
    }
  });

  it('the card and questions with every questionnaire text at its maximum length', () => {
    const q = stretched();
    const card = cardFor(
      q,
      answers({ provider: opt('eks'), team: opt('small'), provider_access: opt('no') }),
    );
    expect(validateMessage(card)).toEqual([]);
    for (const question of q.questions)
      expect(validateMessage(questionMessage(question, { index: 9, total: 9 }))).toEqual([]);
    expect(validateMessage(changePickerMessage(q, completed(q, answers())))).toEqual([]);
    expect(
      validateMessage(parentMessage(q, { userId: 'U1', outcome: null }, { index: 1, total: 9 })),
    ).toEqual([]);
    expect(validateMessage(parentMessage(q, { userId: 'U1', outcome: 'self_hosted' }))).toEqual([]);
  });

  it('carries the recommendation metadata other apps can read', () => {
    const card = cardFor(questionnaire, answers({ access_lockdown: skipped }));
    expect(card.metadata).toMatchObject({
      event_type: 'k8s_advisor_recommendation',
      event_payload: {
        assessment_id: 'a1',
        outcome: 'managed',
        answers: { team: 'growing', clusters: 3, access_lockdown: 'skipped' },
        open_questions: ['access_lockdown'],
      },
    });
  });

  it('marks each risk question answered, a concern or still open, with provider notes', () => {
    const card = cardFor(
      questionnaire,
      answers({ provider: opt('aks'), provider_trust: opt('low'), access_lockdown: skipped }),
    );
    const text = JSON.stringify(card.blocks);
    expect(text).toContain(':warning: How far do you trust the provider');
    expect(text).toContain(':white_check_mark: What stops an outsider');
    expect(text).toMatch(
      /:grey_question: How far can the provider's access roles be locked down[^"]*still open/,
    );
    expect(text).toContain('Customer Lockbox');
  });
});
