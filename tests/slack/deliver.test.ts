import { describe, expect, it, vi } from 'vitest';
import type { Session } from '../../src/advisor/session.js';
import type { Step } from '../../src/advisor/steps.js';
import { deliver, type Where } from '../../src/slack/deliver.js';
import { memoryService } from '../support/service.js';
import { fakeChat } from '../support/slack.js';

const where: Where = { channelId: 'C1', threadTs: '1.1', userId: 'U1' };
const key = { teamId: 'T1', ...where };

/** Real steps from the service, and a recorder of what deliver reports back to it. */
async function setup() {
  const { service } = memoryService();
  const delivered: [number, string][] = [];
  const deps = (chat: ReturnType<typeof fakeChat>['chat']) => ({
    chat,
    service: {
      questionnaire: service.questionnaire,
      delivered: async (s: Session, outcome: 'shown' | 'failed') => void delivered.push([s.version, outcome]),
    },
    logger: { warn: vi.fn(), debug() {}, info() {}, error() {} } as never,
  });
  const first = await service.start(key);
  return { service, delivered, deps, first };
}

const textOf = (args: Record<string, unknown> | undefined) =>
  JSON.stringify(args?.blocks ?? []) + String(args?.text);

describe('deliver', () => {
  it('posts nothing for a duplicate, a thread that is not ours, or ignored chatter', async () => {
    const { deps } = await setup();
    const { chat, calls } = fakeChat();
    for (const step of [{ kind: 'duplicate' }, { kind: 'not_ours' }, { kind: 'ignored' }] as Step[])
      await deliver(step, where, deps(chat));
    expect(calls).toEqual([]);
  });

  it('tells only the person acting when it is not their assessment or their change was refused', async () => {
    const { deps, first } = await setup();
    const { chat, calls } = fakeChat();
    await deliver({ kind: 'not_owner', ownerId: 'U9' }, where, deps(chat));
    if (!('session' in first)) throw new Error('no session');
    await deliver({ kind: 'rejected', session: first.session, message: 'Not now.' }, where, deps(chat));
    expect(calls.map((c) => c.method)).toEqual(['postEphemeral', 'postEphemeral']);
    expect(calls[0]?.args).toMatchObject({
      channel: 'C1',
      thread_ts: '1.1',
      user: 'U1',
      text: expect.stringContaining('<@U9>'),
    });
    expect(calls[1]?.args).toMatchObject({ user: 'U1', text: 'Not now.' });
  });

  it('posts the first question, updates the parent, and records that the question was shown', async () => {
    const { deps, first, delivered } = await setup();
    const { chat, of } = fakeChat();
    await deliver(first, where, deps(chat));
    expect(textOf(of('postMessage')[0]?.args)).toContain('question:team');
    expect(of('postMessage')[0]?.args.thread_ts).toBe('1.1');
    expect(of('update')[0]?.args).toMatchObject({ channel: 'C1', ts: '1.1' });
    expect(delivered).toEqual([[0, 'shown']]);
  });

  it('skips the parent update when the parent already shows the step', async () => {
    const { deps, first } = await setup();
    const { chat, calls } = fakeChat();
    await deliver(first, { ...where, parentCurrent: true }, deps(chat));
    expect(calls.map((c) => c.method)).toEqual(['postMessage']);
  });

  it('marks the clicked question answered before asking the next', async () => {
    const { service, deps } = await setup();
    const next = await service.answer(key, 'team', 'small');
    const { chat, calls } = fakeChat();
    await deliver(next, { ...where, clickedTs: '1.2' }, deps(chat));
    expect(calls.map((c) => c.method)).toEqual(['update', 'postMessage', 'update']);
    expect(calls[0]?.args.ts).toBe('1.2');
    expect(textOf(calls[0]?.args)).not.toContain('"actions"');
    expect(textOf(calls[1]?.args)).toContain('question:clusters');
  });

  it('re-asks an unclear answer with its note, and offers a restart for an expired assessment', async () => {
    const { service, deps } = await setup();
    const invalid = await service.reply(key, 'a few');
    const { chat, calls } = fakeChat();
    await deliver(invalid, where, deps(chat));
    expect(textOf(calls[0]?.args)).toContain('could not match');
    if (!('session' in invalid)) throw new Error('no session');
    await deliver({ kind: 'expired', session: invalid.session, idleDays: 14 }, where, deps(chat));
    expect(calls[1]).toMatchObject({ method: 'postMessage', args: { thread_ts: '1.1' } });
    expect(textOf(calls[1]?.args)).toContain('14 days');
  });

  it('posts the card and shows the verdict on the parent', async () => {
    const { service, deps, delivered } = await setup();
    let step: Step = { kind: 'ignored' };
    for (const [q, o] of [
      ['team', 'small'],
      ['clusters', '3'],
      ['nodes', '30'],
      ['variability', 'steady'],
      ['provider_access', 'no'],
      ['self_host_site', 'own_datacenter'],
    ] as const)
      step = await service.answer(key, q, o);
    const { chat, of } = fakeChat();
    await deliver(step, where, deps(chat));
    expect(JSON.stringify(of('postMessage')[0]?.args.metadata)).toContain('k8s_advisor_recommendation');
    expect(textOf(of('update')[0]?.args)).toContain('Self-hosted');
    expect(delivered.at(-1)).toEqual([6, 'shown']);
  });

  it('records a question Slack refused as failed and lets the error through', async () => {
    const { deps, first, delivered } = await setup();
    const { chat } = fakeChat((c) => (c.method === 'postMessage' ? 'channel_not_found' : undefined));
    await expect(deliver(first, where, deps(chat))).rejects.toThrow('channel_not_found');
    expect(delivered).toEqual([[0, 'failed']]);
  });

  it('carries on when the parent cannot be updated: it only shows status', async () => {
    const { deps, first, delivered } = await setup();
    const { chat } = fakeChat((c) => (c.method === 'update' ? 'message_not_found' : undefined));
    const d = deps(chat);
    await deliver(first, where, d);
    expect(delivered).toEqual([[0, 'shown']]);
    const warn = (d.logger as unknown as { warn: { mock: { calls: string[][] } } }).warn;
    expect(warn.mock.calls[0]?.[0]).toContain('could not update the parent message');
  });
});
