import { describe, expect, it } from 'vitest';
import { questionById } from '../../src/advisor/questionnaire.js';
import { parseCommand, parseReply } from '../../src/advisor/reply.js';
import { num, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

describe('parseReply', () => {
  const question = (id: string) => {
    const found = questionById(q, id);
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
  });
});

describe('parseCommand', () => {
  it('reads back and restart whatever is waiting, in any case and with trailing punctuation or markup', () => {
    for (const text of ['back', 'Go back', 'UNDO', '  back.']) expect(parseCommand(text)).toBe('back');
    for (const text of ['restart', 'Start over!', '*restart*', 'RESTART?'])
      expect(parseCommand(text)).toBe('restart');
  });

  it('takes nothing else for a command, answers included', () => {
    for (const text of ['1', 'skip', 'restart now', 'go', 'backup', ''])
      expect(parseCommand(text)).toBeUndefined();
  });

  it('knows the same commands as parseReply, so a reply is never read two ways', () => {
    const team = questionById(q, 'team');
    if (!team) throw new Error('team');
    for (const text of ['back', 'go back', 'undo', 'restart', 'start over', 'Restart!']) {
      expect(parseReply(team, text)).toEqual({ kind: parseCommand(text) });
    }
  });
});
