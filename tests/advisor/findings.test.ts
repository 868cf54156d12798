import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/advisor/decide.js';
import { findingsOf, reasonKey, reasonText } from '../../src/advisor/findings.js';
import { answers, num, opt, questionnaire as q, skipped } from '../support/questionnaire.js';
import { memoryService, SHORT_PATH } from '../support/service.js';

const completed = (a = answers()) => ({ status: 'completed' as const, answers: a });

describe('findings', () => {
  it('are the card’s reasons, the open risk questions and the skipped questions of a completed assessment', () => {
    const a = answers({ provider_trust: skipped });
    const found = findingsOf(q, completed(a));
    const decision = decide(q, a);
    expect(found.filter((f) => f.kind === 'reason').map((f) => reasonText(q, f.itemId))).toHaveLength(
      decision.reasons.length,
    );
    expect(found.filter((f) => f.kind === 'open_risk').map((f) => f.itemId)).toEqual([
      'trust',
      'break_glass',
      'creator_admin',
      'control_plane_audit',
      'backups_access',
      'node_patching',
    ]);
    expect(found.filter((f) => f.kind === 'skipped')).toEqual([
      { kind: 'skipped', itemId: 'provider_trust' },
    ]);
  });

  it('are none while an assessment is in progress', () => {
    expect(findingsOf(q, { status: 'active', answers: answers() })).toEqual([]);
  });

  it('name a reason by what produced it, so the same wording counts as one', () => {
    expect(reasonKey(q, 'team', { team: opt('small') })).toBe('team:small');
    expect(reasonKey(q, 'clusters', { clusters: num(4) })).toBe('clusters:2');
    expect(reasonKey(q, 'clusters', { clusters: num(5) })).toBe('clusters:2');
    expect(reasonKey(q, 'clusters', { clusters: num(400) })).toBe('clusters:16');
    expect(reasonKey(q, 'provider_access', { provider_access: skipped })).toBe('provider_access:skipped');
  });

  it('word a number band’s reason with its range', () => {
    expect(reasonText(q, 'clusters:1')).toBe('With a single cluster, the control-plane work stays bounded.');
    expect(reasonText(q, 'clusters:2')).toBe(
      'With 2 to 5 clusters, every control-plane upgrade, backup and certificate rotation is done once per cluster.',
    );
    expect(reasonText(q, 'clusters:16')).toMatch(/^With 16 or more clusters/);
    expect(reasonText(q, 'provider_access:skipped')).toMatch(/still open whether/);
    expect(reasonText(q, 'gone:away')).toBe('gone:away');
  });

  it('give every reason of any completed assessment a key with its own text', () => {
    const choice = (...ids: string[]) => fc.oneof(fc.constantFrom(...ids).map(opt), fc.constant(skipped));
    fc.assert(
      fc.property(
        choice('small', 'growing', 'dedicated'),
        fc.integer({ min: 1, max: 5000 }),
        choice('yes', 'with_controls', 'no'),
        (team, clusters, access) => {
          const a = answers({ team, clusters: num(clusters), provider_access: access });
          for (const f of findingsOf(q, completed(a)).filter((x) => x.kind === 'reason')) {
            expect(reasonText(q, f.itemId)).not.toBe(f.itemId);
          }
        },
      ),
    );
  });
});

describe('the service stores findings', () => {
  it('when an assessment completes, and keeps them with the decision a restart keeps', async () => {
    const { service, store } = memoryService();
    const at = { teamId: 'T1', channelId: 'C1', threadTs: '1.1', userId: 'U1' };
    await service.start(at);
    for (const [qid, v] of SHORT_PATH) await service.answer(at, qid, v);
    const window = {
      teamId: 'T1',
      channelId: 'C1',
      start: 0,
      end: Date.now() + 1000,
      idleMs: 1e9,
      listLimit: 5,
    };
    const done = await store.digestStats(window);
    expect(done.completed).toBe(1);
    expect(done.reasons.map((r) => r.itemId)).toContain('provider_access:no');
    expect(done.openRisks.length).toBeGreaterThan(0);

    // The finished decision is kept, findings and all; the restart is a new assessment, in progress.
    await service.restart(at, undefined, { confirmed: true });
    const again = await store.digestStats({ ...window, end: Date.now() + 1000 });
    expect(again).toMatchObject({
      completed: 1,
      reasons: done.reasons,
      openRisks: done.openRisks,
      restarted: 1,
      inProgress: 1,
      started: 2,
    });

    // Going back from the new card clears that card's findings only.
    for (const [qid, v] of SHORT_PATH) await service.answer(at, qid, v);
    await service.back(at);
    const back = await store.digestStats({ ...window, end: Date.now() + 1000 });
    expect(back).toMatchObject({ completed: 1, reasons: done.reasons, inProgress: 1 });
  });
});
