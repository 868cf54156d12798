import { describe, expect, it } from 'vitest';
import { createEvidenceService } from '../../src/advisor/evidence-service.js';
import { findingsOf } from '../../src/advisor/findings.js';
import { createAdvisorService } from '../../src/advisor/service.js';
import type { Step, Thread } from '../../src/advisor/steps.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { fixtureFacts, hostileFacts } from '../support/evidence.js';
import { questionnaire } from '../support/questionnaire.js';

const at: Thread = { teamId: 'T1', channelId: 'C1', threadTs: '1.1', userId: 'U1' };

/** A growing team that trusts EKS and says its roles can be restricted: managed, on its own say-so. */
const MANAGED: [string, string][] = [
  ['team', 'growing'],
  ['clusters', '3'],
  ['nodes', '30'],
  ['variability', 'seasonal'],
  ['provider_access', 'yes'],
  ['compliance', 'none'],
  ['provider', 'eks'],
  ['provider_trust', 'high'],
  ['access_mitigations', 'strong'],
  ['access_lockdown', 'yes'],
];

function setup() {
  const store = openSqliteStore(':memory:');
  let t = 1_750_000_000_000;
  const now = () => t;
  let id = 0;
  const service = createAdvisorService({ store, questionnaire, now, newId: () => `a${++id}` });
  const completed: string[] = [];
  const evidence = createEvidenceService({
    store,
    questionnaire,
    now,
    observer: { completed: (o) => completed.push(o) },
  });
  const answer = async (path: [string, string][]) => {
    let step: Step = await service.start(at);
    for (const [qid, o] of path) step = await service.answer(at, qid, o);
    return step;
  };
  return { store, service, evidence, answer, completed, tick: (ms: number) => (t += ms) };
}

describe('the evidence use cases', () => {
  it('find whose assessment a thread holds before anything is fetched', async () => {
    const { evidence, service } = setup();
    expect(await evidence.target(at)).toEqual({ kind: 'not_ours' });
    await service.start(at);
    expect(await evidence.target(at)).toMatchObject({ kind: 'own', session: { id: 'a1' } });
    expect(await evidence.target({ ...at, userId: 'U2' })).toEqual({ kind: 'not_owner', ownerId: 'U1' });
  });

  it('attach to a completed assessment: the verdict is recomputed and stored, its completion time kept', async () => {
    const { evidence, answer, store, tick } = setup();
    const done = await answer(MANAGED);
    expect(done).toMatchObject({ kind: 'done', session: { outcome: 'managed' } });
    const completedAt = (done as Extract<Step, { kind: 'done' }>).session.completedAt;
    tick(60_000);
    const e = await fixtureFacts('eks');
    const result = await evidence.attach(at, e, 'event:1');
    if (result.kind !== 'attached') throw new Error(`expected attached, got ${result.kind}`);
    expect(result.before.outcome).toBe('managed');
    expect(result.askedBefore).toBeNull();
    expect(result.step).toMatchObject({
      kind: 'done',
      session: { outcome: 'managed_with_safeguards', completedAt },
    });
    const stored = await store.get(at);
    expect(stored?.evidence).toEqual(e);
    expect(stored?.outcome).toBe('managed_with_safeguards');
    // The findings digests count follow the evidence-backed verdict.
    const stats = await store.digestStats({
      teamId: 'T1',
      channelId: 'C1',
      start: 0,
      end: Number.MAX_SAFE_INTEGER,
      idleMs: 1,
      listLimit: 5,
    });
    expect(stats).toMatchObject({ completed: 1, withEvidence: 1, outcomes: { managed_with_safeguards: 1 } });
    expect(stats.reasons.map((r) => r.itemId)).toEqual(
      findingsOf(questionnaire, stored as never)
        .filter((f) => f.kind === 'reason')
        .map((f) => f.itemId)
        .sort(),
    );
    expect(stats.reasons.map((r) => r.itemId)).toContain('access_lockdown:partly');
  });

  it('commits the calls it is given with the change, once, seeing the result as saved', async () => {
    const { evidence, answer, store } = setup();
    await answer(MANAGED);
    const before = (await store.stats()).depth;
    const seen: string[] = [];
    const plan = (r: { step: Step }) => {
      seen.push(`${r.step.kind}@${r.step.kind === 'done' ? r.step.session.version : ''}`);
      return [{ teamId: 'T1', lane: 'L', kind: 'said', payload: { step: r.step.kind } }];
    };
    await evidence.attach(at, await fixtureFacts('eks'), 'event:said', plan);
    expect(seen).toEqual([`done@${(await store.get(at))?.version}`]);
    expect((await store.stats()).depth).toBe(before + 1);
    expect(await evidence.attach(at, await fixtureFacts('eks'), 'event:said', plan)).toEqual({
      kind: 'duplicate',
    });
    expect((await store.stats()).depth).toBe(before + 1);
  });

  it('changes nothing twice for one delivery of the upload', async () => {
    const { evidence, answer, store } = setup();
    await answer(MANAGED);
    const e = await fixtureFacts('eks');
    expect((await evidence.attach(at, e, 'event:same')).kind).toBe('attached');
    const version = (await store.get(at))?.version;
    expect(await evidence.attach(at, hostileFacts(), 'event:same')).toEqual({ kind: 'duplicate' });
    expect((await store.get(at))?.version).toBe(version);
    expect((await store.get(at))?.evidence).toEqual(e);
  });

  it('asks one more question when the evidence moves the verdict to running it yourselves', async () => {
    const { evidence, answer, service, store } = setup();
    const lowNeed: [string, string][] = MANAGED.map(([q, o]) =>
      q === 'team'
        ? [q, 'dedicated']
        : q === 'clusters'
          ? [q, '1']
          : q === 'nodes'
            ? [q, '5']
            : q === 'variability'
              ? [q, 'steady']
              : [q, o],
    );
    expect(await answer(lowNeed)).toMatchObject({ kind: 'done', session: { outcome: 'managed' } });
    const result = await evidence.attach(
      at,
      hostileFacts({ creatorAdmin: 'no', providerSubjectCount: 1, localAccounts: 'yes' }),
      'event:2',
    );
    if (result.kind !== 'attached') throw new Error(`expected attached, got ${result.kind}`);
    expect(result.step).toMatchObject({ kind: 'ask', question: { id: 'self_host_site' } });
    expect((await store.get(at))?.status).toBe('active');
    const last = await service.answer(at, 'self_host_site', 'own_datacenter');
    expect(last).toMatchObject({ kind: 'done', session: { outcome: 'self_hosted' } });
  });

  it('attached mid-way, answers access_lockdown in the person’s place: the question is not asked', async () => {
    const { evidence, answer, service } = setup();
    const step = await answer(MANAGED.slice(0, 8));
    expect(step).toMatchObject({
      kind: 'ask',
      question: { id: 'access_mitigations' },
      progress: { total: 10 },
    });
    const result = await evidence.attach(at, await fixtureFacts('eks'), 'event:3');
    if (result.kind !== 'attached') throw new Error(`expected attached, got ${result.kind}`);
    expect(result.askedBefore).toBe('access_mitigations');
    expect(result.step).toMatchObject({
      kind: 'ask',
      question: { id: 'access_mitigations' },
      progress: { index: 9, total: 9 },
    });
    const done = await service.answer(at, 'access_mitigations', 'strong');
    expect(done).toMatchObject({ kind: 'done', session: { outcome: 'managed_with_safeguards' } });
    if (done.kind !== 'done') return;
    expect(done.session.answers.access_lockdown).toBeUndefined();
    expect(done.recommendation.evidence?.answered).toEqual([
      expect.objectContaining({ questionId: 'access_lockdown', optionId: 'partly', label: 'Partly' }),
    ]);
  });

  it('completes an assessment whose last question the evidence answers, and counts the completion', async () => {
    const { evidence, answer, completed } = setup();
    await answer(MANAGED.slice(0, 9));
    const result = await evidence.attach(at, await fixtureFacts('eks'), 'event:4');
    expect(result).toMatchObject({
      kind: 'attached',
      askedBefore: 'access_lockdown',
      step: { kind: 'done' },
    });
    expect(completed).toEqual(['managed_with_safeguards']);
  });

  it('stays with the assessment through a restart: it describes the cluster, not the answers', async () => {
    const { evidence, answer, service, store } = setup();
    await answer(MANAGED);
    const e = await fixtureFacts('eks');
    await evidence.attach(at, e, 'event:7');
    const restarted = await service.restart(at, undefined, { confirmed: true });
    expect(restarted).toMatchObject({ kind: 'ask', question: { id: 'team' }, progress: { total: 9 } });
    expect((await store.get(at))?.evidence).toEqual(e);
  });

  it('supersedes the card of a finished assessment: the card is shown again, recomputed', async () => {
    const { evidence, answer } = setup();
    await answer(MANAGED);
    const result = await evidence.attach(at, await fixtureFacts('eks'), 'event:8');
    expect(result).toMatchObject({
      kind: 'attached',
      step: { supersedes: { by: 'evidence', session: { status: 'completed' } } },
    });
  });

  it('refuses someone else’s upload and ignores a thread without an assessment', async () => {
    const { evidence, answer, store } = setup();
    await answer(MANAGED);
    const e = await fixtureFacts('eks');
    expect(await evidence.attach({ ...at, userId: 'U2' }, e, 'event:5')).toEqual({
      kind: 'not_owner',
      ownerId: 'U1',
    });
    expect(await evidence.attach({ ...at, threadTs: '9.9' }, e, 'event:6')).toEqual({ kind: 'not_ours' });
    expect((await store.get(at))?.evidence).toBeUndefined();
  });
});
