import { describe, expect, it } from 'vitest';
import { decide } from '../../src/advisor/decide.js';
import { clipText, parseReply } from '../../src/advisor/reply.js';
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
import { num, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

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

describe('parseReply', () => {
  const question = (id: string) => {
    const found = q.questions.find((x) => x.id === id);
    if (!found) throw new Error(id);
    return found;
  };

  it('accepts an option by number, id or label in any case', () => {
    expect(parseReply(question('team'), '1')).toEqual({ kind: 'answer', answer: opt('small') });
    expect(parseReply(question('team'), 'Dedicated')).toEqual({ kind: 'answer', answer: opt('dedicated') });
    expect(parseReply(question('provider_access'), 'with controls')).toEqual({
      kind: 'answer',
      answer: opt('with_controls'),
    });
    expect(parseReply(question('provider_access'), 'YES!')).toEqual({ kind: 'answer', answer: opt('yes') });
    expect(parseReply(question('variability'), 'steady, it barely changes')).toEqual({
      kind: 'answer',
      answer: opt('steady'),
    });
  });

  it('accepts a number for a number question, with words or separators around it', () => {
    expect(parseReply(question('clusters'), '12')).toEqual({ kind: 'answer', answer: num(12) });
    expect(parseReply(question('nodes'), 'about 1,200 nodes')).toEqual({ kind: 'answer', answer: num(1200) });
  });

  it('understands skip, back and restart', () => {
    expect(parseReply(question('team'), 'Skip')).toEqual({ kind: 'answer', answer: skipped });
    expect(parseReply(question('team'), 'back')).toEqual({ kind: 'back' });
    expect(parseReply(question('clusters'), 'RESTART')).toEqual({ kind: 'restart' });
  });

  it('re-asks anything else with a message saying what works', () => {
    const r = parseReply(question('team'), 'we are five');
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.message).toMatch(/number from 1 to 3/);
    expect(parseReply(question('team'), '7').kind).toBe('invalid');
    expect(parseReply(question('clusters'), 'zero').kind).toBe('invalid');
    expect(parseReply(question('clusters'), '0').kind).toBe('invalid');
    expect(parseReply(question('clusters'), '3 or 4').kind).toBe('invalid');
    expect(parseReply(question('clusters'), '-3').kind).toBe('invalid');
  });

  it('accepts option ids with underscores, typed plainly or wrapped in Slack formatting', () => {
    expect(parseReply(question('provider_access'), 'with_controls')).toEqual({
      kind: 'answer',
      answer: opt('with_controls'),
    });
    expect(parseReply(question('provider_access'), '_with_controls_')).toEqual({
      kind: 'answer',
      answer: opt('with_controls'),
    });
    expect(parseReply(question('self_host_site'), '*same_cloud*')).toEqual({
      kind: 'answer',
      answer: opt('same_cloud'),
    });
    expect(parseReply(question('access_mitigations'), 'none_unknown')).toEqual({
      kind: 'answer',
      answer: opt('unknown'),
    });
  });

  it('keeps the words of a preset range, and a typed number as typed', () => {
    expect(parseReply(question('clusters'), '2 to 5')).toEqual({ kind: 'answer', answer: num(3, '2 to 5') });
    expect(parseReply(question('clusters'), '3')).toEqual({ kind: 'answer', answer: num(3) });
  });

  it('reads Slack’s longest message in linear time, whatever it holds', () => {
    const hostile = [
      `${'.'.repeat(39_999)}x`,
      `${'!'.repeat(39_999)}`,
      `${'1,'.repeat(19_999)}x`,
      `${'_*'.repeat(20_000)}`,
    ];
    // Not a speed target: a backtracking pattern takes seconds on one such reply (the old trailing-punctuation
    // pattern took 1.5 s), a linear pass a millisecond, so the bound only catches super-linear work.
    const started = performance.now();
    for (const text of hostile) for (const id of ['team', 'clusters']) parseReply(question(id), text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('clipText', () => {
  it('never splits a character made of two UTF-16 units', () => {
    const text = `${'a'.repeat(78)}😀😀😀`;
    const clipped = clipText(text, 80);
    expect(clipped).toBe(`${'a'.repeat(78)}😀…`);
    // No lone surrogate: every UTF-16 unit of a pair kept its partner.
    expect(encodeURIComponent(clipped)).toContain(encodeURIComponent('😀'));
  });
});
