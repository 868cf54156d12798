import { describe, expect, it } from 'vitest';
import type { AssessmentStore } from '../../src/advisor/ports/assessments.js';
import { recommend } from '../../src/advisor/recommend.js';
import { ALREADY_RESTARTED } from '../../src/advisor/restarting.js';
import { createAdvisorService } from '../../src/advisor/service.js';
import type { Step, Thread } from '../../src/advisor/steps.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { questionnaire } from '../support/questionnaire.js';
import { SHORT_PATH } from '../support/service.js';

const at: Thread = { teamId: 'T1', channelId: 'C1', threadTs: '1.1', userId: 'U1' };

function setup(store: AssessmentStore = openSqliteStore(':memory:')) {
  let id = 0;
  const service = createAdvisorService({ store, questionnaire, newId: () => `a${++id}` });
  const finish = async () => {
    let step: Step = await service.start(at);
    for (const [q, o] of SHORT_PATH) step = await service.answer(at, q, o);
    return step;
  };
  return { store, service, finish };
}

const asked = (step: Step) => (step.kind === 'ask' || step.kind === 'invalid' ? step.question.id : step.kind);

describe('the advisor service', () => {
  it('starts an assessment at its first question, and a second start in the thread shows the same one', async () => {
    const { service, store } = setup();
    const first = await service.start(at);
    expect(first).toMatchObject({ kind: 'ask', question: { id: 'team' }, progress: { index: 1, total: 10 } });
    expect(await service.start(at)).toMatchObject({ kind: 'ask', session: { id: 'a1' } });
    expect(await store.byThread('T1', 'C1', '1.1')).toHaveLength(1);
  });

  it('records an answer, says what was answered, and asks the next question', async () => {
    const { service, store } = setup();
    await service.start(at);
    const step = await service.answer(at, 'team', 'small');
    expect(step).toMatchObject({
      kind: 'ask',
      question: { id: 'clusters' },
      progress: { index: 2 },
      answered: { question: { id: 'team' }, label: expect.stringContaining('Small') },
    });
    expect((await store.get(at))?.answers).toEqual({ team: { kind: 'option', optionId: 'small' } });
    expect(await service.answer(at, 'clusters', '4')).toMatchObject({
      answered: { question: { id: 'clusters' } },
    });
    expect((await store.get(at))?.answers.clusters).toEqual({ kind: 'number', value: 4 });
  });

  it('finishes with the recommendation the pure core gives for the answers', async () => {
    const { service, finish } = setup();
    const done = await finish();
    if (done.kind !== 'done') throw new Error(`expected the card, got ${done.kind}`);
    expect(done.session.outcome).toBe('self_hosted_required');
    expect(done.recommendation).toEqual(recommend(questionnaire, done.session));
    expect(service.recommend(done.session)).toEqual(done.recommendation);
  });

  it('explains refused answers in the person’s terms, changing nothing', async () => {
    const { service, store } = setup();
    await service.start(at);
    await service.answer(at, 'team', 'small');
    expect(await service.answer(at, 'bogus', 'x')).toMatchObject({
      kind: 'rejected',
      message: 'That question is not part of this assessment.',
    });
    expect(await service.answer(at, 'team', 'dedicated')).toMatchObject({
      kind: 'rejected',
      message: expect.stringContaining('already answered'),
    });
    expect(await service.answer(at, 'nodes', '30')).toMatchObject({
      kind: 'rejected',
      message: 'That question is not the one waiting for an answer.',
    });
    expect((await store.get(at))?.version).toBe(1);
  });

  it('goes back one question, and says so when there is nothing to go back to', async () => {
    const { service } = setup();
    await service.start(at);
    expect(await service.back(at)).toMatchObject({
      kind: 'rejected',
      message: expect.stringContaining('no earlier'),
    });
    await service.answer(at, 'team', 'small');
    expect(asked(await service.back(at))).toBe('team');
  });

  it('reads typed replies: answers, unclear text re-asked, and commands', async () => {
    const { service, store } = setup();
    await service.start(at);
    expect(asked(await service.reply(at, '2'))).toBe('clusters');
    const unclear = await service.reply(at, 'lots of them');
    expect(unclear).toMatchObject({
      kind: 'invalid',
      question: { id: 'clusters' },
      message: expect.any(String),
    });
    expect(asked(await service.reply(at, 'Back'))).toBe('team');
    expect(asked(await service.reply(at, 'restart'))).toBe('team');
    expect(await store.get(at)).toMatchObject({ answers: {}, restarts: 1 });
  });

  it('once the card is out, leaves chatter alone but takes back and restart', async () => {
    const { service, finish } = setup();
    await finish();
    expect(await service.reply(at, 'thanks, that helps')).toEqual({ kind: 'ignored' });
    expect(await service.answer(at, 'team', 'dedicated')).toMatchObject({
      kind: 'rejected',
      message: expect.stringContaining('finished'),
    });
    expect(asked(await service.reply(at, 'back'))).toBe('self_host_site');
    await service.answer(at, 'self_host_site', 'same_cloud');
    // A finished decision is not thrown away by a word: restarting it asks first.
    expect(asked(await service.reply(at, 'start over'))).toBe('confirm_restart');
    expect(asked(await service.restart(at, undefined, { confirmed: true }))).toBe('team');
  });

  it('asks before restarting a finished assessment, then keeps its decision and starts a new one in the thread', async () => {
    const { service, store, finish } = setup();
    const card = await finish();
    if (card.kind !== 'done') throw new Error(card.kind);
    const finished = card.session;
    expect(await service.restart(at, 'action:1')).toEqual({ kind: 'confirm_restart', session: finished });
    expect(await store.get(at)).toEqual(finished);

    const step = await service.restart(at, 'action:2', { confirmed: true });
    expect(step).toMatchObject({
      kind: 'ask',
      question: { id: 'team' },
      session: { id: 'a2', restarts: 1, answers: {}, version: 0 },
      supersedes: { by: 'restart', session: finished },
    });
    expect(await store.get(at)).toMatchObject({ id: 'a2', status: 'active' });
    expect(await store.getById(finished.id)).toMatchObject({
      status: 'completed',
      outcome: 'self_hosted_required',
      archivedAt: expect.any(Number),
    });
    // A second click of "Start again" restarts nothing.
    expect(await service.restart(at, 'action:3', { confirmed: true })).toMatchObject({
      kind: 'rejected',
      message: ALREADY_RESTARTED,
    });
    expect(await store.get(at)).toMatchObject({ id: 'a2', version: 0 });
    // One in progress needs no confirmation.
    await service.answer(at, 'team', 'small');
    expect(await service.restart(at)).toMatchObject({ kind: 'ask', session: { id: 'a2', restarts: 2 } });
  });

  it('says which verdict a change replaces: changing an answer or going back from the card supersedes it', async () => {
    const { service, finish } = setup();
    const card = await finish();
    if (card.kind !== 'done') throw new Error(card.kind);
    expect(card.supersedes).toBeUndefined();
    const reopened = await service.reopen(at, 'clusters');
    expect(reopened).toMatchObject({ kind: 'ask', supersedes: { by: 'change', session: card.session } });
    const again = await service.answer(at, 'clusters', '5');
    expect(again).toMatchObject({ kind: 'done' });
    expect((again as { supersedes?: unknown }).supersedes).toBeUndefined();
    if (again.kind !== 'done') throw new Error(again.kind);
    expect(await service.back(at)).toMatchObject({ supersedes: { by: 'change', session: again.session } });
    // In progress, nothing is superseded.
    expect((await service.back(at)) as { supersedes?: unknown }).not.toHaveProperty('supersedes');
  });

  it('reopens one question of a finished assessment', async () => {
    const { service, store, finish } = setup();
    await finish();
    expect(asked(await service.reopen(at, 'clusters'))).toBe('clusters');
    expect((await store.get(at))?.status).toBe('active');
    expect(asked(await service.answer(at, 'clusters', '5'))).toBe('done');
  });

  it('tells a stranger whose assessment it is, and ignores threads it has none in', async () => {
    const { service } = setup();
    await service.start(at);
    expect(await service.answer({ ...at, userId: 'U2' }, 'team', 'small')).toEqual({
      kind: 'not_owner',
      ownerId: 'U1',
    });
    expect(await service.view({ ...at, threadTs: '9.9' })).toEqual({ kind: 'not_ours' });
    expect(asked(await service.view(at))).toBe('team');
  });

  it('applies a change once per idempotency key, and a refusal claims its key too', async () => {
    const { service, store } = setup();
    await service.start(at, 'command:1');
    expect(await service.start(at, 'command:1')).toEqual({ kind: 'duplicate' });
    expect(asked(await service.answer(at, 'team', 'small', 'action:1'))).toBe('clusters');
    expect(await service.answer(at, 'team', 'small', 'action:1')).toEqual({ kind: 'duplicate' });
    expect((await store.get(at))?.version).toBe(1);
    expect((await service.answer(at, 'bogus', 'x', 'action:2')).kind).toBe('rejected');
    expect(await service.answer(at, 'bogus', 'x', 'action:2')).toEqual({ kind: 'duplicate' });
  });

  it('reloads and applies again when a save loses a race, and gives up after three tries', async () => {
    const real = openSqliteStore(':memory:');
    let conflicts = 1;
    const store: AssessmentStore = {
      engine: real.engine,
      claim: (k, t) => real.claim(k, t),
      insert: (s, k) => real.insert(s, k),
      get: (k) => real.get(k),
      getById: (i) => real.getById(i),
      byThread: (...a) => real.byThread(...a),
      archive: (...a) => real.archive(...a),
      ping: () => real.ping(),
      close: () => real.close(),
      save: async (s, k, f) => (conflicts-- > 0 ? { status: 'conflict' } : real.save(s, k, f)),
    };
    const { service } = setup(store);
    await service.start(at);
    expect(asked(await service.answer(at, 'team', 'small'))).toBe('clusters');
    conflicts = 3;
    expect(await service.answer(at, 'clusters', '3')).toMatchObject({
      kind: 'rejected',
      message: 'Too many changes at once; try again.',
    });
    expect((await real.get(at))?.answers.clusters).toBeUndefined();
  });
});
