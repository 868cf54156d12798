import { describe, expect, it } from 'vitest';
import { startCalls } from '../../src/slack/start.js';
import { drain, testHandler } from '../support/drain.js';
import { plannedService } from '../support/service.js';
import { blocksOf, useFakeSlack } from '../support/slack.js';

const slack = useFakeSlack('http://slack.start.test', (call) =>
  call.method === 'chat.postMessage' && call.body.channel?.startsWith('CNO')
    ? { ok: false, error: call.body.channel.slice(4) }
    : undefined,
);

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
    expect(drained.dead[0]).toEqual({ kind: 'start.parent', reason: 'ratelimited' });
    expect(slack.posted('response_url')).toHaveLength(0);
    expect((await store.listByUser('T1', 'U1', { limit: 1, offset: 0 })).total).toBe(0);
  });

  it('starts one assessment however often its items are run', async () => {
    const { service, store } = plannedService();
    const calls = startCalls(service, request());
    await service.claim('command:trigger-1', 'T1', calls);
    // A crash after the session was committed but before the item was settled runs it again.
    const handle = testHandler(slack.client, service, store);
    const [parent] = await store.lease('x', 1, 60_000);
    if (!parent) throw new Error('no parent item');
    await store.sent(parent, await handle(parent));
    const [thread] = await store.lease('x', 1, 60_000);
    if (!thread) throw new Error('no thread item');
    await handle(thread);
    await handle(thread);
    await store.sent(thread);
    await drain(store, handle);
    expect(await store.byThread('T1', 'C1', '1700000000.000100')).toHaveLength(1);
    expect(slack.posted('chat.postMessage')).toHaveLength(2);
  });
});
