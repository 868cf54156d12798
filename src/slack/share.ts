import type { Envelope } from '../advisor/ports/outbox.js';
import type { Questionnaire } from '../advisor/questionnaire.js';
import type { Recommendation } from '../advisor/recommend.js';
import type { Session } from '../advisor/session.js';
import { replacedMessage, revisingMessage, summaryMessage } from './blocks/summary.js';
import { type SlackMessage, toSlack } from './blocks/text.js';
import type { ApiCall } from './chat-client.js';
import { org, refs, type ShareRefreshPayload, threadLane } from './envelopes.js';
import { slackErrorCode } from './errors.js';
import type { Task } from './outbox-handler.js';
import { permalink } from './permalinks.js';

/** What a `share` item carries: the assessment and the verdict (by its completion time) that was shared. */
interface SharePayload extends Pick<ShareRefreshPayload, 'enterpriseId' | 'orgInstall'> {
  sessionId: string;
  completedAt: number;
}

/** Each verdict of an assessment is posted to the channel once, however often Share is clicked. */
export const shareKey = (session: Pick<Session, 'id' | 'completedAt'>) =>
  `share:${session.id}:${session.completedAt ?? 0}`;

/**
 * Sharing a finished assessment's summary to its channel, as an item of its thread's lane: the channel's copy and
 * the thread's changes are then made in order (a change right after a share updates the copy just posted).
 */
export function shareCall(session: Session): Envelope {
  const payload: SharePayload = {
    sessionId: session.id,
    completedAt: session.completedAt ?? 0,
    ...org(),
  };
  return {
    teamId: session.teamId,
    lane: threadLane(session.teamId, session.channelId, session.threadTs),
    kind: 'share',
    payload,
    record: refs.shared(session),
  };
}

export const ALREADY_SHARED =
  'Already shared: the copy in the channel follows the verdict, so it shows any change made here.';

type Find = (id: string) => Promise<{ session: Session; recommendation: Recommendation } | undefined>;

/** Codes that mean the channel's copy is gone (deleted by someone) or no longer ours to edit: nothing to follow. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'channel_not_found', 'is_archived']);

/**
 * The sender's side: `share` posts the summary to the channel (its ts recorded as the assessment's copy), and
 * `share.refresh` brings that copy up to date. Both render the assessment as it stands when sent, and link its
 * thread by permalink (the workspace's bot asks Slack for it).
 */
export function shareTasks(
  q: Questionnaire,
  find: Find,
  call: ApiCall,
  recorded: (teamId: string, name: string) => Promise<string | undefined>,
): Record<string, Task> {
  const linkTo = async (s: Session) =>
    (await permalink(
      { chat: { getPermalink: (args) => call('chat.getPermalink', { ...args }) as never } },
      s.channelId,
      s.threadTs,
    )) ??
    // No permalink (a conversation the bot left): Slack's redirect to the conversation is the next best place.
    `https://slack.com/app_redirect?team=${encodeURIComponent(s.teamId)}&channel=${encodeURIComponent(s.channelId)}`;

  /** Edits the channel's copy; a copy deleted meanwhile is left alone, as nothing can follow it any more. */
  const edit = async (channel: string, ts: string, m: SlackMessage) => {
    try {
      await call('chat.update', { channel, ts, ...toSlack(m) });
    } catch (error) {
      const code = slackErrorCode(error);
      if (!code || !GONE.has(code)) throw error;
    }
  };

  return {
    share: async (item) => {
      const { sessionId, completedAt } = item.payload as SharePayload;
      const found = await find(sessionId);
      // Changed since the click (or deleted): the verdict that was to be shared no longer stands.
      if (found?.session.status !== 'completed' || found.session.completedAt !== completedAt)
        return undefined;
      const { session, recommendation } = found;
      const link = await linkTo(session);
      // An earlier verdict's copy first points to the new one, so the channel has one summary to go by.
      const earlier = await recorded(item.teamId, refs.shared(session));
      if (earlier && session.outcome) {
        await edit(session.channelId, earlier, replacedMessage(q, session, session.outcome, link));
      }
      const posted = await call('chat.postMessage', {
        channel: session.channelId,
        ...toSlack(summaryMessage(session, recommendation, link)),
      });
      return typeof posted.ts === 'string' ? posted.ts : undefined;
    },

    'share.refresh': async (item) => {
      const { sessionId, channelId, threadTs, userId, was } = item.payload as ShareRefreshPayload;
      const ts = await recorded(item.teamId, refs.shared({ channelId, threadTs, userId }));
      if (!ts) return undefined;
      const found = await find(sessionId);
      if (!found) return undefined;
      const { session, recommendation } = found;
      const link = await linkTo(session);
      if (session.status === 'completed') {
        await edit(channelId, ts, summaryMessage(session, recommendation, link));
      } else if (was) {
        await edit(channelId, ts, revisingMessage(q, session, was, link));
      }
      return undefined;
    },
  };
}
