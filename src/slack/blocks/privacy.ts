import type { Forgotten } from '../../advisor/ports/user-data.js';
import { COMMAND } from './help.js';
import { button, type SlackMessage, section } from './text.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `forget-me` asks first: what will go, what stays, and a way to keep a copy. Only the caller sees it. */
export function forgetConfirmMessage(userId: string): SlackMessage {
  const text =
    'Forget me? This deletes every assessment you ran in this workspace: your answers, the cluster evidence you ' +
    'uploaded, verdicts and what channel digests count of them. Channel digest schedules you set are stopped. It cannot be undone.';
  return {
    text,
    blocks: [
      section(
        `:warning: *Forget me?* This deletes every assessment you ran in this workspace: your answers, the ` +
          'cluster evidence you uploaded, verdicts and what channel digests count of them. Channel digest schedules you set are stopped. ' +
          '*It cannot be undone.*\n' +
          `Messages already posted in Slack stay there; delete them in Slack if you want them gone. For a copy ` +
          `first, run \`${COMMAND} export\`.`,
      ),
      {
        type: 'actions',
        block_id: 'privacy:forget',
        elements: [
          button('Delete everything about me', 'privacy:forget:confirm', userId, 'danger'),
          button('Cancel', 'privacy:forget:cancel', userId),
        ],
      },
    ],
  };
}

/** What forget-me deleted, counted. */
export function forgottenText(f: Forgotten): string {
  if (f.assessments === 0 && f.subscriptions.length === 0) {
    return ':white_check_mark: Nothing is stored about you: there were no assessments of yours to delete.';
  }
  const stopped =
    f.subscriptions.length > 0
      ? ` Stopped the digest schedule${f.subscriptions.length === 1 ? '' : 's'} you set in ${f.subscriptions
          .map((s) => `<#${s.channelId}>`)
          .join(', ')}.`
      : '';
  return (
    `:white_check_mark: Deleted ${plural(f.assessments, 'assessment')} with all their answers and evidence, ` +
    `${plural(f.findings, 'digest finding')} and ${plural(f.keys, 'click record')}.${stopped} ` +
    'Digests no longer count them.'
  );
}

export const FORGET_CANCELLED = 'Cancelled: nothing was deleted.';
export const NOTHING_TO_EXPORT =
  'Nothing to export: I have no assessments of yours stored in this workspace.';
export const exportSentText = (n: number, link?: string) =>
  `Sent: ${plural(n, 'assessment')} as JSON and Markdown, in ${link ? `<${link}|our direct messages>` : 'our direct messages'}.`;
