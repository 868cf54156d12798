import type { BlockAction } from '@slack/bolt';
import type { Origin, Step } from '../../advisor/steps.js';
import { adrCall } from '../adr.js';
import { changePickerMessage } from '../blocks/card.js';
import { RESTART_CANCELLED, RESTART_CONFIRMED } from '../blocks/restart.js';
import { context, section, toSlack } from '../blocks/text.js';
import { apiCall, threadLane } from '../envelopes.js';
import { respondCall } from '../response-url.js';
import { ALREADY_SHARED, shareCall, shareKey } from '../share.js';
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
  act: (step: Extract<Step, { kind: 'done' }>, at: Origin, key: string) => Promise<unknown>,
) {
  return async ({ ack, body }: ActionArgs) => {
    const at = clickedAt(body);
    const step = await service.view(at);
    const key = clickKey(body);
    if (step.kind !== 'done') await service.show(step, { ...at, messageTs: undefined }, key);
    else await act(step, at, key);
    await ack();
    sender.wake();
  };
}

/**
 * Where a restart's confirmation was answered: the thread of the assessment its buttons name, when they name one
 * of this workspace (an ephemeral message's payload need not say which thread it was in); else where it was clicked.
 */
async function promptedAt(service: Deps['service'], body: BlockAction, value: string | undefined) {
  const at = clickedAt(body);
  const found = value ? await service.find(value) : undefined;
  if (!found || found.session.teamId !== at.teamId) return at;
  return { ...at, channelId: found.session.channelId, threadTs: found.session.threadTs };
}

export function cardHandlers(deps: Deps) {
  const { service, sender, outbox } = deps;
  const q = service.questionnaire;
  const lane = (at: Origin) => threadLane(at.teamId, at.channelId, at.threadTs);
  const inThread = (at: Origin, method: 'chat.postMessage', args: Record<string, unknown>) =>
    apiCall(at.teamId, lane(at), method, args);
  const whisper = (at: Origin, text: string) =>
    apiCall(at.teamId, lane(at), 'chat.postEphemeral', {
      channel: at.channelId,
      thread_ts: at.threadTs,
      user: at.userId,
      text,
    });
  /**
   * The confirmation turns into what was decided, through the click's response_url (only it can change an
   * ephemeral message). Cosmetic, so its own transaction and lane: an expired URL holds nothing up.
   */
  const answerPrompt = async (body: BlockAction, at: Origin, key: string, text: string) => {
    const url = (body as { response_url?: string }).response_url;
    const call = url
      ? {
          ...respondCall(at.teamId, `${at.teamId}/respond/${key}`, url, { replace_original: true, text }),
          maxAttempts: 3,
        }
      : whisper(at, text);
    await outbox.enqueue([call], { key: `${key}:answered`, teamId: at.teamId });
  };
  const value = (action: unknown) => (action as { value?: string }).value;

  return {
    /** A finished assessment asks first (the service's confirm_restart step); one in progress starts again now. */
    restart: async ({ ack, body }: ActionArgs) => {
      const at = clickedAt(body);
      await service.restart({ ...at, messageTs: undefined }, clickKey(body));
      await ack();
      sender.wake();
    },

    /** "Start again": the finished decision is kept as history and a new assessment starts in the thread. */
    restartConfirm: async ({ ack, body, action }: ActionArgs) => {
      const at = await promptedAt(service, body, value(action));
      const key = clickKey(body);
      const step = await service.restart({ ...at, messageTs: undefined }, key, { confirmed: true });
      if (step.kind === 'ask') await answerPrompt(body, at, key, RESTART_CONFIRMED);
      await ack();
      sender.wake();
    },

    /** "Keep this decision": nothing changes; the question says so. */
    restartCancel: async ({ ack, body, action }: ActionArgs) => {
      const at = await promptedAt(service, body, value(action));
      await answerPrompt(body, at, clickKey(body), RESTART_CANCELLED);
      await ack();
      sender.wake();
    },

    change: onCard(deps, (step, at, key) =>
      service.claim(key, at.teamId, [
        inThread(at, 'chat.postMessage', {
          channel: at.channelId,
          thread_ts: at.threadTs,
          ...toSlack(changePickerMessage(q, step.session)),
        }),
      ]),
    ),

    pick: async ({ ack, body, action }: ActionArgs) => {
      const at = clickedAt(body);
      const questionId = (action as { selected_option?: { value: string } }).selected_option?.value ?? '';
      const step = await service.reopen({ ...at, messageTs: undefined }, questionId, clickKey(body));
      if (step.kind === 'ask' && at.messageTs) {
        // Cosmetic, so its own transaction: the picker says what is being changed.
        const picked = {
          text: `Changing: ${step.question.prompt}`,
          blocks: [section(':pencil2: Changing one answer.'), context(step.question.prompt)],
        };
        await outbox.enqueue([
          apiCall(at.teamId, lane(at), 'chat.update', {
            channel: at.channelId,
            ts: at.messageTs,
            ...toSlack(picked),
          }),
        ]);
      }
      await ack();
      sender.wake();
    },

    /**
     * A short summary to the channel, once per verdict: a second click is told the copy is there and follows the
     * verdict (a retried delivery of the first click is told so too, which is true by then).
     */
    share: onCard(deps, async (step, at, key) => {
      if (await service.claim(shareKey(step.session), at.teamId, [shareCall(step.session)])) return;
      await service.claim(key, at.teamId, [whisper(at, ALREADY_SHARED)]);
    }),

    adr: onCard(deps, (step, at, key) => service.claim(key, at.teamId, [adrCall(step.session)])),
  };
}

export const registerActions: Register = (on, deps) => {
  const card = cardHandlers(deps);
  on.action({ prefix: 'answer:' }, answerHandler(deps))
    .action('card:restart', card.restart)
    .action('card:restart:confirm', card.restartConfirm)
    .action('card:restart:cancel', card.restartCancel)
    .action('card:change', card.change)
    .action('change:pick', card.pick)
    .action('card:share', card.share)
    .action('card:adr', card.adr);
};
