import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AdvisorService } from '../../advisor/service.js';
import { COMMAND, usage } from '../blocks/help.js';
import { parentMessage } from '../blocks/parent.js';
import { toSlack } from '../blocks/text.js';
import { deliver } from '../deliver.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** Errors from chat.postMessage that mean "the bot cannot post here" rather than "Slack is down". */
const NOT_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/** A subcommand: gets the words after its name. It must ack (with a body for an ephemeral answer). */
export type Subcommand = (args: CommandArgs, words: string[]) => Promise<void>;

/**
 * `/k8s-advisor <word> …` routes on its first word; `start` is the default. Features add their own words
 * through `extra` (for example `digest`), so this file does not grow with every feature.
 */
export function commandHandler(service: AdvisorService, extra: Record<string, Subcommand> = {}) {
  const start = startAssessment(service);
  return async (args: CommandArgs) => {
    const [word = 'start', ...rest] = args.command.text.trim().split(/\s+/).filter(Boolean);
    const sub = word.toLowerCase();
    if (sub === 'help') return args.ack({ response_type: 'ephemeral', text: usage() });
    const handler = extra[sub];
    if (handler) return handler(args, rest);
    if (sub !== 'start' || rest.length > 0) {
      return args.ack({
        response_type: 'ephemeral',
        text: usage(`I do not know \`${COMMAND} ${args.command.text.trim()}\`.`),
      });
    }
    return start(args);
  };
}

function startAssessment(service: AdvisorService) {
  return async ({ command, ack, client, respond, logger }: CommandArgs) => {
    await ack();
    // Slack may deliver a command twice; the trigger id makes the second one a no-op before anything is posted.
    if (!(await service.claim(`command:${command.trigger_id}`))) return;

    const owner = { userId: command.user_id, outcome: null };
    let threadTs: string;
    try {
      const posted = await client.chat.postMessage({
        channel: command.channel_id,
        ...toSlack(parentMessage(service.questionnaire, owner)),
      });
      threadTs = posted.ts as string;
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code && NOT_HERE.has(code)) {
        await respond({
          response_type: 'ephemeral',
          text: `I cannot post in this conversation (${code}). Invite me first with \`/invite @k8s-advisor\`, then run \`${COMMAND}\` again.`,
        });
        return;
      }
      throw error;
    }
    const key = { teamId: command.team_id, channelId: command.channel_id, threadTs, userId: command.user_id };
    const step = await service.start(key);
    await deliver(step, key, { client, service, logger });
  };
}

export function registerCommands(app: App, service: AdvisorService, extra: Record<string, Subcommand> = {}) {
  app.command(COMMAND, commandHandler(service, extra));
}
