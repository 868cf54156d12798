import type { WebClient } from '@slack/web-api';
import type { ChannelRef } from '../../advisor/ports/digests.js';
import { type DigestRequest, parseDigestCommand } from '../../digest/parse.js';
import type { Caller, DigestService } from '../../digest/service.js';
import {
  cannotPostText,
  changeText,
  digestUsage,
  lookupFailedText,
  nothingNewText,
  statusText,
} from '../blocks/digest-replies.js';
import { ephemeral } from '../ephemeral.js';
import { describeError } from '../errors.js';
import { publishDigest } from '../publish-digest.js';
import type { CommandArgs, Register, Subcommand } from './registry.js';

export interface DigestCommandOptions {
  /** Answer in the ack when the work is done within this time; otherwise ack at once and respond later. */
  budgetMs?: number;
  /** Records a key once (the store's claim), so a redelivered `digest now` does not post twice. */
  claim?: (key: string, teamId: string) => Promise<boolean>;
}

/** The caller as users.info describes them: time zone, and whether they are a workspace admin or owner. */
export async function lookupCaller(client: WebClient, userId: string): Promise<Caller> {
  const { user } = await client.users.info({ user: userId });
  return {
    userId,
    ...(user?.tz && { tz: user.tz }),
    isAdmin: user?.is_admin === true,
    isOwner: user?.is_owner === true || user?.is_primary_owner === true,
  };
}

/** `/k8s-advisor digest …`: subscribe, stop, status, post now. Answers only the caller, except `now`. */
export function digestCommand(digests: DigestService, opts: DigestCommandOptions = {}): Subcommand {
  const budgetMs = opts.budgetMs ?? 2_000;
  return async (args, words) => {
    const parsed = parseDigestCommand(words);
    if (!parsed.ok) return args.ack(ephemeral(digestUsage(parsed.problem)));
    if (parsed.request.kind === 'help') return args.ack(ephemeral(digestUsage()));
    const work = answer(digests, parsed.request, args, opts).catch((error: unknown) => {
      args.logger.error(`digest ${parsed.request.kind} failed: ${describeError(error)}`);
      return `:warning: That did not work (${describeError(error)}). Try again in a moment.`;
    });
    await within(budgetMs, work, args);
  };
}

/** Slack wants an ack within 3 seconds: answer in it when the work is quick, else ack and respond after. */
async function within(budgetMs: number, work: Promise<string | undefined>, { ack, respond }: CommandArgs) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
  });
  const first = await Promise.race([work.then((text) => ({ text })), late]);
  clearTimeout(timer);
  if (first !== 'late') return first.text ? ack(ephemeral(first.text)) : ack();
  await ack();
  const text = await work;
  if (text) await respond(ephemeral(text));
}

async function answer(
  digests: DigestService,
  request: Exclude<DigestRequest, { kind: 'help' }>,
  { command, client }: CommandArgs,
  opts: DigestCommandOptions,
): Promise<string | undefined> {
  const ref: ChannelRef = { teamId: command.team_id, channelId: command.channel_id };
  if (request.kind === 'status') return statusText(await digests.status(ref));

  let caller: Caller | undefined;
  let lookupError = '';
  try {
    caller = await lookupCaller(client, command.user_id);
  } catch (error) {
    lookupError = describeError(error);
  }

  if (request.kind === 'now') {
    if (opts.claim && !(await opts.claim(`command:${command.trigger_id}`, ref.teamId))) return undefined;
    const digest = await digests.preview(ref, caller?.tz);
    if (digest.empty) return nothingNewText(digest);
    try {
      await publishDigest(async () => client)(digest);
    } catch (error) {
      return cannotPostText(describeError(error));
    }
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

export const registerDigest: Register = (on, { digests, service }) => {
  if (digests)
    on.command('digest', digestCommand(digests, { claim: (key, teamId) => service.claim(key, teamId) }));
};
