import { describe, expect, it } from 'vitest';
import { questionById } from '../../src/advisor/questionnaire.js';
import { clipText, parseCommand, parseReply } from '../../src/advisor/reply.js';
import { num, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

describe('parseReply', () => {
  const question = (id: string) => {
    const found = questionById(q, id);
    if (!found) throw new Error(id);
    return found;
  };

  it('accepts an option by number, id or label in any case', () => {
    expect(parseReply(question('team'), '1')).toEqual({
      kind: 'answer',
      answer: opt('small'),
      readAs: 'Read “1” as option 1.',
    });
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
    expect(parseReply(question('nodes'), 'about 1,200 nodes')).toEqual({
      kind: 'answer',
      answer: num(1200),
      readAs: 'Read as 1200 nodes.',
    });
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
    // Three could be the third button too: the reply says it was taken as a count.
    expect(parseReply(question('clusters'), '3')).toEqual({
      kind: 'answer',
      answer: num(3),
      readAs: 'Read “3” as 3 clusters, not as button 3.',
    });
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

describe('clipText', () => {
  it('never splits a character made of two UTF-16 units', () => {
    const text = `${'a'.repeat(78)}😀😀😀`;
    const clipped = clipText(text, 80);
    expect(clipped).toBe(`${'a'.repeat(78)}😀…`);
    // No lone surrogate: every UTF-16 unit of a pair kept its partner.
    expect(encodeURIComponent(clipped)).toContain(encodeURIComponent('😀'));
  });
});
