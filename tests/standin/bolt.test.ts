// Proves the pieces fit: a real Bolt App (HTTP mode) receives signed requests built by payloads.ts
// and talks to the Web API stand-in through its own WebClient.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpened, blockAction, messageEvent, slashCommand } from '../../src/standin/payloads.js';
import { type SlackStandin, startSlackStandin } from '../../src/standin/server.js';
import { postSigned } from '../../src/standin/sign.js';
import { quietLogger } from './helpers.js';

const SECRET = 'test-signing-secret';
const CH = 'C0PLATFORM';
const ids = { teamId: 'T0STANDIN', channelId: CH, userId: 'U0ALICE' };
let standin: SlackStandin;
let app: App;
let endpoint = '';

beforeAll(async () => {
  standin = await startSlackStandin();
  standin.addChannel({ id: CH, name: 'platform' });
  standin.addUser({ id: 'U0ALICE', name: 'alice' });
  app = new App({
    token: 'xoxb-test-token',
    signingSecret: SECRET,
    logger: quietLogger,
    clientOptions: { slackApiUrl: standin.url, retryConfig: { retries: 0 } },
  });
  app.command('/k8s-advisor', async ({ ack, command, client, respond }) => {
    await ack();
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `You asked: ${command.text}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `You asked: ${command.text}` } },
        {
          type: 'actions',
          block_id: 'choices',
          elements: [
            {
              type: 'button',
              action_id: 'accept',
              text: { type: 'plain_text', text: 'Accept' },
              value: 'eks',
            },
          ],
        },
      ],
    });
    await respond({ text: 'On it' });
  });
  app.action('accept', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || !body.message) return;
    const value = body.actions[0]?.type === 'button' ? body.actions[0].value : '';
    await client.chat.update({
      channel: body.channel.id,
      ts: body.message.ts,
      text: `Accepted ${value}`,
      blocks: [],
    });
  });
  app.message('hello', async ({ message, say }) => {
    if (message.subtype === undefined) await say({ text: `Hi <@${message.user}>`, thread_ts: message.ts });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Welcome' } }] },
    });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app.stop();
  await standin.close();
});

describe('Bolt app against the stand-in', () => {
  it('handles a signed slash command, posts, responds, and takes a button click', async () => {
    const responseUrl = standin.responseUrl({ channel: CH, user: 'U0ALICE' });
    const form = slashCommand({ ...ids, text: 'eks or self-hosted?', responseUrl });
    const res = await postSigned(endpoint, SECRET, { form });
    expect(res.status).toBe(200);

    const posted = await standin.waitFor(() =>
      standin.messages(CH).find((m) => m.text.startsWith('You asked')),
    );
    expect(posted).toMatchObject({ text: 'You asked: eks or self-hosted?', user: standin.botUserId });
    const ephemeral = await standin.waitFor(() => standin.messages(CH).find((m) => m.is_ephemeral));
    expect(ephemeral).toMatchObject({ text: 'On it', visible_to: 'U0ALICE' });
    expect(standin.calls('auth.test')).toHaveLength(1);

    const click = blockAction({ ...ids, message: posted, actionId: 'accept', blockId: 'choices' });
    expect((await postSigned(endpoint, SECRET, { form: click })).status).toBe(200);
    const updated = await standin.waitFor(
      () => standin.message(CH, posted.ts)?.edited && standin.message(CH, posted.ts),
    );
    expect(updated).toMatchObject({ text: 'Accepted eks' });
    expect(updated.blocks).toBeUndefined();
  });

  it('answers a message event in a thread and publishes App Home', async () => {
    const human = standin.recordUserMessage({ channel: CH, user: 'U0ALICE', text: 'hello there' });
    const event = messageEvent({ ...ids, text: human.text, ts: human.ts });
    expect((await postSigned(endpoint, SECRET, { json: event })).status).toBe(200);
    const reply = await standin.waitFor(() => standin.thread(CH, human.ts)[1]);
    expect(reply.text).toBe('Hi <@U0ALICE>');

    await postSigned(endpoint, SECRET, { json: appHomeOpened({ teamId: ids.teamId, userId: 'U0ALICE' }) });
    const view = await standin.waitFor(() => standin.views().find((v) => v.user === 'U0ALICE'));
    expect(view.type).toBe('home');
  });

  it('rejects a request signed with the wrong secret', async () => {
    const res = await postSigned(endpoint, 'wrong-secret', { form: slashCommand({ ...ids, text: 'x' }) });
    expect(res.status).toBe(401);
  });
});
