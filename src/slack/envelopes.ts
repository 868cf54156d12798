import type { Envelope } from '../advisor/ports/outbox.js';
import type { Outcome, Questionnaire } from '../advisor/questionnaire.js';
import { recommend } from '../advisor/recommend.js';
import type { Session } from '../advisor/session.js';
import type { Origin, Planner, Step, SupersededBy, Supersedes } from '../advisor/steps.js';
import { recommendationMessage } from './blocks/card.js';
import { expiredMessage, parentMessage } from './blocks/parent.js';
import { answeredMessage, invalidReplyMessage, questionMessage } from './blocks/question.js';
import { restartConfirmMessage } from './blocks/restart.js';
import { type SlackMessage, toSlack } from './blocks/text.js';
import { currentRequest } from './workspace.js';

/** The Web API methods the sender calls as they are; other kinds are tasks (outbox-tasks.ts). */
export type ApiMethod = 'chat.postMessage' | 'chat.update' | 'chat.postEphemeral' | 'views.publish';

/** What an outbox item of a Web API method carries: the call's arguments, and where a `ts` is to be read. */
export interface ApiPayload {
  args: Record<string, unknown>;
  /** Update the message recorded under this name; nothing to do when none was recorded. */
  tsRef?: string;
  /** The org a workspace's token comes from, when it belongs to an Enterprise Grid org (OAuth mode). */
  enterpriseId?: string;
  orgInstall?: boolean;
}

/** A thread's calls are one lane: its messages arrive in the order its changes were made. */
export const threadLane = (teamId: string, channelId: string, threadTs: string) =>
  `${teamId}:${channelId}:${threadTs}`;

/** Names under which the sender records a posted message's ts, for the updates that follow. */
export const refs = {
  question: (sessionId: string, questionId: string) => `question:${sessionId}:${questionId}`,
  card: (sessionId: string) => `card:${sessionId}`,
  /**
   * The copy of a person's assessment shared to the channel: by thread and person rather than by assessment id,
   * so it follows the verdict through a restart too (which starts a new assessment in the same thread).
   */
  shared: (s: Pick<Session, 'channelId' | 'threadTs' | 'userId'>) =>
    `shared:${s.channelId}:${s.threadTs}:${s.userId}`,
};

/** What a `share.refresh` item carries: whose copy, and the verdict that no longer stands while there is none. */
export interface ShareRefreshPayload extends Pick<ApiPayload, 'enterpriseId' | 'orgInstall'> {
  sessionId: string;
  channelId: string;
  threadTs: string;
  userId: string;
  was?: { outcome: Outcome; at: number; by: SupersededBy };
}

/**
 * Brings the channel's copy of an assessment (if it was shared) up to date with it, as it stands when sent: its
 * new summary once finished, else "being revised", saying what it was (src/slack/share.ts sends it).
 */
export function shareRefreshCall(session: Session, supersedes?: Supersedes): Envelope {
  const { teamId, channelId, threadTs, userId } = session;
  const was = supersedes?.session.outcome;
  const payload: ShareRefreshPayload = {
    sessionId: session.id,
    channelId,
    threadTs,
    userId,
    ...(was && supersedes && { was: { outcome: was, at: supersedes.at, by: supersedes.by } }),
    ...org(),
  };
  return { teamId, lane: threadLane(teamId, channelId, threadTs), kind: 'share.refresh', payload };
}

/** The org of the request being handled, so a queued call later finds the same installation's token. */
export function org(): Pick<ApiPayload, 'enterpriseId' | 'orgInstall'> {
  const request = currentRequest();
  return {
    ...(request?.enterpriseId && { enterpriseId: request.enterpriseId }),
    ...(request?.isEnterpriseInstall && { orgInstall: true }),
  };
}

/** One Web API call as an outbox item. */
export function apiCall(
  teamId: string,
  lane: string,
  method: ApiMethod,
  args: Record<string, unknown>,
  extra: { record?: string; tsRef?: string } = {},
): Envelope {
  const payload: ApiPayload = { args, ...(extra.tsRef && { tsRef: extra.tsRef }), ...org() };
  return { teamId, lane, kind: method, payload, ...(extra.record && { record: extra.record }) };
}

/** The messages a step shows in its thread, as outbox items in the order they must arrive. */
export function planner(q: Questionnaire): Planner {
  return (step: Step, at: Origin): Envelope[] => {
    const lane = threadLane(at.teamId, at.channelId, at.threadTs);
    const thread = { channel: at.channelId, thread_ts: at.threadTs };
    const post = (m: SlackMessage, record?: string) =>
      apiCall(at.teamId, lane, 'chat.postMessage', { ...thread, ...toSlack(m) }, record ? { record } : {});
    const whisper = (text: string) =>
      apiCall(at.teamId, lane, 'chat.postEphemeral', { ...thread, user: at.userId, text });
    // The parent is posted with the first question's progress already, so a start needs no update of it.
    const parent = (m: SlackMessage) =>
      apiCall(at.teamId, lane, 'chat.update', { channel: at.channelId, ts: at.threadTs, ...toSlack(m) });

    switch (step.kind) {
      case 'duplicate':
      case 'not_ours':
      case 'ignored':
        return [];
      case 'not_owner':
        return [
          whisper(
            `This assessment belongs to <@${step.ownerId}>, so your reply changes nothing. Start your own with \`/k8s-advisor\`.`,
          ),
        ];
      case 'rejected':
        return [whisper(step.message)];
      case 'expired':
        return [post(expiredMessage(step.idleDays))];
      case 'invalid':
        return [post(invalidReplyMessage(step.question, step.progress, step.message))];
      case 'confirm_restart':
        return [
          apiCall(at.teamId, lane, 'chat.postEphemeral', {
            ...thread,
            user: at.userId,
            ...toSlack(restartConfirmMessage(q, step.session)),
          }),
        ];
      case 'ask':
      case 'done': {
        const calls: Envelope[] = [];
        const { supersedes } = step;
        if (supersedes) {
          // First, before a new card is posted under the same name: the earlier card says it no longer stands.
          const earlier = supersedes.session;
          const card = recommendationMessage(q, earlier, recommend(q, earlier), {
            superseded: { at: supersedes.at, by: supersedes.by },
          });
          calls.push(
            apiCall(
              at.teamId,
              lane,
              'chat.update',
              { channel: at.channelId, ...toSlack(card) },
              { tsRef: refs.card(earlier.id) },
            ),
          );
          // A new card refreshes the channel's copy itself, below.
          if (step.kind === 'ask') calls.push(shareRefreshCall(step.session, supersedes));
        }
        if (step.answered) {
          // A click names the message clicked; a typed answer updates the question as it was last posted.
          const { question, label, readAs } = step.answered;
          const shown = { channel: at.channelId, ...toSlack(answeredMessage(question, label, readAs)) };
          calls.push(
            at.messageTs
              ? apiCall(at.teamId, lane, 'chat.update', { ...shown, ts: at.messageTs })
              : apiCall(at.teamId, lane, 'chat.update', shown, {
                  tsRef: refs.question(step.session.id, question.id),
                }),
          );
        }
        if (step.kind === 'ask') {
          const asked = questionMessage(step.question, step.progress, step.note);
          calls.push(post(asked, refs.question(step.session.id, step.question.id)));
          if (!at.started) calls.push(parent(parentMessage(q, step.session, step.progress)));
        } else {
          const card = recommendationMessage(q, step.session, step.recommendation);
          calls.push(
            post(card, refs.card(step.session.id)),
            shareRefreshCall(step.session),
            parent(parentMessage(q, step.session)),
          );
        }
        return calls;
      }
    }
  };
}
