import { describe, expect, it } from 'vitest';
import { buildDigest, digestPayload } from '../../src/digest/build.js';
import { stats } from '../support/digest.js';
import { questionnaire as q } from '../support/questionnaire.js';

const ctx = {
  teamId: 'T1',
  channelId: 'C1',
  trigger: 'scheduled' as const,
  cadence: 'daily' as const,
  period: { start: 1_750_000_000_000, end: 1_750_086_400_000 },
  tz: 'Europe/Berlin',
  idleMs: 14 * 86_400_000,
};

describe('buildDigest', () => {
  it('names every outcome, most managed first, zeros included', () => {
    const d = buildDigest(q, stats(), ctx);
    expect(d.outcomes.map((o) => [o.outcome, o.count])).toEqual([
      ['managed', 2],
      ['managed_with_safeguards', 1],
      ['self_hosted', 0],
      ['self_hosted_required', 1],
    ]);
    expect(d.outcomes[0]).toMatchObject({ title: 'Managed Kubernetes', emoji: ':cloud:' });
  });

  it('words reasons, risks and skipped questions from the questionnaire, most frequent first', () => {
    const d = buildDigest(q, stats(), ctx);
    expect(d.reasons[0]).toEqual({
      id: 'team:small',
      count: 3,
      text: 'A small or Kubernetes-new team gains the most from handing the control plane to someone else.',
    });
    expect(d.reasons[1]?.text).toContain('With 2 to 5 clusters');
    expect(d.openRisks[0]).toMatchObject({
      id: 'break_glass',
      count: 4,
      text: expect.stringMatching(/^Which provider access/),
    });
    expect(d.skipped[0]?.text).toMatch(/^How far do you trust the provider/);
    expect(d.idleDays).toBe(14);
  });

  it('ranks equally common reasons by how much they weigh, and risks and questions in questionnaire order', () => {
    const tied = stats({
      reasons: ['clusters:1', 'team:small', 'provider_access:with_controls', 'provider_access:no'].map(
        (itemId) => ({
          itemId,
          count: 1,
        }),
      ),
      openRisks: ['role_lockdown', 'trust', 'backups_access'].map((itemId) => ({ itemId, count: 2 })),
    });
    const d = buildDigest(q, tied, ctx);
    expect(d.reasons.map((r) => r.id)).toEqual([
      'provider_access:no',
      'provider_access:with_controls',
      'team:small',
      'clusters:1',
    ]);
    expect(d.openRisks.map((r) => r.id)).toEqual(['trust', 'role_lockdown', 'backups_access']);
  });

  it('is empty only when nothing started, completed or was abandoned', () => {
    const quiet = stats({
      started: 0,
      completed: 0,
      abandoned: 0,
      inProgress: 0,
      outcomes: {},
      completedList: [],
    });
    expect(buildDigest(q, quiet, ctx).empty).toBe(true);
    expect(buildDigest(q, { ...quiet, abandoned: 1 }, ctx).empty).toBe(false);
    expect(buildDigest(q, stats(), ctx).empty).toBe(false);
  });

  it('carries the period and the counts as machine-readable metadata', () => {
    expect(digestPayload(buildDigest(q, stats(), ctx))).toEqual({
      team_id: 'T1',
      channel_id: 'C1',
      trigger: 'scheduled',
      // Names the digest, so a repeated send finds it in the channel rather than posting it again.
      period_id: `scheduled:${Date.parse('2025-06-15T15:06:40.000Z')}-${Date.parse('2025-06-16T15:06:40.000Z')}`,
      period_start: '2025-06-15T15:06:40.000Z',
      period_end: '2025-06-16T15:06:40.000Z',
      timezone: 'Europe/Berlin',
      started: 5,
      completed: 4,
      in_progress: 1,
      restarted: 1,
      abandoned: 1,
      with_evidence: 2,
      outcomes: { managed: 2, managed_with_safeguards: 1, self_hosted: 0, self_hosted_required: 1 },
    });
  });

  it('counts the completed assessments backed by evidence from a cluster', () => {
    expect(buildDigest(q, stats({ withEvidence: 3 }), ctx).counts.withEvidence).toBe(3);
    expect(digestPayload(buildDigest(q, stats({ withEvidence: 0 }), ctx)).with_evidence).toBe(0);
  });
});
