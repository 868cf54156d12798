import type { KnownBlock, MessageMetadata } from '@slack/types';

/** Small helpers for Block Kit text; every builder goes through these so limits are kept in one place. */

export type Block = Record<string, unknown> & { type: string; block_id?: string };

export interface SlackMessage {
  text: string;
  blocks: Block[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** Narrows our loosely typed builders to the SDK's argument types at the one place they meet. */
export const toSlack = (m: SlackMessage) => ({
  text: m.text,
  blocks: m.blocks as unknown as KnownBlock[],
  ...(m.metadata && { metadata: m.metadata as MessageMetadata }),
});

/** Slack wants only &, < and > escaped in user-supplied text. */
export const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: clip(text, 3000) });
export const plain = (text: string, max = 3000) => ({
  type: 'plain_text',
  text: clip(text, max),
  emoji: true,
});

export const section = (text: string, blockId?: string): Block => ({
  type: 'section',
  ...(blockId && { block_id: blockId }),
  text: mrkdwn(text),
});

export const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts.slice(0, 10).map((t) => mrkdwn(t)),
});

export const header = (text: string): Block => ({ type: 'header', text: plain(text, 150) });

export const divider = (): Block => ({ type: 'divider' });

export const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  text: plain(text, 75),
  action_id: actionId,
  value,
  ...(style && { style }),
});

/** A titled bullet list, split over several sections when it would pass Slack's 3000 characters. */
export function bulletSections(title: string, lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current = title;
  for (const line of lines.map((l) => `• ${l}`)) {
    if (current.length + line.length + 1 > 3000) {
      blocks.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) blocks.push(section(current));
  return blocks;
}
