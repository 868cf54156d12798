import { describe, expect, it } from 'vitest';
import type { Questionnaire } from '../../../src/advisor/questionnaire.js';
import { createAdvisorService } from '../../../src/advisor/service.js';
import { type Answer, newSession, type Session } from '../../../src/advisor/session.js';
import { changePickerMessage, recommendationMessage } from '../../../src/slack/blocks/card.js';
import { validateMessage } from '../../../src/slack/blocks/limits.js';
import { parentMessage } from '../../../src/slack/blocks/parent.js';
import { answeredMessage, questionMessage } from '../../../src/slack/blocks/question.js';
import { restartConfirmMessage } from '../../../src/slack/blocks/restart.js';
import { replacedMessage, revisingMessage, summaryMessage } from '../../../src/slack/blocks/summary.js';
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
  const many = () => Array.from({ length: 20 }, () => long(300));
  q.responsibility = {
    managed: { provider_takes: many(), stays_yours: many() },
    self_hosted: { you_take_on: many(), stays_yours: many() },
  };
  const fact = () => ({
    title: long(60),
    text: long(400),
    source: `https://example.com/${long(200)}`,
    checked: '2026-01-01',
  });
  const risks = (prefix: string) =>
    Array.from({ length: 12 }, (_, i) => ({
      id: `${prefix}${i}`,
      short: long(60),
      question: long(300),
      concern: [],
      notes: { eks: fact() },
      hint: fact(),
    }));
  q.risks = { provider: risks('p'), self_hosted: risks('s') };
  for (const p of Object.values(q.providers)) {
    p.controls = Array.from({ length: 12 }, fact);
    p.responsibility = Array.from({ length: 8 }, fact);
  }
  q.hardened_distributions = Array.from({ length: 8 }, fact);
  for (const m of q.middle_paths) {
    m.text = long(500);
    m.examples = Array.from({ length: 6 }, fact);
  }
  for (const question of q.questions) {
    if (question.find_out) {
      question.find_out = { generic: long(400), eks: Array.from({ length: 4 }, fact) };
    }
  }
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

  it('a superseded card, the channel summary and its other states, and the restart question, at maximum length', () => {
    for (const q of [questionnaire, stretched()]) {
      const { store } = memoryService();
      const service = createAdvisorService({ store, questionnaire: q });
      const s = completed(
        q,
        answers({ provider: opt('eks'), team: opt('small'), provider_access: opt('no') }),
      );
      const rec = service.recommend(s);
      const link = `https://example.slack.com/archives/C1/p${'9'.repeat(200)}`;
      for (const by of ['change', 'restart', 'evidence'] as const) {
        const old = recommendationMessage(q, s, rec, { superseded: { at: 1_750_000_000_000, by } });
        expect(validateMessage(old)).toEqual([]);
        expect(old.blocks.some((b) => b.type === 'actions')).toBe(false);
        expect(old.blocks.length).toBeLessThanOrEqual(cardFor(q, s.answers).blocks.length);
        expect(validateMessage(revisingMessage(q, s, { outcome: 'managed', at: 1, by }, link))).toEqual([]);
      }
      const summary = summaryMessage(s, rec, link);
      expect(validateMessage(summary)).toEqual([]);
      expect(summary.blocks.length).toBeLessThanOrEqual(4);
      expect(validateMessage(replacedMessage(q, s, 'self_hosted', link))).toEqual([]);
      expect(validateMessage(restartConfirmMessage(q, s))).toEqual([]);
    }
  });

  it('carries the recommendation metadata other apps can read', () => {
    const card = cardFor(questionnaire, answers({ access_lockdown: skipped }));
    expect(card.metadata).toMatchObject({
      event_type: 'k8s_advisor_recommendation',
      event_payload: {
        assessment_id: 'a1',
        answers: { team: 'growing', clusters: 3, access_lockdown: 'skipped' },
        questionnaire_version: 2,
        acceptability: 'not_yet_known',
        need: 'moderate',
        open_questions: 'access_lockdown',
        open_risks:
          'role_lockdown,break_glass,creator_admin,control_plane_audit,backups_access,node_patching',
      },
    });
  });

  it('marks each risk question answered, a concern or still open, with provider notes', () => {
    const card = cardFor(
      questionnaire,
      answers({ provider: opt('aks'), access_mitigations: opt('none'), access_lockdown: skipped }),
    );
    const text = JSON.stringify(card.blocks);
    expect(text).toContain(':white_check_mark: How far do you trust the provider');
    expect(text).toContain(':warning: What stops an outsider');
    expect(text).toMatch(
      /:grey_question: How far can the provider's access roles be locked down[^"]*still open/,
    );
    expect(text).toContain('Customer Lockbox');
  });
});
