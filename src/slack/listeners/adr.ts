import type { UserDataService } from '../../advisor/user-data.js';
import { uploadAdr } from '../adr.js';
import { COMMAND } from '../blocks/help.js';
import type { Subcommand } from './commands.js';

const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });

/**
 * `/k8s-advisor adr`: the decision record of the caller's most recently completed assessment in this channel,
 * uploaded to that assessment's thread (the card's button does the same for its own assessment).
 */
export function adrCommand(userData: UserDataService, claim: (key: string) => Promise<boolean>): Subcommand {
  return async ({ command, ack, client, respond, logger }) => {
    const found = await userData.latestCompleted(command.team_id, command.channel_id, command.user_id);
    if (!found) {
      return ack(
        ephemeral(
          `You have no completed assessment in this channel yet, so there is no decision to record. Run \`${COMMAND}\` to start one; when it is done, \`${COMMAND} adr\` (or the card's button) writes the record.`,
        ),
      );
    }
    if (!(await claim(`command:${command.trigger_id}`))) return ack();
    const date = new Date(found.session.completedAt ?? found.session.updatedAt).toISOString().slice(0, 10);
    await ack(
      ephemeral(
        `Uploading the decision record of your assessment completed on ${date} (${found.recommendation.outcome.title}) to its thread.`,
      ),
    );
    try {
      await uploadAdr(client, userData.questionnaire, found.session, found.recommendation, logger);
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
      logger.error(`adr upload failed: ${code}`);
      await respond(ephemeral(`:warning: The upload did not work (${code}). Try again in a moment.`)).catch(
        () => {},
      );
    }
  };
}
