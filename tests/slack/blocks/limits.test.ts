import { describe, expect, it } from 'vitest';
import {
  assertValidMessage,
  SLACK_LIMITS,
  validateMessage,
  validateView,
} from '../../../src/slack/blocks/limits.js';
import { button, mrkdwn, option, plain, section, select, x } from '../../support/block-kit.js';

/** One error expected, and it must mention this fragment. */
function expectOne(errors: string[], fragment: string) {
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(fragment);
}

describe('validateMessage', () => {
  it('accepts a realistic message', () => {
    const msg = {
      text: 'Recommendation: managed Kubernetes',
      blocks: [
        { type: 'header', text: plain('Recommendation') },
        section('*Managed* wins on patching cadence', { accessory: button('details', { value: 'x' }) }),
        { type: 'section', fields: [mrkdwn('*Cost*'), mrkdwn('medium')] },
        { type: 'divider' },
        { type: 'context', elements: [mrkdwn('Based on 12 answers')] },
        {
          type: 'actions',
          block_id: 'choices',
          elements: [
            button('accept', { style: 'primary' }),
            select([option('EKS', 'eks'), option('GKE', 'gke')]),
          ],
        },
      ],
    };
    expect(validateMessage(msg)).toEqual([]);
    expect(() => assertValidMessage(msg)).not.toThrow();
  });

  it('requires text or blocks', () => {
    expectOne(validateMessage({}), 'needs text or blocks');
    expectOne(validateMessage({ text: '', blocks: [] }), 'needs text or blocks');
  });

  it('limits message text to 40,000 characters', () => {
    expect(validateMessage({ text: x(SLACK_LIMITS.messageText) })).toEqual([]);
    expect(validateMessage({ text: x(40_001) })).toEqual(['text: 40001 characters, Slack allows 40000']);
  });

  it('limits a message to 50 blocks', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateMessage({ blocks: blocks(50) })).toEqual([]);
    expect(validateMessage({ blocks: blocks(51) })).toEqual(['blocks: 51 blocks, Slack allows 50']);
  });

  it('checks block_id length and uniqueness', () => {
    expectOne(
      validateMessage({ blocks: [{ type: 'divider', block_id: x(256) }] }),
      'blocks[0].block_id: 256',
    );
    const dup = [
      { type: 'divider', block_id: 'a' },
      { type: 'divider', block_id: 'a' },
    ];
    expectOne(validateMessage({ blocks: dup }), 'blocks[1].block_id: "a" is not unique');
  });

  it('checks section text, fields and presence', () => {
    expect(validateMessage({ blocks: [section(x(3012))] })).toEqual([
      'blocks[0].text.text: 3012 characters, Slack allows 3000',
    ]);
    const fields = (n: number, len = 5) => Array.from({ length: n }, () => mrkdwn(x(len)));
    expect(validateMessage({ blocks: [{ type: 'section', fields: fields(10) }] })).toEqual([]);
    expectOne(
      validateMessage({ blocks: [{ type: 'section', fields: fields(11) }] }),
      'blocks[0].fields: 11 fields',
    );
    expectOne(
      validateMessage({ blocks: [{ type: 'section', fields: fields(1, 2001) }] }),
      'blocks[0].fields[0].text: 2001 characters, Slack allows 2000',
    );
    expectOne(validateMessage({ blocks: [{ type: 'section' }] }), 'section needs text or fields');
  });

  it('checks header is plain_text up to 150', () => {
    expectOne(validateMessage({ blocks: [{ type: 'header', text: mrkdwn('hi') }] }), 'blocks[0].text.type');
    expectOne(validateMessage({ blocks: [{ type: 'header', text: plain(x(151)) }] }), '151 characters');
  });

  it('checks context and actions element counts', () => {
    const ctx = (n: number) => ({ type: 'context', elements: Array.from({ length: n }, () => mrkdwn('a')) });
    expect(validateMessage({ blocks: [ctx(10)] })).toEqual([]);
    expectOne(validateMessage({ blocks: [ctx(11)] }), 'blocks[0].elements: 11 elements, Slack allows 10');
    const acts = (n: number) => ({
      type: 'actions',
      elements: Array.from({ length: n }, (_, i) => button(`b${i}`)),
    });
    expect(validateMessage({ blocks: [acts(25)] })).toEqual([]);
    expectOne(validateMessage({ blocks: [acts(26)] }), 'blocks[0].elements: 26 elements, Slack allows 25');
  });

  it('checks button text, value, url and action_id', () => {
    const one = (el: unknown) => validateMessage({ blocks: [{ type: 'actions', elements: [el] }] });
    expectOne(one(button('a', { text: plain(x(76)) })), 'blocks[0].elements[0].text.text: 76 characters');
    expectOne(one(button('a', { text: mrkdwn('Go') })), 'elements[0].text.type: must be "plain_text"');
    expectOne(one(button('a', { value: x(2001) })), 'elements[0].value: 2001 characters');
    expectOne(one(button('a', { url: x(3001) })), 'elements[0].url: 3001 characters');
    expectOne(one(button(x(256))), 'elements[0].action_id: 256 characters');
  });

  it('requires action_id unique within the message', () => {
    const blocks = [
      section('a', { accessory: button('same') }),
      { type: 'actions', elements: [button('same')] },
    ];
    expectOne(validateMessage({ blocks }), 'blocks[1].elements[0].action_id: "same" is not unique');
  });

  it('checks static_select options and placeholder', () => {
    const one = (el: unknown) => validateMessage({ blocks: [{ type: 'actions', elements: [el] }] });
    const many = (n: number) => Array.from({ length: n }, (_, i) => option(`o${i}`, `v${i}`));
    expect(one(select(many(100)))).toEqual([]);
    expectOne(one(select(many(101))), 'elements[0].options: 101 options, Slack allows 100');
    expectOne(one(select([option(x(76), 'v')])), 'options[0].text.text: 76 characters');
    expectOne(one(select([option('t', x(151))])), 'options[0].value: 151 characters');
    expectOne(one(select(many(1), { placeholder: plain(x(151)) })), 'placeholder.text: 151 characters');
  });

  it('checks text objects have a known type and non-empty text', () => {
    expectOne(
      validateMessage({ blocks: [{ type: 'section', text: { type: 'markdown', text: 'a' } }] }),
      '.type: must be',
    );
    expectOne(validateMessage({ blocks: [section('')] }), 'blocks[0].text.text: must be a non-empty string');
  });

  it('reports unknown block types and input blocks in messages', () => {
    expectOne(
      validateMessage({ blocks: [{ type: 'carousel' }] }),
      'blocks[0].type: unknown block type "carousel"',
    );
    const input = {
      type: 'input',
      label: plain('Name'),
      element: { type: 'plain_text_input', action_id: 'n' },
    };
    expectOne(validateMessage({ blocks: [input] }), 'only allowed in views');
  });

  it('assertValidMessage lists all problems', () => {
    expect(() => assertValidMessage({ blocks: [{ type: 'nope' }, section(x(3001))] })).toThrow(
      /2 problems[\s\S]*unknown block type[\s\S]*3001 characters/,
    );
  });
});

describe('validateView', () => {
  const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));

  it('allows 100 blocks in a home view, not 101', () => {
    expect(validateView({ type: 'home', blocks: dividers(100) })).toEqual([]);
    expect(validateView({ type: 'home', blocks: dividers(101) })).toEqual([
      'blocks: 101 blocks, Slack allows 100',
    ]);
  });

  it('checks modal title and submit', () => {
    const input = {
      type: 'input',
      label: plain('Name'),
      element: { type: 'plain_text_input', action_id: 'n' },
    };
    const ok = { type: 'modal', title: plain('Assess'), submit: plain('Save'), blocks: [input] };
    expect(validateView(ok)).toEqual([]);
    expectOne(validateView({ ...ok, title: plain(x(25)) }), 'title.text: 25 characters, Slack allows 24');
    expectOne(validateView({ type: 'modal', title: plain('A'), blocks: [input] }), 'submit: required');
  });

  it('rejects unknown view types', () => {
    expectOne(validateView({ type: 'popup', blocks: [] }), 'type: must be "home" or "modal"');
  });
});
