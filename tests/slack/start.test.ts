import { describe, expect, it, vi } from 'vitest';
import { startInThread } from '../../src/slack/start.js';
import { memoryService } from '../support/service.js';
import { fakeChat } from '../support/slack.js';

const logger = { warn: vi.fn(), debug() {}, info() {}, error() {} } as never;
const at = { teamId: 'T1', channelId: 'C1', userId: 'U1' };

describe('starting an assessment in a thread', () => {
  it('posts the parent already showing question 1, then the first question in its thread', async () => {
    const { service, store } = memoryService();
    const { chat, calls } = fakeChat();
    const started = await startInThread(service, { chat, logger }, at);
    if (!started.ok) throw new Error(started.code);
    expect(calls.map((c) => c.method)).toEqual(['postMessage', 'postMessage']);
    expect(JSON.stringify(calls[0]?.args.blocks)).toContain('Question 1 of 10');
    expect(calls[1]?.args.thread_ts).toBe(started.threadTs);
    expect((await store.byThread('T1', 'C1', started.threadTs))[0]?.userId).toBe('U1');
  });

  it('says the bot may not post here, storing nothing, for the refusals that mean so', async () => {
    for (const code of ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']) {
      const { service, store } = memoryService();
      const { chat } = fakeChat(() => code);
      expect(await startInThread(service, { chat, logger }, at)).toEqual({ ok: false, code });
      expect((await store.listByUser('T1', 'U1', { limit: 1, offset: 0 })).total).toBe(0);
    }
  });

  it('lets any other failure through', async () => {
    const { service } = memoryService();
    const { chat } = fakeChat(() => 'ratelimited');
    await expect(startInThread(service, { chat, logger }, at)).rejects.toThrow('ratelimited');
  });
});
