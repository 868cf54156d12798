import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emojiFor,
  escapeHtml,
  mrkdwnToHtml,
  plainToHtml,
  plainToText,
  safeUrl,
} from '../../src/playground/page/mrkdwn.js';

const VOID_TAGS = new Set(['br', 'hr', 'img']);
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z-]*(?:="[^"<>]*")?)*)\s*>/g;
const ATTR = /\s+([a-z][a-z-]*)(?:="([^"<>]*)")?/g;

/**
 * Checks our own output with a strict reading of it: every tag well formed and balanced, no '<' or '>' left in
 * text (so nothing from a message became markup), no event-handler attributes, hrefs and srcs only http(s)/mailto.
 */
function inspect(html: string) {
  const stack: string[] = [];
  for (const m of html.matchAll(TAG)) {
    const [, closing, name = '', attrs = ''] = m;
    if (closing) {
      expect(stack.pop(), `closing </${name}> in ${html}`).toBe(name);
      continue;
    }
    for (const [, attr = '', value = ''] of attrs.matchAll(ATTR)) {
      expect(attr.startsWith('on'), `event attribute ${attr} in ${html}`).toBe(false);
      if (attr === 'href' || attr === 'src') expect(value).toMatch(/^(?:https?:\/\/|mailto:)/i);
    }
    if (!VOID_TAGS.has(name)) stack.push(name);
  }
  expect(stack, `unclosed tags in ${html}`).toEqual([]);
  expect(html.replace(TAG, ''), `stray markup in ${html}`).not.toMatch(/[<>]/);
}

const names: Record<string, string> = { U1: 'alice', U2: 'bob', C1: 'general', C2: 'random' };
const opts = {
  userName: (id: string) => names[id] ?? id,
  channelName: (id: string) => names[id] ?? id,
};
const md = (text: string) => {
  const html = mrkdwnToHtml(text, opts);
  inspect(html);
  return html;
};

describe('escaping', () => {
  it('escapes raw HTML characters in text', () => {
    expect(md(`a & b < c > d "e" 'f'`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;');
  });

  it('decodes Slack-escaped text exactly once, so nothing is double-escaped visibly', () => {
    expect(md('Q&amp;A &lt;b&gt;')).toBe('Q&amp;A &lt;b&gt;');
    expect(md('Q&amp;A')).toBe(md('Q&A'));
    // "&amp;amp;" is Slack's escaping of the literal text "&amp;".
    expect(md('&amp;amp;')).toBe('&amp;amp;');
    expect(md('&quot;')).toBe('&amp;quot;');
  });

  it('treats null and undefined as empty', () => {
    expect(mrkdwnToHtml(undefined)).toBe('');
    expect(mrkdwnToHtml(null)).toBe('');
    expect(plainToHtml(undefined)).toBe('');
  });

  it('escapeHtml covers attribute quotes', () => {
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });
});

describe('inline formatting', () => {
  it('renders bold, italic and strike', () => {
    expect(md('*bold* _italic_ ~strike~')).toBe('<strong>bold</strong> <em>italic</em> <del>strike</del>');
  });

  it('nests formatting without misnesting tags', () => {
    expect(md('_*both*_')).toBe('<em><strong>both</strong></em>');
    expect(md('~*_all_*~')).toBe('<del><strong><em>all</em></strong></del>');
    expect(md('_a *b_ c*')).toBe('_a <strong>b_ c</strong>');
  });

  it('keeps markers inside words and around spaces as text', () => {
    expect(md('2*3*4 snake_case_name a~b~c')).toBe('2*3*4 snake_case_name a~b~c');
    expect(md('* not bold *')).not.toContain('<strong>');
    expect(md('*a\nb*')).not.toContain('<strong>');
  });

  it('renders inline code with no formatting inside', () => {
    expect(md('run `kubectl get *pods* <b>`')).toBe(
      'run <code class="md-code">kubectl get *pods* &lt;b&gt;</code>',
    );
    expect(md('`a &amp;&amp; b`')).toBe('<code class="md-code">a &amp;&amp; b</code>');
  });

  it('shows mentions and links inside code as plain text', () => {
    expect(md('`ask <@U1> at <https://x.example|docs>`')).toBe(
      '<code class="md-code">ask @alice at docs</code>',
    );
  });

  it('turns newlines into <br>, including CRLF', () => {
    expect(md('a\nb\r\nc\n\nd')).toBe('a<br>b<br>c<br><br>d');
  });
});

describe('preformatted blocks', () => {
  it('renders ``` blocks verbatim and escaped, trimming the newlines around the fences', () => {
    expect(md('before\n```\nline *one*\n  <@U1> & <tag>\n```\nafter')).toBe(
      'before<pre class="md-pre">line *one*\n  @alice &amp; &lt;tag&gt;</pre>after',
    );
  });

  it('handles inline fences and leaves an unclosed fence as text', () => {
    expect(md('run ```make test``` now')).toBe('run <pre class="md-pre">make test</pre> now');
    expect(md('```not closed')).toBe('```not closed');
  });
});

describe('links', () => {
  it('renders labelled and bare http(s) links as safe anchors', () => {
    expect(md('<https://example.com/a?b=1&amp;c=2|the docs>')).toBe(
      '<a class="md-link" href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the docs</a>',
    );
    expect(md('<http://example.com>')).toContain('>http://example.com</a>');
  });

  it('renders mailto links with the address as the default label', () => {
    expect(md('<mailto:ops@example.com>')).toBe(
      '<a class="md-link" href="mailto:ops@example.com" target="_blank" rel="noopener noreferrer">ops@example.com</a>',
    );
  });

  it('keeps other schemes as inert text', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:x',
      'file:///etc',
    ]) {
      const html = md(`<${url}|click me>`);
      expect(html).toBe('click me');
    }
    expect(md('<javascript:alert(1)>')).toBe('javascript:alert(1)');
  });

  it('cannot break out of the href attribute', () => {
    const html = md('<https://x.example/" onmouseover="alert(1)|hover>');
    expect(html).toContain('href="https://x.example/&quot; onmouseover=&quot;alert(1)"');
  });

  it('escapes labels', () => {
    expect(md('<https://x.example|&lt;img src=x onerror=alert(1)&gt;>')).toContain(
      '>&lt;img src=x onerror=alert(1)&gt;</a>',
    );
  });

  it('safeUrl allows only http, https and mailto', () => {
    expect(safeUrl('https://a')).toBe('https://a');
    expect(safeUrl('MAILTO:a@b')).toBe('MAILTO:a@b');
    expect(safeUrl(' https://a')).toBeNull();
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(42)).toBeNull();
  });
});

describe('mentions', () => {
  it('renders user mentions through userName', () => {
    expect(md('hi <@U1>')).toBe('hi <span class="md-mention" data-user-id="U1">@alice</span>');
  });

  it('falls back to the legacy label, then the id', () => {
    expect(md('<@U9|carol>')).toContain('>@carol</span>');
    expect(md('<@U9>')).toContain('>@U9</span>');
  });

  it('escapes names from the lookup and survives a throwing lookup', () => {
    const evil = mrkdwnToHtml('<@U1>', { userName: () => '<img src=x onerror=alert(1)>' });
    inspect(evil);
    expect(evil).toContain('@&lt;img src=x onerror=alert(1)&gt;');
    const thrown = mrkdwnToHtml('<@U1>', {
      userName: () => {
        throw new Error('boom');
      },
    });
    expect(thrown).toContain('>@U1</span>');
  });

  it('renders channels with and without a name', () => {
    expect(md('<#C9|ops>')).toBe('<span class="md-mention md-channel" data-channel-id="C9">#ops</span>');
    expect(md('<#C2>')).toBe('<span class="md-mention md-channel" data-channel-id="C2">#random</span>');
  });

  it('renders broadcasts and user groups', () => {
    expect(md('<!here> <!channel> <!everyone>')).toBe(
      ['@here', '@channel', '@everyone']
        .map((t) => `<span class="md-mention md-broadcast">${t}</span>`)
        .join(' '),
    );
    expect(md('<!subteam^S1|@platform>')).toContain('>@platform</span>');
  });

  it('shows the fallback text of dates', () => {
    expect(md('<!date^1392734382^{date_num}|2014-02-18>')).toBe('2014-02-18');
  });
});

describe('block structure', () => {
  it('renders quotes written escaped or raw, grouping consecutive lines', () => {
    expect(md('intro\n&gt; one *a*\n> two\nafter')).toBe(
      'intro<blockquote class="md-quote">one <strong>a</strong><br>two</blockquote>after',
    );
  });

  it('renders >>> as a quote of everything after it', () => {
    expect(md('x\n&gt;&gt;&gt; all\nof this')).toBe(
      'x<blockquote class="md-quote">all<br>of this</blockquote>',
    );
  });

  it('renders bullet lists from •, - and *', () => {
    expect(md('• one\n- two\n* _three_')).toBe(
      '<ul class="md-list"><li>one</li><li>two</li><li><em>three</em></li></ul>',
    );
  });

  it('renders numbered lists, keeping the first number', () => {
    expect(md('1. a\n2. b')).toBe('<ol class="md-list"><li>a</li><li>b</li></ol>');
    expect(md('3. c\n4) d')).toBe('<ol class="md-list" start="3"><li>c</li><li>d</li></ol>');
  });

  it('continues a list item on indented lines and ends the list on others', () => {
    expect(md('*Risks*\n• keys: _KMS_\n      still a concern\n• audit\nend')).toBe(
      '<strong>Risks</strong><ul class="md-list"><li>keys: <em>KMS</em><br>still a concern</li><li>audit</li></ul>end',
    );
  });
});

describe('emoji', () => {
  it('replaces known shortcodes', () => {
    const html = md(':white_check_mark: done');
    expect(html).toBe(
      '<span class="md-emoji" role="img" aria-label="white check mark" title=":white_check_mark:">✅</span> done',
    );
    for (const name of [
      'warning',
      'lock',
      'x',
      'heavy_check_mark',
      'question',
      'cloud',
      'house',
      'shield',
      'construction',
      'clipboard',
    ]) {
      expect(md(`:${name}:`), name).toContain('class="md-emoji"');
    }
  });

  it('leaves unknown shortcodes and object-prototype names as text', () => {
    expect(md(':not_an_emoji: :constructor: :__proto__: :toString:')).toBe(
      ':not_an_emoji: :constructor: :__proto__: :toString:',
    );
  });

  it('finds an emoji right after an unknown colon pair', () => {
    expect(md('10:30:x:')).toContain('10:30<span class="md-emoji"');
  });

  it('does not replace emoji inside code', () => {
    expect(md('`:x:`')).toBe('<code class="md-code">:x:</code>');
  });

  it('keeps emphasis out of emoji markup', () => {
    expect(md(':heavy_check_mark: _done_')).toContain('title=":heavy_check_mark:">✔️</span> <em>done</em>');
  });
});

describe('HTML injection', () => {
  const attacks = [
    '<script>alert(1)</script>',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '<img src=x onerror=alert(1)>',
    '"onerror="alert(1)" \'onload=\'x',
    '<a href="javascript:alert(1)">x</a>',
    '<javascript:alert(1)|click>',
    '<https://ok.example|x" onclick="alert(1)>',
    '*<img src=x onerror=alert(1)>*',
    '```</pre><script>alert(1)</script>```',
    '`</code><script>`',
    '<@U1|"><script>> <#C1|"><b>x</b>>',
    '\uE0000\uE001 forged placeholder',
  ];

  it.each(attacks)('renders %j inert', (attack) => {
    const html = md(attack);
    expect(html).not.toMatch(/<script|<img|<a href="javascript/i);
  });

  it('does not let text forge a held fragment', () => {
    expect(md('\uE0000\uE001 <@U1>')).toBe(
      '\uFFFD0\uFFFD <span class="md-mention" data-user-id="U1">@alice</span>',
    );
  });

  it('produces well-formed, inert HTML for any mix of markup characters', () => {
    const piece = fc.constantFrom(
      '*',
      '_',
      '~',
      '`',
      '```',
      '<',
      '>',
      '&',
      '&amp;',
      '&lt;',
      '&gt;',
      '|',
      '@',
      '#',
      '!',
      ':',
      '\n',
      ' ',
      '"',
      "'",
      'a',
      'b',
      '1.',
      '• ',
      '- ',
      '> ',
      'https://x.example',
      'javascript:alert(1)',
      'mailto:a@b',
      '@U1',
      '#C1',
      '!here',
      ':x:',
      ':warning:',
      'onerror=',
      '<script>',
      '\uE000',
      '\uE001',
      '0',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        inspect(mrkdwnToHtml(pieces.join(''), opts));
        inspect(plainToHtml(pieces.join(''), { emoji: true }));
      }),
      { numRuns: 500 },
    );
  });
});

describe('plainToHtml / plainToText', () => {
  it('escapes and applies no mrkdwn', () => {
    expect(plainToHtml('*not bold* <@U1> <b>')).toBe('*not bold* &lt;@U1&gt; &lt;b&gt;');
  });

  it('replaces emoji only when asked', () => {
    expect(plainToHtml(':lock: Private')).toBe(':lock: Private');
    expect(plainToHtml(':lock: Private', { emoji: true })).toBe(
      '<span class="md-emoji" role="img" aria-label="lock" title=":lock:">🔒</span> Private',
    );
  });

  it('decodes Slack entities once and keeps newlines', () => {
    expect(plainToHtml('R&amp;D\nnext')).toBe('R&amp;D<br>next');
  });

  it('plainToText returns unescaped text with emoji characters', () => {
    expect(plainToText('a &lt; b :x:', { emoji: true })).toBe('a < b ❌');
    expect(plainToText(':x:')).toBe(':x:');
  });
});

describe('the emoji the app uses', () => {
  /** Every source file of the app's messages: Slack edge, core, digests and the questionnaire. */
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return sources(path);
      return /\.(ts|ya?ml)$/.test(e.name) ? [path] : [];
    });
  }

  it('are all in the table, so none shows as a raw :shortcode:', () => {
    // A shortcode stands alone: not part of an id such as home:page:next or a time such as 09:00.
    const SHORTCODE = /(?<![\w:]):([a-z0-9_+-]+):(?![\w:])/g;
    const used = new Set<string>();
    for (const file of ['src/slack', 'src/advisor', 'src/digest', 'conversations'].flatMap(sources)) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(SHORTCODE)) used.add(name as string);
    }
    expect([...used]).toEqual(expect.arrayContaining(['shield', 'no_bell', 'lock', 'white_check_mark']));
    expect([...used].filter((name) => emojiFor(name) === undefined)).toEqual([]);
  });
});
