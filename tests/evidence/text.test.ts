import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets, secretShape } from '../../src/evidence/secrets.js';
import {
  cleanText,
  hasHostileChars,
  markdownLiteral,
  mrkdwnLiteral,
  safeFragment,
} from '../../src/evidence/text.js';

describe('text hygiene', () => {
  it('mrkdwnLiteral leaves nothing Slack would turn into a mention, link or formatting', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = mrkdwnLiteral(s);
        expect(out.startsWith('`') && out.endsWith('`')).toBe(true);
        const inner = out.slice(1, -1);
        expect(inner).not.toMatch(/[<>`]/);
        expect(inner.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
      }),
    );
    expect(mrkdwnLiteral('<!channel> *x*')).toBe('`&lt;!channel&gt; *x*`');
  });

  it('markdownLiteral escapes what would format or break a table cell', () => {
    expect(markdownLiteral('a|b *c* _d_ `e` [f](g) <h> ~i~')).toBe(
      'a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) &lt;h&gt; \\~i\\~',
    );
  });

  it('cleanText removes control, zero-width and direction characters and lone surrogates, and clips', () => {
    const out = cleanText('a\u0000b\u200bc\u202ed\ud800e', 100);
    expect(out).toBe('a\ufffdb\ufffdc\ufffdd\ufffde');
    expect(hasHostileChars(out)).toBe(false);
    expect(cleanText('x'.repeat(10), 5)).toBe('xxxx…');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 2, max: 40 }), (s, max) => {
        const out = cleanText(s, max);
        expect(hasHostileChars(out)).toBe(false);
        expect(out.length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('safeFragment keeps only plain characters', () => {
    expect(safeFragment('<@U1>*x*')).toBe('??U1??x?');
  });

  it('spots credential shapes and redacts them, built at run time', () => {
    const slack = ['xoxb', '123456789012', 'abcdefABCDEF'].join('-');
    expect(secretShape(`token ${slack}`)).toBe('a Slack token');
    expect(redactSecrets(`token ${slack} end`)).toBe('token [redacted] end');
    expect(secretShape(['abcdef', '0123456789abcdef'].join('.'))).toBe('a Kubernetes bootstrap token');
    expect(secretShape('arn:aws:iam::111122223333:role/platform-admin')).toBeNull();
    expect(secretShape('0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com')).toBeNull();
  });
});
