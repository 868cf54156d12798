import { describe, expect, it } from 'vitest';
import { type RenderContext, renderBlocks, renderMessage } from '../../src/playground/page/blocks.js';

const VOID_TAGS = new Set(['br', 'hr', 'img']);
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z-]*(?:="[^"<>]*")?)*)\s*>/g;
const ATTR = /\s+([a-z][a-z-]*)(?:="([^"<>]*)")?/g;

interface Tag {
  name: string;
  attrs: Record<string, string>;
  /** Text up to the matching close tag, tags removed (for accessible names). */
  text: string;
}

/**
 * Reads our own output strictly: tags well formed and balanced, no '<' or '>' left in text, no event-handler
 * attributes, hrefs and srcs only http(s)/mailto. Returns the start tags for further checks.
 */
function inspect(html: string): Tag[] {
  const tags: Tag[] = [];
  const stack: { name: string; start: number; tag: Tag }[] = [];
  for (const m of html.matchAll(TAG)) {
    const [whole, closing, name = '', rawAttrs = ''] = m;
    if (closing) {
      const open = stack.pop();
      expect(open?.name, `closing </${name}> in ${html}`).toBe(name);
      if (open) open.tag.text = html.slice(open.start, m.index).replace(TAG, '');
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, attr = '', value = ''] of rawAttrs.matchAll(ATTR)) {
      expect(attr.startsWith('on'), `event attribute ${attr} in ${html}`).toBe(false);
      if (attr === 'href' || attr === 'src') expect(value).toMatch(/^(?:https?:\/\/|mailto:)/i);
      attrs[attr] = value;
    }
    const tag = { name, attrs, text: '' };
    tags.push(tag);
    if (!VOID_TAGS.has(name)) stack.push({ name, start: m.index + whole.length, tag });
  }
  expect(
    stack.map((s) => s.name),
    `unclosed tags in ${html}`,
  ).toEqual([]);
  expect(html.replace(TAG, ''), `stray markup in ${html}`).not.toMatch(/[<>]/);
  return tags;
}

const decodeAttr = (s: string) =>
  s.replace(
    /&(quot|#39|lt|gt|amp);/g,
    (_, e: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e] ?? '',
  );

const names: Record<string, string> = { U1: 'alice', UBOT: 'k8s-advisor', C1: 'general' };
const ctx: RenderContext = {
  userName: (id) => names[id] ?? id,
  channelName: (id) => names[id] ?? id,
  timeZone: 'UTC',
  locale: 'en-US',
};

const plain = (text: string, emoji?: boolean) => ({
  type: 'plain_text',
  text,
  ...(emoji !== undefined && { emoji }),
});
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (text: string, action_id: string, value?: string, style?: string) => ({
  type: 'button',
  text: plain(text, true),
  action_id,
  ...(value !== undefined && { value }),
  ...(style && { style }),
});

const render = (blocks: unknown[], c: RenderContext = ctx) => {
  const html = renderBlocks(blocks, c);
  return { html, tags: inspect(html) };
};
const byClass = (tags: Tag[], cls: string) =>
  tags.filter((t) => (t.attrs.class ?? '').split(' ').includes(cls));

describe('renderBlocks: layout blocks', () => {
  it('wraps blocks in a container and tolerates non-arrays', () => {
    expect(renderBlocks([], ctx)).toBe('<div class="bk-blocks"></div>');
    expect(renderBlocks(null)).toBe('<div class="bk-blocks"></div>');
    expect(renderBlocks(undefined)).toBe('<div class="bk-blocks"></div>');
  });

  it('renders a header as escaped plain text, with emoji unless turned off', () => {
    const { html, tags } = render([
      { type: 'header', block_id: 'h', text: plain(':cloud: Managed <Kubernetes> & co') },
      { type: 'header', text: plain(':cloud: raw', false) },
    ]);
    const [first, second] = byClass(tags, 'bk-header');
    expect(first?.attrs).toMatchObject({ role: 'heading', 'aria-level': '3', 'data-block-id': 'h' });
    expect(html).toContain('☁️</span> Managed &lt;Kubernetes&gt; &amp; co');
    expect(second?.text).toBe(':cloud: raw');
  });

  it('renders a section with mrkdwn text and fields in a grid', () => {
    const { html, tags } = render([
      {
        type: 'section',
        block_id: 'answers',
        text: mrkdwn('*Why* for <@U1>'),
        fields: [mrkdwn('*team size*\n4'), plain('plain <b>')],
      },
    ]);
    expect(html).toContain('<div class="bk-text"><strong>Why</strong> for <span class="md-mention"');
    expect(html).toContain('@alice</span>');
    const fields = byClass(tags, 'bk-field');
    expect(fields.map((f) => f.text)).toEqual([
      'team size4',
      'plain <b>'.replace('<', '&lt;').replace('>', '&gt;'),
    ]);
    expect(byClass(tags, 'bk-fields')).toHaveLength(1);
  });

  it('renders a context block of text and small images, unsafe images as alt text', () => {
    const { html, tags } = render([
      {
        type: 'context',
        elements: [
          mrkdwn(':warning: Question 1 of 9'),
          { type: 'image', image_url: 'https://img.example/a.png', alt_text: 'logo "x"' },
          { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'bad' },
          plain('plain'),
        ],
      },
    ]);
    expect(byClass(tags, 'bk-context')).toHaveLength(1);
    expect(byClass(tags, 'bk-context-image')[0]?.attrs).toMatchObject({
      src: 'https://img.example/a.png',
      alt: 'logo &quot;x&quot;',
    });
    expect(html).toContain('<span class="bk-context-image bk-image-missing">bad</span>');
    expect(byClass(tags, 'bk-context-text').map((t) => t.text)).toEqual(['⚠️ Question 1 of 9', 'plain']);
  });

  it('renders a divider', () => {
    expect(render([{ type: 'divider' }]).html).toBe(
      '<div class="bk-blocks"><div class="bk-block bk-divider"><hr></div></div>',
    );
  });

  it('renders an image block with title and alt text', () => {
    const { tags } = render([
      {
        type: 'image',
        block_id: 'img',
        image_url: 'https://img.example/c.png',
        alt_text: 'chart',
        title: plain('Cost'),
      },
    ]);
    expect(tags.find((t) => t.name === 'figcaption')?.text).toBe('Cost');
    expect(tags.find((t) => t.name === 'img')?.attrs).toMatchObject({
      src: 'https://img.example/c.png',
      alt: 'chart',
    });
  });

  it('shows an honest box for unknown block types, escaped', () => {
    const { html, tags } = render([{ type: 'video' }, { type: '<script>alert(1)</script>' }, 'junk']);
    const boxes = byClass(tags, 'bk-unsupported');
    expect(boxes.map((b) => b.text)).toEqual([
      'Unsupported block: video',
      'Unsupported block: &lt;script&gt;alert(1)&lt;/script&gt;',
      'Unsupported block: unknown',
    ]);
    expect(html).not.toContain('<script');
  });
});

describe('renderBlocks: interactive elements', () => {
  const card = {
    type: 'actions',
    block_id: 'card',
    elements: [
      button('Share to channel', 'card:share', 's1', 'primary'),
      button('Change an answer', 'card:change', 's1'),
      {
        ...button('Restart', 'card:restart', 's1', 'danger'),
        confirm: {
          title: plain('Sure?'),
          text: mrkdwn('All answers go.'),
          confirm: plain('Restart'),
          deny: plain('Keep'),
        },
      },
    ],
  };

  it('renders buttons with styles and the data a block_actions payload needs', () => {
    const { tags } = render([card]);
    const buttons = tags.filter((t) => t.name === 'button');
    expect(buttons.map((b) => b.attrs.class)).toEqual([
      'bk-btn bk-btn-primary',
      'bk-btn',
      'bk-btn bk-btn-danger',
    ]);
    expect(buttons[0]?.attrs).toMatchObject({
      type: 'button',
      'data-action-type': 'button',
      'data-action-id': 'card:share',
      'data-block-id': 'card',
      'data-value': 's1',
      'data-text': 'Share to channel',
    });
    expect(buttons.map((b) => b.text)).toEqual(['Share to channel', 'Change an answer', 'Restart']);
    expect(byClass(tags, 'bk-actions')[0]?.attrs.role).toBe('group');
  });

  it('carries confirm dialogs as JSON', () => {
    const restart = render([card]).tags.filter((t) => t.name === 'button')[2];
    expect(JSON.parse(decodeAttr(restart?.attrs['data-confirm'] ?? ''))).toEqual({
      title: 'Sure?',
      text: 'All answers go.',
      confirm: 'Restart',
      deny: 'Keep',
    });
  });

  it('leaves data-value off buttons without a value, and passes safe urls only', () => {
    const { tags } = render([
      {
        type: 'actions',
        elements: [
          { ...button('Docs', 'docs'), url: 'https://docs.example' },
          { ...button('Bad', 'bad'), url: 'javascript:alert(1)' },
        ],
      },
    ]);
    const [docs, bad] = tags.filter((t) => t.name === 'button');
    expect(docs?.attrs).not.toHaveProperty('data-value');
    expect(docs?.attrs['data-url']).toBe('https://docs.example');
    expect(docs?.attrs['data-block-id']).toBe('');
    expect(bad?.attrs).not.toHaveProperty('data-url');
  });

  it('renders a section accessory button', () => {
    const { tags } = render([
      { type: 'section', block_id: 'q', text: mrkdwn('Go?'), accessory: button('Go', 'go', '1') },
    ]);
    const accessory = byClass(tags, 'bk-accessory')[0];
    expect(accessory?.text).toBe('Go');
    expect(tags.find((t) => t.name === 'button')?.attrs['data-block-id']).toBe('q');
  });

  it('renders a static_select with placeholder, options and the initial option', () => {
    const select = {
      type: 'static_select',
      action_id: 'change:pick',
      placeholder: plain('Pick a question'),
      initial_option: { text: plain('Team size'), value: 'team_size' },
      options: [
        { text: plain('Team size', true), value: 'team_size' },
        { text: plain(':lock: Data <residency>', true), value: 'residency' },
      ],
    };
    const { tags } = render([
      { type: 'section', block_id: 'change', text: mrkdwn('Which?'), accessory: select },
    ]);
    const sel = tags.find((t) => t.name === 'select');
    expect(sel?.attrs).toMatchObject({
      class: 'bk-select',
      'data-action-type': 'static_select',
      'data-action-id': 'change:pick',
      'data-block-id': 'change',
      'aria-label': 'Pick a question',
    });
    const options = tags.filter((t) => t.name === 'option');
    expect(options.map((o) => [o.attrs.value, o.text])).toEqual([
      ['', 'Pick a question'],
      ['team_size', 'Team size'],
      ['residency', '🔒 Data &lt;residency&gt;'],
    ]);
    expect(options[0]?.attrs).toHaveProperty('disabled');
    expect(options[0]?.attrs).not.toHaveProperty('selected');
    expect(options[1]?.attrs).toHaveProperty('selected');
    expect(options[2]?.attrs['data-text']).toBe(':lock: Data &lt;residency&gt;');
  });

  it('renders option groups in an actions block', () => {
    const { tags } = render([
      {
        type: 'actions',
        block_id: 'a',
        elements: [
          {
            type: 'static_select',
            action_id: 'pick',
            option_groups: [
              { label: plain('Managed'), options: [{ text: plain('EKS'), value: 'eks' }] },
              { label: plain('Self-hosted'), options: [{ text: plain('kubeadm'), value: 'kubeadm' }] },
            ],
          },
        ],
      },
    ]);
    expect(tags.filter((t) => t.name === 'optgroup').map((g) => g.attrs.label)).toEqual([
      'Managed',
      'Self-hosted',
    ]);
    expect(tags.filter((t) => t.name === 'option').map((o) => o.attrs.value)).toEqual(['', 'eks', 'kubeadm']);
    expect(tags.find((t) => t.name === 'select')?.attrs['aria-label']).toBe('Select an option');
  });

  it('disables buttons and selects when read-only', () => {
    const blocks = [
      card,
      { type: 'actions', elements: [{ type: 'static_select', action_id: 's', options: [] }] },
    ];
    const live = render(blocks).tags.filter((t) => t.name === 'button' || t.name === 'select');
    expect(live.every((t) => !('disabled' in t.attrs))).toBe(true);
    const readOnly = render(blocks, { ...ctx, readOnly: true }).tags.filter(
      (t) => t.name === 'button' || t.name === 'select',
    );
    expect(readOnly).toHaveLength(4);
    expect(readOnly.every((t) => 'disabled' in t.attrs)).toBe(true);
  });

  it('gives every interactive element an accessible name and keeps it in the tab order', () => {
    const { tags } = render([
      card,
      { type: 'actions', elements: [{ type: 'button', action_id: 'icon', text: plain('') }] },
      { type: 'actions', elements: [{ ...button('✕', 'close'), accessibility_label: 'Close the card' }] },
      {
        type: 'section',
        text: mrkdwn('x'),
        accessory: { type: 'static_select', action_id: 's', options: [] },
      },
    ]);
    const interactive = tags.filter((t) => t.name === 'button' || t.name === 'select');
    expect(interactive).toHaveLength(6);
    for (const t of interactive) {
      expect(t.attrs['aria-label'] || t.text.trim(), JSON.stringify(t)).toBeTruthy();
      expect(t.attrs.tabindex).toBeUndefined();
    }
    expect(interactive.find((t) => t.attrs['data-action-id'] === 'close')?.attrs['aria-label']).toBe(
      'Close the card',
    );
  });

  it('shows an honest box for unsupported elements', () => {
    const { tags } = render([
      { type: 'actions', elements: [{ type: 'overflow', action_id: 'o' }, { type: 'datepicker' }] },
    ]);
    expect(byClass(tags, 'bk-unsupported').map((t) => t.text)).toEqual([
      'Unsupported element: overflow',
      'Unsupported element: datepicker',
    ]);
  });

  it('escapes ids, values and labels so they cannot break out of attributes', () => {
    const evil = '"><img src=x onerror=alert(1)>';
    const { html, tags } = render([
      {
        type: 'actions',
        block_id: evil,
        elements: [
          { type: 'button', action_id: evil, value: evil, text: plain(evil) },
          {
            type: 'static_select',
            action_id: evil,
            placeholder: plain(evil),
            options: [{ text: plain(evil), value: evil }],
          },
        ],
      },
    ]);
    expect(html).not.toContain('<img');
    const btn = tags.find((t) => t.name === 'button');
    expect(decodeAttr(btn?.attrs['data-action-id'] ?? '')).toBe(evil);
    expect(decodeAttr(btn?.attrs['data-block-id'] ?? '')).toBe(evil);
    expect(decodeAttr(btn?.attrs['data-value'] ?? '')).toBe(evil);
  });
});

describe('renderBlocks: rich_text', () => {
  it('renders sections with styled text, links, mentions and emoji', () => {
    const { html } = render([
      {
        type: 'rich_text',
        block_id: 'rt',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'Hi ', style: { bold: true } },
              { type: 'user', user_id: 'U1' },
              { type: 'text', text: ', see ' },
              { type: 'link', url: 'https://docs.example', text: 'docs', style: { italic: true } },
              { type: 'text', text: ' & ' },
              { type: 'link', url: 'javascript:alert(1)', text: 'bad' },
              { type: 'text', text: ' in ' },
              { type: 'channel', channel_id: 'C1' },
              { type: 'text', text: ' ' },
              { type: 'emoji', name: 'rocket', unicode: '1f680' },
              { type: 'emoji', name: 'custom_party' },
              { type: 'emoji', name: 'flag', unicode: '1f1e9-1f1ea' },
              { type: 'broadcast', range: 'here' },
              { type: 'text', text: '\n<b>code</b>', style: { code: true, strike: true } },
            ],
          },
        ],
      },
    ]);
    expect(html).toContain('<div class="bk-block bk-rich_text" data-block-id="rt"><div class="rt-section">');
    expect(html).toContain('<strong>Hi </strong><span class="md-mention" data-user-id="U1">@alice</span>');
    expect(html).toContain(
      '<em><a class="md-link" href="https://docs.example" target="_blank" rel="noopener noreferrer">docs</a></em> &amp; bad in ',
    );
    expect(html).toContain('<span class="md-mention md-channel" data-channel-id="C1">#general</span>');
    expect(html).toContain('🚀</span>:custom_party:');
    expect(html).toContain('🇩🇪</span><span class="md-mention md-broadcast">@here</span>');
    expect(html).toContain('<del><code class="md-code"><br>&lt;b&gt;code&lt;/b&gt;</code></del>');
  });

  it('renders bullet and ordered lists, with offset and indent', () => {
    const item = (text: string) => ({ type: 'rich_text_section', elements: [{ type: 'text', text }] });
    const { html } = render([
      {
        type: 'rich_text',
        elements: [
          { type: 'rich_text_list', style: 'bullet', elements: [item('a'), item('b')] },
          { type: 'rich_text_list', style: 'ordered', indent: 1, offset: 2, elements: [item('c')] },
        ],
      },
    ]);
    expect(html).toContain('<ul class="md-list rt-list rt-indent-0"><li>a</li><li>b</li></ul>');
    expect(html).toContain('<ol class="md-list rt-list rt-indent-1" start="3"><li>c</li></ol>');
  });

  it('renders preformatted text verbatim and quotes', () => {
    const { html } = render([
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_preformatted',
            elements: [{ type: 'text', text: 'a *b*\n  <c>', style: { bold: true } }],
          },
          { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
          { type: 'rich_text_table' },
        ],
      },
    ]);
    expect(html).toContain('<pre class="md-pre">a *b*\n  &lt;c&gt;</pre>');
    expect(html).toContain('<blockquote class="md-quote">quoted</blockquote>');
    expect(html).toContain('Unsupported element: <code>rich_text_table</code>');
  });
});

describe('renderMessage', () => {
  const ts = '1700000000.000100'; // 2023-11-14 22:13:20 UTC

  it('renders a user message row: initials, name, time, mrkdwn body', () => {
    const html = renderMessage(
      { ts, user: 'U1', text: 'Hello *team* <@UBOT>' },
      { ...ctx, userName: () => 'Alice Smith' },
    );
    const tags = inspect(html);
    expect(tags[0]).toMatchObject({ name: 'article', attrs: { class: 'msg', 'data-ts': ts } });
    expect(byClass(tags, 'msg-avatar')[0]?.text).toBe('AS');
    expect(byClass(tags, 'msg-avatar')[0]?.attrs['aria-hidden']).toBe('true');
    expect(byClass(tags, 'msg-name')[0]?.text).toBe('Alice Smith');
    expect(byClass(tags, 'msg-badge')).toHaveLength(0);
    const time = tags.find((t) => t.name === 'time');
    expect(time?.text).toBe('10:13 PM');
    expect(time?.attrs.datetime).toBe('2023-11-14T22:13:20.000Z');
    expect(html).toContain('<div class="msg-content">Hello <strong>team</strong>');
  });

  it('marks bot messages with an APP badge and prefers the bot profile name', () => {
    const html = renderMessage(
      { ts, user: 'UBOT', bot_id: 'B1', bot_profile: { name: 'K8s Advisor' }, text: 'hi' },
      ctx,
    );
    const tags = inspect(html);
    expect(tags[0]?.attrs.class).toBe('msg msg-bot');
    expect(byClass(tags, 'msg-name')[0]?.text).toBe('K8s Advisor');
    expect(byClass(tags, 'msg-badge')[0]?.text).toBe('APP');
    expect(byClass(tags, 'msg-avatar')[0]?.text).toBe('KA');
  });

  it('renders blocks instead of the fallback text when present', () => {
    const html = renderMessage(
      {
        ts,
        user: 'UBOT',
        bot_id: 'B1',
        text: 'fallback text',
        blocks: [{ type: 'section', text: mrkdwn('from blocks') }],
      },
      ctx,
    );
    inspect(html);
    expect(html).toContain('from blocks');
    expect(html).not.toContain('fallback text');
  });

  it('renders plain text when mrkdwn is off', () => {
    expect(renderMessage({ ts, user: 'U1', text: '*literal*', mrkdwn: false }, ctx)).toContain(
      '<div class="msg-content">*literal*</div>',
    );
  });

  it('shows the edited marker', () => {
    const tags = inspect(renderMessage({ ts, user: 'U1', text: 'x', edited: { user: 'U1', ts } }, ctx));
    expect(byClass(tags, 'msg-edited')[0]?.text).toBe('(edited)');
    expect(byClass(inspect(renderMessage({ ts, user: 'U1', text: 'x' }, ctx)), 'msg-edited')).toHaveLength(0);
  });

  it('shows the "Only visible to you" banner for ephemeral messages', () => {
    const html = renderMessage({ ts, user: 'UBOT', bot_id: 'B1', text: 'psst', is_ephemeral: true }, ctx);
    const tags = inspect(html);
    expect(tags[0]?.attrs.class).toBe('msg msg-bot msg-ephemeral');
    expect(byClass(tags, 'msg-ephemeral-banner')[0]?.text).toContain('Only visible to you');
    expect(renderMessage({ ts, user: 'U1', text: 'x' }, ctx)).not.toContain('Only visible to you');
  });

  it('shows a reply count and a View thread button on thread parents', () => {
    const tags = inspect(
      renderMessage({ ts, thread_ts: ts, user: 'U1', text: 'x' }, { ...ctx, replyCount: 3 }),
    );
    const link = byClass(tags, 'msg-thread-link')[0];
    expect(link).toMatchObject({ name: 'button', attrs: { type: 'button', 'data-thread-ts': ts } });
    expect(link?.text).toBe('3 repliesView thread');
    expect(link?.attrs['aria-label']).toBe('3 replies, view thread');

    const one = inspect(renderMessage({ ts, user: 'U1', text: 'x', reply_count: 1 }, ctx));
    expect(byClass(one, 'msg-reply-count')[0]?.text).toBe('1 reply');
  });

  it('shows no thread summary on replies or messages without replies', () => {
    const reply = renderMessage(
      { ts: '1700000001.000200', thread_ts: ts, user: 'U1', text: 'x' },
      { ...ctx, replyCount: 2 },
    );
    expect(reply).not.toContain('msg-thread-link');
    expect(reply).toContain('class="msg msg-thread-reply"');
    expect(renderMessage({ ts, user: 'U1', text: 'x' }, { ...ctx, replyCount: 0 })).not.toContain(
      'msg-thread-link',
    );
  });

  it('offers Reply in thread on top-level messages when asked', () => {
    const tags = inspect(renderMessage({ ts, user: 'U1', text: 'x' }, { ...ctx, canReply: true }));
    expect(byClass(tags, 'msg-reply-button')[0]).toMatchObject({
      text: 'Reply in thread',
      attrs: { 'data-thread-ts': ts },
    });
  });

  it('passes readOnly on to the blocks', () => {
    const html = renderMessage(
      { ts, user: 'UBOT', blocks: [{ type: 'actions', elements: [button('Go', 'go', '1')] }] },
      { ...ctx, readOnly: true },
    );
    expect(inspect(html).find((t) => t.name === 'button')?.attrs).toHaveProperty('disabled');
  });

  it('escapes every user-visible string', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const html = renderMessage(
      {
        ts: `${ts}"><script>`,
        thread_ts: '"><b>',
        user: evil,
        username: evil,
        text: evil,
        attachments: [{ color: 'danger', title: evil, text: evil, fields: [{ title: evil, value: evil }] }],
      },
      { ...ctx, userName: () => evil, replyCount: 1 },
    );
    inspect(html);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
  });

  it('renders legacy attachments with their colour bar', () => {
    const tags = inspect(
      renderMessage(
        { ts, user: 'U1', text: '', attachments: [{ color: 'good', title: 'Done', text: '*ok*' }] },
        ctx,
      ),
    );
    expect(byClass(tags, 'msg-attachment')[0]?.attrs.class).toBe('msg-attachment msg-attachment-good');
    expect(byClass(tags, 'msg-attachment-title')[0]?.text).toBe('Done');
  });

  it('shows shared files as cards whose link is named after the file', () => {
    const files = [
      { id: 'F1', name: 'adr-2026-01-02.md', title: 'ADR: Managed', size: 3900, filetype: 'md' },
      { id: 'F2', name: '<b>x</b>.json', size: 12, filetype: 'json', url_private: 'javascript:alert(1)' },
    ];
    const fileUrl = (f: { id?: string; name?: string }) =>
      `http://127.0.0.1:3000/files/${f.id}/${encodeURIComponent(f.name ?? '')}`;
    const tags = inspect(renderMessage({ ts, user: 'UBOT', text: 'Here it is', files }, { ...ctx, fileUrl }));
    const links = tags.filter((t) => t.name === 'a');
    expect(links.map((t) => t.text)).toEqual(['adr-2026-01-02.md', '&lt;b&gt;x&lt;/b&gt;.json']);
    expect(links[0]?.attrs.href).toBe('http://127.0.0.1:3000/files/F1/adr-2026-01-02.md');
    expect(byClass(tags, 'msg-file-meta').map((t) => t.text)).toEqual([
      'ADR: Managed · Markdown · 3.8 KB',
      'JSON · 12 B',
    ]);
    // Without a fileUrl only an http(s) url_private becomes a link; anything else stays text.
    const plain = inspect(renderMessage({ ts, user: 'UBOT', text: '', files: [files[1] as never] }, ctx));
    expect(plain.some((t) => t.name === 'a')).toBe(false);
  });

  it('copes with missing fields', () => {
    const html = renderMessage({}, {});
    inspect(html);
    expect(html).toContain('<span class="msg-name">Unknown</span>');
    expect(html).not.toContain('<time');
  });
});
