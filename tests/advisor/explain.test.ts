import { describe, expect, it } from 'vitest';
import { explain } from '../../src/advisor/explain.js';
import { newSession } from '../../src/advisor/session.js';
import { opt, questionnaire as q } from '../support/questionnaire.js';

const fresh = newSession({ teamId: 'T1', channelId: 'C1', threadTs: '1.1', userId: 'U1' }, q, 'a1', 0);

describe('explain', () => {
  it('re-asks the waiting question for an invalid answer, with the reason', () => {
    expect(
      explain(q, fresh, { code: 'invalid_answer', questionId: 'team', message: 'No such option.' }),
    ).toMatchObject({
      kind: 'invalid',
      question: { id: 'team' },
      progress: { index: 1 },
      message: 'No such option.',
    });
  });

  it('tells a finished assessment, an answered or out-of-turn question, and a first question apart', () => {
    const answered = { ...fresh, answers: { team: opt('small') } };
    const says = (s: typeof fresh, error: Parameters<typeof explain>[2]) => {
      const step = explain(q, s, error);
      return step.kind === 'rejected' ? step.message : step.kind;
    };
    expect(says(fresh, { code: 'completed' })).toContain('finished');
    expect(says(answered, { code: 'not_current', questionId: 'team', currentId: 'clusters' })).toContain(
      'already answered',
    );
    expect(says(answered, { code: 'not_current', questionId: 'nodes', currentId: 'clusters' })).toContain(
      'not the one waiting',
    );
    expect(says(fresh, { code: 'nothing_to_undo' })).toContain('no earlier question');
    expect(says(fresh, { code: 'unknown_question', questionId: 'x' })).toContain(
      'not part of this assessment',
    );
  });
});
