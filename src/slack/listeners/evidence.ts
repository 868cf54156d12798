import type { EvidenceService } from '../../advisor/evidence-service.js';
import { evidenceHelpText, evidenceNotOwnerText } from '../blocks/evidence.js';
import { apiCall, threadLane } from '../envelopes.js';
import { ephemeral } from '../ephemeral.js';
import { evidenceCall } from '../evidence.js';
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

type Deps = Pick<ListenerDeps, 'service' | 'sender'> & { evidence: EvidenceService };

/**
 * A file shared as a reply in an assessment's thread is read as evidence from a cluster. Only the owner's count:
 * anyone else is told privately that it changes nothing, and nothing is downloaded. The owner's file becomes an
 * outbox item, committed with the event's key before the response leaves: the sender downloads, validates and
 * attaches it (src/slack/evidence.ts), so no download holds up the response.
 */
export function fileShareHandler({ service, evidence, sender }: Deps) {
  return async ({ event, body, context }: EventArgs<'message'>) => {
    const m = event as unknown as FileShare;
    if (m.subtype !== 'file_share' || m.bot_id !== undefined || !m.user || m.user === context.botUserId)
      return;
    if (!m.thread_ts || m.thread_ts === m.ts) return;
    const fileId = firstFileId(m.files);
    if (!fileId) return;
    const teamId = (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    const at = { teamId, channelId: m.channel, threadTs: m.thread_ts, userId: m.user };
    const key = `event:${(body as { event_id: string }).event_id}`;

    // A read: whose assessment the thread holds decides whether there is anything to download.
    const target = await evidence.target(at);
    if (target.kind === 'not_ours') return;
    const calls =
      target.kind === 'not_owner'
        ? [
            apiCall(teamId, threadLane(teamId, at.channelId, at.threadTs), 'chat.postEphemeral', {
              channel: at.channelId,
              thread_ts: at.threadTs,
              user: at.userId,
              text: evidenceNotOwnerText(target.ownerId),
            }),
          ]
        : [evidenceCall(at, fileId, key)];
    // Keyed by the event: a retried delivery commits nothing twice.
    if (await service.claim(key, teamId, calls)) sender.wake();
  };
}

export const registerEvidence: Register = (on, deps) => {
  on.command('evidence', evidenceCommand);
  const { evidence } = deps;
  if (evidence) on.event('message', fileShareHandler({ ...deps, evidence }));
};
