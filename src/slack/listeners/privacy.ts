import type { UserDataService } from '../../advisor/user-data.js';
import {
  FORGET_CANCELLED,
  forgetConfirmMessage,
  forgottenText,
  NOTHING_TO_EXPORT,
} from '../blocks/privacy.js';
import { toSlack } from '../blocks/text.js';
import { ephemeral } from '../ephemeral.js';
import { exportCall } from '../export.js';
import { homeCall } from '../home.js';
import { respondCall } from '../response-url.js';
import type { ActionArgs, ListenerDeps, Register, Subcommand } from './registry.js';

type Deps = Pick<ListenerDeps, 'service' | 'sender' | 'outbox'> & { userData: UserDataService };

/** A person's answers about their own data, in order. */
const privacyLane = (teamId: string, userId: string) => `privacy:${teamId}:${userId}`;

const EXPORT_QUEUED =
  'Preparing your export: the files arrive in our direct messages in a moment, and I will say so here.';

/** `/k8s-advisor export`: every assessment of the caller, as JSON and Markdown files in a direct message. */
export function exportCommand({ service, sender, userData }: Deps): Subcommand {
  return async ({ command, ack }) => {
    const who = { teamId: command.team_id, userId: command.user_id };
    // A read: whether there is anything at all, so an empty export is answered at once.
    if ((await userData.page(who.teamId, who.userId, 1)).total === 0)
      return ack(ephemeral(NOTHING_TO_EXPORT));
    const call = exportCall(who, command.response_url);
    if (!(await service.claim(`command:${command.trigger_id}`, who.teamId, [call]))) return ack();
    await ack(ephemeral(EXPORT_QUEUED));
    sender.wake();
  };
}

/** `/k8s-advisor forget-me`: asks first, with buttons only the caller sees. */
export const forgetCommand: Subcommand = async ({ command, ack }) => {
  await ack({ response_type: 'ephemeral', ...toSlack(forgetConfirmMessage(command.user_id)) });
};

/**
 * The confirmation's buttons. A click's acknowledgement carries no message, so each answer goes to the click's
 * response_url as an outbox item, committed before the ack: forget-me's with the deletion it reports.
 */
export function forgetHandlers({ sender, outbox, userData }: Deps) {
  const answer = (body: ActionArgs['body'], message: Record<string, unknown>) => {
    const who = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
    const url = (body as { response_url?: string }).response_url;
    return {
      who,
      calls: url ? [respondCall(who.teamId, privacyLane(who.teamId, who.userId), url, message)] : [],
    };
  };
  return {
    confirm: async ({ ack, body, action }: ActionArgs) => {
      // The buttons carry the id of the person who asked; nobody else may confirm, even if they saw them.
      if ((action as { value?: string }).value !== body.user.id) {
        const { calls } = answer(body, {
          ...ephemeral('Only the person who asked can confirm this.'),
          replace_original: false,
        });
        await outbox.enqueue(calls);
      } else {
        const who = answer(body, {}).who;
        await userData.forget(who.teamId, who.userId, (forgotten) => [
          ...answer(body, { replace_original: true, text: forgottenText(forgotten) }).calls,
          // Their App Home listed the assessments just deleted.
          homeCall(who),
        ]);
      }
      await ack();
      sender.wake();
    },
    cancel: async ({ ack, body }: ActionArgs) => {
      await outbox.enqueue(answer(body, { replace_original: true, text: FORGET_CANCELLED }).calls);
      await ack();
      sender.wake();
    },
  };
}

export const registerPrivacy: Register = (on, deps) => {
  const { userData } = deps;
  if (!userData) return;
  const forget = forgetHandlers({ ...deps, userData });
  on.command('export', exportCommand({ ...deps, userData }))
    .command('forget-me', forgetCommand)
    .action('privacy:forget:confirm', forget.confirm)
    .action('privacy:forget:cancel', forget.cancel);
};
