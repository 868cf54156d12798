import type { Logger } from '@slack/bolt';
import type { AdvisorService } from '../advisor/service.js';
import type { Session } from '../advisor/session.js';
import type { Step } from '../advisor/steps.js';
import { recommendationMessage } from './blocks/card.js';
import { expiredMessage, parentMessage } from './blocks/parent.js';
import { answeredMessage, questionMessage } from './blocks/question.js';
import { type SlackMessage, toSlack } from './blocks/text.js';
import type { ChatApi } from './chat-client.js';
import { whisper } from './ephemeral.js';

/** Where a step lands: the thread, the person acting, and the message they clicked, if any. */
export interface Where {
  channelId: string;
  threadTs: string;
  userId: string;
  clickedTs?: string;
  /** The parent already shows this step's progress (it was just posted with it): skip one chat.update. */
  parentCurrent?: boolean;
}

export interface DeliverDeps {
  /** The lean chat client (chat-client.ts) in the app; a WebClient's `chat` fits too. */
  chat: ChatApi;
  service: Pick<AdvisorService, 'questionnaire' | 'delivered'>;
  logger: Logger;
}

/**
 * Turns a use case's result into Slack messages. State is already committed when this runs, so a failed post
 * here loses nothing: the next interaction shows the current question again.
 */
export async function deliver(step: Step, at: Where, { chat, service, logger }: DeliverDeps) {
  const q = service.questionnaire;
  const thread = { channel: at.channelId, thread_ts: at.threadTs };

  switch (step.kind) {
    case 'duplicate':
    case 'not_ours':
    case 'ignored':
      return;
    case 'not_owner':
      await whisper(
        chat,
        at,
        `This assessment belongs to <@${step.ownerId}>, so your reply changes nothing. Start your own with \`/k8s-advisor\`.`,
      );
      return;
    case 'rejected':
      await whisper(chat, at, step.message);
      return;
    case 'expired':
      await chat.postMessage({ ...thread, ...toSlack(expiredMessage(step.idleDays)) });
      return;
    case 'invalid': {
      const message = questionMessage(step.question, step.progress, step.message);
      await chat.postMessage({ ...thread, ...toSlack(message) });
      return;
    }
    case 'ask':
    case 'done': {
      if (step.answered && at.clickedTs) {
        const shown = answeredMessage(step.answered.question, step.answered.label);
        await chat
          .update({ channel: at.channelId, ts: at.clickedTs, ...toSlack(shown) })
          .catch((error: Error) => {
            logger.warn(`could not mark the answered question: ${error.message}`);
          });
      }
      if (step.kind === 'ask') {
        await prompt(service, step, () =>
          chat.postMessage({
            ...thread,
            ...toSlack(questionMessage(step.question, step.progress, step.note)),
          }),
        );
        if (!at.parentCurrent)
          await updateParent(chat, at, parentMessage(q, step.session, step.progress), logger);
      } else {
        const card = recommendationMessage(q, step.session, step.recommendation);
        await prompt(service, step, () => chat.postMessage({ ...thread, ...toSlack(card) }));
        await updateParent(chat, at, parentMessage(q, step.session), logger);
      }
      return;
    }
  }
}

/** Posts a step's question or card and records whether it reached the user, so a failure can be made good. */
async function prompt(
  service: DeliverDeps['service'],
  step: Step & { session: Session },
  post: () => Promise<unknown>,
) {
  try {
    await post();
  } catch (error) {
    await service.delivered(step.session, 'failed').catch(() => {});
    throw error;
  }
  await service.delivered(step.session, 'shown');
}

async function updateParent(chat: ChatApi, at: Where, message: SlackMessage, logger: Logger) {
  try {
    await chat.update({ channel: at.channelId, ts: at.threadTs, ...toSlack(message) });
  } catch (error) {
    // The parent is a status display; a deleted or uneditable parent must not stop the assessment.
    logger.warn(`could not update the parent message: ${(error as Error).message}`);
  }
}
