// The reference for the benchmark: a bare Bolt 5 app that only acks and posts one message per request.
// Whatever k8s-advisor costs on top of this is the price of the assessment itself.

import { App, type BlockAction, LogLevel } from '@slack/bolt';

export interface BareOptions {
  botToken: string;
  signingSecret: string;
  apiUrl: string;
}

/**
 * The one message the bare app posts: it mentions the user (as a reply to a command would), and has a section
 * the bench recognises as "the next question" and a button to click.
 */
function reply(user: string, channel: string, threadTs?: string) {
  const text = `<@${user}>, next question`;
  return {
    channel,
    ...(threadTs && { thread_ts: threadTs }),
    text,
    blocks: [
      { type: 'section', block_id: 'question:bare', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        block_id: 'answers:bare',
        elements: [
          {
            type: 'button',
            action_id: 'answer:bare:ok',
            text: { type: 'plain_text', text: 'OK' },
            value: 'ok',
          },
        ],
      },
    ],
  };
}

export function createBareApp({ botToken, signingSecret, apiUrl }: BareOptions): App {
  const app = new App({
    token: botToken,
    signingSecret,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: apiUrl },
    customRoutes: [
      { path: '/healthz', method: 'GET', handler: (_req, res) => void res.writeHead(200).end('ok') },
    ],
  });
  app.command('/k8s-advisor', async ({ ack, command, client }) => {
    await ack();
    await client.chat.postMessage(reply(command.user_id, command.channel_id));
  });
  app.event('message', async ({ event, client }) => {
    const m = event as { channel: string; user?: string; thread_ts?: string; ts: string; subtype?: string };
    if (m.subtype !== undefined) return;
    await client.chat.postMessage(reply(m.user ?? '', m.channel, m.thread_ts ?? m.ts));
  });
  app.action<BlockAction>(/^answer:/, async ({ ack, body, client }) => {
    await ack();
    const container = body.container as { channel_id?: string; thread_ts?: string; message_ts?: string };
    await client.chat.postMessage(
      reply(body.user.id, container.channel_id ?? '', container.thread_ts ?? container.message_ts ?? ''),
    );
  });
  return app;
}
