import type { WebClient } from '@slack/web-api';
import type { ChannelRef } from '../../advisor/ports/digests.js';
import { type DigestRequest, parseDigestCommand } from '../../digest/parse.js';
import { type Caller, type DigestService, manualJob } from '../../digest/service.js';
import {
  changeText,
  digestUsage,
  lookupFailedText,
  nothingNewText,
  statusText,
} from '../blocks/digest-replies.js';
import { ephemeral } from '../ephemeral.js';
import { describeError } from '../errors.js';
import { digestCall } from '../publish-digest.js';
import { withTimeout } from '../timeout.js';
import type { CommandArgs, ListenerDeps, Register, Subcommand } from './registry.js';

export interface DigestCommandOptions {
  /** How long users.info may take before the command answers without it (Slack wants an answer within 3 s). */
  lookupMs?: number;
}

/** The caller as users.info describes them: time zone, and whether they are a workspace admin or owner. */
export async function lookupCaller(client: WebClient, userId: string, timeoutMs = 1_500): Promise<Caller> {
  const { user } = await withTimeout(client.users.info({ user: userId }), timeoutMs, 'users.info');
  return {
    userId,
    ...(user?.tz && { tz: user.tz }),
    isAdmin: user?.is_admin === true,
    isOwner: user?.is_owner === true || user?.is_primary_owner === true,
  };
}

/**
 * `/k8s-advisor digest …`: subscribe, stop, status, post now. Each is quick database work, committed before the
 * ack, which carries the answer; only the caller sees it. `now` commits the digest as an outbox item with the
 * command's key, and the sender posts it to the channel.
 */
export function digestCommand(
  digests: DigestService,
  { service, sender }: Pick<ListenerDeps, 'service' | 'sender'>,
  opts: DigestCommandOptions = {},
): Subcommand {
  return async (args, words) => {
    const parsed = parseDigestCommand(words);
    if (!parsed.ok) return args.ack(ephemeral(digestUsage(parsed.problem)));
    if (parsed.request.kind === 'help') return args.ack(ephemeral(digestUsage()));
    const text = await answer(digests, parsed.request, args, {
      lookupMs: opts.lookupMs ?? 1_500,
      queue: (key, teamId, calls) => service.claim(key, teamId, calls),
    });
    await args.ack(text === undefined ? undefined : ephemeral(text));
    sender.wake();
  };
}

async function answer(
  digests: DigestService,
  request: Exclude<DigestRequest, { kind: 'help' }>,
  { command, client }: CommandArgs,
  opts: {
    lookupMs: number;
    queue: (key: string, teamId: string, calls: ReturnType<typeof digestCall>[]) => Promise<boolean>;
  },
): Promise<string | undefined> {
  const ref: ChannelRef = { teamId: command.team_id, channelId: command.channel_id };
  if (request.kind === 'status') return statusText(await digests.status(ref));

  // A read before the commit: who the caller is (time zone, admin), bounded so the ack stays in time.
  let caller: Caller | undefined;
  let lookupError = '';
  try {
    caller = await lookupCaller(client, command.user_id, opts.lookupMs);
  } catch (error) {
    lookupError = describeError(error);
  }

  if (request.kind === 'now') {
    const digest = await digests.preview(ref, caller?.tz);
    if (digest.empty) return nothingNewText(digest);
    const call = digestCall(manualJob(digest), command.response_url);
    // Once per trigger: a redelivered command queues nothing twice, and says nothing (the digest says it all).
    await opts.queue(`command:${command.trigger_id}`, ref.teamId, [call]);
    return undefined;
  }

  if (!caller) return lookupFailedText(lookupError);
  switch (request.kind) {
    case 'off':
      return changeText(await digests.unsubscribe(ref, caller));
    case 'empty':
      return changeText(await digests.setIncludeEmpty(ref, caller, request.include));
    case 'subscribe': {
      const { cadence, weekday, hour, minute } = request;
      return changeText(await digests.subscribe(ref, caller, { cadence, weekday, hour, minute }));
    }
  }
}

export const registerDigest: Register = (on, deps) => {
  if (deps.digests) on.command('digest', digestCommand(deps.digests, deps));
};
