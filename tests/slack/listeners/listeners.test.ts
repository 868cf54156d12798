import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerHandler, cardHandlers } from '../../../src/slack/listeners/actions.js';
import { commandHandler } from '../../../src/slack/listeners/commands.js';
import { messageHandler } from '../../../src/slack/listeners/messages.js';
import { memoryService, silentLogger } from '../../support/service.js';

const API = 'http://slack.test';
const client = new WebClient('xoxb-listener-test', {
  slackApiUrl: `${API}/api/`,
  retryConfig: { retries: 0 },
});

/** Records every Web API call nock answers, with its parsed form body. */
let calls: { method: string; body: Record<string, unknown> }[] = [];
let nextTs = 100;
function slack() {
  // nock 15.0 hands a one-argument reply function the fetch Request itself (pinned for Node 20).
  const reply = async (req: Request) => {
    const method = new URL(req.url).pathname.replace('/api/', '');
    const body = Object.fromEntries(new URLSearchParams(await req.text())) as Record<string, unknown>;
    calls.push({ method, body });
    const ts = `1700000000.${String(nextTs++).padStart(6, '0')}`;
    return [200, { ok: true, ts, channel: body.channel, message_ts: ts }];
  };
  nock(API)
    .persist()
    .post(/\/api\/.*/)
    .reply(reply as never);
}
const posted = (method: string) => calls.filter((c) => c.method === method);
const blocksOf = (c: { body: Record<string, unknown> }) => JSON.parse(String(c.body.blocks ?? '[]'));

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  calls = [];
  nextTs = 100;
  slack();
});
afterEach(() => nock.cleanAll());

function command(text: string, triggerId = `trig-${Math.random()}`) {
  return {
    command: {
      text,
      trigger_id: triggerId,
      team_id: 'T1',
      channel_id: 'C1',
      user_id: 'U1',
      command: '/k8s-advisor',
    },
    ack: vi.fn(async () => {}),
    respond: vi.fn(async () => {}),
    client,
    logger: silentLogger,
  } as never;
}

async function started() {
  const { service, store } = memoryService();
  await commandHandler(service)(command(''));
  const parent = posted('chat.postMessage')[0];
  const threadTs = '1700000000.000100';
  return { service, store, parent, threadTs };
}

function reply(text: string, user = 'U1', eventId = `Ev${Math.random()}`) {
  return {
    event: {
      type: 'message',
      channel: 'C1',
      user,
      text,
      ts: `1700000001.${Math.floor(Math.random() * 1e6)}`,
      thread_ts: '1700000000.000100',
    },
    body: { team_id: 'T1', event_id: eventId },
    context: { botUserId: 'UBOT', teamId: 'T1' },
    client,
    logger: silentLogger,
  } as never;
}

function click(actionId: string, value: string, user = 'U1', actionTs = `${Math.random()}`) {
  const action = { type: 'button', action_id: actionId, value, action_ts: actionTs };
  return {
    ack: vi.fn(async () => {}),
    action,
    body: {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: user, team_id: 'T1' },
      channel: { id: 'C1' },
      container: {
        type: 'message',
        message_ts: '1700000000.000101',
        channel_id: 'C1',
        thread_ts: '1700000000.000100',
      },
      message: { ts: '1700000000.000101', thread_ts: '1700000000.000100' },
      actions: [action],
    },
    client,
    logger: silentLogger,
  } as never;
}

describe('the slash command', () => {
  it('acks, posts a parent naming the user, then the first question in its thread', async () => {
    const { parent } = await started();
    expect(parent?.body.channel).toBe('C1');
    expect(String(parent?.body.text)).toContain('<@U1>');
    const question = posted('chat.postMessage')[1];
    expect(question?.body.thread_ts).toBe('1700000000.000100');
    expect(blocksOf(question as never)[0].block_id).toBe('question:team');
    // The parent is posted already showing "Question 1 of N", so starting costs no chat.update.
    expect(JSON.stringify(blocksOf(parent as never))).toContain('Question 1 of 10');
    expect(posted('chat.update')).toHaveLength(0);
  });

  it('answers help and unknown words with usage in the ack, posting nothing', async () => {
    const { service } = memoryService();
    const help = command('help');
    await commandHandler(service)(help);
    expect((help as { ack: { mock: { calls: unknown[][] } } }).ack.mock.calls[0]?.[0]).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('/k8s-advisor start'),
    });
    const unknown = command('frobnicate');
    await commandHandler(service)(unknown);
    expect((unknown as { ack: { mock: { calls: unknown[][] } } }).ack.mock.calls[0]?.[0]).toMatchObject({
      text: expect.stringContaining('I do not know `/k8s-advisor frobnicate`'),
    });
    expect(calls).toHaveLength(0);
  });

  it('does nothing the second time the same trigger_id arrives', async () => {
    const { service } = memoryService();
    await commandHandler(service)(command('start', 'same'));
    await commandHandler(service)(command('start', 'same'));
    expect(posted('chat.postMessage')).toHaveLength(2);
  });
});

describe('thread replies', () => {
  it('take the owner’s typed answer, post the next question and update the parent', async () => {
    const { service } = await started();
    calls = [];
    await messageHandler(service)(reply('1'));
    const next = posted('chat.postMessage')[0];
    expect(blocksOf(next as never)[0].block_id).toBe('question:clusters');
    expect(posted('chat.update')[0]?.body.ts).toBe('1700000000.000100');
  });

  it('re-ask an unclear reply with a message, changing nothing', async () => {
    const { service, store } = await started();
    calls = [];
    await messageHandler(service)(reply('we are about five people'));
    const again = posted('chat.postMessage')[0];
    expect(String(JSON.stringify(blocksOf(again as never)))).toContain('could not match');
    const [s] = await store.byThread('T1', 'C1', '1700000000.000100');
    expect(s?.answers).toEqual({});
  });

  it('from someone else change nothing and get an ephemeral note', async () => {
    const { service, store } = await started();
    calls = [];
    await messageHandler(service)(reply('1', 'U2'));
    expect(posted('chat.postEphemeral')[0]?.body).toMatchObject({
      user: 'U2',
      text: expect.stringContaining('<@U1>'),
    });
    expect(posted('chat.postMessage')).toHaveLength(0);
    const [s] = await store.byThread('T1', 'C1', '1700000000.000100');
    expect(s?.answers).toEqual({});
  });

  it('ignore bots, edits and a retried event', async () => {
    const { service } = await started();
    calls = [];
    const edit = reply('1') as { event: Record<string, unknown> };
    edit.event.subtype = 'message_changed';
    await messageHandler(service)(edit as never);
    const bot = reply('1') as { event: Record<string, unknown> };
    bot.event.bot_id = 'B1';
    await messageHandler(service)(bot as never);
    expect(calls).toHaveLength(0);
    await messageHandler(service)(reply('1', 'U1', 'Ev-same'));
    const after = calls.length;
    await messageHandler(service)(reply('2', 'U1', 'Ev-same'));
    expect(calls.length).toBe(after);
  });
});

describe('buttons', () => {
  it('record the answer, mark the question answered and ask the next', async () => {
    const { service } = await started();
    calls = [];
    await answerHandler(service)(click('answer:team:small', 'small'));
    const update = posted('chat.update').find((c) => c.body.ts === '1700000000.000101');
    expect(JSON.stringify(blocksOf(update as never))).toContain('Small or new to Kubernetes operations');
    expect(JSON.stringify(blocksOf(update as never))).not.toContain('"actions"');
    expect(blocksOf(posted('chat.postMessage')[0] as never)[0].block_id).toBe('question:clusters');
  });

  it('apply a double click once', async () => {
    const { service, store } = await started();
    await answerHandler(service)(click('answer:team:small', 'small', 'U1', '111.1'));
    calls = [];
    await answerHandler(service)(click('answer:team:small', 'small', 'U1', '111.1'));
    expect(calls).toHaveLength(0);
    const [s] = await store.byThread('T1', 'C1', '1700000000.000100');
    expect(s?.version).toBe(1);
  });

  it('walk to the card, whose buttons share it and restart', async () => {
    const { service } = await started();
    for (const [q, v] of [
      ['team', 'small'],
      ['clusters', '3'],
      ['nodes', '30'],
      ['variability', 'steady'],
      ['provider_access', 'no'],
      ['self_host_site', 'own_datacenter'],
    ]) {
      await answerHandler(service)(click(`answer:${q}:${v}`, String(v)));
    }
    const card = posted('chat.postMessage').at(-1);
    expect(JSON.parse(String(card?.body.metadata))).toMatchObject({
      event_type: 'k8s_advisor_recommendation',
      event_payload: { outcome: 'self_hosted_required', answers: { team: 'small', clusters: 3 } },
    });
    calls = [];
    await cardHandlers(service).share(click('card:share', 'x'));
    expect(posted('chat.postMessage')[0]?.body.thread_ts).toBeUndefined();
    calls = [];
    await cardHandlers(service).restart(click('card:restart', 'x'));
    expect(blocksOf(posted('chat.postMessage')[0] as never)[0].block_id).toBe('question:team');
  });
});
