import type { AssessmentEvidence } from '../../advisor/evidence.js';
import type { EvidenceService } from '../../advisor/evidence-service.js';
import { EVIDENCE_LIMITS, parseEvidence, summariseEvidence } from '../../evidence/index.js';
import {
  evidenceAcceptedMessage,
  evidenceHelpText,
  evidenceNotOwnerText,
  evidenceRefusedMessage,
} from '../blocks/evidence.js';
import { toSlack } from '../blocks/text.js';
import { fetchSharedFile } from '../download.js';
import { apiCall, threadLane } from '../envelopes.js';
import { ephemeral } from '../ephemeral.js';
import type { EventArgs, ListenerDeps, Register, Subcommand } from './registry.js';

/** `/k8s-advisor evidence`: how to make an evidence file and where to upload it, visible only to the caller. */
export const evidenceCommand: Subcommand = ({ ack }) => ack(ephemeral(evidenceHelpText()));

/** The fields of a `file_share` message event (a thread reply with files) that the listener reads. */
interface FileShare {
  subtype?: string;
  bot_id?: string;
  user?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  files?: unknown[];
}

const firstFileId = (files: unknown[] | undefined): string | undefined => {
  const id = (files?.[0] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
};

type Deps = Pick<ListenerDeps, 'service' | 'sender' | 'now'> & { evidence: EvidenceService };

/**
 * A file shared as a reply in an assessment's thread is read as evidence from a cluster. Only the owner's count:
 * anyone else is told privately that it changes nothing, and nothing is downloaded. The owner's file is fetched
 * (bounded in size and time) and validated; a refusal says why in the thread and changes nothing, an accepted
 * file is attached in one transaction and the card (or the question the assessment now waits on) follows.
 */
export function fileShareHandler({ service, evidence, sender, now = Date.now }: Deps) {
  return async ({ event, body, context, client, logger }: EventArgs<'message'>) => {
    const m = event as unknown as FileShare;
    if (m.subtype !== 'file_share' || m.bot_id !== undefined || !m.user || m.user === context.botUserId)
      return;
    if (!m.thread_ts || m.thread_ts === m.ts) return;
    const fileId = firstFileId(m.files);
    if (!fileId) return;
    const teamId = (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    const at = { teamId, channelId: m.channel, threadTs: m.thread_ts, userId: m.user };
    const key = `event:${(body as { event_id: string }).event_id}`;
    const thread = { channel: at.channelId, thread_ts: at.threadTs };
    const lane = threadLane(at.teamId, at.channelId, at.threadTs);
    const whisper = (text: string) =>
      apiCall(at.teamId, lane, 'chat.postEphemeral', { ...thread, user: at.userId, text });
    const post = (args: Record<string, unknown>) =>
      apiCall(at.teamId, lane, 'chat.postMessage', { ...thread, ...args });

    const target = await evidence.target(at);
    if (target.kind === 'not_ours') return;
    if (target.kind === 'not_owner') {
      await service.claim(key, at.teamId, [whisper(evidenceNotOwnerText(target.ownerId))]);
      return sender.wake();
    }
    const fetched = await fetchSharedFile(client, fileId, {
      token: context.botToken ?? '',
      apiUrl: client.slackApiUrl,
      maxBytes: EVIDENCE_LIMITS.fileBytes,
    });
    const parsed = fetched.ok ? parseEvidence(fetched.bytes) : undefined;
    if (!parsed?.ok) {
      const reason = fetched.ok ? (parsed as { error: string }).error : fetched.reason;
      logger.info(`evidence refused in ${at.channelId}/${at.threadTs}`);
      // Said once: a retry of the same event finds its key claimed.
      await service.claim(key, at.teamId, [post(toSlack(evidenceRefusedMessage(fetched.name, reason)))]);
      return sender.wake();
    }
    const facts: AssessmentEvidence = { ...summariseEvidence(parsed.evidence), attachedAt: now() };
    const result = await evidence.attach(at, facts, key);
    switch (result.kind) {
      case 'duplicate':
      case 'not_ours':
        return;
      case 'not_owner':
        await service.claim(`${key}:said`, at.teamId, [whisper(evidenceNotOwnerText(result.ownerId))]);
        return sender.wake();
      case 'rejected':
        await service.claim(`${key}:said`, at.teamId, [whisper(result.message)]);
        return sender.wake();
      case 'attached': {
        const message = evidenceAcceptedMessage(service.questionnaire, result);
        const { step } = result;
        // The card is recomputed; a question is posted only when the assessment now waits on another one.
        const next = step.kind === 'done' || step.question.id !== result.askedBefore;
        await service.claim(`${key}:said`, at.teamId, [post(toSlack(message))]);
        if (next) await service.show(step, at, `${key}:next`);
        return sender.wake();
      }
    }
  };
}

export const registerEvidence: Register = (on, deps) => {
  on.command('evidence', evidenceCommand);
  const { evidence } = deps;
  if (evidence) on.event('message', fileShareHandler({ ...deps, evidence }));
};
