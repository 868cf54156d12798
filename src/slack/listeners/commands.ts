import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AdvisorService } from '../../advisor/service.js';
import { COMMAND, usage } from '../blocks/help.js';
import type { ChatApi } from '../chat-client.js';
import { startInThread } from '../start.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** A subcommand: gets the words after its name. It must ack (with a body for an ephemeral answer). */
export type Subcommand = (args: CommandArgs, words: string[]) => Promise<void>;

/**
 * `/k8s-advisor <word> …` routes on its first word; `start` is the default. Features add their own words
 * through `extra` (for example `digest`), so this file does not grow with every feature.
 */
export function commandHandler(
  service: AdvisorService,
  extra: Record<string, Subcommand> = {},
  chat?: ChatApi,
) {
  const start = startAssessment(service, chat);
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

function startAssessment(service: AdvisorService, chat?: ChatApi) {
  return async ({ command, ack, client, respond, logger }: CommandArgs) => {
    await ack();
    // Slack may deliver a command twice; the trigger id makes the second one a no-op before anything is posted.
    if (!(await service.claim(`command:${command.trigger_id}`))) return;
    const at = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    const started = await startInThread(service, { chat: chat ?? client.chat, logger }, at);
    if (!started.ok) {
      await respond({
        response_type: 'ephemeral',
        text: `I cannot post in this conversation (${started.code}). Invite me first with \`/invite @k8s-advisor\`, then run \`${COMMAND}\` again.`,
      });
    }
  };
}

/** `chat`: where assessments are posted (the app's lean chat client); Bolt's client when not given. */
export function registerCommands(
  app: App,
  service: AdvisorService,
  extra: Record<string, Subcommand> = {},
  chat?: ChatApi,
) {
  app.command(COMMAND, commandHandler(service, extra, chat));
}
