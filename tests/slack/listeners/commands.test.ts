import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../../src/slack/listeners/commands.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { settling } from '../../support/drain.js';
import { listenerDeps } from '../../support/outbox.js';
import { blocksOf, commandArgs, firstArg, THREAD_TS, useFakeSlack } from '../../support/slack.js';

const slack = useFakeSlack('http://slack.commands.test', (call) =>
  call.body.channel === 'CLOCKED' ? { ok: false, error: 'not_in_channel' } : undefined,
);

function setup() {
  const { deps, store, drain } = listenerDeps(slack.client);
  const on = settling(new Listeners(), drain);
  registerCommands(on, deps);
  return { on, store };
}

describe('/k8s-advisor (start)', () => {
  it('acks, posts a parent naming the user, then the first question in its thread', async () => {
    const { on } = setup();
    const args = commandArgs(slack.client, '');
    await on.runCommand(args as never);
    expect(args.ack).toHaveBeenCalledWith();
    const [parent, question] = slack.posted('chat.postMessage');
    expect(parent?.body.channel).toBe('C1');
    expect(parent?.body.text).toContain('<@U1>');
    expect(question?.body.thread_ts).toBe(THREAD_TS);
    expect(blocksOf(question)[0]?.block_id).toBe('question:team');
    // The parent is posted already showing "Question 1 of N", so starting costs no chat.update.
    expect(JSON.stringify(blocksOf(parent))).toContain('Question 1 of 10');
    expect(slack.posted('chat.update')).toHaveLength(0);
  });

  it('takes `start` as the same word, and any word after it as unknown', async () => {
    const { on, store } = setup();
    await on.runCommand(commandArgs(slack.client, 'start') as never);
    expect(slack.posted('chat.postMessage')).toHaveLength(2);
    slack.clear();
    const extra = commandArgs(slack.client, 'start now please');
    await on.runCommand(extra as never);
    expect(firstArg(extra.ack)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('I do not know `/k8s-advisor start now please`'),
    });
    expect(slack.calls).toEqual([]);
    expect(await store.byThread('T1', 'C1', THREAD_TS)).toHaveLength(1);
  });

  it('does nothing the second time the same trigger_id arrives', async () => {
    const { on, store } = setup();
    await on.runCommand(commandArgs(slack.client, '', { triggerId: 'same' }) as never);
    await on.runCommand(commandArgs(slack.client, '', { triggerId: 'same' }) as never);
    expect(slack.posted('chat.postMessage')).toHaveLength(2);
    expect(await store.byThread('T1', 'C1', THREAD_TS)).toHaveLength(1);
  });

  it('tells the caller to invite the bot when it may not post in the channel, storing nothing', async () => {
    const { on, store } = setup();
    const args = commandArgs(slack.client, '', { channel: 'CLOCKED' });
    await on.runCommand(args as never);
    // Said through the command's response_url, once the parent could not be posted.
    expect(slack.methods).toEqual(['chat.postMessage', 'response_url']);
    expect(slack.posted('response_url')[0]?.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('I cannot post in this conversation (not_in_channel)'),
    });
    expect(await store.listByUser('T1', 'U1', { limit: 10, offset: 0 })).toMatchObject({ total: 0 });
  });
});
