// The app's Home tab and the links in it, for the playground page. Plain browser ES module.

import { renderBlocks } from './blocks.js';

/**
 * HTML of a published Home view (views.publish), or a placeholder while the app has not published one.
 * Buttons carry data-action-id and data-value like message buttons; the page sends them as view actions.
 */
export function renderHome(home, ctx = {}) {
  if (!home || !Array.isArray(home.blocks)) {
    return '<div class="pg-empty">Opening the app’s Home tab…</div>';
  }
  return `<div class="pg-home-blocks" data-view-id="${String(home.id ?? '').replace(/[^\w-]/g, '')}">${renderBlocks(home.blocks, ctx)}</div>`;
}

/**
 * The conversation and thread a chat.getPermalink link points at, when it is one of this workspace's
 * (https://<origin>/archives/<channel>/p<ts>[?thread_ts=…]); undefined for any other link.
 */
export function permalinkTarget(href, origins) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (!origins.includes(url.origin)) return undefined;
  const [, root, channel, p] = url.pathname.split('/');
  if (root !== 'archives' || !channel || !/^p\d{7,}$/.test(p ?? '')) return undefined;
  const ts = `${p.slice(1, -6)}.${p.slice(-6)}`;
  return { channel, ts, threadTs: url.searchParams.get('thread_ts') ?? undefined };
}
