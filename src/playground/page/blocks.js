// Block Kit and message rows → HTML strings, for the playground page. Plain browser ES module.
//
// Interactive elements are real <button>/<select> elements carrying data-action-type, data-action-id,
// data-block-id and data-value (options carry value and data-text) so the page can build a block_actions
// payload from a click or change; the message row carries data-ts. Every string from a message is escaped.

import { renderFiles } from './files.js';
import {
  emojiFor,
  emojiHtml,
  escapeHtml,
  mrkdwnToHtml,
  plainToHtml,
  plainToText,
  safeUrl,
} from './mrkdwn.js';

/** @param {Record<string, string | undefined>} attrs  data-* attributes; undefined values are left out */
function dataAttrs(attrs) {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
}

function str(value) {
  return typeof value === 'string' ? value : undefined;
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

function isObject(value) {
  return typeof value === 'object' && value !== null;
}

// Slack renders emoji in plain_text unless the object says "emoji": false.
function textHtml(t, ctx) {
  if (!isObject(t)) return '';
  if (t.type === 'plain_text') return plainToHtml(t.text, { emoji: t.emoji !== false });
  return mrkdwnToHtml(t.text, ctx);
}

function textPlain(t) {
  if (!isObject(t)) return '';
  return plainToText(t.text, { emoji: t.type === 'plain_text' && t.emoji !== false });
}

function unsupported(what, type) {
  return `<div class="bk-unsupported" role="note">Unsupported ${what}: <code>${escapeHtml(type ?? 'unknown')}</code></div>`;
}

function renderImage(el, className) {
  const src = safeUrl(el.image_url);
  const alt = escapeHtml(str(el.alt_text) ?? '');
  if (!src) return `<span class="${className} bk-image-missing">${alt || 'image'}</span>`;
  return `<img class="${className}" src="${escapeHtml(src)}" alt="${alt}" loading="lazy">`;
}

function confirmAttr(confirm) {
  if (!isObject(confirm)) return '';
  const dialog = {
    title: textPlain(confirm.title),
    text: textPlain(confirm.text),
    confirm: textPlain(confirm.confirm) || 'Confirm',
    deny: textPlain(confirm.deny) || 'Cancel',
    style: str(confirm.style),
  };
  return ` data-confirm="${escapeHtml(JSON.stringify(dialog))}"`;
}

function renderButton(el, blockId, ctx) {
  const style = el.style === 'primary' || el.style === 'danger' ? ` bk-btn-${el.style}` : '';
  const label = textHtml(el.text, ctx);
  // The visible label is the accessible name unless the app gave a better one (or none at all).
  const ariaLabel = str(el.accessibility_label) ?? (label ? undefined : str(el.action_id) || 'Button');
  const data = dataAttrs({
    'action-type': 'button',
    'action-id': str(el.action_id) ?? '',
    'block-id': blockId ?? '',
    value: str(el.value),
    text: isObject(el.text) ? str(el.text.text) : undefined,
    url: safeUrl(el.url) ?? undefined,
  });
  return (
    `<button type="button" class="bk-btn${style}"${data}${confirmAttr(el.confirm)}` +
    `${ariaLabel ? ` aria-label="${escapeHtml(ariaLabel)}"` : ''}${ctx.readOnly ? ' disabled' : ''}>${label}</button>`
  );
}

function renderOption(option, selectedValue) {
  if (!isObject(option)) return '';
  const value = str(option.value) ?? '';
  const selected = selectedValue !== undefined && value === selectedValue ? ' selected' : '';
  const rawText = isObject(option.text) ? str(option.text.text) : undefined;
  // <option> content is text only, so emoji become plain characters here.
  return (
    `<option value="${escapeHtml(value)}"${dataAttrs({ text: rawText })}${selected}>` +
    `${escapeHtml(textPlain(option.text))}</option>`
  );
}

function renderSelect(el, blockId, ctx) {
  const placeholder = textPlain(el.placeholder) || 'Select an option';
  const initial = isObject(el.initial_option) ? str(el.initial_option.value) : undefined;
  const groups = list(el.option_groups);
  const options = groups.length
    ? groups
        .map((g) => {
          const label = escapeHtml(textPlain(isObject(g) ? g.label : undefined));
          const opts = list(isObject(g) ? g.options : undefined).map((o) => renderOption(o, initial));
          return `<optgroup label="${label}">${opts.join('')}</optgroup>`;
        })
        .join('')
    : list(el.options)
        .map((o) => renderOption(o, initial))
        .join('');
  // A disabled first option shows the placeholder until the user picks something.
  const first = `<option value="" disabled${initial === undefined ? ' selected' : ''}>${escapeHtml(placeholder)}</option>`;
  const data = dataAttrs({
    'action-type': 'static_select',
    'action-id': str(el.action_id) ?? '',
    'block-id': blockId ?? '',
  });
  const ariaLabel = str(el.accessibility_label) ?? placeholder;
  return (
    `<select class="bk-select"${data}${confirmAttr(el.confirm)} aria-label="${escapeHtml(ariaLabel)}"` +
    `${ctx.readOnly ? ' disabled' : ''}>${first}${options}</select>`
  );
}

// An element inside a section accessory or an actions block.
function renderElement(el, blockId, ctx) {
  if (!isObject(el)) return unsupported('element', undefined);
  switch (el.type) {
    case 'button':
      return renderButton(el, blockId, ctx);
    case 'static_select':
      return renderSelect(el, blockId, ctx);
    case 'image':
      return renderImage(el, 'bk-accessory-image');
    default:
      return unsupported('element', str(el.type));
  }
}

// --- rich_text ---

function richStyled(html, style) {
  if (!isObject(style)) return html;
  let out = html;
  if (style.code) out = `<code class="md-code">${out}</code>`;
  if (style.italic) out = `<em>${out}</em>`;
  if (style.bold) out = `<strong>${out}</strong>`;
  if (style.strike) out = `<del>${out}</del>`;
  return out;
}

function richEmoji(el) {
  const name = str(el.name) ?? '';
  const hex = str(el.unicode);
  let char = emojiFor(name);
  if (!char && hex && /^[0-9a-f]{1,6}(?:-[0-9a-f]{1,6})*$/i.test(hex)) {
    try {
      char = String.fromCodePoint(...hex.split('-').map((h) => Number.parseInt(h, 16)));
    } catch {
      char = undefined; // out-of-range code point: fall back to the shortcode text
    }
  }
  return char ? emojiHtml(name || 'emoji', char) : escapeHtml(`:${name}:`);
}

function nameOf(lookup, id) {
  try {
    return String(lookup(id) ?? id);
  } catch {
    return id;
  }
}

// Inline elements of a rich_text section; `pre` keeps newlines as-is and ignores styles.
function richInline(elements, ctx, pre) {
  const newlines = (html) => (pre ? html : html.replace(/\n/g, '<br>'));
  return list(elements)
    .map((el) => {
      if (!isObject(el)) return '';
      const style = pre ? undefined : el.style;
      switch (el.type) {
        case 'text':
          return richStyled(newlines(escapeHtml(str(el.text) ?? '')), style);
        case 'link': {
          const url = str(el.url) ?? '';
          const text = newlines(escapeHtml(str(el.text) || url));
          const href = safeUrl(url);
          const html = href
            ? `<a class="md-link" href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`
            : text;
          return richStyled(html, style);
        }
        case 'user': {
          const id = str(el.user_id) ?? '';
          const name = escapeHtml(nameOf(ctx.userName ?? ((x) => x), id));
          return `<span class="md-mention" data-user-id="${escapeHtml(id)}">@${name}</span>`;
        }
        case 'channel': {
          const id = str(el.channel_id) ?? '';
          const name = escapeHtml(nameOf(ctx.channelName ?? ((x) => x), id));
          return `<span class="md-mention md-channel" data-channel-id="${escapeHtml(id)}">#${name}</span>`;
        }
        case 'usergroup':
          return `<span class="md-mention">@${escapeHtml(str(el.usergroup_id) ?? '')}</span>`;
        case 'broadcast':
          return `<span class="md-mention md-broadcast">@${escapeHtml(str(el.range) ?? 'here')}</span>`;
        case 'emoji':
          return richEmoji(el);
        case 'date':
          return escapeHtml(str(el.fallback) ?? String(el.timestamp ?? ''));
        case 'color':
          return escapeHtml(str(el.value) ?? '');
        default:
          return str(el.text) !== undefined ? escapeHtml(el.text) : unsupported('element', str(el.type));
      }
    })
    .join('');
}

function richBlockElement(el, ctx) {
  if (!isObject(el)) return '';
  switch (el.type) {
    case 'rich_text_section':
      return `<div class="rt-section">${richInline(el.elements, ctx, false)}</div>`;
    case 'rich_text_preformatted':
      return `<pre class="md-pre">${richInline(el.elements, ctx, true)}</pre>`;
    case 'rich_text_quote':
      return `<blockquote class="md-quote">${richInline(el.elements, ctx, false)}</blockquote>`;
    case 'rich_text_list': {
      const ordered = el.style === 'ordered';
      const tag = ordered ? 'ol' : 'ul';
      const indent = Math.min(Math.max(Math.trunc(Number(el.indent) || 0), 0), 6);
      const offset = Math.max(Math.trunc(Number(el.offset) || 0), 0);
      const start = ordered && offset > 0 ? ` start="${offset + 1}"` : '';
      const items = list(el.elements)
        .map((item) => `<li>${isObject(item) ? richInline(item.elements, ctx, false) : ''}</li>`)
        .join('');
      return `<${tag} class="md-list rt-list rt-indent-${indent}"${start}>${items}</${tag}>`;
    }
    default:
      return unsupported('element', str(el.type));
  }
}

// --- blocks ---

function wrap(kind, block, inner, extra = '') {
  const id = str(block.block_id);
  return `<div class="bk-block bk-${kind}"${id !== undefined ? dataAttrs({ 'block-id': id }) : ''}${extra}>${inner}</div>`;
}

function renderBlock(block, ctx) {
  if (!isObject(block)) return `<div class="bk-block">${unsupported('block', undefined)}</div>`;
  const blockId = str(block.block_id);
  switch (block.type) {
    case 'header':
      return wrap('header', block, textHtml(block.text, ctx), ' role="heading" aria-level="3"');
    case 'section': {
      let body = block.text ? `<div class="bk-text">${textHtml(block.text, ctx)}</div>` : '';
      const fields = list(block.fields);
      if (fields.length) {
        body += `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${textHtml(f, ctx)}</div>`).join('')}</div>`;
      }
      const accessory = block.accessory
        ? `<div class="bk-accessory">${renderElement(block.accessory, blockId, ctx)}</div>`
        : '';
      return wrap('section', block, `<div class="bk-section-body">${body}</div>${accessory}`);
    }
    case 'context': {
      const items = list(block.elements).map((el) =>
        isObject(el) && el.type === 'image'
          ? renderImage(el, 'bk-context-image')
          : `<span class="bk-context-text">${textHtml(el, ctx)}</span>`,
      );
      return wrap('context', block, items.join(''));
    }
    case 'divider':
      return wrap('divider', block, '<hr>');
    case 'actions': {
      const items = list(block.elements).map((el) => renderElement(el, blockId, ctx));
      return wrap('actions', block, items.join(''), ' role="group"');
    }
    case 'image': {
      const title = isObject(block.title) ? `<figcaption>${textHtml(block.title, ctx)}</figcaption>` : '';
      return wrap('image', block, `<figure>${title}${renderImage(block, 'bk-image-img')}</figure>`);
    }
    case 'rich_text':
      return wrap(
        'rich_text',
        block,
        list(block.elements)
          .map((el) => richBlockElement(el, ctx))
          .join(''),
      );
    default:
      return wrap('unknown', block, unsupported('block', str(block.type)));
  }
}

/**
 * Renders a Block Kit blocks array to HTML.
 * ctx: userName(id), channelName(id) for mentions; readOnly disables buttons and selects.
 */
export function renderBlocks(blocks, ctx = {}) {
  const c = ctx ?? {};
  return `<div class="bk-blocks">${list(blocks)
    .map((b) => renderBlock(b, c))
    .join('')}</div>`;
}

// --- message rows ---

function initials(name) {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.slice(0, 2).map((w) => [...w][0]);
  return letters.join('').toUpperCase() || '?';
}

// A stable colour slot per sender, so avatars are distinguishable without images.
function colorSlot(key) {
  let h = 0;
  for (const ch of key) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h % 8;
}

function formatTime(ts, ctx) {
  const seconds = Number(String(ts ?? '').split('.')[0]);
  if (!ts || !Number.isFinite(seconds)) return '';
  const date = new Date(seconds * 1000);
  const format = (options, fallback) => {
    try {
      return new Intl.DateTimeFormat(ctx.locale, { ...options, timeZone: ctx.timeZone }).format(date);
    } catch {
      return fallback; // unknown locale or time zone
    }
  };
  const short = format({ hour: 'numeric', minute: '2-digit' }, date.toISOString().slice(11, 16));
  const full = format({ dateStyle: 'full', timeStyle: 'long' }, date.toISOString());
  return `<time class="msg-time" datetime="${date.toISOString()}" title="${escapeHtml(full)}">${escapeHtml(short)}</time>`;
}

function senderName(m, ctx) {
  const bot = isObject(m.bot_profile) ? str(m.bot_profile.name) : undefined;
  const profile = isObject(m.user_profile)
    ? str(m.user_profile.display_name) || str(m.user_profile.real_name)
    : undefined;
  const id = str(m.user) ?? str(m.bot_id) ?? '';
  const looked = id ? nameOf(ctx.userName ?? ((x) => x), id) : '';
  return str(m.username) || bot || profile || looked || 'Unknown';
}

const ATTACHMENT_COLORS = new Set(['good', 'warning', 'danger']);

// Legacy attachments: enough to show their content honestly, with the coloured bar.
function renderAttachments(attachments, ctx) {
  return list(attachments)
    .filter(isObject)
    .map((a) => {
      const color = str(a.color) ?? '';
      const named = ATTACHMENT_COLORS.has(color) ? ` msg-attachment-${color}` : '';
      const hex = /^#?[0-9a-f]{6}$/i.test(color)
        ? ` style="border-left-color:#${color.replace('#', '')}"`
        : '';
      let body = '';
      if (str(a.pretext)) body += `<div class="msg-attachment-pretext">${mrkdwnToHtml(a.pretext, ctx)}</div>`;
      if (str(a.title)) body += `<div class="msg-attachment-title">${escapeHtml(plainToText(a.title))}</div>`;
      if (list(a.blocks).length) body += renderBlocks(a.blocks, ctx);
      else if (str(a.text)) body += `<div>${mrkdwnToHtml(a.text, ctx)}</div>`;
      else if (str(a.fallback)) body += `<div>${mrkdwnToHtml(a.fallback, ctx)}</div>`;
      const fields = list(a.fields).filter(isObject);
      if (fields.length) {
        const cells = fields.map(
          (f) =>
            `<div class="bk-field"><strong>${escapeHtml(plainToText(f.title))}</strong><br>${mrkdwnToHtml(f.value, ctx)}</div>`,
        );
        body += `<div class="bk-fields">${cells.join('')}</div>`;
      }
      return `<div class="msg-attachment${named}"${hex}>${body}</div>`;
    })
    .join('');
}

/**
 * Renders one message row.
 * ctx: userName, channelName, readOnly (as renderBlocks); replyCount (thread parents: shows "N replies ·
 * View thread"); canReply (shows a "Reply in thread" button on top-level messages); timeZone, locale for the
 * time label; fileUrl(file) for the links of shared files.
 * Ephemeral messages are recognised by `is_ephemeral: true` or `ephemeral: true` on the message.
 */
export function renderMessage(message, ctx = {}) {
  const c = ctx ?? {};
  const m = isObject(message) ? message : {};
  const isBot = Boolean(m.bot_id || m.bot_profile || m.subtype === 'bot_message');
  const ephemeral = m.is_ephemeral === true || m.ephemeral === true;
  const name = senderName(m, c);
  const ts = str(m.ts);
  const threadTs = str(m.thread_ts);
  const isReply = threadTs !== undefined && threadTs !== ts;

  const blocks = list(m.blocks);
  let body;
  if (blocks.length) body = renderBlocks(blocks, c);
  else if (m.mrkdwn === false) body = plainToHtml(m.text);
  else body = mrkdwnToHtml(m.text, c);
  body += renderAttachments(m.attachments, c);
  body += renderFiles(m.files, c);

  const classes = ['msg', isBot && 'msg-bot', ephemeral && 'msg-ephemeral', isReply && 'msg-thread-reply']
    .filter(Boolean)
    .join(' ');
  const slot = colorSlot(str(m.user) ?? str(m.bot_id) ?? name);
  const banner = ephemeral
    ? '<div class="msg-ephemeral-banner"><span aria-hidden="true">👁</span> Only visible to you</div>'
    : '';
  const badge = isBot ? '<span class="msg-badge">APP</span>' : '';
  const edited = m.edited ? '<span class="msg-edited">(edited)</span>' : '';

  const replies = Math.max(Math.trunc(Number(c.replyCount ?? m.reply_count ?? 0)) || 0, 0);
  let footer = '';
  if (replies > 0 && ts && !isReply) {
    const count = `${replies} ${replies === 1 ? 'reply' : 'replies'}`;
    footer =
      `<div class="msg-thread-summary"><button type="button" class="msg-thread-link"${dataAttrs({ 'thread-ts': ts })}` +
      ` aria-label="${count}, view thread"><span class="msg-reply-count">${count}</span>` +
      '<span class="msg-view-thread">View thread</span></button></div>';
  } else if (c.canReply && ts && !isReply && !ephemeral) {
    footer =
      `<div class="msg-actions"><button type="button" class="msg-reply-button"${dataAttrs({ 'thread-ts': ts })}>` +
      'Reply in thread</button></div>';
  }

  return (
    `<article class="${classes}"${dataAttrs({ ts, 'thread-ts': threadTs })}>` +
    banner +
    `<div class="msg-avatar msg-avatar-c${slot}" aria-hidden="true">${escapeHtml(initials(name))}</div>` +
    '<div class="msg-main">' +
    `<div class="msg-header"><span class="msg-name">${escapeHtml(name)}</span>${badge}${formatTime(ts, c)}${edited}</div>` +
    `<div class="msg-content">${body}</div>` +
    footer +
    '</div></article>'
  );
}
