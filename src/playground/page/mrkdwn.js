// Slack mrkdwn → safe HTML, for the playground page. Plain browser ES module: no build step, no dependencies.
//
// Safety model: message text is never inserted as HTML. Slack control sequences (<@U1>, <https://x|y>, …) and
// code spans are rendered first into "held" HTML fragments and replaced by private-use placeholder characters;
// everything else is entity-decoded, HTML-escaped, and only then decorated with emphasis tags. Attribute values
// always go through escapeHtml, and only http(s)/mailto URLs ever become hrefs.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for use in HTML text and double- or single-quoted attribute values. */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// Slack escapes exactly these three in message text; decoding them before escaping avoids a visible "&amp;amp;".
const SLACK_ENTITIES = { amp: '&', lt: '<', gt: '>' };

function decodeSlackEntities(text) {
  return text.replace(/&(amp|lt|gt);/g, (_, name) => SLACK_ENTITIES[name]);
}

/** Returns the URL if it may become a link or image source (http, https, mailto), else null. */
export function safeUrl(url) {
  if (typeof url !== 'string') return null;
  return /^(?:https?:\/\/|mailto:)/i.test(url) ? url : null;
}

// A small common set; unknown shortcodes stay as text. A Map, so ":constructor:" is not an emoji.
const EMOJI = new Map(
  Object.entries({
    white_check_mark: '✅',
    heavy_check_mark: '✔️',
    ballot_box_with_check: '☑️',
    x: '❌',
    heavy_multiplication_x: '✖️',
    negative_squared_cross_mark: '❎',
    warning: '⚠️',
    no_entry: '⛔',
    no_entry_sign: '🚫',
    rotating_light: '🚨',
    stop_sign: '🛑',
    question: '❓',
    grey_question: '❔',
    exclamation: '❗',
    heavy_exclamation_mark: '❗',
    grey_exclamation: '❕',
    information_source: 'ℹ️',
    bulb: '💡',
    lock: '🔒',
    unlock: '🔓',
    closed_lock_with_key: '🔐',
    key: '🔑',
    shield: '🛡️',
    cloud: '☁️',
    house: '🏠',
    office: '🏢',
    construction: '🚧',
    building_construction: '🏗️',
    clipboard: '📋',
    memo: '📝',
    pencil: '📝',
    pencil2: '✏️',
    page_facing_up: '📄',
    bookmark_tabs: '📑',
    books: '📚',
    book: '📖',
    file_folder: '📁',
    open_file_folder: '📂',
    card_index_dividers: '🗂️',
    link: '🔗',
    mag: '🔍',
    gear: '⚙️',
    wrench: '🔧',
    hammer: '🔨',
    hammer_and_wrench: '🛠️',
    package: '📦',
    whale: '🐳',
    ship: '🚢',
    anchor: '⚓',
    rocket: '🚀',
    zap: '⚡',
    fire: '🔥',
    sparkles: '✨',
    star: '⭐',
    tada: '🎉',
    dart: '🎯',
    trophy: '🏆',
    checkered_flag: '🏁',
    triangular_flag_on_post: '🚩',
    chart_with_upwards_trend: '📈',
    chart_with_downwards_trend: '📉',
    bar_chart: '📊',
    moneybag: '💰',
    dollar: '💵',
    money_with_wings: '💸',
    scales: '⚖️',
    balance_scale: '⚖️',
    hourglass: '⌛',
    hourglass_flowing_sand: '⏳',
    stopwatch: '⏱️',
    alarm_clock: '⏰',
    calendar: '📆',
    date: '📅',
    bell: '🔔',
    no_bell: '🔕',
    zzz: '💤',
    wastebasket: '🗑️',
    inbox_tray: '📥',
    outbox_tray: '📤',
    envelope_with_arrow: '📩',
    recycle: '♻️',
    arrows_clockwise: '🔃',
    speech_balloon: '💬',
    thought_balloon: '💭',
    eyes: '👀',
    wave: '👋',
    clap: '👏',
    pray: '🙏',
    raised_hands: '🙌',
    handshake: '🤝',
    point_right: '👉',
    point_left: '👈',
    point_up: '☝️',
    point_down: '👇',
    '+1': '👍',
    thumbsup: '👍',
    '-1': '👎',
    thumbsdown: '👎',
    ok_hand: '👌',
    muscle: '💪',
    bust_in_silhouette: '👤',
    busts_in_silhouette: '👥',
    robot_face: '🤖',
    computer: '💻',
    desktop_computer: '🖥️',
    globe_with_meridians: '🌐',
    earth_americas: '🌎',
    bug: '🐛',
    heart: '❤️',
    green_heart: '💚',
    smile: '😄',
    slightly_smiling_face: '🙂',
    grinning: '😀',
    joy: '😂',
    wink: '😉',
    thinking_face: '🤔',
    sweat_smile: '😅',
    large_green_circle: '🟢',
    large_yellow_circle: '🟡',
    large_orange_circle: '🟠',
    red_circle: '🔴',
    large_blue_circle: '🔵',
    white_circle: '⚪',
    black_circle: '⚫',
    arrow_right: '➡️',
    arrow_left: '⬅️',
    arrow_up: '⬆️',
    arrow_down: '⬇️',
    arrows_counterclockwise: '🔄',
    repeat: '🔁',
    heavy_plus_sign: '➕',
    heavy_minus_sign: '➖',
    100: '💯',
    one: '1️⃣',
    two: '2️⃣',
    three: '3️⃣',
    four: '4️⃣',
    five: '5️⃣',
  }),
);

/** The Unicode emoji for a shortcode name (without colons), or undefined if it is not in the common set. */
export function emojiFor(name) {
  return EMOJI.get(String(name));
}

/** HTML for one known emoji: the character, labelled for screen readers, shortcode on hover. */
export function emojiHtml(name, char) {
  const label = escapeHtml(String(name).replace(/_/g, ' '));
  return `<span class="md-emoji" role="img" aria-label="${label}" title=":${escapeHtml(name)}:">${char}</span>`;
}

// Replaces known :shortcodes: in text; `wrap` turns (name, char) into the output form.
function replaceEmoji(text, wrap) {
  const re = /:([a-z0-9_+-]+):/g;
  let out = '';
  let last = 0;
  while (true) {
    const m = re.exec(text);
    if (!m) break;
    const name = m[1] ?? '';
    const char = EMOJI.get(name);
    if (!char) {
      // Unknown: let the closing colon start the next candidate (as in "10:30:warning:").
      re.lastIndex = m.index + m[0].length - 1;
      continue;
    }
    out += text.slice(last, m.index) + wrap(name, char);
    last = re.lastIndex;
  }
  return out + text.slice(last);
}

// Placeholder characters come from the Private Use Area; any in the input are neutralised first so message
// text can never forge a reference to a held fragment.
const HOLD_OPEN = '\uE000';
const HOLD_CLOSE = '\uE001';
const HELD = /\uE000(\d+)\uE001/g;

function stripHoldMarks(text) {
  return String(text ?? '').replace(/[\uE000\uE001]/g, '\uFFFD');
}

/**
 * Plain text from a Slack plain_text value: entities decoded, emoji shortcodes replaced by characters when
 * `emoji` is true. NOT escaped: for option labels and aria-labels, which the caller escapes.
 */
export function plainToText(text, { emoji = false } = {}) {
  const decoded = decodeSlackEntities(String(text ?? ''));
  return emoji ? replaceEmoji(decoded, (_name, char) => char) : decoded;
}

/** HTML for a plain_text object's text: escaped, newlines as <br>, emoji shortcodes when `emoji` is true. */
export function plainToHtml(text, { emoji = false } = {}) {
  let html = escapeHtml(decodeSlackEntities(stripHoldMarks(text)));
  if (emoji) html = replaceEmoji(html, emojiHtml);
  return html.replace(/\n/g, '<br>');
}

function displayName(lookup, id, label) {
  let resolved = '';
  try {
    resolved = String(lookup(id) ?? '');
  } catch {
    // A failing lookup must not break rendering of the whole message.
  }
  if (resolved && resolved !== id) return resolved;
  return label || id;
}

// Parses the inside of a <…> control sequence. Returns null when it is not one (e.g. "<script>"), so the
// caller keeps the original characters as literal text.
function parseControl(inner, opts) {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? '' : decodeSlackEntities(inner.slice(bar + 1));

  if (target.startsWith('@')) {
    const id = target.slice(1);
    return { kind: 'user', id, text: `@${displayName(opts.userName, id, label.replace(/^@/, ''))}` };
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return { kind: 'channel', id, text: `#${displayName(opts.channelName, id, label.replace(/^#/, ''))}` };
  }
  if (target.startsWith('!')) {
    const name = target.slice(1);
    if (name === 'here' || name === 'channel' || name === 'everyone')
      return { kind: 'broadcast', text: `@${name}` };
    if (name.startsWith('subteam^')) return { kind: 'broadcast', text: label || `@${name.slice(8)}` };
    // <!date^…|fallback> and anything newer: the fallback label is the honest rendering.
    return { kind: 'text', text: label || `<${inner}>` };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    const url = decodeSlackEntities(target);
    const text = label || url.replace(/^mailto:/i, '');
    return { kind: 'link', href: safeUrl(url), text };
  }
  return null;
}

function controlHtml(c) {
  const text = escapeHtml(c.text);
  switch (c.kind) {
    case 'user':
      return `<span class="md-mention" data-user-id="${escapeHtml(c.id)}">${text}</span>`;
    case 'channel':
      return `<span class="md-mention md-channel" data-channel-id="${escapeHtml(c.id)}">${text}</span>`;
    case 'broadcast':
      return `<span class="md-mention md-broadcast">${text}</span>`;
    case 'link':
      return c.href
        ? `<a class="md-link" href="${escapeHtml(c.href)}" target="_blank" rel="noopener noreferrer">${text}</a>`
        : text;
    default:
      return text;
  }
}

// Text inside code: control sequences shown as their plain text (no links or mention chips), nothing else.
function codeHtml(raw, opts) {
  const plain = raw
    .split(/(<[^<>`\n]+>)/)
    .map((part, i) => {
      if (i % 2 === 0) return decodeSlackEntities(part);
      const c = parseControl(part.slice(1, -1), opts);
      return c ? c.text : part;
    })
    .join('');
  return escapeHtml(plain);
}

// Word-boundary rules like Slack's: "2*3*4" and snake_case_names stay as they are, "_*both*_" nests.
const EMPHASIS = [
  [/(?<![\p{L}\p{N}*])\*([^*\s](?:[^*\n]*[^*\s])?)\*(?![\p{L}\p{N}*])/gu, 'strong'],
  [/(?<![\p{L}\p{N}_])_([^_\s](?:[^_\n]*[^_\s])?)_(?![\p{L}\p{N}_])/gu, 'em'],
  [/(?<![\p{L}\p{N}~])~([^~\s](?:[^~\n]*[^~\s])?)~(?![\p{L}\p{N}~])/gu, 'del'],
];

// Each match is held as one unit after its inside got the remaining kinds, so overlapping markers such as
// "_a *b_ c*" can never produce misnested tags.
function emphasize(text, hold, from) {
  let out = text;
  for (let k = from; k < EMPHASIS.length; k++) {
    const [re, tag] = EMPHASIS[k] ?? [];
    out = out.replace(re, (_, inner) => hold(`<${tag}>${emphasize(inner, hold, k + 1)}</${tag}>`));
  }
  return out;
}

const INLINE_TOKEN = /`([^`\n]+)`|<([^<>`\n]+)>/g;

// One line of text (no block structure) → HTML.
function renderInline(line, opts) {
  const held = [];
  const hold = (html) => `${HOLD_OPEN}${held.push(html) - 1}${HOLD_CLOSE}`;

  let s = line.replace(INLINE_TOKEN, (whole, code, inner) => {
    if (code !== undefined) return hold(`<code class="md-code">${codeHtml(code, opts)}</code>`);
    const c = parseControl(inner, opts);
    return c ? hold(controlHtml(c)) : whole;
  });
  s = escapeHtml(decodeSlackEntities(s));
  // Emoji HTML is held too, so emphasis never reaches into its attributes.
  s = replaceEmoji(s, (name, char) => hold(emojiHtml(name, char)));
  s = emphasize(s, hold, 0);
  const restore = (html) => html.replace(HELD, (_, n) => restore(held[Number(n)] ?? ''));
  return restore(s);
}

// Line prefixes, matched on the raw (still Slack-escaped) line.
const QUOTE_ALL = /^(?:&gt;|>){3} ?/;
const QUOTE = /^(?:&gt;|>) ?/;
const BULLET = /^\s*[•◦▪*-]\s+/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+/;

const CONTINUATION = /^\s+\S/;

// Collects consecutive lines matching `re` starting at index i, each item as an array of lines with the prefix
// removed. In lists, an indented line that is not itself an item continues the item above it.
function takeRun(lines, i, re, continues = false) {
  const items = [];
  let j = i;
  while (j < lines.length) {
    const line = lines[j] ?? '';
    const last = items[items.length - 1];
    if (re.test(line)) items.push([line.replace(re, '')]);
    else if (continues && last && CONTINUATION.test(line)) last.push(line.trimStart());
    else break;
    j++;
  }
  return { items, next: j };
}

function renderLines(lines, opts) {
  return lines.map((l) => renderInline(l, opts)).join('<br>');
}

// Text outside ``` blocks: quotes and lists become block elements, other lines are joined by <br>.
function renderTextRegion(region, opts) {
  if (region === '') return '';
  const lines = region.split('\n');
  const parts = []; // { block: boolean, html: string }
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (QUOTE_ALL.test(line)) {
      // ">>>" quotes everything after it, as in Slack.
      const rest = [line.replace(QUOTE_ALL, ''), ...lines.slice(i + 1)];
      const inner = renderLines(rest, opts);
      parts.push({ block: true, html: `<blockquote class="md-quote">${inner}</blockquote>` });
      break;
    }
    if (QUOTE.test(line)) {
      const { items, next } = takeRun(lines, i, QUOTE);
      const inner = renderLines(items.flat(), opts);
      parts.push({ block: true, html: `<blockquote class="md-quote">${inner}</blockquote>` });
      i = next;
    } else if (BULLET.test(line)) {
      const { items, next } = takeRun(lines, i, BULLET, true);
      const lis = items.map((item) => `<li>${renderLines(item, opts)}</li>`).join('');
      parts.push({ block: true, html: `<ul class="md-list">${lis}</ul>` });
      i = next;
    } else if (NUMBERED.test(line)) {
      const start = Number(NUMBERED.exec(line)?.[1] ?? 1);
      const { items, next } = takeRun(lines, i, NUMBERED, true);
      const lis = items.map((item) => `<li>${renderLines(item, opts)}</li>`).join('');
      const startAttr = start === 1 ? '' : ` start="${start}"`;
      parts.push({ block: true, html: `<ol class="md-list"${startAttr}>${lis}</ol>` });
      i = next;
    } else {
      parts.push({ block: false, html: renderInline(line, opts) });
      i++;
    }
  }
  let html = '';
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const prev = parts[k - 1];
    if (!part) continue;
    if (prev && !prev.block && !part.block) html += '<br>';
    html += part.html;
  }
  return html;
}

/**
 * Renders Slack mrkdwn to safe HTML.
 * @param {string | null | undefined} text message text, Slack-escaped (&amp; &lt; &gt;) or not
 * @param {{ userName?: (id: string) => string, channelName?: (id: string) => string }} [options]
 */
export function mrkdwnToHtml(text, { userName = (id) => id, channelName = (id) => id } = {}) {
  const opts = { userName, channelName };
  const src = stripHoldMarks(text).replace(/\r\n?/g, '\n');
  let html = '';
  let last = 0;
  for (const m of src.matchAll(/```([\s\S]+?)```/g)) {
    // The newline next to a fence belongs to the fence, not to the text around it.
    html += renderTextRegion(src.slice(last, m.index).replace(/\n$/, ''), opts);
    const code = (m[1] ?? '').replace(/^\n/, '').replace(/\n$/, '');
    html += `<pre class="md-pre">${codeHtml(code, opts)}</pre>`;
    last = m.index + m[0].length;
    if (src[last] === '\n') last++;
  }
  return html + renderTextRegion(src.slice(last), opts);
}
