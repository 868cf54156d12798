import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AdvisorService, Thread } from '../../advisor/service.js';
import { uploadAdr } from '../adr.js';
import { changePickerMessage, recommendationMessage } from '../blocks/card.js';
import { context, section, toSlack } from '../blocks/text.js';
import type { ChatApi } from '../chat-client.js';
import { deliver, type Where } from '../deliver.js';
import type { ActionRoutes } from './action-routes.js';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The thread and person behind a click, read from the block_actions payload. */
export function clickedAt(body: BlockAction): Thread & Where {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  const container = body.container as { message_ts?: string; thread_ts?: string; channel_id?: string };
  const clickedTs = container.message_ts ?? message?.ts ?? '';
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    channelId: body.channel?.id ?? container.channel_id ?? '',
    threadTs: container.thread_ts ?? message?.thread_ts ?? clickedTs,
    userId: body.user.id,
    clickedTs,
  };
}

/** A click is identified by its action_ts and who clicked: Slack's retry repeats both, a new click does not. */
export const clickKey = (body: BlockAction) => `action:${body.actions[0]?.action_ts}:${body.user.id}`;

export function answerHandler(service: AdvisorService, chat?: ChatApi) {
  return async ({ ack, body, action, client, logger }: ActionArgs) => {
    await ack();
    const [, questionId = '', ...rest] = (action as { action_id: string }).action_id.split(':');
    const optionId = rest.join(':') || ((action as { value?: string }).value ?? '');
    const at = clickedAt(body);
    const step = await service.answer(at, questionId, optionId, clickKey(body));
    await deliver(step, at, { chat: chat ?? client.chat, service, logger });
  };
}

export function cardHandlers(service: AdvisorService, chat?: ChatApi) {
  const q = service.questionnaire;
  return {
    restart: async ({ ack, body, client, logger }: ActionArgs) => {
      await ack();
      const at = clickedAt(body);
      const step = await service.restart(at, clickKey(body));
      await deliver(step, { ...at, clickedTs: undefined }, { chat: chat ?? client.chat, service, logger });
    },

    change: async ({ ack, body, client, logger }: ActionArgs) => {
      await ack();
      const at = clickedAt(body);
      const step = await service.view(at);
      if (step.kind !== 'done') return deliver(step, at, { chat: chat ?? client.chat, service, logger });
      if (!(await service.claim(clickKey(body)))) return;
      await client.chat.postMessage({
        channel: at.channelId,
        thread_ts: at.threadTs,
        ...toSlack(changePickerMessage(q, step.session)),
      });
    },

    pick: async ({ ack, body, action, client, logger }: ActionArgs) => {
      await ack();
      const at = clickedAt(body);
      const questionId = (action as { selected_option?: { value: string } }).selected_option?.value ?? '';
      const step = await service.reopen(at, questionId, clickKey(body));
      if (step.kind === 'ask') {
        await client.chat
          .update({
            channel: at.channelId,
            ts: at.clickedTs ?? '',
            text: `Changing: ${step.question.prompt}`,
            blocks: [section(':pencil2: Changing one answer.'), context(step.question.prompt)],
          })
          .catch((error: Error) => logger.warn(`could not update the picker: ${error.message}`));
      }
      await deliver(step, { ...at, clickedTs: undefined }, { chat: chat ?? client.chat, service, logger });
    },

    share: async ({ ack, body, client, logger }: ActionArgs) => {
      await ack();
      const at = clickedAt(body);
      const step = await service.view(at);
      if (step.kind !== 'done') return deliver(step, at, { chat: chat ?? client.chat, service, logger });
      if (!(await service.claim(clickKey(body)))) return;
      const card = recommendationMessage(q, step.session, step.recommendation, { shared: true });
      await client.chat.postMessage({ channel: at.channelId, ...toSlack(card) });
    },
  };
}

export function adrHandler(service: AdvisorService, chat?: ChatApi) {
  return async ({ ack, body, client, logger }: ActionArgs) => {
    await ack();
    const at = clickedAt(body);
    const step = await service.view(at);
    if (step.kind !== 'done') return deliver(step, at, { chat: chat ?? client.chat, service, logger });
    if (!(await service.claim(clickKey(body)))) return;
    await uploadAdr(client, service.questionnaire, step.session, step.recommendation, logger);
  };
}

/** `chat`: where answers go (the app's lean chat client); Bolt's client when not given. */
export function routeActions(routes: ActionRoutes, service: AdvisorService, chat?: ChatApi) {
  const card = cardHandlers(service, chat);
  routes
    .on({ prefix: 'answer:' }, answerHandler(service, chat))
    .on('card:restart', card.restart)
    .on('card:change', card.change)
    .on('change:pick', card.pick)
    .on('card:share', card.share)
    .on('card:adr', adrHandler(service, chat));
}
