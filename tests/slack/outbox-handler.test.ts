import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src/advisor/ports/outbox.js';
import { type ApiCall, SlackApiError } from '../../src/slack/chat-client.js';
import { apiCall } from '../../src/slack/envelopes.js';
import { outboxHandler, type Task } from '../../src/slack/outbox-handler.js';
import { type Sender, startSender } from '../../src/slack/outbox-sender.js';
import { currentRequest, inWorkspace } from '../../src/slack/workspace.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';

const item = (over: Partial<OutboxItem>): OutboxItem => ({
  id: '1',
  teamId: 'T1',
  lane: 'T1:C1:1.1',
  kind: 'chat.postMessage',
  payload: { args: { channel: 'C1', text: 'hi' } },
  attempts: 0,
  createdAt: 0,
  ...over,
});

/** A Web API that records each call with the workspace it was made in, and answers with `answer`. */
function fakeApi(answer: (method: string) => Record<string, unknown> = () => ({ ok: true, ts: '9.9' })) {
  const calls: { method: string; args: Record<string, unknown>; scope: unknown }[] = [];
  const call: ApiCall = async (method, args) => {
    calls.push({ method, args, scope: { ...currentRequest() } });
    return answer(method);
  };
  return { call, calls };
}

const noRefs = { recorded: async () => undefined };

describe('outbox handler', () => {
  it('calls a Web API method by the item’s kind with its arguments, and returns the posted ts', async () => {
    const { call, calls } = fakeApi();
    const handle = outboxHandler(call, noRefs, {});
    expect(await handle(item({}))).toBe('9.9');
    expect(calls).toEqual([
      { method: 'chat.postMessage', args: { channel: 'C1', text: 'hi' }, scope: expect.anything() },
    ]);
  });

  it('returns no ts when the answer carries none', async () => {
    const { call } = fakeApi(() => ({ ok: true }));
    expect(await outboxHandler(call, noRefs, {})(item({ kind: 'views.publish' }))).toBeUndefined();
  });

  it('updates the message recorded under tsRef, read in the item’s workspace', async () => {
    const { call, calls } = fakeApi();
    const asked: [string, string][] = [];
    const refs = {
      recorded: async (team: string, name: string) => {
        asked.push([team, name]);
        return '1750000000.000100';
      },
    };
    const handle = outboxHandler(call, refs, {});
    const update = item({
      kind: 'chat.update',
      payload: { args: { channel: 'C1', text: 'answered' }, tsRef: 'question:s1:q1' },
    });
    await handle(update);
    expect(asked).toEqual([['T1', 'question:s1:q1']]);
    expect(calls[0]).toMatchObject({
      method: 'chat.update',
      args: { channel: 'C1', text: 'answered', ts: '1750000000.000100' },
    });
  });

  it('skips an update when nothing was recorded under its tsRef (the post was given up on)', async () => {
    const { call, calls } = fakeApi();
    const handle = outboxHandler(call, noRefs, {});
    const update = item({ kind: 'chat.update', payload: { args: { channel: 'C1' }, tsRef: 'card:s1' } });
    expect(await handle(update)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('runs the task registered for a kind instead of a Web API call, and returns what it returns', async () => {
    const { call, calls } = fakeApi();
    const ran: OutboxItem[] = [];
    const tasks: Record<string, Task> = {
      start: async (i) => {
        ran.push(i);
        return '1.2';
      },
    };
    const parent = item({ kind: 'start', payload: { args: { channel: 'C1' }, responseUrl: 'x' } });
    expect(await outboxHandler(call, noRefs, tasks)(parent)).toBe('1.2');
    expect(ran).toEqual([parent]);
    expect(calls).toEqual([]);
  });

  it('runs each call and task in the item’s workspace, with the org the request came from', async () => {
    const { call, calls } = fakeApi();
    const scopes: unknown[] = [];
    const handle = outboxHandler(call, noRefs, {
      adr: async () => {
        scopes.push({ ...currentRequest() });
        return undefined;
      },
    });
    await handle(item({ teamId: 'T2' }));
    await handle(item({ teamId: 'T3', payload: { args: {}, enterpriseId: 'E1', orgInstall: true } }));
    await handle(item({ teamId: 'T4', kind: 'adr', payload: { sessionId: 's1' } }));
    await handle(item({ teamId: 'T5', kind: 'adr', payload: null }));
    expect(calls.map((c) => c.scope)).toEqual([
      { teamId: 'T2', isEnterpriseInstall: false },
      { teamId: 'T3', enterpriseId: 'E1', isEnterpriseInstall: true },
    ]);
    expect(scopes).toEqual([
      { teamId: 'T4', isEnterpriseInstall: false },
      { teamId: 'T5', isEnterpriseInstall: false },
    ]);
  });

  it('looks for its own copy before posting again what a dead sender or a failed try may have posted', async () => {
    const thread = { channel: 'C1', thread_ts: '1.1', text: 'Question 3 of 10: How many nodes?' };
    const copy = { ts: '1.5', text: thread.text, bot_id: 'B1' };
    const { call, calls } = fakeApi((method) =>
      method === 'conversations.replies'
        ? { ok: true, messages: [{ ts: '1.1', text: 'parent' }, copy] }
        : { ok: true, ts: '9.9' },
    );
    const handle = outboxHandler(call, noRefs, {});
    expect(await handle(item({ takenOver: true, createdAt: 1_000, payload: { args: thread } }))).toBe('1.5');
    expect(calls.map((c) => c.method)).toEqual(['conversations.replies']);
    // A retry too: the try before may have timed out after Slack took the post.
    expect(await handle(item({ attempts: 1, createdAt: 1_000, payload: { args: thread } }))).toBe('1.5');
    expect(calls.map((c) => c.method)).toEqual(['conversations.replies', 'conversations.replies']);
    // Not there (the call never reached Slack), or an item nobody held before: posted.
    const fresh = fakeApi((method) =>
      method === 'conversations.replies' ? { ok: true, messages: [] } : { ok: true, ts: '9.9' },
    );
    expect(
      await outboxHandler(fresh.call, noRefs, {})(item({ takenOver: true, payload: { args: thread } })),
    ).toBe('9.9');
    expect(fresh.calls.map((c) => c.method)).toEqual(['conversations.replies', 'chat.postMessage']);
    const plain = fakeApi();
    await outboxHandler(plain.call, noRefs, {})(item({ payload: { args: thread } }));
    expect(plain.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
  });

  it('lets a failed call reject, for the sender to classify', async () => {
    const call: ApiCall = async () => {
      throw new SlackApiError({ ok: false, error: 'channel_not_found' });
    };
    await expect(outboxHandler(call, noRefs, {})(item({}))).rejects.toBeInstanceOf(SlackApiError);
  });
});

describe('outbox handler with the sender and a real outbox', () => {
  let store: Store | undefined;
  let sender: Sender | undefined;
  afterEach(async () => {
    await sender?.stop(100);
    await store?.close();
  });

  const log = { info() {}, warn() {}, error() {}, debug() {} } as never;

  it('posts, records its ts, and a later item of the lane updates that very message', async () => {
    store = openSqliteStore(':memory:');
    let n = 0;
    const { call, calls } = fakeApi(() => ({ ok: true, ts: `1750000000.00010${++n}` }));
    const lane = 'T1:C1:1750000000.000001';
    // Committed as a request of an org's workspace would: the org goes with the items.
    const envelopes = inWorkspace({ teamId: 'T1', enterpriseId: 'E1' }, () => [
      apiCall(
        'T1',
        lane,
        'chat.postMessage',
        { channel: 'C1', text: 'question' },
        { record: 'question:s1:q1' },
      ),
      apiCall('T1', lane, 'chat.update', { channel: 'C1', text: 'answered' }, { tsRef: 'question:s1:q1' }),
    ]);
    await store.enqueue(envelopes);
    sender = startSender({ outbox: store, handle: outboxHandler(call, store, {}), log, pollMs: 10 });
    await sender.idle();
    expect(calls.map((c) => [c.method, c.args.ts])).toEqual([
      ['chat.postMessage', undefined],
      ['chat.update', '1750000000.000101'],
    ]);
    expect(calls.every((c) => (c.scope as { enterpriseId?: string }).enterpriseId === 'E1')).toBe(true);
    expect(await store.recorded('T1', 'question:s1:q1')).toBe('1750000000.000101');
    expect(await store.stats()).toMatchObject({ depth: 0, dead: 0 });
  });

  it('settles the update without a call when the post it updates was given up on', async () => {
    store = openSqliteStore(':memory:');
    const calls: string[] = [];
    const call: ApiCall = async (method) => {
      calls.push(method);
      if (method === 'chat.postMessage') throw new SlackApiError({ ok: false, error: 'not_in_channel' });
      return { ok: true };
    };
    const lane = 'T1:C1:1750000000.000002';
    await store.enqueue([
      apiCall('T1', lane, 'chat.postMessage', { channel: 'C1' }, { record: 'card:s2' }),
      apiCall('T1', lane, 'chat.update', { channel: 'C1' }, { tsRef: 'card:s2' }),
    ]);
    sender = startSender({ outbox: store, handle: outboxHandler(call, store, {}), log, pollMs: 10 });
    await sender.idle();
    expect(calls).toEqual(['chat.postMessage']);
    expect(await store.stats()).toMatchObject({ depth: 0, dead: 1 });
  });
});
