/**
 * Text hygiene for everything that enters or leaves an evidence file. Names come from a cluster (RBAC subject
 * names are free text) or from an uploaded file, so both are treated as hostile: no control or direction-
 * changing characters, bounded length, and escaped for whatever renders them. Every pattern here is a single
 * character class or a fixed-width match, so each runs in linear time.
 */

/** C0/C1 controls, zero-width and bidirectional formatting characters, the BOM. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const HOSTILE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const HOSTILE_ALL = new RegExp(HOSTILE.source, 'g');
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');

export const hasHostileChars = (s: string) => HOSTILE.test(s) || LONE_SURROGATE.test(s);

/** Cuts to at most `max` UTF-16 units with an ellipsis, never between the two halves of a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/**
 * Characters that make Slack markup (mentions, pings and links need `<` and `>`; `*`, `~` and backticks format;
 * `|` splits a link) and the look-alikes the collector writes instead, so a name chosen by an attacker in the
 * cluster still shows, harmlessly, and the file passes the app's check, which refuses the real ones in names.
 */
const MARKUP: Record<string, string> = { '<': '‹', '>': '›', '`': 'ˋ', '*': '∗', '~': '∼', '|': '¦' };
const MARKUP_ALL = /[<>`*~|]/g;
export const hasMarkup = (s: string) => /[<>`*~|]/.test(s);

/** Replaces hostile characters with U+FFFD, markup with look-alikes, and clips: for names the collector writes. */
export const cleanText = (s: string, max: number) =>
  clip(
    s
      .replace(HOSTILE_ALL, '\ufffd')
      .replace(LONE_SURROGATE_ALL, '\ufffd')
      .replace(MARKUP_ALL, (c) => MARKUP[c] ?? '?'),
    max,
  );

/**
 * A name shown literally in Slack mrkdwn: `&`, `<` and `>` escaped (so no mention, channel ping or link can
 * form) and wrapped in inline code (so `*`, `_` and `~` do not format); backticks inside become a look-alike.
 */
export const mrkdwnLiteral = (s: string) =>
  `\`${s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('`', 'ˋ')}\``;

/**
 * A name shown literally in Markdown, table cells included: the characters that start emphasis, code, links,
 * strikethrough or a cell break are backslash-escaped, and `&`, `<`, `>` become entities so no HTML forms.
 */
export const markdownLiteral = (s: string) =>
  s
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');

/** Only letters, digits and a few separators: for echoing a fragment of an untrusted file in an error. */
export const safeFragment = (s: string) => clip(s.replace(/[^A-Za-z0-9_.:-]/g, '?'), 40);
