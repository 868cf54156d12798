// The playground page: a Slack-like channel with threads. Plain browser ES module, no build step.
//
// It plays the Slack client only. What a person does goes to the playground server (/api/command, /api/message,
// /api/action), which sends the app the signed requests Slack would; what the app posts comes back as the Slack
// stand-in's ordered changes over server-sent events (/api/events), applied once each, in seq order.

import { renderMessage } from './blocks.js';
import { escapeHtml } from './mrkdwn.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const USER_KEY = 'k8s-advisor-playground:user';

const state = {
  boot: '',
  seq: 0,
  /** @type {Map<string, any>} */ users: new Map(),
  /** @type {any[]} */ channels: [],
  /** @type {Map<string, any>} keyed channel/ts */ messages: new Map(),
  /** @type {any[]} refused changes */ refused: [],
  me: '',
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

async function loadState() {
  const res = await fetch('/api/state', { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const s = await res.json();
  state.boot = s.boot;
  state.seq = s.seq;
  state.users = new Map(s.users.map((u) => [u.id, u]));
  state.channels = s.channels;
  state.messages = new Map(s.messages.map((m) => [key(m.channel, m.ts), m]));
  state.refused = s.refused;
}

let source;
function connect() {
  source?.close();
  source = new EventSource(`/api/events?after=${state.seq}`);
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
    case 'ephemeral': {
      const m = change.message;
      state.messages.set(k, m);
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
    case 'reset':
      void resync();
      return;
    default:
      return; // views and files have no place on this page
  }
  scheduleRender();
}

// ---------- rendering ----------

const nameOf = (id) => {
  const u = state.users.get(id);
  return u ? u.real_name || u.name : id;
};
const channelOf = (id) => state.channels.find((c) => c.id === id);
const ctx = (extra) => ({ userName: nameOf, channelName: (id) => channelOf(id)?.name ?? id, ...extra });
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

const rendered = new WeakMap();

/** Updates a list in place, keyed: unchanged rows keep their DOM (and focus), changed rows are replaced. */
function reconcile(container, items, empty) {
  const nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 120;
  const existing = new Map();
  for (const el of [...container.children]) {
    if (el instanceof HTMLElement && el.dataset.key) existing.set(el.dataset.key, el);
    else el.remove();
  }
  let previous = null;
  let added = false;
  for (const item of items) {
    let el = existing.get(item.key);
    existing.delete(item.key);
    if (!el || rendered.get(el) !== item.html) {
      const template = document.createElement('template');
      template.innerHTML = item.html;
      const fresh = /** @type {HTMLElement} */ (template.content.firstElementChild);
      fresh.dataset.key = item.key;
      rendered.set(fresh, item.html);
      if (el) {
        keepFocus(el, fresh);
        el.replaceWith(fresh);
      } else added = true;
      el = fresh;
    }
    const want = previous ? previous.nextElementSibling : container.firstElementChild;
    if (want !== el) container.insertBefore(el, want);
    previous = el;
  }
  for (const el of existing.values()) el.remove();
  if (items.length === 0) container.innerHTML = `<div class="pg-empty">${empty}</div>`;
  if (added && nearBottom) container.scrollTop = container.scrollHeight;
}

// Keyboard users keep their place: when the focused row is replaced, focus the same control in the new row,
// or, when the answer removed it, the first control of the next question to arrive in that pane.
let focusWish;
function keepFocus(oldEl, fresh) {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !oldEl.contains(active)) return;
  const actionId = active.dataset.actionId;
  // A thread's "Reply in thread" turns into "1 reply" when the first reply lands: the same place either way.
  const selector = actionId
    ? `[data-action-id="${CSS.escape(actionId)}"]`
    : '.msg-thread-link, .msg-reply-button';
  const same = fresh.querySelector(`:is(${selector}):not(:disabled)`);
  if (same instanceof HTMLElement) {
    queueMicrotask(() => same.focus());
    return;
  }
  if (actionId) {
    focusWish = {
      pane: oldEl.closest('.pg-messages'),
      after: tsNumber(oldEl.dataset.ts),
      until: Date.now() + 4000,
    };
  }
}

function grantFocusWish() {
  if (!focusWish) return;
  const { pane, after, until } = focusWish;
  if (Date.now() > until || !pane?.isConnected) {
    focusWish = undefined;
    return;
  }
  const active = document.activeElement;
  if (active && active !== document.body) {
    focusWish = undefined;
    return;
  }
  for (const row of pane.querySelectorAll('article.msg')) {
    const control =
      tsNumber(row.dataset.ts) > after && row.querySelector('.bk-btn:not(:disabled), .bk-select');
    if (control) {
      focusWish = undefined;
      return control.focus();
    }
  }
}

function emptyChannelHint() {
  const name = escapeHtml(channelOf(state.channel)?.name ?? '');
  return (
    `<p><strong>This is the start of #${name}.</strong></p>` +
    '<p>Type <code class="md-code">/k8s-advisor</code> in the message box below and press Enter: the app posts a ' +
    'message here and asks its questions in the thread. Answer with the buttons or by replying.</p>' +
    '<p>Switch person under <em>You are</em> to see what someone else sees.</p>'
  );
}

function renderSidebar() {
  $('pg-channels').innerHTML = state.channels
    .map(
      (c) =>
        `<li><button type="button" class="pg-channel" data-channel="${escapeHtml(c.id)}"` +
        `${c.id === state.channel ? ' aria-current="true"' : ''}>${escapeHtml(c.name)}</button></li>`,
    )
    .join('');
  const select = /** @type {HTMLSelectElement} */ ($('pg-user'));
  select.innerHTML = [...state.users.values()]
    .filter((u) => !u.is_bot)
    .map((u) => {
      const label = u.title ? `${u.real_name} (${u.title})` : u.real_name;
      return `<option value="${escapeHtml(u.id)}"${u.id === state.me ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    })
    .join('');
}

function renderAll() {
  const people = [...state.users.values()].filter((u) => !u.is_bot);
  if (!state.users.get(state.me) || state.users.get(state.me).is_bot) state.me = people[0]?.id ?? '';
  if (!channelOf(state.channel)) state.channel = state.channels[0]?.id ?? '';
  if (state.thread && !state.messages.has(key(state.channel, state.thread))) state.thread = '';
  renderSidebar();
  const channel = channelOf(state.channel);
  $('pg-channel-title').textContent = `# ${channel?.name ?? ''}`;
  $('pg-channel-topic').textContent = channel?.topic ?? '';
  const me = nameOf(state.me);
  $('pg-channel-input').setAttribute(
    'placeholder',
    `Message #${channel?.name ?? ''} as ${me}: try /k8s-advisor`,
  );
  $('pg-thread-input').setAttribute('placeholder', `Reply as ${me}…`);
  $('pg-thread-channel').textContent = `# ${channel?.name ?? ''}`;
  $('pg-thread').hidden = !state.thread;
  document.title = `#${channel?.name ?? ''} · k8s-advisor playground`;
  render();
}

function render() {
  reconcile($('pg-channel-messages'), channelItems(), emptyChannelHint());
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

function saveLocation() {
  const name = channelOf(state.channel)?.name ?? '';
  history.replaceState(null, '', `#${name}${state.thread ? `/${state.thread}` : ''}`);
}

function readLocation() {
  const [name = '', thread = ''] = decodeURIComponent(location.hash.slice(1)).split('/');
  state.channel = state.channels.find((c) => c.name === name)?.id ?? state.channels[0]?.id ?? '';
  state.thread = thread;
  state.me = localStorage.getItem(USER_KEY) ?? '';
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
  state.channel = id;
  state.thread = '';
  saveLocation();
  $('pg-channel-messages').innerHTML = '';
  renderAll();
  const pane = $('pg-channel-messages');
  pane.scrollTop = pane.scrollHeight;
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
  if (!row || control.getAttribute('aria-busy') === 'true') return;
  const confirm = control.dataset.confirm && JSON.parse(control.dataset.confirm);
  if (confirm && !window.confirm(`${confirm.title}\n\n${confirm.text}`)) return;
  if (control.dataset.url) window.open(control.dataset.url, '_blank', 'noopener');
  control.setAttribute('aria-busy', 'true');
  try {
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
  const button = target.closest('button');
  if (!button) return;
  if (button.matches('.msg-thread-link, .msg-reply-button')) openThread(button.dataset.threadTs, true);
  else if (button.matches('.bk-btn')) void act(button, {});
  else if (button.matches('.pg-channel')) switchChannel(button.dataset.channel);
  else if (button.id === 'pg-thread-close') closeThread();
  else if (button.matches('.pg-notice-dismiss')) clearNotice();
});

document.addEventListener('change', (event) => {
  const target = /** @type {HTMLSelectElement} */ (event.target);
  if (target.id === 'pg-user') {
    state.me = target.value;
    localStorage.setItem(USER_KEY, state.me);
    renderAll();
  } else if (target.matches('.bk-select') && target.value) {
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
  try {
    await loadState();
  } catch {
    $('pg-channel-messages').innerHTML =
      '<div class="pg-empty">The playground server does not answer. Start it with <code class="md-code">npm start</code> and reload.</div>';
    return;
  }
  readLocation();
  renderAll();
  for (const pane of document.querySelectorAll('.pg-messages')) pane.scrollTop = pane.scrollHeight;
  connect();
  $(state.thread ? 'pg-thread-input' : 'pg-channel-input').focus();
}

void start();
