import type { Envelope } from '../advisor/ports/outbox.js';
import type { AdvisorService } from '../advisor/service.js';
import { applicableQuestions } from '../advisor/session.js';
import { COMMAND } from './blocks/help.js';
import { parentMessage } from './blocks/parent.js';
import { toSlack } from './blocks/text.js';
import type { ApiCall } from './chat-client.js';
import { slackErrorCode } from './errors.js';
import type { Task } from './outbox-handler.js';

/** Errors from chat.postMessage that mean "the bot cannot post here" rather than "Slack is down". */
const NOT_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

export interface StartRequest {
  teamId: string;
  channelId: string;
  userId: string;
  /** Unique to the request (a command's trigger_id, a click's action_ts): names the parent and the new session. */
  key: string;
  /** Where to say so when the bot may not post in the conversation (a slash command's response_url). */
  responseUrl?: string;
}

interface ParentPayload {
  args: Record<string, unknown>;
  responseUrl?: string;
}

interface ThreadPayload {
  channelId: string;
  userId: string;
  key: string;
}

const parentRef = (key: string) => `parent:${key}`;

/**
 * Starting an assessment, as outbox items committed before the request is acknowledged: post a parent message
 * in the conversation (its ts recorded), then start the session in its thread, which commits the first question.
 * Two items of one lane, so a crash between them never posts the parent twice.
 */
export function startCalls(service: Pick<AdvisorService, 'questionnaire'>, at: StartRequest): Envelope[] {
  const lane = `${at.teamId}:${at.channelId}:start/${at.key}`;
  const firstProgress = { index: 1, total: applicableQuestions(service.questionnaire, {}).length };
  // Posted with the first question's progress already, so it needs no update once that question is out.
  const parent = parentMessage(service.questionnaire, { userId: at.userId, outcome: null }, firstProgress);
  const parentPayload: ParentPayload = {
    args: { channel: at.channelId, ...toSlack(parent) },
    ...(at.responseUrl && { responseUrl: at.responseUrl }),
  };
  const threadPayload: ThreadPayload = { channelId: at.channelId, userId: at.userId, key: at.key };
  return [
    { teamId: at.teamId, lane, kind: 'start.parent', payload: parentPayload, record: parentRef(at.key) },
    { teamId: at.teamId, lane, kind: 'start.thread', payload: threadPayload },
  ];
}

/** Tells the person who ran the command, through its response_url, that the bot cannot post there. */
async function cannotPost(responseUrl: string, code: string) {
  await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      response_type: 'ephemeral',
      text: `I cannot post in this conversation (${code}). Invite me first with \`/invite @k8s-advisor\`, then run \`${COMMAND}\` again.`,
    }),
    signal: AbortSignal.timeout(10_000),
  });
}

/** The sender's side of a start. */
export function startTasks(
  service: Pick<AdvisorService, 'start'>,
  call: ApiCall,
  recorded: (teamId: string, name: string) => Promise<string | undefined>,
  wake: () => void,
): Record<string, Task> {
  return {
    'start.parent': async (item) => {
      const { args, responseUrl } = item.payload as ParentPayload;
      try {
        const posted = await call('chat.postMessage', args);
        return posted.ts as string;
      } catch (error) {
        const code = slackErrorCode(error);
        if (!code || !NOT_HERE.has(code)) throw error;
        // Settled without a parent: the next item finds none recorded and starts nothing.
        if (responseUrl) await cannotPost(responseUrl, code);
        return undefined;
      }
    },
    'start.thread': async (item) => {
      const { channelId, userId, key } = item.payload as ThreadPayload;
      const threadTs = await recorded(item.teamId, parentRef(key));
      if (!threadTs) return undefined;
      // Keyed, so a second run of this item (its settlement lost) starts nothing twice.
      await service.start({ teamId: item.teamId, channelId, threadTs, userId }, `start:${key}`);
      wake();
      return undefined;
    },
  };
}
