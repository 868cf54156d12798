import type { BlockAction } from '@slack/bolt';
import type { Step, Thread } from '../../advisor/steps.js';
import { uploadAdr } from '../adr.js';
import { changePickerMessage, recommendationMessage } from '../blocks/card.js';
import { context, section, toSlack } from '../blocks/text.js';
import { deliver, type Where } from '../deliver.js';
import type { ActionArgs, ListenerDeps, Register } from './registry.js';

type Deps = Pick<ListenerDeps, 'service' | 'chat'>;

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

/** An option button of a question: `answer:<question>:<option>`. */
export function answerHandler({ service, chat }: Deps) {
  return async ({ ack, body, action, logger }: ActionArgs) => {
    await ack();
    const [, questionId = '', ...rest] = (action as { action_id: string }).action_id.split(':');
    const optionId = rest.join(':') || ((action as { value?: string }).value ?? '');
    const at = clickedAt(body);
    const step = await service.answer(at, questionId, optionId, clickKey(body));
    await deliver(step, at, { chat, service, logger });
  };
}

/**
 * A button of a finished assessment's card: acts once per click; when the assessment is no longer finished (a
 * restart, a change in progress), shows where it stands instead.
 */
function onCard(
  { service, chat }: Deps,
  act: (step: Extract<Step, { kind: 'done' }>, at: Thread & Where, args: ActionArgs) => Promise<unknown>,
) {
  return async (args: ActionArgs) => {
    await args.ack();
    const at = clickedAt(args.body);
    const step = await service.view(at);
    if (step.kind !== 'done') return deliver(step, at, { chat, service, logger: args.logger });
    if (!(await service.claim(clickKey(args.body), at.teamId))) return;
    await act(step, at, args);
  };
}

export function cardHandlers(deps: Deps) {
  const { service, chat } = deps;
  const q = service.questionnaire;
  return {
    restart: async ({ ack, body, logger }: ActionArgs) => {
      await ack();
      const at = clickedAt(body);
      const step = await service.restart(at, clickKey(body));
      await deliver(step, { ...at, clickedTs: undefined }, { chat, service, logger });
    },

    change: onCard(deps, (step, at) =>
      chat.postMessage({
        channel: at.channelId,
        thread_ts: at.threadTs,
        ...toSlack(changePickerMessage(q, step.session)),
      }),
    ),

    pick: async ({ ack, body, action, logger }: ActionArgs) => {
      await ack();
      const at = clickedAt(body);
      const questionId = (action as { selected_option?: { value: string } }).selected_option?.value ?? '';
      const step = await service.reopen(at, questionId, clickKey(body));
      if (step.kind === 'ask') {
        await chat
          .update({
            channel: at.channelId,
            ts: at.clickedTs ?? '',
            ...toSlack({
              text: `Changing: ${step.question.prompt}`,
              blocks: [section(':pencil2: Changing one answer.'), context(step.question.prompt)],
            }),
          })
          .catch((error: Error) => logger.warn(`could not update the picker: ${error.message}`));
      }
      await deliver(step, { ...at, clickedTs: undefined }, { chat, service, logger });
    },

    share: onCard(deps, (step, at) => {
      const card = recommendationMessage(q, step.session, step.recommendation, { shared: true });
      return chat.postMessage({ channel: at.channelId, ...toSlack(card) });
    }),

    adr: onCard(deps, (step, _at, { client, logger }) =>
      uploadAdr(client, q, step.session, step.recommendation, logger),
    ),
  };
}

export const registerActions: Register = (on, deps) => {
  const card = cardHandlers(deps);
  on.action({ prefix: 'answer:' }, answerHandler(deps))
    .action('card:restart', card.restart)
    .action('card:change', card.change)
    .action('change:pick', card.pick)
    .action('card:share', card.share)
    .action('card:adr', card.adr);
};
