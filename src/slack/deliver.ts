import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Questionnaire } from '../advisor/questionnaire.js';
import type { Step } from '../advisor/service.js';
import { recommendationMessage } from './blocks/card.js';
import { expiredMessage, parentMessage } from './blocks/parent.js';
import { answeredMessage, questionMessage } from './blocks/question.js';
import { type SlackMessage, toSlack } from './blocks/text.js';

/** Where a step lands: the thread, the person acting, and the message they clicked, if any. */
export interface Where {
  channelId: string;
  threadTs: string;
  userId: string;
  clickedTs?: string;
}

export interface DeliverDeps {
  client: WebClient;
  questionnaire: Questionnaire;
  logger: Logger;
}

/**
 * Turns a use case's result into Slack messages. State is already committed when this runs, so a failed post
 * here loses nothing: the next interaction shows the current question again.
 */
export async function deliver(step: Step, at: Where, { client, questionnaire: q, logger }: DeliverDeps) {
  const thread = { channel: at.channelId, thread_ts: at.threadTs };
  const whisper = (text: string) => client.chat.postEphemeral({ ...thread, user: at.userId, text });

  switch (step.kind) {
    case 'duplicate':
    case 'not_ours':
    case 'ignored':
      return;
    case 'not_owner':
      await whisper(
        `This assessment belongs to <@${step.ownerId}>, so your reply changes nothing. Start your own with \`/k8s-advisor\`.`,
      );
      return;
    case 'rejected':
      await whisper(step.message);
      return;
    case 'expired':
      await client.chat.postMessage({ ...thread, ...toSlack(expiredMessage(step.idleDays)) });
      return;
    case 'invalid': {
      const message = questionMessage(step.question, step.progress, step.message);
      await client.chat.postMessage({ ...thread, ...toSlack(message) });
      return;
    }
    case 'ask':
    case 'done': {
      if (step.answered && at.clickedTs) {
        const shown = answeredMessage(step.answered.question, step.answered.label);
        await client.chat
          .update({ channel: at.channelId, ts: at.clickedTs, ...toSlack(shown) })
          .catch((error: Error) => {
            logger.warn(`could not mark the answered question: ${error.message}`);
          });
      }
      if (step.kind === 'ask') {
        await client.chat.postMessage({
          ...thread,
          ...toSlack(questionMessage(step.question, step.progress, step.note)),
        });
        await updateParent(client, at, parentMessage(q, step.session, step.progress), logger);
      } else {
        const card = recommendationMessage(q, step.session, step.recommendation);
        await client.chat.postMessage({ ...thread, ...toSlack(card) });
        await updateParent(client, at, parentMessage(q, step.session), logger);
      }
      return;
    }
  }
}

async function updateParent(client: WebClient, at: Where, message: SlackMessage, logger: Logger) {
  try {
    await client.chat.update({ channel: at.channelId, ts: at.threadTs, ...toSlack(message) });
  } catch (error) {
    // The parent is a status display; a deleted or uneditable parent must not stop the assessment.
    logger.warn(`could not update the parent message: ${(error as Error).message}`);
  }
}
