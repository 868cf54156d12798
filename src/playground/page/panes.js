// What the panes and the sidebar show: message rows for the channel and the thread, refusals, and the list of
// conversations. Plain browser ES module.

import { renderMessage } from './blocks.js';
import { escapeHtml } from './mrkdwn.js';
import { $, appName, byTs, channelOf, ctx, key, state, tsNumber, visible } from './state.js';

function refusedHtml(c) {
  const errors = (c.errors ?? []).map((e) => `<li><code class="md-code">${escapeHtml(e)}</code></li>`);
  return (
    `<div class="pg-refused" role="alert"><p><strong>Slack refused <code class="md-code">${escapeHtml(c.method)}</code>` +
    ` with <code class="md-code">${escapeHtml(c.error)}</code></strong>: the app's message was not posted.</p>` +
    `${errors.length ? `<ul>${errors.join('')}</ul>` : ''}</div>`
  );
}

const refusalItem = (c) => ({ key: `refused:${c.seq}`, sort: c.time / 1000, html: refusedHtml(c) });

export function channelItems() {
  const messages = [...state.messages.values()]
    .filter((m) => m.channel === state.channel && visible(m))
    .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast)
    .sort(byTs)
    .map((m) => ({ key: m.ts, sort: tsNumber(m.ts), html: renderMessage(m, ctx({ canReply: true })) }));
  const refused = state.refused
    .filter((c) => (c.channel ?? state.channel) === state.channel)
    .map(refusalItem);
  return [...messages, ...refused].sort((a, b) => a.sort - b.sort);
}

export function threadItems() {
  const inThread = (ts) => {
    const m = state.messages.get(key(state.channel, ts));
    return ts === state.thread || m?.thread_ts === state.thread;
  };
  const messages = [...state.messages.values()]
    .filter((m) => m.channel === state.channel && visible(m))
    .filter((m) => m.ts === state.thread || m.thread_ts === state.thread)
    .sort(byTs)
    .map((m) => ({ key: m.ts, sort: tsNumber(m.ts), html: renderMessage(m, ctx({ replyCount: 0 })) }));
  const refused = state.refused
    .filter((c) => c.channel === state.channel)
    .filter((c) => c.args?.thread_ts === state.thread || (c.args?.ts && inThread(String(c.args.ts))))
    .map(refusalItem);
  return [...messages, ...refused].sort((a, b) => a.sort - b.sort);
}

export function emptyChannelHint() {
  const channel = channelOf(state.channel);
  if (channel?.is_im) {
    return (
      `<p><strong>This is your conversation with ${escapeHtml(appName())}.</strong> Only you see it.</p>` +
      '<p>Try <code class="md-code">/k8s-advisor export</code>, or start an assessment from the Home tab.</p>'
    );
  }
  const name = escapeHtml(channel?.name ?? '');
  return (
    `<p><strong>This is the start of #${name}.</strong></p>` +
    '<p>Type <code class="md-code">/k8s-advisor</code> in the message box below and press Enter: the app posts a ' +
    'message here and asks its questions in the thread. Answer with the buttons or by replying.</p>' +
    '<p>Switch person under <em>You are</em> to see what someone else sees.</p>'
  );
}

function conversationButton(c, label, extraClass) {
  const current = state.view === 'channel' && c.id === state.channel;
  const unread = state.unread.has(c.id) ? ' has-unread' : '';
  return (
    `<li><button type="button" class="pg-channel${extraClass}${unread}" data-channel="${escapeHtml(c.id)}"` +
    `${current ? ' aria-current="true"' : ''}>${escapeHtml(label)}</button></li>`
  );
}

export function renderSidebar() {
  const dms = state.channels.filter((c) => c.is_im);
  $('pg-channels').innerHTML = state.channels
    .filter((c) => !c.is_im)
    .map((c) => conversationButton(c, c.name, ''))
    .join('');
  $('pg-dms').innerHTML = dms.map((c) => conversationButton(c, appName(), ' pg-dm')).join('');
  $('pg-dms-empty').hidden = dms.length > 0;
  const home = $('pg-home');
  if (state.view === 'home') home.setAttribute('aria-current', 'page');
  else home.removeAttribute('aria-current');
  const select = /** @type {HTMLSelectElement} */ ($('pg-user'));
  select.innerHTML = [...state.users.values()]
    .filter((u) => !u.is_bot)
    .map((u) => {
      const label = u.title ? `${u.real_name} (${u.title})` : u.real_name;
      return `<option value="${escapeHtml(u.id)}"${u.id === state.me ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    })
    .join('');
}
