// The vocabulary the stand-in's Block Kit table (block-kit.ts) is written in: small rules that each check one
// value at a path and add what Slack would refuse to a list. Independent of the app's own checks on purpose, so
// that a limit the app gets wrong shows up as a refusal here.

export type Surface = 'message' | 'view';

/** One message or view being checked: what is wrong so far, and the ids that must be unique in it. */
export interface Check {
  problems: string[];
  surface: Surface;
  seen: { block: Set<string>; action: Set<string> };
}

export type Rule = (value: unknown, path: string, check: Check) => void;

export const newCheck = (surface: Surface): Check => ({
  problems: [],
  surface,
  seen: { block: new Set(), action: new Set() },
});

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const fail = (check: Check, path: string, problem: string) => void check.problems.push(`${path}: ${problem}`);

/** Applies every rule to the same value. */
export const all =
  (...rules: Rule[]): Rule =>
  (v, path, check) => {
    for (const rule of rules) rule(v, path, check);
  };

export const optional =
  (rule: Rule): Rule =>
  (v, path, check) => {
    if (v !== undefined) rule(v, path, check);
  };

export const required =
  (rule: Rule): Rule =>
  (v, path, check) =>
    v === undefined ? fail(check, path, 'required') : rule(v, path, check);

/** A string no longer than `max`; other types are left to Slack's own parser, as Slack does. */
export const chars =
  (max: number): Rule =>
  (v, path, check) => {
    if (typeof v === 'string' && v.length > max)
      fail(check, path, `${v.length} characters, Slack allows ${max}`);
  };

/** A string (even an empty one) of at most `max` characters. */
export const string =
  (max: number): Rule =>
  (v, path, check) =>
    typeof v === 'string' ? chars(max)(v, path, check) : fail(check, path, 'required');

export const nonEmptyText =
  (max: number): Rule =>
  (v, path, check) =>
    typeof v === 'string' && v.length > 0 ? chars(max)(v, path, check) : fail(check, path, 'required');

export const oneOf =
  (...values: string[]): Rule =>
  (v, path, check) => {
    if (!values.includes(v as string))
      fail(check, path, `must be ${values.map((x) => `"${x}"`).join(' or ')}`);
  };

/** A text object: plain_text (or mrkdwn unless `plain`) with 1 to `max` characters. */
export const text =
  (max: number, { plain = false } = {}): Rule =>
  (v, path, check) => {
    if (!isObject(v)) return fail(check, path, 'must be a text object');
    if (v.type !== 'plain_text' && (plain || v.type !== 'mrkdwn')) {
      fail(
        check,
        `${path}.type`,
        plain ? 'must be "plain_text"' : `must be "plain_text" or "mrkdwn", got ${JSON.stringify(v.type)}`,
      );
    }
    if (typeof v.text !== 'string' || v.text.length === 0)
      return fail(check, `${path}.text`, 'must be a non-empty string');
    chars(max)(v.text, `${path}.text`, check);
  };

/** A list of at most `max` items (`noun` names them in the refusal), each checked by `item`. */
export const list =
  (max: number, noun: string, item: Rule, { nonEmpty = false } = {}): Rule =>
  (v, path, check) => {
    if (!Array.isArray(v)) return fail(check, path, 'must be an array');
    if (nonEmpty && v.length === 0) fail(check, path, 'must not be empty');
    if (v.length > max) fail(check, path, `${v.length} ${noun}, Slack allows ${max}`);
    v.forEach((x, i) => {
      item(x, `${path}[${i}]`, check);
    });
  };

/** A block_id or action_id: 1 to `max` characters, once per message or view. */
export const uniqueId =
  (kind: keyof Check['seen'], max: number): Rule =>
  (v, path, check) => {
    if (typeof v !== 'string' || v.length === 0) return fail(check, path, 'must be a non-empty string');
    chars(max)(v, path, check);
    if (check.seen[kind].has(v)) fail(check, path, `${JSON.stringify(v)} is not unique in this message`);
    check.seen[kind].add(v);
  };

/**
 * An object whose named fields each follow their rule; `T`, one of Slack's own types, keeps the names honest.
 * At the top of a message or view the path is empty and fields are named alone, as Slack names them.
 */
export const fields =
  <T>(spec: { [K in keyof T]?: Rule }): Rule =>
  (v, path, check) => {
    if (!isObject(v)) return fail(check, path, 'must be an object');
    for (const [name, rule] of Object.entries(spec) as [string, Rule][]) {
      rule(v[name], path ? `${path}.${name}` : name, check);
    }
  };

/** An object dispatched on its `type` to the table's rule; a type missing from the table is refused. */
export const byType =
  (table: Partial<Record<string, Rule>>, noun: string): Rule =>
  (v, path, check) => {
    if (!isObject(v)) return fail(check, path, 'must be an object');
    const rule = typeof v.type === 'string' ? table[v.type] : undefined;
    if (!rule) return fail(check, `${path}.type`, `unknown ${noun} type ${JSON.stringify(v.type)}`);
    rule(v, path, check);
  };

/** A condition on the whole object, refused with `problem` when it does not hold. */
export const holds =
  (ok: (v: Record<string, unknown>, check: Check) => boolean, problem: string): Rule =>
  (v, path, check) => {
    if (isObject(v) && !ok(v, check)) fail(check, path, problem);
  };
