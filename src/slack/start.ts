import type { Logger } from '@slack/bolt';
import type { AdvisorService } from '../advisor/service.js';
import { applicableQuestions } from '../advisor/session.js';
import { parentMessage } from './blocks/parent.js';
import { toSlack } from './blocks/text.js';
import type { ChatApi } from './chat-client.js';
import { deliver } from './deliver.js';
import { slackErrorCode } from './errors.js';

/** Errors from chat.postMessage that mean "the bot cannot post here" rather than "Slack is down". */
const NOT_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

export type Started = { ok: true; threadTs: string } | { ok: false; code: string };

/**
 * Starts an assessment the way every entry point does (the slash command, App Home's button): a parent message in
 * the conversation, then the questionnaire in its thread. `{ ok: false }` when the bot may not post there.
 */
export async function startInThread(
  service: AdvisorService,
  { chat, logger }: { chat: ChatApi; logger: Logger },
  at: { teamId: string; channelId: string; userId: string },
): Promise<Started> {
  const firstProgress = { index: 1, total: applicableQuestions(service.questionnaire, {}).length };
  let threadTs: string;
  try {
    const posted = await chat.postMessage({
      channel: at.channelId,
      // Posted with the first question's progress already, so it needs no update once that question is out.
      ...toSlack(parentMessage(service.questionnaire, { userId: at.userId, outcome: null }, firstProgress)),
    });
    threadTs = posted.ts as string;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && NOT_HERE.has(code)) return { ok: false, code };
    throw error;
  }
  const key = { ...at, threadTs };
  const step = await service.start(key);
  const current =
    step.kind === 'ask' && step.progress.index === 1 && step.progress.total === firstProgress.total;
  await deliver(step, { ...key, parentCurrent: current }, { chat, service, logger });
  return { ok: true, threadTs };
}
