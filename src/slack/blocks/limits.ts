// The app's check of its own Block Kit against Slack's limits (slack-limits.ts). Slack refuses a message that
// breaks any of them (`invalid_blocks`), so the app checks before sending; the stand-in keeps its own table.

import {
  arrayAt,
  type Ctx,
  element,
  elementList,
  imageElement,
  isObj,
  maxItems,
  maxLen,
  textObject,
  uniqueId,
} from './limits-elements.js';
import { SLACK_LIMITS } from './slack-limits.js';

export { SLACK_LIMITS };

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
