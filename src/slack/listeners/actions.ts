import type { BlockAction } from '@slack/bolt';
import type { Envelope } from '../../advisor/ports/outbox.js';
import type { Origin, Step } from '../../advisor/steps.js';
import { adrCall } from '../adr.js';
import { changePickerMessage, recommendationMessage } from '../blocks/card.js';
import { context, section, toSlack } from '../blocks/text.js';
import { apiCall, threadLane } from '../envelopes.js';
import type { ActionArgs, ListenerDeps, Register } from './registry.js';

type Deps = Pick<ListenerDeps, 'service' | 'sender' | 'outbox'>;

/** The thread and person behind a click, read from the block_actions payload, and the message clicked. */
export function clickedAt(body: BlockAction): Origin {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  const container = body.container as { message_ts?: string; thread_ts?: string; channel_id?: string };
  const clickedTs = container.message_ts ?? message?.ts ?? '';
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    channelId: body.channel?.id ?? container.channel_id ?? '',
    threadTs: container.thread_ts ?? message?.thread_ts ?? clickedTs,
    userId: body.user.id,
    ...(clickedTs && { messageTs: clickedTs }),
  };
}

/** A click is identified by its action_ts and who clicked: Slack's retry repeats both, a new click does not. */
export const clickKey = (body: BlockAction) => `action:${body.actions[0]?.action_ts}:${body.user.id}`;

/**
 * An option button of a question: `answer:<question>:<option>`. The answer and the messages it owes commit
 * before the ack, keyed by the click.
 */
export function answerHandler({ service, sender }: Deps) {
  return async ({ ack, body, action }: ActionArgs) => {
    const [, questionId = '', ...rest] = (action as { action_id: string }).action_id.split(':');
    const optionId = rest.join(':') || ((action as { value?: string }).value ?? '');
    await service.answer(clickedAt(body), questionId, optionId, clickKey(body));
    await ack();
    sender.wake();
  };
}

/**
 * A button of a finished assessment's card: acts once per click; when the assessment is no longer finished (a
 * restart, a change in progress), shows where it stands instead. Either way committed before the ack.
 */
function onCard(
  { service, sender }: Deps,
  act: (step: Extract<Step, { kind: 'done' }>, at: Origin) => Envelope[],
) {
  return async ({ ack, body }: ActionArgs) => {
    const at = clickedAt(body);
    const step = await service.view(at);
    const key = clickKey(body);
    if (step.kind !== 'done') await service.show(step, { ...at, messageTs: undefined }, key);
    else await service.claim(key, at.teamId, act(step, at));
    await ack();
    sender.wake();
  };
}

export function cardHandlers(deps: Deps) {
  const { service, sender, outbox } = deps;
  const q = service.questionnaire;
  const inThread = (at: Origin, method: 'chat.postMessage', args: Record<string, unknown>) =>
    apiCall(at.teamId, threadLane(at.teamId, at.channelId, at.threadTs), method, args);
  return {
    restart: async ({ ack, body }: ActionArgs) => {
      const at = clickedAt(body);
      await service.restart({ ...at, messageTs: undefined }, clickKey(body));
      await ack();
      sender.wake();
    },

    change: onCard(deps, (step, at) => [
      inThread(at, 'chat.postMessage', {
        channel: at.channelId,
        thread_ts: at.threadTs,
        ...toSlack(changePickerMessage(q, step.session)),
      }),
    ]),

    pick: async ({ ack, body, action }: ActionArgs) => {
      const at = clickedAt(body);
      const questionId = (action as { selected_option?: { value: string } }).selected_option?.value ?? '';
      const step = await service.reopen({ ...at, messageTs: undefined }, questionId, clickKey(body));
      if (step.kind === 'ask' && at.messageTs) {
        // Cosmetic, so its own transaction: the picker says what is being changed.
        const lane = threadLane(at.teamId, at.channelId, at.threadTs);
        const picked = {
          text: `Changing: ${step.question.prompt}`,
          blocks: [section(':pencil2: Changing one answer.'), context(step.question.prompt)],
        };
        await outbox.enqueue([
          apiCall(at.teamId, lane, 'chat.update', {
            channel: at.channelId,
            ts: at.messageTs,
            ...toSlack(picked),
          }),
        ]);
      }
      await ack();
      sender.wake();
    },

    share: onCard(deps, (step, at) => {
      const card = recommendationMessage(q, step.session, step.recommendation, { shared: true });
      return [
        apiCall(at.teamId, `${at.teamId}:${at.channelId}`, 'chat.postMessage', {
          channel: at.channelId,
          ...toSlack(card),
        }),
      ];
    }),

    adr: onCard(deps, (step) => [adrCall(step.session)]),
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
