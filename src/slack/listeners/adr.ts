import { adrCall } from '../adr.js';
import { COMMAND } from '../blocks/help.js';
import { ephemeral } from '../ephemeral.js';
import type { ListenerDeps, Register, Subcommand } from './registry.js';

/**
 * `/k8s-advisor adr`: the decision record of the caller's most recently completed assessment in this channel,
 * uploaded to that assessment's thread (the card's button does the same for its own assessment). The upload is
 * an outbox item committed with the command's key before the ack; its failures are the sender's to retry, and
 * the caller hears through the command's response_url if it is given up on.
 */
export function adrCommand({
  service,
  sender,
  userData,
}: Pick<ListenerDeps, 'service' | 'sender'> & Required<Pick<ListenerDeps, 'userData'>>): Subcommand {
  return async ({ command, ack }) => {
    const found = await userData.latestCompleted(command.team_id, command.channel_id, command.user_id);
    if (!found) {
      return ack(
        ephemeral(
          `You have no completed assessment in this channel yet, so there is no decision to record. Run \`${COMMAND}\` to start one; when it is done, \`${COMMAND} adr\` (or the card's button) writes the record.`,
        ),
      );
    }
    const call = adrCall(found.session, { userId: command.user_id, responseUrl: command.response_url });
    if (!(await service.claim(`command:${command.trigger_id}`, command.team_id, [call]))) return ack();
    const date = new Date(found.session.completedAt ?? found.session.updatedAt).toISOString().slice(0, 10);
    await ack(
      ephemeral(
        `Uploading the decision record of your assessment completed on ${date} (${found.recommendation.outcome.title}) to its thread.`,
      ),
    );
    sender.wake();
  };
}

export const registerAdr: Register = (on, deps) => {
  const { userData } = deps;
  if (userData) on.command('adr', adrCommand({ ...deps, userData }));
};
