import { echo } from '../advisor/echo.js';
/** The words after `/k8s-advisor digest`, as a typed request or a problem to show with the usage. Pure. */

export interface TimeOfDay {
  hour: number;
  minute: number;
}

export type DigestRequest =
  | { kind: 'status' }
  | { kind: 'help' }
  | { kind: 'now' }
  | { kind: 'off' }
  | { kind: 'empty'; include: boolean }
  | ({ kind: 'subscribe'; cadence: 'daily'; weekday: null } & TimeOfDay)
  | ({ kind: 'subscribe'; cadence: 'weekly'; weekday: number } & TimeOfDay);

export type ParsedDigest = { ok: true; request: DigestRequest } | { ok: false; problem: string };

export const DEFAULT_TIME: TimeOfDay = { hour: 9, minute: 0 };
/** Monday. */
export const DEFAULT_WEEKDAY = 1;

export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
const DAY_ALIASES: Record<string, number> = { tues: 2, weds: 3, thur: 4, thurs: 4 };

/** "monday", "mon", "thurs" … → 0 (Sunday) to 6; undefined when not a day. */
export function parseWeekday(word: string): number | undefined {
  const w = word.toLowerCase().replace(/[.,]$/, '');
  if (w in DAY_ALIASES) return DAY_ALIASES[w];
  if (w.length < 3) return undefined;
  const i = WEEKDAYS.findIndex((day) => day.startsWith(w) || (w.endsWith('s') && day === w.slice(0, -1)));
  return i >= 0 ? i : undefined;
}

/** "9", "09:30", "17:00", "9am", "5:30pm", "12am" → a time of day; undefined when not one. */
export function parseTime(word: string): TimeOfDay | undefined {
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$/i.exec(word.trim());
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3]?.toLowerCase();
  if (minute > 59) return undefined;
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23) return undefined;
  return { hour, minute };
}

const ok = (request: DigestRequest): ParsedDigest => ({ ok: true, request });
const fail = (problem: string): ParsedDigest => ({ ok: false, problem });

/** "9:30" "pm" typed with a space is one time. */
function joinMeridiem(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const last = out.at(-1);
    if (/^(am|pm)$/i.test(word) && last && /^\d{1,2}([:.h]\d{2})?$/.test(last))
      out[out.length - 1] = last + word;
    else out.push(word);
  }
  return out;
}

export function parseDigestCommand(input: string[]): ParsedDigest {
  const [first, ...rest] = joinMeridiem(input.filter(Boolean));
  const word = first?.toLowerCase();
  const extra = (what: string) =>
    fail(`\`digest ${what}\` takes nothing more; I did not understand "${echo(rest.join(' '))}".`);
  switch (word) {
    case undefined:
    case 'status':
      return rest.length > 0 ? extra(word ?? 'status') : ok({ kind: 'status' });
    case 'help':
      return ok({ kind: 'help' });
    case 'now':
      return rest.length > 0 ? extra('now') : ok({ kind: 'now' });
    case 'off':
    case 'stop':
      return rest.length > 0 ? extra(word) : ok({ kind: 'off' });
    case 'empty': {
      const setting = rest.join(' ').toLowerCase();
      if (rest.length === 1 && ['on', 'post', 'yes'].includes(setting))
        return ok({ kind: 'empty', include: true });
      if (rest.length === 1 && ['off', 'skip', 'no'].includes(setting))
        return ok({ kind: 'empty', include: false });
      return fail(
        'Say `digest empty on` to post a digest even when nothing happened, or `digest empty off`.',
      );
    }
    case 'daily': {
      if (rest.length > 1)
        return fail(`\`digest daily\` takes one time, such as 09:30; I got "${echo(rest.join(' '))}".`);
      const time = rest[0] === undefined ? DEFAULT_TIME : parseTime(rest[0]);
      if (!time)
        return fail(
          `"${echo(rest[0] ?? '')}" is not a time of day; write it as HH:MM, such as 09:30 or 17:00.`,
        );
      return ok({ kind: 'subscribe', cadence: 'daily', weekday: null, ...time });
    }
    case 'weekly':
      return parseWeekly(rest);
    default:
      return fail(`I do not know \`digest ${echo(first ?? '')}\`.`);
  }
}

function parseWeekly(words: string[]): ParsedDigest {
  let weekday: number | undefined;
  let time: TimeOfDay | undefined;
  for (const word of words) {
    const day = parseWeekday(word);
    const at = day === undefined ? parseTime(word) : undefined;
    if (day !== undefined && weekday === undefined) weekday = day;
    else if (at && !time) time = at;
    else if (day !== undefined || at)
      return fail(`\`digest weekly\` takes one day and one time; I got "${echo(words.join(' '))}".`);
    else if (/^\d/.test(word))
      return fail(`"${echo(word)}" is not a time of day; write it as HH:MM, such as 16:00.`);
    else return fail(`"${echo(word)}" is neither a day (such as friday) nor a time (such as 16:00).`);
  }
  return ok({
    kind: 'subscribe',
    cadence: 'weekly',
    weekday: weekday ?? DEFAULT_WEEKDAY,
    ...(time ?? DEFAULT_TIME),
  });
}
