import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/advisor/ports/outbox.js';
import { validateMessage } from '../../src/slack/blocks/limits.js';
import { type ApiPayload, planner, refs, threadLane } from '../../src/slack/envelopes.js';
import { questionnaire } from '../support/questionnaire.js';
import { memoryService, SHORT_PATH } from '../support/service.js';

const at = { teamId: 'T1', channelId: 'C1', threadTs: '1.1', userId: 'U1' };
const plan = planner(questionnaire);
const lane = threadLane('T1', 'C1', '1.1');

const args = (e: Envelope | undefined) => (e?.payload as ApiPayload | undefined)?.args;
const textOf = (e: Envelope | undefined) => JSON.stringify(args(e)?.blocks ?? []) + String(args(e)?.text);

describe('the outbox calls a step needs', () => {
  it('are none for a duplicate, a thread that is not ours, or ignored chatter', () => {
    for (const kind of ['duplicate', 'not_ours', 'ignored'] as const) expect(plan({ kind }, at)).toEqual([]);
  });

  it('tell only the person acting when it is not their assessment or their change was refused', async () => {
    const { service } = memoryService();
    const first = await service.start(at);
    const [note] = plan({ kind: 'not_owner', ownerId: 'U9' }, { ...at, userId: 'U2' });
    expect(note).toMatchObject({ kind: 'chat.postEphemeral', lane, teamId: 'T1' });
    expect(args(note)).toMatchObject({
      user: 'U2',
      thread_ts: '1.1',
      text: expect.stringContaining('<@U9>'),
    });
    if (!('session' in first)) throw new Error('no session');
    const [refused] = plan({ kind: 'rejected', session: first.session, message: 'Too many changes' }, at);
    expect(args(refused)).toMatchObject({ user: 'U1', text: 'Too many changes' });
  });

  it('post a question under a recorded name, then update the parent, in one lane', async () => {
    const { service } = memoryService();
    const step = await service.start(at);
    if (step.kind !== 'ask') throw new Error(step.kind);
    const calls = plan(step, at);
    expect(calls.map((c) => c.kind)).toEqual(['chat.postMessage', 'chat.update']);
    expect(calls.every((c) => c.lane === lane)).toBe(true);
    expect(calls[0]?.record).toBe(refs.question(step.session.id, 'team'));
    expect(args(calls[1])).toMatchObject({ channel: 'C1', ts: '1.1' });
    // Just started: the parent was posted showing question 1 already.
    expect(plan(step, { ...at, started: true }).map((c) => c.kind)).toEqual(['chat.postMessage']);
  });

  it('mark the clicked question answered, or the question as posted when the answer was typed', async () => {
    const { service } = memoryService();
    await service.start(at);
    const clicked = await service.answer(at, 'team', 'small');
    const calls = plan(clicked, { ...at, messageTs: '1.2' });
    expect(calls[0]).toMatchObject({ kind: 'chat.update' });
    expect(args(calls[0])?.ts).toBe('1.2');
    expect(textOf(calls[0])).toContain('Small or new to Kubernetes operations');
    expect(textOf(calls[0])).not.toContain('"actions"');
    const typed = plan(clicked, at);
    expect(typed[0]?.kind).toBe('chat.update');
    if (clicked.kind !== 'ask') throw new Error(clicked.kind);
    expect((typed[0]?.payload as ApiPayload | undefined)?.tsRef).toBe(
      refs.question(clicked.session.id, 'team'),
    );
  });

  it('re-ask an unclear answer in one line, and offer a restart for an expired assessment', async () => {
    const { service } = memoryService();
    await service.start(at);
    const unclear = await service.reply(at, 'banana');
    const [line] = plan(unclear, at);
    expect(line?.kind).toBe('chat.postMessage');
    expect(textOf(line)).toContain('Question 1 of');
    expect(textOf(line)).not.toContain('"actions"');
    if (!('session' in unclear)) throw new Error('no session');
    const [expired] = plan({ kind: 'expired', session: unclear.session, idleDays: 14 }, at);
    expect(textOf(expired)).toContain('restart');
  });

  it('post the card under its name and show the verdict on the parent', async () => {
    const { service } = memoryService();
    await service.start(at);
    let step = await service.answer(at, 'team', 'small');
    for (const [q, o] of SHORT_PATH.slice(1)) step = await service.answer(at, q, o);
    if (step.kind !== 'done') throw new Error(step.kind);
    const calls = plan(step, at);
    const card = calls.find((c) => c.kind === 'chat.postMessage');
    expect(card?.record).toBe(refs.card(step.session.id));
    expect(args(card)?.metadata).toMatchObject({ event_type: 'k8s_advisor_recommendation' });
    expect(calls.at(-1)).toMatchObject({ kind: 'chat.update' });
    expect(args(calls.at(-1))?.ts).toBe('1.1');
  });
});

describe('one current verdict', () => {
  const finished = async () => {
    const { service } = memoryService();
    await service.start(at);
    let step = await service.answer(at, 'team', 'small');
    for (const [q, o] of SHORT_PATH.slice(1)) step = await service.answer(at, q, o);
    if (step.kind !== 'done') throw new Error(step.kind);
    return { service, card: step };
  };
  const payload = (e: Envelope | undefined) => e?.payload as ApiPayload | undefined;

  it('a new card refreshes the channel’s copy, if one was shared, before the parent shows the verdict', async () => {
    const { card } = await finished();
    const calls = plan(card, at);
    // The last answer marked answered, the card, the copy, the parent.
    expect(calls.map((c) => c.kind)).toEqual([
      'chat.update',
      'chat.postMessage',
      'share.refresh',
      'chat.update',
    ]);
    expect(calls[2]).toMatchObject({
      lane,
      payload: { sessionId: card.session.id, channelId: 'C1', threadTs: '1.1', userId: 'U1' },
    });
    expect(calls[2]?.payload).not.toHaveProperty('was');
  });

  it('a changed answer first turns the earlier card into a superseded one, then says the copy is being revised', async () => {
    const { service, card } = await finished();
    const step = await service.reopen(at, 'nodes');
    const calls = plan(step, at);
    expect(calls.map((c) => c.kind)).toEqual([
      'chat.update',
      'share.refresh',
      'chat.postMessage',
      'chat.update',
    ]);
    const [superseded, refresh] = calls;
    expect(payload(superseded)?.tsRef).toBe(refs.card(card.session.id));
    expect(textOf(superseded)).not.toContain('"actions"');
    expect(textOf(superseded)).toContain('Superseded');
    expect(textOf(superseded)).toContain('an answer was changed');
    // The card as it was: its verdict, answers and metadata, marked superseded for workflows.
    expect(args(superseded)?.metadata).toMatchObject({
      event_payload: { outcome: 'self_hosted_required', superseded_at: expect.any(Number) },
    });
    expect(refresh?.payload).toMatchObject({
      sessionId: card.session.id,
      was: { outcome: 'self_hosted_required', by: 'change' },
    });
    // Every call stays within Slack's limits.
    for (const c of calls.filter((x) => x.kind.startsWith('chat.'))) {
      expect(validateMessage(args(c) as never)).toEqual([]);
    }
  });

  it('a restart asks first, in a message only its owner sees; confirmed, it supersedes the card of the kept decision', async () => {
    const { service, card } = await finished();
    const asked = await service.restart(at);
    const [confirm, ...rest] = plan(asked, at);
    expect(rest).toEqual([]);
    expect(confirm).toMatchObject({ kind: 'chat.postEphemeral', lane });
    expect(args(confirm)).toMatchObject({ channel: 'C1', thread_ts: '1.1', user: 'U1' });
    expect(textOf(confirm)).toContain('card:restart:confirm');
    expect(textOf(confirm)).toContain('card:restart:cancel');
    expect(validateMessage(args(confirm) as never)).toEqual([]);

    const restarted = await service.restart(at, undefined, { confirmed: true });
    const calls = plan(restarted, at);
    expect(payload(calls[0])?.tsRef).toBe(refs.card(card.session.id));
    expect(textOf(calls[0])).toContain('restarted');
    expect(textOf(calls[0])).toContain('kept in your history');
    expect(calls[1]).toMatchObject({ kind: 'share.refresh', payload: { was: { by: 'restart' } } });
    if (restarted.kind !== 'ask') throw new Error(restarted.kind);
    expect(restarted.session.id).not.toBe(card.session.id);
    expect(calls[2]?.record).toBe(refs.question(restarted.session.id, 'team'));
  });
});
