// Slack's documented Block Kit limits, as the stand-in's own table: every message and view the app sends is
// checked against it, and refused the way Slack refuses (invalid_blocks, msg_too_long, no_text). It shares no
// code with the app's checks, so a limit the app gets wrong fails here instead of passing twice. Field names are
// typed by Slack's own @slack/types, so the table cannot name a field Slack does not have.

import type {
  ActionsBlock,
  ActionsBlockElement,
  Button,
  Checkboxes,
  ConfirmationDialog,
  ContextBlock,
  DividerBlock,
  FileBlock,
  HeaderBlock,
  ImageBlock,
  InputBlock,
  InputBlockElement,
  KnownBlock,
  MarkdownBlock,
  Option,
  Overflow,
  RichTextBlock,
  SectionBlock,
  SectionBlockAccessory,
  StaticSelect,
  VideoBlock,
} from '@slack/types';
import {
  all,
  byType,
  chars,
  fields,
  holds,
  isObject,
  list,
  newCheck,
  nonEmptyText,
  oneOf,
  optional,
  type Rule,
  required,
  string,
  text,
  uniqueId,
} from './block-kit-rules.js';

/** The numbers, from Slack's Block Kit reference (blocks, block elements, composition objects, views). */
export const BLOCK_KIT_LIMITS = {
  message: { blocks: 50, text: 40_000 },
  view: { blocks: 100, title: 24, button: 24, privateMetadata: 3000, callbackId: 255 },
  id: 255,
  section: { text: 3000, fields: 10, field: 2000 },
  header: 150,
  context: { elements: 10, text: 3000 },
  actions: { elements: 25 },
  markdown: 12_000,
  image: { url: 3000, alt: 2000, title: 2000 },
  input: { label: 2000, hint: 2000 },
  button: { text: 75, value: 2000, url: 3000 },
  placeholder: 150,
  option: { text: 75, value: 150, description: 75 },
  options: { select: 100, overflow: 5, choice: 10 },
  confirm: { title: 100, text: 300, button: 30 },
} as const;

const L = BLOCK_KIT_LIMITS;
const plain = (max: number) => text(max, { plain: true });

const image: Rule = all(
  holds((v) => typeof v.image_url === 'string' || isObject(v.slack_file), 'needs image_url or slack_file'),
  fields<ImageBlock>({ image_url: chars(L.image.url), alt_text: nonEmptyText(L.image.alt) }),
);

const option = (labels: Rule): Rule =>
  fields<Option & { value: string }>({
    text: required(labels),
    value: string(L.option.value),
    description: optional(labels),
  });

const confirm = fields<ConfirmationDialog>({
  title: optional(plain(L.confirm.title)),
  text: optional(text(L.confirm.text)),
  confirm: optional(plain(L.confirm.button)),
  deny: optional(plain(L.confirm.button)),
});

const interactive = fields<Button>({
  action_id: optional(uniqueId('action', L.id)),
  confirm: optional(confirm),
});
const withPlaceholder = fields<StaticSelect>({ placeholder: optional(plain(L.placeholder)) });
const plainOptions = (max: number) => list(max, 'options', option(plain(L.option.text)), { nonEmpty: true });

const staticSelect: Rule = (v, path, check) => {
  const groups = isObject(v) && v.option_groups !== undefined;
  const group = fields<{ label: unknown; options: unknown }>({
    label: required(plain(L.option.text)),
    options: required(plainOptions(L.options.select)),
  });
  all(
    interactive,
    withPlaceholder,
    groups
      ? fields<StaticSelect>({
          option_groups: list(L.options.select, 'option groups', group, { nonEmpty: true }),
        })
      : fields<StaticSelect>({ options: required(plainOptions(L.options.select)) }),
  )(v, path, check);
};

type ElementType = (ActionsBlockElement | SectionBlockAccessory | InputBlockElement)['type'];
const simple = all(interactive, withPlaceholder);

/** Every element Slack takes in a section's accessory, an actions block or an input, by type. */
const ELEMENTS: { [T in ElementType]?: Rule } = {
  image,
  button: all(
    interactive,
    fields<Button>({
      text: required(plain(L.button.text)),
      value: chars(L.button.value),
      url: chars(L.button.url),
      style: optional(oneOf('primary', 'danger')),
    }),
  ),
  static_select: staticSelect,
  multi_static_select: staticSelect,
  overflow: all(interactive, fields<Overflow>({ options: required(plainOptions(L.options.overflow)) })),
  checkboxes: all(
    interactive,
    fields<Checkboxes>({
      options: required(list(L.options.choice, 'options', option(text(L.option.text)), { nonEmpty: true })),
    }),
  ),
  workflow_button: interactive,
};
ELEMENTS.radio_buttons = ELEMENTS.checkboxes;
// Elements with nothing to count beyond an action_id and a placeholder: selects filled from elsewhere, date and
// time pickers, text and file inputs.
const loaded = ['external', 'users', 'conversations', 'channels'].flatMap((k) => [
  `${k}_select`,
  `multi_${k}_select`,
]);
const pickers = ['datepicker', 'timepicker', 'datetimepicker'];
const inputs = ['plain_text', 'email_text', 'url_text', 'number', 'rich_text', 'file'].map(
  (k) => `${k}_input`,
);
for (const type of [...loaded, ...pickers, ...inputs]) ELEMENTS[type as ElementType] = simple;

const element = byType(ELEMENTS, 'element');
const blockId = { block_id: optional(uniqueId('block', L.id)) };

/** Every block the stand-in takes, by type; any other type is refused, as Slack refuses a type it does not know. */
const BLOCKS: { [T in KnownBlock['type']]?: Rule } = {
  section: all(
    holds((v) => v.text !== undefined || v.fields !== undefined, 'section needs text or fields'),
    fields<SectionBlock>({
      ...blockId,
      text: optional(text(L.section.text)),
      fields: optional(list(L.section.fields, 'fields', text(L.section.field))),
      accessory: optional(element),
    }),
  ),
  header: fields<HeaderBlock>({ ...blockId, text: required(plain(L.header)) }),
  context: fields<ContextBlock>({
    ...blockId,
    elements: required(
      list(
        L.context.elements,
        'elements',
        (v, path, check) =>
          (isObject(v) && v.type === 'image' ? image : text(L.context.text))(v, path, check),
        { nonEmpty: true },
      ),
    ),
  }),
  actions: fields<ActionsBlock>({
    ...blockId,
    elements: required(list(L.actions.elements, 'elements', element, { nonEmpty: true })),
  }),
  divider: fields<DividerBlock>(blockId),
  image: all(image, fields<ImageBlock>({ ...blockId, title: optional(plain(L.image.title)) })),
  markdown: fields<MarkdownBlock>({ ...blockId, text: nonEmptyText(L.markdown) }),
  rich_text: fields<RichTextBlock>({
    ...blockId,
    elements: required(list(Number.POSITIVE_INFINITY, 'elements', () => {}, { nonEmpty: true })),
  }),
  input: all(
    holds((_v, check) => check.surface === 'view', 'input blocks are only allowed in views'),
    fields<InputBlock>({
      ...blockId,
      label: required(plain(L.input.label)),
      hint: optional(plain(L.input.hint)),
      element: required(element),
    }),
  ),
  file: fields<FileBlock>(blockId),
  video: fields<VideoBlock>(blockId),
};

const blocks = (max: number) => list(max, 'blocks', byType(BLOCKS, 'block'));

/** What Slack would refuse a chat.postMessage, chat.update or response_url message for; empty when none. */
export function messageProblems(m: { text?: unknown; blocks?: unknown }): string[] {
  const check = newCheck('message');
  const hasBlocks = Array.isArray(m.blocks) && m.blocks.length > 0;
  if (!hasBlocks && (typeof m.text !== 'string' || m.text.length === 0)) {
    check.problems.push('message: needs text or blocks');
  }
  chars(L.message.text)(m.text, 'text', check);
  optional(blocks(L.message.blocks))(m.blocks, 'blocks', check);
  return check.problems;
}

/** What Slack would refuse a views.publish for; empty when none. */
export function viewProblems(view: Record<string, unknown>): string[] {
  const check = newCheck('view');
  const modal = view.type === 'modal';
  fields<{ type: unknown; blocks: unknown; private_metadata: unknown; callback_id: unknown }>({
    type: oneOf('home', 'modal'),
    blocks: required(blocks(L.view.blocks)),
    private_metadata: chars(L.view.privateMetadata),
    callback_id: chars(L.view.callbackId),
  })(view, '', check);
  if (modal) {
    fields<{ title: unknown; submit: unknown; close: unknown }>({
      title: required(plain(L.view.title)),
      submit: optional(plain(L.view.button)),
      close: optional(plain(L.view.button)),
    })(view, '', check);
    const inputs = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (inputs && view.submit === undefined)
      check.problems.push('submit: required when the view has input blocks');
  }
  return check.problems;
}
