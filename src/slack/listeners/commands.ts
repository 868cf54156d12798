import { startCalls } from '../start.js';
import { type ListenerDeps, type Register, type Subcommand, unknownCommand } from './registry.js';

/** `/k8s-advisor` or `/k8s-advisor start`: a parent message in the channel, then the questions in its thread. */
export function startCommand({ service, sender }: Pick<ListenerDeps, 'service' | 'sender'>): Subcommand {
  return async (args, words) => {
    if (words.length > 0) return unknownCommand(args);
    const { command, ack } = args;
    const at = {
      teamId: command.team_id,
      channelId: command.channel_id,
      userId: command.user_id,
      key: command.trigger_id,
      responseUrl: command.response_url,
    };
    // Committed before the ack: Slack may deliver a command twice, and the trigger id makes the second a no-op.
    await service.claim(`command:${command.trigger_id}`, command.team_id, startCalls(service, at));
    await ack();
    sender.wake();
  };
}

export const registerCommands: Register = (on, deps) => {
  on.command('start', startCommand(deps));
};
