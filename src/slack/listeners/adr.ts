import { uploadAdr } from '../adr.js';
import { COMMAND } from '../blocks/help.js';
import { ephemeral } from '../ephemeral.js';
import { describeError } from '../errors.js';
import type { ListenerDeps, Register, Subcommand } from './registry.js';

/**
 * `/k8s-advisor adr`: the decision record of the caller's most recently completed assessment in this channel,
 * uploaded to that assessment's thread (the card's button does the same for its own assessment).
 */
export function adrCommand({
  service,
  userData,
}: Pick<ListenerDeps, 'service'> & Required<Pick<ListenerDeps, 'userData'>>): Subcommand {
  return async ({ command, ack, client, respond, logger }) => {
    const found = await userData.latestCompleted(command.team_id, command.channel_id, command.user_id);
    if (!found) {
      return ack(
        ephemeral(
          `You have no completed assessment in this channel yet, so there is no decision to record. Run \`${COMMAND}\` to start one; when it is done, \`${COMMAND} adr\` (or the card's button) writes the record.`,
        ),
      );
    }
    if (!(await service.claim(`command:${command.trigger_id}`, command.team_id))) return ack();
    const date = new Date(found.session.completedAt ?? found.session.updatedAt).toISOString().slice(0, 10);
    await ack(
      ephemeral(
        `Uploading the decision record of your assessment completed on ${date} (${found.recommendation.outcome.title}) to its thread.`,
      ),
    );
    try {
      await uploadAdr(client, userData.questionnaire, found.session, found.recommendation, logger);
    } catch (error) {
      const code = describeError(error);
      logger.error(`adr upload failed: ${code}`);
      await respond(ephemeral(`:warning: The upload did not work (${code}). Try again in a moment.`)).catch(
        () => {},
      );
    }
  };
}

export const registerAdr: Register = (on, { service, userData }) => {
  if (userData) on.command('adr', adrCommand({ service, userData }));
};
