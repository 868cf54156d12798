// Checks of Block Kit elements and text objects against Slack's limits; blocks and surfaces are in limits.ts.

import { SLACK_LIMITS } from './slack-limits.js';

export type Obj = Record<string, unknown>;

/** Shared across a whole message/view: ids that must be unique, and the error list. */
export interface Ctx {
  errors: string[];
  blockIds: Set<string>;
  actionIds: Set<string>;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function maxLen(ctx: Ctx, path: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) {
    ctx.errors.push(`${path}: ${value.length} characters, Slack allows ${max}`);
  }
}

export function maxItems(ctx: Ctx, path: string, items: unknown[], max: number, noun = 'items'): void {
  if (items.length > max) ctx.errors.push(`${path}: ${items.length} ${noun}, Slack allows ${max}`);
}

/** Returns the array at obj[key], reporting a missing/non-array value when required. */
export function arrayAt(
  ctx: Ctx,
  obj: Obj,
  key: string,
  path: string,
  required: boolean,
): unknown[] | undefined {
  const v = obj[key];
  if (v === undefined) {
    if (required) ctx.errors.push(`${path}.${key}: required`);
    return undefined;
  }
  if (!Array.isArray(v)) {
    ctx.errors.push(`${path}.${key}: must be an array`);
    return undefined;
  }
  if (required && v.length === 0) ctx.errors.push(`${path}.${key}: must not be empty`);
  return v;
}

export function textObject(
  ctx: Ctx,
  path: string,
  value: unknown,
  opts: { max: number; plainOnly?: boolean; required?: boolean },
): void {
  if (value === undefined) {
    if (opts.required !== false) ctx.errors.push(`${path}: required`);
    return;
  }
  if (!isObj(value)) {
    ctx.errors.push(`${path}: must be a text object`);
    return;
  }
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') {
    ctx.errors.push(`${path}.type: must be "plain_text" or "mrkdwn", got ${JSON.stringify(value.type)}`);
  } else if (opts.plainOnly && value.type !== 'plain_text') {
    ctx.errors.push(`${path}.type: must be "plain_text"`);
  }
  if (typeof value.text !== 'string' || value.text.length === 0) {
    ctx.errors.push(`${path}.text: must be a non-empty string`);
    return;
  }
  maxLen(ctx, `${path}.text`, value.text, opts.max);
}

export function uniqueId(ctx: Ctx, path: string, value: unknown, seen: Set<string>, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length === 0) {
    ctx.errors.push(`${path}: must be a non-empty string`);
    return;
  }
  maxLen(ctx, path, value, max);
  if (seen.has(value)) ctx.errors.push(`${path}: ${JSON.stringify(value)} is not unique in this message`);
  seen.add(value);
}

function confirm(ctx: Ctx, path: string, value: unknown): void {
  if (value === undefined) return;
  if (!isObj(value)) {
    ctx.errors.push(`${path}: must be an object`);
    return;
  }
  const L = SLACK_LIMITS;
  textObject(ctx, `${path}.title`, value.title, { max: L.confirmTitle, plainOnly: true, required: false });
  textObject(ctx, `${path}.text`, value.text, { max: L.confirmText, required: false });
  textObject(ctx, `${path}.confirm`, value.confirm, {
    max: L.confirmButton,
    plainOnly: true,
    required: false,
  });
  textObject(ctx, `${path}.deny`, value.deny, { max: L.confirmButton, plainOnly: true, required: false });
}

function option(ctx: Ctx, path: string, value: unknown, plainOnly: boolean): void {
  if (!isObj(value)) {
    ctx.errors.push(`${path}: must be an option object`);
    return;
  }
  textObject(ctx, `${path}.text`, value.text, { max: SLACK_LIMITS.optionText, plainOnly });
  if (typeof value.value !== 'string') ctx.errors.push(`${path}.value: required`);
  maxLen(ctx, `${path}.value`, value.value, SLACK_LIMITS.optionValue);
  textObject(ctx, `${path}.description`, value.description, {
    max: SLACK_LIMITS.optionDescription,
    plainOnly,
    required: false,
  });
}

function options(ctx: Ctx, el: Obj, path: string, max: number, plainOnly: boolean, required: boolean): void {
  const list = arrayAt(ctx, el, 'options', path, required);
  if (!list) return;
  maxItems(ctx, `${path}.options`, list, max, 'options');
  list.forEach((o, i) => {
    option(ctx, `${path}.options[${i}]`, o, plainOnly);
  });
}

function selectOptions(ctx: Ctx, el: Obj, path: string): void {
  const L = SLACK_LIMITS;
  if (el.option_groups !== undefined) {
    const groups = arrayAt(ctx, el, 'option_groups', path, true) ?? [];
    maxItems(ctx, `${path}.option_groups`, groups, L.selectOptions, 'option groups');
    groups.forEach((g, i) => {
      const gp = `${path}.option_groups[${i}]`;
      if (!isObj(g)) {
        ctx.errors.push(`${gp}: must be an object`);
        return;
      }
      textObject(ctx, `${gp}.label`, g.label, { max: L.optionText, plainOnly: true });
      options(ctx, g, gp, L.selectOptions, true, true);
    });
    return;
  }
  options(ctx, el, path, L.selectOptions, true, true);
}

const INTERACTIVE = new Set([
  'button',
  'static_select',
  'multi_static_select',
  'external_select',
  'multi_external_select',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'multi_conversations_select',
  'channels_select',
  'multi_channels_select',
  'overflow',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'checkboxes',
  'radio_buttons',
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'file_input',
]);

export function imageElement(ctx: Ctx, el: Obj, path: string): void {
  if (typeof el.image_url !== 'string' && !isObj(el.slack_file))
    ctx.errors.push(`${path}.image_url: required`);
  maxLen(ctx, `${path}.image_url`, el.image_url, SLACK_LIMITS.imageUrl);
  if (typeof el.alt_text !== 'string' || el.alt_text.length === 0)
    ctx.errors.push(`${path}.alt_text: required`);
  maxLen(ctx, `${path}.alt_text`, el.alt_text, SLACK_LIMITS.altText);
}

export function element(ctx: Ctx, path: string, el: unknown): void {
  const L = SLACK_LIMITS;
  if (!isObj(el)) {
    ctx.errors.push(`${path}: must be an object`);
    return;
  }
  if (el.type === 'image') {
    imageElement(ctx, el, path);
    return;
  }
  if (typeof el.type !== 'string' || !INTERACTIVE.has(el.type)) {
    ctx.errors.push(`${path}.type: unknown element type ${JSON.stringify(el.type)}`);
    return;
  }
  uniqueId(ctx, `${path}.action_id`, el.action_id, ctx.actionIds, L.actionId);
  confirm(ctx, `${path}.confirm`, el.confirm);
  if (el.placeholder !== undefined) {
    textObject(ctx, `${path}.placeholder`, el.placeholder, { max: L.placeholderText, plainOnly: true });
  }
  switch (el.type) {
    case 'button':
      textObject(ctx, `${path}.text`, el.text, { max: L.buttonText, plainOnly: true });
      maxLen(ctx, `${path}.value`, el.value, L.buttonValue);
      maxLen(ctx, `${path}.url`, el.url, L.buttonUrl);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        ctx.errors.push(`${path}.style: must be "primary" or "danger"`);
      }
      break;
    case 'static_select':
    case 'multi_static_select':
      selectOptions(ctx, el, path);
      break;
    case 'overflow':
      options(ctx, el, path, L.overflowOptions, true, true);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      options(ctx, el, path, L.choiceOptions, false, true);
      break;
  }
}

export function elementList(ctx: Ctx, block: Obj, path: string, max: number): unknown[] {
  const list = arrayAt(ctx, block, 'elements', path, true) ?? [];
  maxItems(ctx, `${path}.elements`, list, max, 'elements');
  return list;
}
