import type { Envelope, OutboxItem } from '../advisor/ports/outbox.js';
import type { Questionnaire } from '../advisor/questionnaire.js';
import type { AdvisorService } from '../advisor/service.js';
import { applicableQuestions } from '../advisor/session.js';
import { COMMAND } from './blocks/help.js';
import { parentMessage } from './blocks/parent.js';
import { toSlack } from './blocks/text.js';
import type { ApiCall } from './chat-client.js';
import { slackErrorCode } from './errors.js';
import type { Task } from './outbox-handler.js';
import { mayBePosted, ownCopy } from './own-copy.js';

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

/** How many questions a fresh assessment has to answer, per questionnaire (a run of the decision each). */
const totals = new WeakMap<Questionnaire, number>();
function firstTotal(q: Questionnaire): number {
  let total = totals.get(q);
  if (total === undefined) {
    total = applicableQuestions(q, {}).length;
    totals.set(q, total);
  }
  return total;
}

/** One item: post the parent, then start the session in its thread. */
type StartPayload = ParentPayload & ThreadPayload;

/**
 * Starting an assessment, as one outbox item committed before the request is acknowledged: post a parent message
 * in the conversation, then start the session in its thread, which commits the first question. One item rather
 * than two, so a start costs one lease and one settlement; run again after a crash, it finds the parent it posted
 * (ownCopy) and the session its key already started, so neither is made twice.
 */
export function startCalls(service: Pick<AdvisorService, 'questionnaire'>, at: StartRequest): Envelope[] {
  const firstProgress = { index: 1, total: firstTotal(service.questionnaire) };
  // Posted with the first question's progress already, so it needs no update once that question is out.
  const parent = parentMessage(service.questionnaire, { userId: at.userId, outcome: null }, firstProgress);
  const payload: StartPayload = {
    args: { channel: at.channelId, ...toSlack(parent) },
    ...(at.responseUrl && { responseUrl: at.responseUrl }),
    channelId: at.channelId,
    userId: at.userId,
    key: at.key,
  };
  return [
    { teamId: at.teamId, lane: `${at.teamId}:${at.channelId}:start/${at.key}`, kind: 'start', payload },
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
  /** The parent's ts, or undefined when the bot may not post there (said through the response_url). */
  async function postParent(item: OutboxItem, { args, responseUrl }: ParentPayload) {
    if (mayBePosted(item)) {
      const copy = await ownCopy(call, item, args);
      if (copy) return copy;
    }
    try {
      return (await call('chat.postMessage', args)).ts as string;
    } catch (error) {
      const code = slackErrorCode(error);
      if (!code || !NOT_HERE.has(code)) throw error;
      if (responseUrl) await cannotPost(responseUrl, code);
      return undefined;
    }
  }

  // Keyed, so a second run of the item (its settlement lost) starts nothing twice.
  async function startThread(teamId: string, { channelId, userId, key }: ThreadPayload, threadTs: string) {
    await service.start({ teamId, channelId, threadTs, userId }, `start:${key}`);
    wake();
  }

  return {
    start: async (item) => {
      const payload = item.payload as StartPayload;
      const threadTs = await postParent(item, payload);
      if (threadTs) await startThread(item.teamId, payload, threadTs);
      return undefined;
    },
    // The two items a start was before it was one: still delivered when an upgrade finds them queued.
    'start.parent': (item) => postParent(item, item.payload as ParentPayload),
    'start.thread': async (item) => {
      const payload = item.payload as ThreadPayload;
      const threadTs = await recorded(item.teamId, `parent:${payload.key}`);
      if (threadTs) await startThread(item.teamId, payload, threadTs);
      return undefined;
    },
  };
}
