import { describe, expect, it } from 'vitest';
import { questionById } from '../../src/advisor/questionnaire.js';
import { newSession } from '../../src/advisor/session.js';
import { showStep } from '../../src/advisor/steps.js';
import { answers, questionnaire as q } from '../support/questionnaire.js';

const fresh = newSession({ teamId: 'T1', channelId: 'C1', threadTs: '1.1', userId: 'U1' }, q, 'a1', 0);

describe('showStep', () => {
  it('shows an assessment in progress as its current question, with progress, the last answer and a note', () => {
    const team = questionById(q, 'team');
    if (!team) throw new Error('team');
    const answered = { question: team, label: 'Small' };
    expect(showStep(q, fresh, answered, 'Shown again.')).toMatchObject({
      kind: 'ask',
      question: { id: 'team' },
      progress: { index: 1, total: 10 },
      answered,
      note: 'Shown again.',
    });
    expect(showStep(q, fresh)).not.toHaveProperty('note');
  });

  it('shows a complete one as its card', () => {
    const complete = {
      ...fresh,
      status: 'completed' as const,
      answers: answers(),
      outcome: 'managed' as const,
    };
    expect(showStep(q, complete)).toMatchObject({
      kind: 'done',
      recommendation: { outcome: expect.any(Object) },
    });
  });
});
