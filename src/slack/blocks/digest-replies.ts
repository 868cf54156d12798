import type { Subscription } from '../../advisor/ports/digests.js';
import type { Digest } from '../../digest/build.js';
import { WEEKDAYS } from '../../digest/parse.js';
import { clock } from '../../digest/period.js';
import type { ChangeResult, Status } from '../../digest/service.js';
import { slackDate } from './digest.js';
import { COMMAND } from './help.js';

/** The ephemeral answers to `/k8s-advisor digest …`. Pure: results in, mrkdwn out. */

const D = `${COMMAND} digest`;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function digestUsage(problem?: string): string {
  return [
    ...(problem ? [`:warning: ${problem}`, ''] : []),
    '*Channel digests*: a summary of the assessments run in this channel, posted on a schedule.',
    `• \`${D} daily [HH:MM]\`: every day, at 09:00 unless you give a time, e.g. \`${D} daily 08:30\``,
    `• \`${D} weekly [day] [HH:MM]\`: once a week, Monday 09:00 by default, e.g. \`${D} weekly friday 16:00\``,
    `• \`${D} now\`: post the digest so far to this channel`,
    `• \`${D} status\`: show this channel's schedule`,
    `• \`${D} empty on\` / \`off\`: post a digest even when nothing happened (off by default)`,
    `• \`${D} off\`: stop the digest`,
    'Times are in your Slack time zone. Once set, only you or a workspace admin or owner can change or stop it.',
  ].join('\n');
}

export const describeSchedule = (s: Pick<Subscription, 'cadence' | 'weekday' | 'hour' | 'minute' | 'tz'>) =>
  `${s.cadence === 'weekly' ? `every ${cap(WEEKDAYS[s.weekday ?? 1] ?? 'monday')}` : 'every day'} at ${clock(s)} (${s.tz})`;

export function statusText({ subscription: sub, next, lastRun }: Status): string {
  if (!sub) {
    return [
      'This channel has no digest yet.',
      `Subscribe with \`${D} daily 09:00\` or \`${D} weekly monday 09:00\`, or try \`${D} now\`.`,
    ].join('\n');
  }
  const lines = [
    `:calendar: This channel gets a digest ${describeSchedule(sub)}, set up by <@${sub.userId}>.`,
    ...(next ? [`Next: ${slackDate(next, sub.tz)}.`] : []),
    sub.includeEmpty
      ? `Periods with nothing new get a digest too (\`${D} empty off\` to skip them).`
      : `Periods with nothing new are skipped (\`${D} empty on\` to post them anyway).`,
  ];
  if (lastRun) {
    const period = `${slackDate(lastRun.periodStart, sub.tz)} to ${slackDate(lastRun.periodEnd, sub.tz)}`;
    const how = {
      posted: `posted for ${period}`,
      empty: `nothing new for ${period}, so nothing was posted`,
      failed: `could not be posted for ${period} (${lastRun.error ?? 'unknown error'})`,
      claimed: `being posted for ${period}`,
    }[lastRun.status];
    lines.push(`Last digest: ${how}.`);
  }
  lines.push(`Change it with \`${D} daily|weekly …\`, stop it with \`${D} off\`.`);
  return lines.join('\n');
}

export function changeText(result: ChangeResult): string {
  switch (result.kind) {
    case 'subscribed': {
      const sub = result.subscription;
      const tzNote = result.guessedTz
        ? ' Slack did not tell me your time zone, so the time is in UTC.'
        : ' The time is in your Slack time zone.';
      const was = result.previous ? ` (it was ${describeSchedule(result.previous)})` : '';
      return [
        `:white_check_mark: This channel will get a digest of its assessments ${describeSchedule(sub)}${was}.${tzNote}`,
        `The first one: ${slackDate(result.next, sub.tz)}. See it any time with \`${D} now\`; stop it with \`${D} off\`.`,
      ].join('\n');
    }
    case 'unsubscribed':
      return `:no_bell: Stopped this channel's digest (it was ${describeSchedule(result.previous)}, set up by <@${result.previous.userId}>).`;
    case 'empty_set':
      return result.subscription.includeEmpty
        ? ':white_check_mark: The digest will be posted even for periods with nothing new.'
        : ':white_check_mark: Periods with nothing new will be skipped.';
    case 'none':
      return `This channel has no digest to change. Start one with \`${D} daily 09:00\`.`;
    case 'refused':
      return `:lock: Only <@${result.ownerId}>, who set up this channel's digest, or a workspace admin or owner can change or stop it. See it with \`${D} status\`.`;
    case 'conflict':
      return `Someone changed this channel's digest at the same moment; check \`${D} status\` and try again.`;
  }
}

export const nothingNewText = (d: Digest) =>
  `Nothing new in this channel from ${slackDate(d.period.start, d.period.tz)} to now: no assessment was started, completed or abandoned, so I posted nothing.`;

export const lookupFailedText = (code: string) =>
  `:warning: I could not look up your Slack profile (${code}), which I need for your time zone and to check who may change the digest. The app needs the \`users:read\` scope.`;

export const cannotPostText = (code: string) =>
  `:warning: I could not post the digest here (${code}). Invite me with \`/invite @k8s-advisor\` and try again.`;
