import { describe, expect, it } from 'vitest';
import { newSession, type Session } from '../../../src/advisor/session.js';
import type { AssessmentPage } from '../../../src/advisor/user-data.js';
import { homeView } from '../../../src/slack/blocks/home.js';
import { SLACK_LIMITS, validateView } from '../../../src/slack/blocks/limits.js';
import { answers, opt, questionnaire as q } from '../../support/questionnaire.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 6, 1);
const opts = (links: Record<string, string> = {}) => ({ links, now: NOW, idleMs: 14 * DAY });

function assessment(i: number, over: Partial<Session> = {}): Session {
  const s = newSession(
    { teamId: 'T1', channelId: i % 3 === 0 ? 'D1' : `C${i}`, threadTs: `1750000000.${i}`, userId: 'U1' },
    q,
    `a${i}`,
    NOW - (i + 1) * DAY,
  );
  return { ...s, updatedAt: NOW - i * 3_600_000, ...over };
}
const done = (i: number) =>
  assessment(i, {
    status: 'completed',
    outcome: 'managed_with_safeguards',
    answers: answers(),
    completedAt: NOW - i * 3_600_000,
  });

const pageOf = (sessions: Session[], total = sessions.length, page = 1, pageSize = 20): AssessmentPage => ({
  sessions,
  total,
  page,
  pages: Math.max(1, Math.ceil(total / pageSize)),
  pageSize,
});

const text = (view: { blocks: unknown[] }) => JSON.stringify(view.blocks);
const actionIds = (view: { blocks: unknown[] }) =>
  [...text(view).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);

describe('the App Home view', () => {
  it('lists a decision kept through a restart beside the assessment that replaced it', () => {
    const kept = { ...done(1), archivedAt: NOW - 1_000 };
    const again = assessment(0, { threadTs: kept.threadTs, channelId: kept.channelId, restarts: 1 });
    const view = homeView(q, pageOf([again, kept]), opts());
    expect(validateView(view)).toEqual([]);
    expect(text(view)).toContain('Managed Kubernetes, with safeguards');
    expect(text(view)).toContain(`started again <!date^${Math.floor((NOW - 1_000) / 1000)}^`);
    expect(text(view)).toContain('In progress');
  });

  it('with no assessments: says so, and offers to start one', () => {
    const view = homeView(q, pageOf([]), opts());
    expect(validateView(view)).toEqual([]);
    expect(view.type).toBe('home');
    expect(text(view)).toContain('You have no assessments yet');
    expect(actionIds(view)).toEqual(['home:start']);
    expect(text(view)).toContain('Start a new assessment');
  });

  it('with one: its verdict, its date and a link to its thread', () => {
    const s = done(1);
    const link = 'https://standin.slack.com/archives/C1/p1750000000000001';
    const view = homeView(q, pageOf([s]), opts({ [s.id]: link }));
    expect(validateView(view)).toEqual([]);
    const shown = text(view);
    const outcome = q.outcomes.managed_with_safeguards;
    expect(shown).toContain(`${outcome.emoji} *<${link}|${outcome.title}>*`);
    expect(shown).toContain(
      `<!date^${Math.floor((s.completedAt as number) / 1000)}^{date_short_pretty}|2025-06-30>`,
    );
    expect(shown).toContain('in <#C1>');
    expect(shown).toContain('1 assessment');
    expect(actionIds(view)).toEqual(['home:start']);
  });

  it('shows assessments in progress with their question, and expired ones as such', () => {
    const going = assessment(2, { answers: { team: opt('small') } });
    const idle = assessment(4, { updatedAt: NOW - 15 * DAY });
    const dm = assessment(3);
    const shown = text(homeView(q, pageOf([going, idle, dm]), opts()));
    expect(shown).toMatch(/In progress — question 2 of \d+/);
    expect(shown).toMatch(/Expired at question 1 of \d+/);
    expect(shown).toContain('in our direct messages');
  });

  it('with more than a page: one page in order, within 100 blocks, with buttons to the others', () => {
    const total = 57;
    const all = Array.from({ length: total }, (_, i) => (i % 2 ? done(i) : assessment(i)));
    const links = Object.fromEntries(
      all.map((s) => [s.id, `https://x.slack.com/archives/${s.channelId}/p${s.id}`]),
    );
    const pages = [1, 2, 3].map((p) =>
      homeView(q, pageOf(all.slice((p - 1) * 20, p * 20), total, p), opts(links)),
    );
    for (const view of pages) {
      expect(validateView(view)).toEqual([]);
      expect(view.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    }
    expect(pages.map((v) => text(v).match(/archives\//g)?.length)).toEqual([20, 20, 17]);
    expect(text(pages[0] as never)).toContain('57 assessments · 1–20 shown');
    expect(text(pages[2] as never)).toContain('41–57 shown');
    expect(actionIds(pages[0] as never)).toEqual(['home:start', 'home:page:next']);
    expect(actionIds(pages[1] as never)).toEqual(['home:start', 'home:page:prev', 'home:page:next']);
    expect(actionIds(pages[2] as never)).toEqual(['home:start', 'home:page:prev']);
    const next = (pages[1] as { blocks: { elements?: { action_id: string; value: string }[] }[] }).blocks
      .flatMap((b) => b.elements ?? [])
      .filter((e) => e.action_id?.startsWith('home:page:'))
      .map((e) => e.value);
    expect(next).toEqual(['1', '3']);
  });

  it('stays valid with the longest texts the questionnaire schema allows', () => {
    const long = structuredClone(q);
    long.title = 'x'.repeat(150);
    for (const o of Object.values(long.outcomes)) o.title = 'y'.repeat(140);
    const all = Array.from({ length: 20 }, (_, i) => done(i));
    const links = Object.fromEntries(all.map((s) => [s.id, `https://x.slack.com/${'p'.repeat(500)}`]));
    expect(validateView(homeView(long, pageOf(all, 100), opts(links)))).toEqual([]);
  });
});
