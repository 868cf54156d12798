// The playground page: a Slack-like workspace with channels, threads, direct messages with the app and its Home
// tab. Plain browser ES module, no build step.
//
// It plays the Slack client only. What a person does goes to the playground server (/api/command, /api/message,
// /api/action, /api/home, /api/view-action), which sends the app the signed requests Slack would; what the app
// posts comes back as the Slack stand-in's ordered changes over server-sent events (/api/events), applied once
// each, in seq order. The server sends only what the person chosen under "You are" may see (their DMs, their
// ephemerals, their Home), so switching person reloads everything.

import { renderMessage } from './blocks.js';
import { permalinkTarget, renderHome } from './home.js';
import { escapeHtml } from './mrkdwn.js';
import { grantFocusWish, reconcile } from './reconcile.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const USER_KEY = 'k8s-advisor-playground:user';

const state = {
  boot: '',
  seq: 0,
  /** @type {Map<string, any>} */ users: new Map(),
  /** @type {any[]} */ channels: [],
  /** @type {Map<string, any>} keyed channel/ts */ messages: new Map(),
  /** @type {any[]} refused changes */ refused: [],
  botUserId: '',
  publicOrigin: '',
  /** The person's published Home view: { id, hash, blocks } or null. */
  home: null,
  /** Conversations with messages the person has not looked at. */
  unread: new Set(),
  me: '',
  /** 'channel' (a channel or DM, with its thread) or 'home' (the app's Home tab). */
  view: 'channel',
  channel: '',
  thread: '',
};

const key = (channel, ts) => `${channel}/${ts}`;
const tsNumber = (ts) => Number(ts) || 0;
const byTs = (a, b) => tsNumber(a.ts) - tsNumber(b.ts);

// ---------- talking to the server ----------

function showNotice(text, kind = 'error') {
  const notice = $('pg-notice');
  notice.dataset.kind = kind;
  notice.innerHTML =
    `<span class="pg-notice-text">${escapeHtml(text)}</span>` +
    (kind === 'error' ? '<button type="button" class="pg-notice-dismiss">Dismiss</button>' : '');
  notice.hidden = false;
}

function clearNotice(kind) {
  const notice = $('pg-notice');
  if (!kind || notice.dataset.kind === kind) notice.hidden = true;
}

async function post(path, body) {
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
async function loadState() {
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
function connect() {
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

async function resync() {
  source?.close();
  try {
    await loadState();
    clearNotice('offline');
  } catch {
    setTimeout(resync, 2000);
    return;
  }
  renderAll();
  connect();
}

/** Applies one change from the stand-in; anything at or below the last seq seen was applied already. */
function apply(change) {
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
  scheduleRender();
}

function noteUnread(m) {
  const looking = state.view === 'channel' && state.channel === m.channel;
  if (looking || m.user === state.me) return;
  state.unread.add(m.channel);
  renderSidebar();
}

// ---------- rendering ----------

const nameOf = (id) => {
  const u = state.users.get(id);
  return u ? u.real_name || u.name : id;
};
const channelOf = (id) => state.channels.find((c) => c.id === id);
const appName = () => nameOf(state.botUserId) || 'k8s-advisor';
/** How a conversation is named on the page: #channel, or the app's name for a DM with it. */
const titleOf = (c) => (c?.is_im ? appName() : `#${c?.name ?? ''}`);
const ctx = (extra) => ({
  userName: nameOf,
  channelName: (id) => {
    const c = channelOf(id);
    return c?.is_im ? 'direct messages' : (c?.name ?? id);
  },
  // Files are served by this page's own server, whatever port it runs on.
  fileUrl: (f) =>
    f.id && f.name
      ? `${location.origin}/files/${encodeURIComponent(f.id)}/${encodeURIComponent(f.name)}`
      : undefined,
  ...extra,
});
const visible = (m) => !m.is_ephemeral || m.visible_to === state.me;

function refusedHtml(c) {
  const errors = (c.errors ?? []).map((e) => `<li><code class="md-code">${escapeHtml(e)}</code></li>`);
  return (
    `<div class="pg-refused" role="alert"><p><strong>Slack refused <code class="md-code">${escapeHtml(c.method)}</code>` +
    ` with <code class="md-code">${escapeHtml(c.error)}</code></strong>: the app's message was not posted.</p>` +
    `${errors.length ? `<ul>${errors.join('')}</ul>` : ''}</div>`
  );
}

const refusalItem = (c) => ({ key: `refused:${c.seq}`, sort: c.time / 1000, html: refusedHtml(c) });

function channelItems() {
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

function threadItems() {
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

function emptyChannelHint() {
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

function renderSidebar() {
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

/** A person picked under "You are" who exists and is not the bot (else the first person). */
function settleMe() {
  const people = [...state.users.values()].filter((u) => !u.is_bot);
  if (!state.users.get(state.me) || state.users.get(state.me).is_bot) state.me = people[0]?.id ?? '';
}

function renderAll() {
  settleMe();
  if (!channelOf(state.channel)) state.channel = state.channels.find((c) => !c.is_im)?.id ?? '';
  if (state.view === 'home') state.thread = '';
  if (state.thread && !state.messages.has(key(state.channel, state.thread))) state.thread = '';
  state.unread.delete(state.view === 'channel' ? state.channel : '');
  renderSidebar();
  const home = state.view === 'home';
  const channel = channelOf(state.channel);
  const title = home ? appName() : titleOf(channel);
  $('pg-channel-title').textContent = title.replace(/^#/, '# ');
  $('pg-channel-topic').textContent = home
    ? 'Home'
    : channel?.is_im
      ? 'Direct messages: only you and the app see them'
      : (channel?.topic ?? '');
  const me = nameOf(state.me);
  $('pg-channel-input').setAttribute('placeholder', `Message ${title} as ${me}: try /k8s-advisor`);
  $('pg-thread-input').setAttribute('placeholder', `Reply as ${me}…`);
  $('pg-thread-channel').textContent = titleOf(channel);
  $('pg-thread').hidden = !state.thread;
  $('pg-channel-messages').hidden = home;
  $('pg-channel-composer').hidden = home;
  $('pg-home-view').hidden = !home;
  document.title = `${home ? 'Home' : title} · k8s-advisor playground`;
  render();
}

let homeHtml = '';
function renderHomeView() {
  const html = renderHome(state.home, ctx());
  if (html === homeHtml) return;
  const pane = $('pg-home-view');
  // Keep a keyboard user's place when the app republishes the view under them.
  const focused = document.activeElement instanceof HTMLElement && pane.contains(document.activeElement);
  const actionId = focused ? /** @type {HTMLElement} */ (document.activeElement).dataset.actionId : undefined;
  pane.innerHTML = html;
  homeHtml = html;
  if (actionId) pane.querySelector(`[data-action-id="${CSS.escape(actionId)}"]`)?.focus();
}

function render() {
  if (state.view === 'home') renderHomeView();
  else reconcile($('pg-channel-messages'), channelItems(), emptyChannelHint());
  if (state.thread) reconcile($('pg-thread-messages'), threadItems(), 'This thread is empty.');
  grantFocusWish();
}

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => {
    renderQueued = false;
    render();
  }, 0);
}

// ---------- navigation: channel, thread and person survive a reload ----------

const HOME_HASH = '@home';

function saveLocation() {
  if (state.view === 'home') return history.replaceState(null, '', `#${HOME_HASH}`);
  const name = channelOf(state.channel)?.name ?? '';
  history.replaceState(null, '', `#${name}${state.thread ? `/${state.thread}` : ''}`);
}

function readLocation() {
  const [name = '', thread = ''] = decodeURIComponent(location.hash.slice(1)).split('/');
  state.view = name === HOME_HASH ? 'home' : 'channel';
  const fallback = state.channels.find((c) => !c.is_im)?.id ?? '';
  state.channel = state.channels.find((c) => c.name === name)?.id ?? (state.channel || fallback);
  state.thread = state.view === 'home' ? '' : thread;
}

function openThread(ts, focus) {
  state.thread = ts;
  saveLocation();
  $('pg-thread-messages').innerHTML = '';
  renderAll();
  const pane = $('pg-thread-messages');
  pane.scrollTop = pane.scrollHeight;
  if (focus) $('pg-thread-input').focus();
}

function closeThread() {
  const ts = state.thread;
  state.thread = '';
  saveLocation();
  renderAll();
  document
    .querySelector(`#pg-channel-messages article[data-ts="${CSS.escape(ts)}"] .msg-thread-link`)
    ?.focus();
}

function switchChannel(id) {
  state.view = 'channel';
  state.channel = id;
  state.thread = '';
  saveLocation();
  $('pg-channel-messages').innerHTML = '';
  renderAll();
  const pane = $('pg-channel-messages');
  pane.scrollTop = pane.scrollHeight;
}

/** The Home tab: shows the view the app last published for this person, and tells the app it was opened. */
function openHome() {
  state.view = 'home';
  state.thread = '';
  saveLocation();
  renderAll();
  void post('/api/home', { user: state.me });
}

/** A permalink to one of this workspace's messages opens its conversation and thread here, as in Slack. */
function followPermalink(anchor, event) {
  const target = permalinkTarget(anchor.href, [location.origin, state.publicOrigin].filter(Boolean));
  if (!target || !channelOf(target.channel)) return;
  event.preventDefault();
  const message = state.messages.get(key(target.channel, target.ts));
  state.view = 'channel';
  state.channel = target.channel;
  openThread(target.threadTs ?? message?.thread_ts ?? target.ts, true);
}

/** Another person: everything private (DMs, ephemerals, Home) is theirs, so the page loads afresh. */
async function switchPerson(id) {
  state.me = id;
  localStorage.setItem(USER_KEY, id);
  // Until the new person's state arrives, show nothing that was the last one's alone.
  const dms = new Set(state.channels.filter((c) => c.is_im).map((c) => c.id));
  for (const [k, m] of state.messages) if (m.is_ephemeral || dms.has(m.channel)) state.messages.delete(k);
  state.channels = state.channels.filter((c) => !c.is_im);
  state.home = null;
  state.unread.clear();
  homeHtml = '';
  renderAll();
  await resync();
  if (state.view === 'home') void post('/api/home', { user: state.me });
}

// ---------- what a person does ----------

async function send(text, threadTs) {
  // A line starting with a slash is a command, as in Slack; the server knows which ones are installed.
  if (/^\/\S/.test(text)) return post('/api/command', { channel: state.channel, user: state.me, text });
  const body = { channel: state.channel, user: state.me, text };
  return post('/api/message', threadTs ? { ...body, thread_ts: threadTs } : body);
}

function setUpComposer(formId, inputId, threadOf) {
  const form = /** @type {HTMLFormElement} */ ($(formId));
  const input = /** @type {HTMLTextAreaElement} */ ($(inputId));
  const autosize = () => {
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  };
  input.addEventListener('input', autosize);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    autosize();
    if (!(await send(text, threadOf()))) {
      if (!input.value) input.value = text; // give the words back rather than lose them
      autosize();
    }
  });
}

async function act(control, extra) {
  const row = control.closest('article.msg');
  const onHome = !row && control.closest('#pg-home-view');
  if ((!row && !onHome) || control.getAttribute('aria-busy') === 'true') return;
  const confirm = control.dataset.confirm && JSON.parse(control.dataset.confirm);
  if (confirm && !window.confirm(`${confirm.title}\n\n${confirm.text}`)) return;
  if (control.dataset.url) window.open(control.dataset.url, '_blank', 'noopener');
  control.setAttribute('aria-busy', 'true');
  try {
    if (onHome) {
      const value = control.dataset.value;
      await post('/api/view-action', {
        user: state.me,
        action_id: control.dataset.actionId,
        ...(value !== undefined && { value }),
      });
      return;
    }
    await post('/api/action', {
      channel: state.channel,
      user: state.me,
      message_ts: row.dataset.ts,
      action_id: control.dataset.actionId,
      block_id: control.dataset.blockId,
      ...extra,
    });
  } finally {
    control.removeAttribute('aria-busy');
  }
}

document.addEventListener('click', (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const anchor = target.closest('a[href]');
  if (anchor instanceof HTMLAnchorElement) return followPermalink(anchor, event);
  const button = target.closest('button');
  if (!button) return;
  if (button.matches('.msg-thread-link, .msg-reply-button')) openThread(button.dataset.threadTs, true);
  else if (button.matches('.bk-btn')) void act(button, {});
  else if (button.id === 'pg-home') openHome();
  else if (button.matches('.pg-channel')) switchChannel(button.dataset.channel);
  else if (button.id === 'pg-thread-close') closeThread();
  else if (button.matches('.pg-notice-dismiss')) clearNotice();
});

document.addEventListener('change', (event) => {
  const target = /** @type {HTMLSelectElement} */ (event.target);
  if (target.id === 'pg-user') void switchPerson(target.value);
  else if (target.matches('.bk-select') && target.value) {
    const option = target.selectedOptions[0];
    void act(target, {
      selected_option: { value: target.value, text: option?.dataset.text ?? option?.text },
    });
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state.thread && $('pg-thread').contains(document.activeElement))
    closeThread();
});

window.addEventListener('hashchange', () => {
  readLocation();
  renderAll();
});

setUpComposer('pg-channel-composer', 'pg-channel-input', () => undefined);
setUpComposer('pg-thread-composer', 'pg-thread-input', () => state.thread);

async function start() {
  state.me = localStorage.getItem(USER_KEY) ?? '';
  try {
    await loadState();
    const asked = state.me;
    settleMe();
    if (state.me !== asked) await loadState(); // nobody chosen yet: load as the first person
  } catch {
    $('pg-channel-messages').innerHTML =
      '<div class="pg-empty">The playground server does not answer. Start it with <code class="md-code">npm start</code> and reload.</div>';
    return;
  }
  readLocation();
  renderAll();
  for (const pane of document.querySelectorAll('.pg-messages')) pane.scrollTop = pane.scrollHeight;
  connect();
  if (state.view === 'home') void post('/api/home', { user: state.me });
  $(state.thread ? 'pg-thread-input' : 'pg-channel-input').focus();
}

void start();
