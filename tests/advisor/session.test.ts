import { describe, expect, it } from 'vitest';
import { decide } from '../../src/advisor/decide.js';
import {
  type Answer,
  answerQuestion,
  currentQuestion,
  goBack,
  newSession,
  progress,
  reopen,
  restart,
  type Session,
} from '../../src/advisor/session.js';
import { num, opt, questionnaire as q } from '../support/questionnaire.js';

const outcomeOf = (s: Session) => decide(q, s.answers).outcome;
const key = { teamId: 'T1', channelId: 'C1', threadTs: '1.000100', userId: 'U1' };
const fresh = () => newSession(key, q, 'a1', 0);

function walk(s: Session, ...answers: Answer[]): Session {
  return answers.reduce((acc, a, i) => {
    const question = currentQuestion(q, acc);
    if (!question) throw new Error(`no question left for answer ${i}`);
    const r = answerQuestion(q, acc, question.id, a, i + 1, outcomeOf);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  }, s);
}

describe('session', () => {
  it('asks the questions in order with progress, and completes with an outcome', () => {
    let s = fresh();
    expect(currentQuestion(q, s)?.id).toBe('team');
    expect(progress(q, s)).toEqual({ index: 1, total: 10 });
    s = walk(s, opt('small'), num(2), num(8), opt('steady'));
    expect(currentQuestion(q, s)?.id).toBe('provider_access');
    expect(progress(q, s)).toEqual({ index: 5, total: 10 });
    s = walk(s, opt('yes'), opt('none'), opt('gke'), opt('high'), opt('strong'), opt('yes'));
    expect(s.status).toBe('completed');
    expect(s.outcome).toBe('managed');
    expect(currentQuestion(q, s)).toBeUndefined();
  });

  it('skips the provider questions when provider access is ruled out, and asks where to self-host', () => {
    const s = walk(fresh(), opt('small'), num(2), num(8), opt('steady'));
    expect(progress(q, s).total).toBe(10);
    const ruledOut = walk(s, opt('no'));
    expect(currentQuestion(q, ruledOut)?.id).toBe('self_host_site');
    const done = walk(ruledOut, opt('own_datacenter'));
    expect(done.status).toBe('completed');
    expect(done.outcome).toBe('self_hosted_required');
    expect(progress(q, done).total).toBe(6);
  });

  it('asks where to self-host only once the verdict is self-hosted, and drops it when that changes', () => {
    const distrust = walk(
      fresh(),
      opt('growing'),
      num(1),
      num(5),
      opt('steady'),
      opt('yes'),
      opt('none'),
      opt('aks'),
      opt('low'),
      opt('partial'),
      opt('partly'),
    );
    expect(currentQuestion(q, distrust)?.id).toBe('self_host_site');
    const done = walk(distrust, opt('same_cloud'));
    expect(done.outcome).toBe('self_hosted');
    const r = reopen(q, done, 'provider_trust', 30, outcomeOf);
    if (!r.ok) throw new Error('reopen failed');
    const trusted = walk(r.value, opt('high'));
    expect(trusted.status).toBe('completed');
    expect(trusted.outcome).toBe('managed_with_safeguards');
    expect(Object.keys(trusted.answers)).not.toContain('self_host_site');
  });

  it('records the questionnaire version the answers were given under', () => {
    const s = walk(fresh(), opt('small'));
    expect(s.questionnaireVersion).toBe(q.version);
    expect(walk({ ...fresh(), questionnaireVersion: 1 }, opt('small')).questionnaireVersion).toBe(q.version);
  });

  it('refuses an answer to a question that is not the current one, or an invalid one, changing nothing', () => {
    const s = fresh();
    const wrong = answerQuestion(q, s, 'clusters', num(3), 1, outcomeOf);
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'not_current', questionId: 'clusters', currentId: 'team' },
    });
    const bad = answerQuestion(q, s, 'team', opt('huge'), 1, outcomeOf);
    expect(bad.ok).toBe(false);
    const s2 = walk(s, opt('small'));
    expect(answerQuestion(q, s2, 'clusters', num(0), 1, outcomeOf).ok).toBe(false);
    expect(answerQuestion(q, s2, 'clusters', num(2.5), 1, outcomeOf).ok).toBe(false);
  });

  it('goes back one question at a time, reopening a completed assessment', () => {
    const done = walk(fresh(), opt('small'), num(2), num(8), opt('steady'), opt('no'), opt('undecided'));
    const back = goBack(q, done, 9, outcomeOf);
    expect(back.ok && back.value.status).toBe('active');
    expect(back.ok && currentQuestion(q, back.value)?.id).toBe('self_host_site');
    expect(goBack(q, fresh(), 1, outcomeOf)).toEqual({ ok: false, error: { code: 'nothing_to_undo' } });
  });

  it('drops answers that a changed answer made irrelevant', () => {
    const done = walk(
      fresh(),
      opt('small'),
      num(2),
      num(8),
      opt('steady'),
      opt('yes'),
      opt('none'),
      opt('aks'),
      opt('high'),
      opt('partial'),
      opt('partly'),
    );
    const r = reopen(q, done, 'provider_access', 20, outcomeOf);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(currentQuestion(q, r.value)?.id).toBe('provider_access');
    const changed = walk(r.value, opt('no'), opt('own_datacenter'));
    expect(changed.status).toBe('completed');
    expect(Object.keys(changed.answers)).not.toContain('provider_trust');
  });

  it('restarts from the first question and counts the restart', () => {
    const s = restart(walk(fresh(), opt('small'), num(2)), 5);
    expect(s.answers).toEqual({});
    expect(s.restarts).toBe(1);
    expect(currentQuestion(q, s)?.id).toBe('team');
  });
});
