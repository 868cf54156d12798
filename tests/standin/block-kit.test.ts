import { describe, expect, it } from 'vitest';
import { validateMessage, validateView } from '../../src/slack/blocks/limits.js';
import { BLOCK_KIT_LIMITS, messageProblems, viewProblems } from '../../src/standin/block-kit.js';
import { button, mrkdwn, option, plain, section, select, x } from '../support/block-kit.js';

const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
const times = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
const input = { type: 'input', label: plain('Name'), element: { type: 'plain_text_input', action_id: 'n' } };

/** Messages and the one problem Slack refuses each for (undefined: Slack takes it). */
const MESSAGES: [string, { text?: string; blocks?: unknown[] }, string | undefined][] = [
  [
    'a realistic message',
    {
      text: 'Recommendation',
      blocks: [
        { type: 'header', text: plain('Recommendation') },
        section('*Managed* wins', { accessory: button('details', { value: 'x' }) }),
        { type: 'section', fields: [mrkdwn('*Cost*'), mrkdwn('medium')] },
        { type: 'divider' },
        { type: 'context', elements: [mrkdwn('Based on 12 answers')] },
        actions(button('accept', { style: 'primary' }), select([option('EKS', 'eks')])),
      ],
    },
    undefined,
  ],
  ['nothing at all', {}, 'message: needs text or blocks'],
  ['40,000 characters of text', { text: x(40_000) }, undefined],
  ['40,001 characters of text', { text: x(40_001) }, 'text: 40001 characters, Slack allows 40000'],
  ['50 blocks', { blocks: times(50, () => ({ type: 'divider' })) }, undefined],
  ['51 blocks', { blocks: times(51, () => ({ type: 'divider' })) }, 'blocks: 51 blocks, Slack allows 50'],
  [
    'a long block_id',
    { blocks: [{ type: 'divider', block_id: x(256) }] },
    'blocks[0].block_id: 256 characters',
  ],
  [
    'a repeated block_id',
    {
      blocks: [
        { type: 'divider', block_id: 'a' },
        { type: 'divider', block_id: 'a' },
      ],
    },
    'blocks[1].block_id: "a" is not unique',
  ],
  [
    '3012 characters in a section',
    { blocks: [section(x(3012))] },
    'blocks[0].text.text: 3012 characters, Slack allows 3000',
  ],
  [
    '11 section fields',
    { blocks: [{ type: 'section', fields: times(11, () => mrkdwn('a')) }] },
    'blocks[0].fields: 11 fields',
  ],
  ['a section with neither', { blocks: [{ type: 'section' }] }, 'section needs text or fields'],
  ['a mrkdwn header', { blocks: [{ type: 'header', text: mrkdwn('hi') }] }, 'blocks[0].text.type'],
  [
    '11 context elements',
    { blocks: [{ type: 'context', elements: times(11, () => mrkdwn('a')) }] },
    '11 elements, Slack allows 10',
  ],
  ['26 buttons', { blocks: [actions(...times(26, (i) => button(`b${i}`)))] }, '26 elements, Slack allows 25'],
  [
    'a 76-character button',
    { blocks: [actions(button('a', { text: plain(x(76)) }))] },
    'elements[0].text.text: 76 characters',
  ],
  [
    'a long button value',
    { blocks: [actions(button('a', { value: x(2001) }))] },
    'elements[0].value: 2001 characters',
  ],
  [
    'a long button url',
    { blocks: [actions(button('a', { url: x(3001) }))] },
    'elements[0].url: 3001 characters',
  ],
  [
    'a bad button style',
    { blocks: [actions(button('a', { style: 'loud' }))] },
    'style: must be "primary" or "danger"',
  ],
  [
    'a repeated action_id',
    { blocks: [section('a', { accessory: button('same') }), actions(button('same'))] },
    'blocks[1].elements[0].action_id: "same" is not unique',
  ],
  [
    '101 select options',
    { blocks: [actions(select(times(101, (i) => option(`o${i}`, `v${i}`))))] },
    '101 options, Slack allows 100',
  ],
  [
    'a long option value',
    { blocks: [actions(select([option('t', x(151))]))] },
    'options[0].value: 151 characters',
  ],
  [
    'an unknown text type',
    { blocks: [{ type: 'section', text: { type: 'markdown', text: 'a' } }] },
    '.type: must be',
  ],
  ['an empty section text', { blocks: [section('')] }, 'blocks[0].text.text: must be a non-empty string'],
  ['an unknown block type', { blocks: [{ type: 'bogus' }] }, 'blocks[0].type: unknown block type "bogus"'],
  [
    'an unknown element type',
    { blocks: [actions({ type: 'slider', action_id: 's' })] },
    'unknown element type "slider"',
  ],
  ['an input block in a message', { blocks: [input] }, 'only allowed in views'],
  [
    'an image without alt text',
    { blocks: [{ type: 'image', image_url: 'https://x.test/a.png' }] },
    'alt_text',
  ],
];

describe("the stand-in's own Block Kit table", () => {
  it.each(MESSAGES)('refuses what Slack refuses, and only that: %s', (_name, message, problem) => {
    const problems = messageProblems(message);
    if (problem === undefined) expect(problems).toEqual([]);
    else {
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(problem);
    }
  });

  it.each(MESSAGES)('agrees with the app on whether Slack takes it: %s', (_name, message) => {
    expect(messageProblems(message).length > 0).toBe(validateMessage(message).length > 0);
  });

  it('allows 100 blocks in a home view, not 101, and checks a modal title and submit', () => {
    const dividers = (n: number) => times(n, () => ({ type: 'divider' }));
    expect(viewProblems({ type: 'home', blocks: dividers(BLOCK_KIT_LIMITS.view.blocks) })).toEqual([]);
    expect(viewProblems({ type: 'home', blocks: dividers(101) })).toEqual([
      'blocks: 101 blocks, Slack allows 100',
    ]);
    const modal = { type: 'modal', title: plain('Assess'), submit: plain('Save'), blocks: [input] };
    expect(viewProblems(modal)).toEqual([]);
    expect(validateView(modal)).toEqual([]);
    expect(viewProblems({ ...modal, title: plain(x(25)) })).toEqual([
      'title.text: 25 characters, Slack allows 24',
    ]);
    expect(viewProblems({ type: 'modal', title: plain('A'), blocks: [input] })).toEqual([
      'submit: required when the view has input blocks',
    ]);
    expect(viewProblems({ type: 'popup', blocks: [] })).toEqual(['type: must be "home" or "modal"']);
  });
});
