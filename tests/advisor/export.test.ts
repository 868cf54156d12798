import { describe, expect, it } from 'vitest';
import { exportJson, exportMarkdown } from '../../src/advisor/export.js';
import { createAdvisorService } from '../../src/advisor/service.js';
import type { Session } from '../../src/advisor/session.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { answers, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

const { recommend } = createAdvisorService({ store: openSqliteStore(':memory:'), questionnaire: q });

const base: Session = {
  id: 'a-done',
  teamId: 'T1',
  channelId: 'C1',
  threadTs: '1750000000.000100',
  userId: 'U1',
  questionnaireId: q.id,
  questionnaireVersion: q.version,
  status: 'completed',
  answers: answers({ provider_access: opt('no'), provider_trust: skipped }),
  order: [],
  restarts: 1,
  outcome: 'self_hosted_required',
  version: 7,
  createdAt: Date.UTC(2025, 5, 1),
  updatedAt: Date.UTC(2025, 5, 2),
  completedAt: Date.UTC(2025, 5, 2),
};
const inProgress: Session = {
  ...base,
  id: 'a-open',
  threadTs: '1750000000.000200',
  status: 'active',
  answers: { team: opt('small') },
  outcome: null,
  completedAt: null,
};
const ctx = {
  teamId: 'T1',
  userId: 'U1',
  ownerName: 'Alex Example',
  exportedAt: Date.UTC(2025, 6, 1),
  links: { 'a-done': 'https://example.slack.com/archives/C1/p1750000000000100' },
};

describe('export', () => {
  it('as JSON: ids, dates, status, outcome, answers with prompts and labels, and open risks', () => {
    const doc = JSON.parse(exportJson(q, [base, inProgress], recommend, ctx));
    expect(doc).toMatchObject({ exportedAt: '2025-07-01T00:00:00.000Z', workspace: 'T1', user: 'U1' });
    const [done, open] = doc.assessments;
    expect(done).toMatchObject({
      id: 'a-done',
      channel: 'C1',
      thread: '1750000000.000100',
      link: ctx.links['a-done'],
      status: 'completed',
      createdAt: '2025-06-01T00:00:00.000Z',
      completedAt: '2025-06-02T00:00:00.000Z',
      restarts: 1,
      outcome: { id: 'self_hosted_required', title: q.outcomes.self_hosted_required.title },
    });
    const team = q.questions.find((x) => x.id === 'team');
    expect(done.answers).toContainEqual({
      questionId: 'provider_access',
      question: q.questions.find((x) => x.id === 'provider_access')?.prompt,
      answer: expect.any(String),
      value: 'no',
    });
    expect(done.answers).toContainEqual(expect.objectContaining({ questionId: 'clusters', value: 3 }));
    expect(done.answers).toContainEqual(
      expect.objectContaining({ questionId: 'provider_trust', answer: 'Skipped', value: null }),
    );
    expect(done.reasons.length).toBeGreaterThan(0);
    expect(done.openRisks.length).toBeGreaterThan(0);
    expect(done.openRisks[0]).toEqual({ id: expect.any(String), question: expect.any(String) });
    expect(open).toMatchObject({
      status: 'in_progress',
      outcome: null,
      completedAt: null,
      progress: { index: 2, total: expect.any(Number) },
      answers: [{ questionId: 'team', question: team?.prompt, value: 'small' }],
      openRisks: [],
    });
    expect(open.link).toBeUndefined();
  });

  it('as Markdown: the MADR record of each completed assessment, a summary of each in progress', () => {
    const md = exportMarkdown(q, [base, inProgress], recommend, ctx);
    expect(md).toContain(`# ${q.outcomes.self_hosted_required.title} for our Kubernetes clusters`);
    for (const heading of [
      '## Context and problem statement',
      '## Decision drivers',
      '## Decision outcome',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('Deciders: Alex Example');
    expect(md).toContain(`Discussion: ${ctx.links['a-done']}`);
    expect(md).toMatch(/# Assessment in progress: question 2 of \d+/);
    expect(md).toContain('| Question | Answer |');
    expect(md.split('\n---\n')).toHaveLength(2);
  });

  it('of nothing is still a valid, empty document', () => {
    expect(JSON.parse(exportJson(q, [], recommend, ctx)).assessments).toEqual([]);
    expect(exportMarkdown(q, [], recommend, ctx)).toContain('0 assessments');
  });
});
