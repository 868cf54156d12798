import { COMMAND } from '../blocks/help.js';
import { ephemeral } from '../ephemeral.js';
import { startInThread } from '../start.js';
import { type ListenerDeps, type Register, type Subcommand, unknownCommand } from './registry.js';

/** `/k8s-advisor` or `/k8s-advisor start`: a parent message in the channel, then the questions in its thread. */
export function startCommand({ service, chat }: Pick<ListenerDeps, 'service' | 'chat'>): Subcommand {
  return async (args, words) => {
    if (words.length > 0) return unknownCommand(args);
    const { command, ack, respond, logger } = args;
    await ack();
    // Slack may deliver a command twice; the trigger id makes the second one a no-op before anything is posted.
    if (!(await service.claim(`command:${command.trigger_id}`, command.team_id))) return;
    const at = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    const started = await startInThread(service, { chat, logger }, at);
    if (!started.ok) {
      await respond(
        ephemeral(
          `I cannot post in this conversation (${started.code}). Invite me first with \`/invite @k8s-advisor\`, then run \`${COMMAND}\` again.`,
        ),
      );
    }
  };
}

export const registerCommands: Register = (on, deps) => {
  on.command('start', startCommand(deps));
};
