import { describe, expect, it } from 'vitest';
import { startCalls } from '../../src/slack/start.js';
import { drain, testHandler } from '../support/drain.js';
import { plannedService } from '../support/service.js';
import { blocksOf, THREAD_TS, useFakeSlack } from '../support/slack.js';

const slack = useFakeSlack('http://slack.start.test', (call) => {
  if (call.method === 'chat.postMessage' && call.body.channel?.startsWith('CNO'))
    return { ok: false, error: call.body.channel.slice(4) };
  // The channel's history: the parents posted so far (one per test), as Slack lists a bot's messages.
  if (call.method === 'conversations.history') {
    const parents = slack.posted('chat.postMessage').filter((c) => !c.body.thread_ts);
    return { ok: true, messages: parents.map((c) => ({ ts: THREAD_TS, text: c.body.text, bot_id: 'B1' })) };
  }
  return undefined;
});

const request = (channelId = 'C1') => ({
  teamId: 'T1',
  channelId,
  userId: 'U1',
  key: 'trigger-1',
  responseUrl: 'http://slack.start.test/respond/trigger-1',
});

async function start(channelId = 'C1') {
  const { service, store } = plannedService();
  await service.claim('command:trigger-1', 'T1', startCalls(service, request(channelId)));
  const drained = await drain(store, testHandler(slack.client, service, store));
  return { store, service, drained };
}

describe('starting an assessment in a thread, through the outbox', () => {
  it('posts the parent already showing question 1, then the first question in its thread', async () => {
    const { store } = await start();
    const [parent, question] = slack.posted('chat.postMessage');
    expect(JSON.stringify(blocksOf(parent))).toContain('Question 1 of 10');
    expect(question?.body.thread_ts).toBe('1700000000.000100');
    expect(blocksOf(question)[0]?.block_id).toBe('question:team');
    expect((await store.byThread('T1', 'C1', '1700000000.000100'))[0]?.userId).toBe('U1');
    expect(slack.posted('chat.update')).toHaveLength(0);
  });

  it('says through the response_url that the bot may not post here, storing nothing', async () => {
    for (const code of ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']) {
      slack.clear();
      const { store, drained } = await start(`CNO-${code}`);
      expect(drained.dead).toEqual([]);
      expect(slack.posted('response_url')[0]?.body.text).toContain(`(${code})`);
      expect((await store.listByUser('T1', 'U1', { limit: 1, offset: 0 })).total).toBe(0);
    }
  });

  it('leaves any other failure to the sender to retry, starting nothing yet', async () => {
    const { store, drained } = await start('CNO-ratelimited');
    expect(drained.dead[0]).toEqual({ kind: 'start', reason: 'ratelimited' });
    expect(slack.posted('response_url')).toHaveLength(0);
    expect((await store.listByUser('T1', 'U1', { limit: 1, offset: 0 })).total).toBe(0);
  });

  it('posts one parent and starts one assessment however often its item is run', async () => {
    const { service, store } = plannedService();
    await service.claim('command:trigger-1', 'T1', startCalls(service, request()));
    const handle = testHandler(slack.client, service, store);
    const [item] = await store.lease('x', 1, 60_000);
    if (!item) throw new Error('no start item');
    expect(item.kind).toBe('start');
    // A sender died after the session was committed, before the item was settled: another one takes it over.
    await handle(item);
    await handle({ ...item, takenOver: true });
    await store.sent(item);
    await drain(store, handle);
    expect(await store.byThread('T1', 'C1', THREAD_TS)).toHaveLength(1);
    expect(slack.posted('chat.postMessage')).toHaveLength(2);
  });

  it('posts no second parent when the session could not be committed after the first', async () => {
    const { service, store } = plannedService();
    await service.claim('command:trigger-1', 'T1', startCalls(service, request()));
    const [item] = await store.lease('x', 1, 60_000);
    if (!item) throw new Error('no start item');
    const down = {
      ...service,
      start: async () => {
        throw new Error('database gone');
      },
    };
    await expect(testHandler(slack.client, down, store)(item)).rejects.toThrow('database gone');
    // The sender retries the item: its second try looks for the parent the first one posted.
    await testHandler(slack.client, service, store)({ ...item, attempts: 1 });
    expect(slack.posted('chat.postMessage')).toHaveLength(1);
    expect(await store.byThread('T1', 'C1', THREAD_TS)).toHaveLength(1);
  });

  it('still delivers the two items a start was queued as before it was one', async () => {
    const { service, store } = plannedService();
    const [one] = startCalls(service, request());
    if (!one) throw new Error('no start call');
    const { args, responseUrl, ...thread } = one.payload as Record<string, unknown>;
    await store.claim('command:trigger-1', 'T1', [
      { ...one, kind: 'start.parent', payload: { args, responseUrl }, record: 'parent:trigger-1' },
      { ...one, kind: 'start.thread', payload: thread },
    ]);
    const drained = await drain(store, testHandler(slack.client, service, store));
    expect(drained.dead).toEqual([]);
    expect(await store.byThread('T1', 'C1', THREAD_TS)).toHaveLength(1);
    expect(slack.posted('chat.postMessage')).toHaveLength(2);
  });
});
