// Talking to the playground server: the state for one person, the ordered change stream, and posting what they do.
// Plain browser ES module. Rendering is the page's (setRenderer), so this module never imports it.

import { escapeHtml } from './mrkdwn.js';
import { $, channelOf, key, state } from './state.js';

const renderer = { all: () => {}, soon: () => {}, sidebar: () => {} };

/** all: everything after a reload of the state; soon: after a change; sidebar: unread marks. */
export function setRenderer(r) {
  Object.assign(renderer, r);
}

export function showNotice(text, kind = 'error') {
  const notice = $('pg-notice');
  notice.dataset.kind = kind;
  notice.innerHTML =
    `<span class="pg-notice-text">${escapeHtml(text)}</span>` +
    (kind === 'error' ? '<button type="button" class="pg-notice-dismiss">Dismiss</button>' : '');
  notice.hidden = false;
}

export function clearNotice(kind) {
  const notice = $('pg-notice');
  if (!kind || notice.dataset.kind === kind) notice.hidden = true;
}

export async function post(path, body) {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
    if (!res.ok || data.ok === false) {
      showNotice(data.detail ? `${data.error}: ${data.detail}` : `Slack could not send that: ${data.error}`);
      return false;
    }
    return true;
  } catch {
    showNotice('The playground server does not answer. Is `npm start` still running?');
    return false;
  }
}

const asMe = () => `user=${encodeURIComponent(state.me)}`;

let loads = 0;
export async function loadState() {
  const load = ++loads;
  const res = await fetch(`/api/state?${asMe()}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const s = await res.json();
  if (load !== loads) return; // a later load (another person chosen meanwhile) wins
  state.boot = s.boot;
  state.botUserId = s.botUserId ?? '';
  state.publicOrigin = s.publicOrigin ?? '';
  state.home = s.home ?? null;
  state.seq = s.seq;
  state.users = new Map(s.users.map((u) => [u.id, u]));
  state.channels = s.channels;
  state.messages = new Map(s.messages.map((m) => [key(m.channel, m.ts), m]));
  state.refused = s.refused;
}

let source;
export function connect() {
  source?.close();
  source = new EventSource(`/api/events?after=${state.seq}&${asMe()}`);
  source.addEventListener('hello', (event) => {
    // A different boot means the server restarted: its seq numbers start over, so start over too.
    if (JSON.parse(event.data).boot !== state.boot) void resync();
    else clearNotice('offline');
  });
  source.addEventListener('message', (event) => apply(JSON.parse(event.data)));
  source.addEventListener('error', () => {
    showNotice('Lost the connection to the playground server; reconnecting…', 'offline');
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
  });
}

export async function resync() {
  source?.close();
  try {
    await loadState();
    clearNotice('offline');
  } catch {
    setTimeout(resync, 2000);
    return;
  }
  renderer.all();
  connect();
}

/** Applies one change from the stand-in; anything at or below the last seq seen was applied already. */
export function apply(change) {
  if (change.seq <= state.seq) return;
  state.seq = change.seq;
  const k = key(change.channel, change.ts);
  switch (change.kind) {
    case 'message':
    case 'ephemeral':
    case 'file': {
      const m = change.message;
      if (!m) return;
      // A conversation this page does not know yet: a DM the app just opened. Fetch the sidebar again.
      if (!channelOf(m.channel)) return void resync();
      state.messages.set(k, m);
      noteUnread(m);
      const parent = m.thread_ts && m.thread_ts !== m.ts && state.messages.get(key(m.channel, m.thread_ts));
      // The stand-in counts replies on the parent as Slack does; the change carries only the reply.
      if (parent && !m.is_ephemeral) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.latest_reply = m.ts;
      }
      break;
    }
    case 'update':
      state.messages.set(k, change.message);
      break;
    case 'delete': {
      const gone = state.messages.get(k);
      state.messages.delete(k);
      const parent = gone?.thread_ts && state.messages.get(key(gone.channel, gone.thread_ts));
      if (parent && parent !== gone && parent.reply_count) parent.reply_count -= 1;
      break;
    }
    case 'refused':
      state.refused.push(change);
      showNotice(`Slack refused a message from the app (${change.method}: ${change.error}). Details below.`);
      break;
    case 'view':
      // The server sends only this person's Home.
      if (change.view)
        state.home = { id: change.view.id, hash: change.view.hash, blocks: change.view.blocks };
      break;
    case 'reset':
      void resync();
      return;
    default:
      return;
  }
  renderer.soon();
}

function noteUnread(m) {
  const looking = state.view === 'channel' && state.channel === m.channel;
  if (looking || m.user === state.me) return;
  state.unread.add(m.channel);
  renderer.sidebar();
}
