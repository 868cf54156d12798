// Block Kit limits as Slack documents them. Slack refuses a message that breaks any of them
// (`invalid_blocks`), so the app checks before sending and the stand-in refuses like Slack does.

export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  blockId: 255,
  actionId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  placeholderText: 150,
  overflowOptions: 5,
  choiceOptions: 10,
  imageUrl: 3000,
  altText: 2000,
  imageTitle: 2000,
  markdownText: 12_000,
  inputLabel: 2000,
  inputHint: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
} as const;

type Obj = Record<string, unknown>;

/** Shared across a whole message/view: ids that must be unique, and the error list. */
interface Ctx {
  errors: string[];
  blockIds: Set<string>;
  actionIds: Set<string>;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function maxLen(ctx: Ctx, path: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) {
    ctx.errors.push(`${path}: ${value.length} characters, Slack allows ${max}`);
  }
}

function maxItems(ctx: Ctx, path: string, items: unknown[], max: number, noun = 'items'): void {
  if (items.length > max) ctx.errors.push(`${path}: ${items.length} ${noun}, Slack allows ${max}`);
}

/** Returns the array at obj[key], reporting a missing/non-array value when required. */
function arrayAt(ctx: Ctx, obj: Obj, key: string, path: string, required: boolean): unknown[] | undefined {
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

function textObject(
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

function uniqueId(ctx: Ctx, path: string, value: unknown, seen: Set<string>, max: number): void {
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

function imageElement(ctx: Ctx, el: Obj, path: string): void {
  if (typeof el.image_url !== 'string' && !isObj(el.slack_file))
    ctx.errors.push(`${path}.image_url: required`);
  maxLen(ctx, `${path}.image_url`, el.image_url, SLACK_LIMITS.imageUrl);
  if (typeof el.alt_text !== 'string' || el.alt_text.length === 0)
    ctx.errors.push(`${path}.alt_text: required`);
  maxLen(ctx, `${path}.alt_text`, el.alt_text, SLACK_LIMITS.altText);
}

function element(ctx: Ctx, path: string, el: unknown): void {
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

function elementList(ctx: Ctx, block: Obj, path: string, max: number): unknown[] {
  const list = arrayAt(ctx, block, 'elements', path, true) ?? [];
  maxItems(ctx, `${path}.elements`, list, max, 'elements');
  return list;
}

function block(ctx: Ctx, path: string, b: unknown, surface: 'message' | 'view'): void {
  const L = SLACK_LIMITS;
  if (!isObj(b)) {
    ctx.errors.push(`${path}: must be an object`);
    return;
  }
  uniqueId(ctx, `${path}.block_id`, b.block_id, ctx.blockIds, L.blockId);
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined)
        ctx.errors.push(`${path}: section needs text or fields`);
      textObject(ctx, `${path}.text`, b.text, { max: L.sectionText, required: false });
      const fields = arrayAt(ctx, b, 'fields', path, false);
      if (fields) {
        maxItems(ctx, `${path}.fields`, fields, L.sectionFields, 'fields');
        fields.forEach((f, i) => {
          textObject(ctx, `${path}.fields[${i}]`, f, { max: L.sectionFieldText });
        });
      }
      if (b.accessory !== undefined) element(ctx, `${path}.accessory`, b.accessory);
      break;
    }
    case 'header':
      textObject(ctx, `${path}.text`, b.text, { max: L.headerText, plainOnly: true });
      break;
    case 'context':
      elementList(ctx, b, path, L.contextElements).forEach((el, i) => {
        const p = `${path}.elements[${i}]`;
        if (isObj(el) && el.type === 'image') imageElement(ctx, el, p);
        else textObject(ctx, p, el, { max: L.sectionText });
      });
      break;
    case 'actions':
      elementList(ctx, b, path, L.actionsElements).forEach((el, i) => {
        element(ctx, `${path}.elements[${i}]`, el);
      });
      break;
    case 'divider':
      break;
    case 'image':
      imageElement(ctx, b, path);
      textObject(ctx, `${path}.title`, b.title, { max: L.imageTitle, plainOnly: true, required: false });
      break;
    case 'markdown':
      if (typeof b.text !== 'string' || b.text.length === 0) ctx.errors.push(`${path}.text: required`);
      maxLen(ctx, `${path}.text`, b.text, L.markdownText);
      break;
    case 'rich_text':
      arrayAt(ctx, b, 'elements', path, true);
      break;
    case 'input':
      if (surface === 'message') ctx.errors.push(`${path}.type: input blocks are only allowed in views`);
      textObject(ctx, `${path}.label`, b.label, { max: L.inputLabel, plainOnly: true });
      textObject(ctx, `${path}.hint`, b.hint, { max: L.inputHint, plainOnly: true, required: false });
      if (b.element === undefined) ctx.errors.push(`${path}.element: required`);
      else element(ctx, `${path}.element`, b.element);
      break;
    case 'file':
    case 'video':
      break;
    default:
      ctx.errors.push(`${path}.type: unknown block type ${JSON.stringify(b.type)}`);
  }
}

function blockList(ctx: Ctx, blocks: unknown, max: number, surface: 'message' | 'view'): void {
  if (blocks === undefined) return;
  if (!Array.isArray(blocks)) {
    ctx.errors.push('blocks: must be an array');
    return;
  }
  maxItems(ctx, 'blocks', blocks, max, 'blocks');
  blocks.forEach((b, i) => {
    block(ctx, `blocks[${i}]`, b, surface);
  });
}

const newCtx = (): Ctx => ({ errors: [], blockIds: new Set(), actionIds: new Set() });

/** Problems Slack would refuse a chat.postMessage/chat.update for; empty when valid. */
export function validateMessage(msg: { text?: string; blocks?: unknown[] }): string[] {
  const ctx = newCtx();
  const hasText = typeof msg.text === 'string' && msg.text.length > 0;
  const hasBlocks = Array.isArray(msg.blocks) && msg.blocks.length > 0;
  if (!hasText && !hasBlocks) ctx.errors.push('message: needs text or blocks');
  maxLen(ctx, 'text', msg.text, SLACK_LIMITS.messageText);
  blockList(ctx, msg.blocks, SLACK_LIMITS.messageBlocks, 'message');
  return ctx.errors;
}

/** Problems Slack would refuse a views.publish/views.open for; empty when valid. */
export function validateView(view: { type: string; blocks?: unknown[]; [key: string]: unknown }): string[] {
  const L = SLACK_LIMITS;
  const ctx = newCtx();
  if (view.type !== 'home' && view.type !== 'modal') {
    ctx.errors.push(`type: must be "home" or "modal", got ${JSON.stringify(view.type)}`);
  }
  if (!Array.isArray(view.blocks)) ctx.errors.push('blocks: required');
  blockList(ctx, view.blocks, L.viewBlocks, 'view');
  if (view.type === 'modal') {
    textObject(ctx, 'title', view.title, { max: L.viewTitle, plainOnly: true });
    textObject(ctx, 'submit', view.submit, { max: L.viewButton, plainOnly: true, required: false });
    textObject(ctx, 'close', view.close, { max: L.viewButton, plainOnly: true, required: false });
    const needsSubmit = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (needsSubmit && view.submit === undefined)
      ctx.errors.push('submit: required when the view has input blocks');
  }
  maxLen(ctx, 'private_metadata', view.private_metadata, L.privateMetadata);
  maxLen(ctx, 'callback_id', view.callback_id, L.callbackId);
  return ctx.errors;
}

/** Throws an Error listing every problem; handy in tests and at build time of a message. */
export function assertValidMessage(msg: { text?: string; blocks?: unknown[] }): void {
  const errors = validateMessage(msg);
  if (errors.length > 0) {
    throw new Error(`Invalid Slack message (${errors.length} problems):\n- ${errors.join('\n- ')}`);
  }
}
