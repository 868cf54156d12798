/**
 * Text a person typed, made safe to quote back in a Slack message: at most `max` characters (never splitting a
 * character made of two UTF-16 units), on one line, with `&`, `<` and `>` escaped so no mention, channel ping or
 * link can be smuggled in, and backticks replaced so it cannot break out of the code span it is quoted in.
 * One linear pass; no pattern over the text can backtrack.
 */
export function echo(raw: string, max = 60): string {
  const chars = Array.from(raw.trim());
  const kept = chars.length > max ? [...chars.slice(0, max - 1), '…'] : chars;
  let out = '';
  for (const c of kept) {
    if (c === '&') out += '&amp;';
    else if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '`') out += 'ʼ';
    else if (c === '\n' || c === '\r' || c === '\t') out += ' ';
    else if (c < ' ' || c === '\u007f') out += '';
    else out += c;
  }
  return out;
}
