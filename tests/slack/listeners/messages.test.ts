import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../../src/slack/listeners/commands.js';
import { messageHandler } from '../../../src/slack/listeners/messages.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { settling } from '../../support/drain.js';
import { listenerDeps } from '../../support/outbox.js';
import {
  blocksOf,
  CLICKED_TS,
  commandArgs,
  replyArgs,
  THREAD_TS,
  useFakeSlack,
} from '../../support/slack.js';

const slack = useFakeSlack('http://slack.messages.test');

/** An assessment started by U1 in the fake thread, and the handler for replies in it. */
async function started() {
  const { deps, store, drain } = listenerDeps(slack.client);
  const on = settling(new Listeners(), drain);
  registerCommands(on, deps);
  await on.runCommand(commandArgs(slack.client, '') as never);
  slack.clear();
  const reply = async (text: string, opts?: Parameters<typeof replyArgs>[2]) => {
    await messageHandler(deps)(replyArgs(slack.client, text, opts) as never);
    await drain();
  };
  const stored = async () => (await store.byThread('T1', 'C1', THREAD_TS))[0];
  return { deps, reply, stored, drain };
}

describe('thread replies', () => {
  it('take the owner’s typed answer, post the next question and update the parent', async () => {
    const { reply, stored } = await started();
    await reply('1');
    expect(blocksOf(slack.posted('chat.postMessage')[0])[0]?.block_id).toBe('question:clusters');
    // The question answered by typing shows the answer and loses its buttons, as a click would leave it.
    const [answered, parent] = slack.posted('chat.update');
    // The fake Slack's second ts, after the parent's: the first question as posted.
    expect(answered?.body.ts).toBe(CLICKED_TS);
    expect(JSON.stringify(blocksOf(answered))).toContain('Small or new to Kubernetes operations');
    expect(blocksOf(answered).some((b) => b.type === 'actions')).toBe(false);
    expect(parent?.body.ts).toBe(THREAD_TS);
    expect((await stored())?.answers).toEqual({ team: { kind: 'option', optionId: 'small' } });
  });

  it('re-ask an unclear reply in one line, not the whole question again, changing nothing', async () => {
    const { reply, stored } = await started();
    await reply('we are about five people');
    const again = slack.posted('chat.postMessage')[0];
    expect(again?.body.thread_ts).toBe(THREAD_TS);
    expect(JSON.stringify(blocksOf(again))).toContain('could not match');
    expect(JSON.stringify(blocksOf(again))).toContain('Question 1 of');
    expect(blocksOf(again).some((b) => b.type === 'actions')).toBe(false);
    expect((await stored())?.answers).toEqual({});
  });

  it('from someone else change nothing and get an ephemeral note', async () => {
    const { reply, stored } = await started();
    await reply('1', { user: 'U2' });
    expect(slack.posted('chat.postEphemeral')[0]?.body).toMatchObject({
      user: 'U2',
      thread_ts: THREAD_TS,
      text: expect.stringContaining('<@U1>'),
    });
    expect(slack.posted('chat.postMessage')).toHaveLength(0);
    expect((await stored())?.answers).toEqual({});
  });

  it('ignore bots, edits and messages outside a thread', async () => {
    const { deps, stored } = await started();
    const edit = replyArgs(slack.client, '1');
    edit.event.subtype = 'message_changed';
    const bot = replyArgs(slack.client, '1');
    bot.event.bot_id = 'B1';
    const ownBot = replyArgs(slack.client, '1', { user: 'UBOT' });
    const topLevel = replyArgs(slack.client, '1');
    topLevel.event.thread_ts = undefined;
    for (const args of [edit, bot, ownBot, topLevel]) await messageHandler(deps)(args as never);
    expect(slack.calls).toEqual([]);
    expect((await stored())?.answers).toEqual({});
  });

  it('apply a retried event once', async () => {
    const { reply, stored } = await started();
    await reply('1', { eventId: 'Ev-same' });
    const after = slack.calls.length;
    await reply('2', { eventId: 'Ev-same' });
    expect(slack.calls.length).toBe(after);
    expect((await stored())?.answers).toEqual({ team: { kind: 'option', optionId: 'small' } });
  });

  it('take back and restart as commands', async () => {
    const { reply, stored } = await started();
    await reply('1');
    await reply('Back');
    expect((await stored())?.answers).toEqual({});
    await reply('2');
    await reply('restart!');
    expect(await stored()).toMatchObject({ answers: {}, restarts: 1 });
  });
});
