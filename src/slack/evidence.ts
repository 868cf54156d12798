import type { Logger } from '@slack/bolt';
import type { AssessmentEvidence } from '../advisor/evidence.js';
import type { EvidenceService } from '../advisor/evidence-service.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { AdvisorService } from '../advisor/service.js';
import type { Thread } from '../advisor/steps.js';
import { EVIDENCE_LIMITS, parseEvidence, summariseEvidence } from '../evidence/index.js';
import { evidenceAcceptedMessage, evidenceNotOwnerText, evidenceRefusedMessage } from './blocks/evidence.js';
import { toSlack } from './blocks/text.js';
import { fetchSharedFile } from './download.js';
import { apiCall, planner, threadLane } from './envelopes.js';
import type { Task } from './outbox-handler.js';
import type { ClientFor } from './publish-digest.js';
import { requestOrg } from './workspace.js';

interface EvidencePayload {
  fileId: string;
  channelId: string;
  threadTs: string;
  userId: string;
  /** The event's idempotency key: the keys of what the item commits are derived from it. */
  key: string;
}

/** Reading a file shared in an assessment's thread, as an outbox item of that thread. */
export const evidenceCall = (at: Thread, fileId: string, key: string): Envelope => ({
  teamId: at.teamId,
  lane: threadLane(at.teamId, at.channelId, at.threadTs),
  kind: 'evidence',
  payload: {
    fileId,
    channelId: at.channelId,
    threadTs: at.threadTs,
    userId: at.userId,
    key,
    ...requestOrg(),
  } satisfies EvidencePayload,
});

/**
 * The sender's side: the file is fetched with the bot's token (bounded in size and time) and validated. A refusal
 * says why in the thread and changes nothing; an accepted file is attached in one transaction with the messages
 * that follow (accepted, then the card or the question the assessment now waits on). Every message commits
 * under a key derived from the item's, so an item run twice (its settlement lost) says nothing twice.
 */
export function evidenceTask(
  service: Pick<AdvisorService, 'claim' | 'questionnaire'>,
  evidence: EvidenceService,
  clientFor: ClientFor,
  opts: { logger: Logger; wake: () => void; now?: () => number },
): Task {
  const plan = planner(service.questionnaire);
  const now = opts.now ?? Date.now;
  return async (item) => {
    const p = item.payload as EvidencePayload;
    const at = { teamId: item.teamId, channelId: p.channelId, threadTs: p.threadTs, userId: p.userId };
    const lane = threadLane(at.teamId, at.channelId, at.threadTs);
    const thread = { channel: at.channelId, thread_ts: at.threadTs };
    const whisper = (text: string) =>
      apiCall(at.teamId, lane, 'chat.postEphemeral', { ...thread, user: at.userId, text });
    const post = (args: Record<string, unknown>) =>
      apiCall(at.teamId, lane, 'chat.postMessage', { ...thread, ...args });
    const say = async (calls: Envelope[]) => {
      if (await service.claim(`${p.key}:said`, at.teamId, calls)) opts.wake();
    };

    const client = await clientFor({ teamId: at.teamId });
    const fetched = await fetchSharedFile(client, p.fileId, {
      token: client.token ?? '',
      apiUrl: client.slackApiUrl,
      maxBytes: EVIDENCE_LIMITS.fileBytes,
    });
    const parsed = fetched.ok ? parseEvidence(fetched.bytes) : undefined;
    if (!parsed?.ok) {
      const reason = fetched.ok ? (parsed as { error: string }).error : fetched.reason;
      opts.logger.info(`evidence refused in ${at.channelId}/${at.threadTs}`);
      await say([post(toSlack(evidenceRefusedMessage(fetched.name, reason)))]);
      return undefined;
    }
    const facts: AssessmentEvidence = { ...summariseEvidence(parsed.evidence), attachedAt: now() };
    const result = await evidence.attach(at, facts, `${p.key}:attach`, (attached) => {
      const { step } = attached;
      // The card is recomputed; a question is posted only when the assessment now waits on another one.
      const next = step.kind === 'done' || step.question.id !== attached.askedBefore;
      const accepted = post(toSlack(evidenceAcceptedMessage(service.questionnaire, attached)));
      return [accepted, ...(next ? plan(step, at) : [])];
    });
    switch (result.kind) {
      case 'attached':
        opts.wake();
        return undefined;
      case 'not_owner':
        await say([whisper(evidenceNotOwnerText(result.ownerId))]);
        return undefined;
      case 'rejected':
        await say([whisper(result.message)]);
        return undefined;
      default:
        // Already attached by an earlier run of this item, or the assessment is gone.
        return undefined;
    }
  };
}
