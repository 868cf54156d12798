// The playground page: a Slack-like workspace with channels, threads, direct messages with the app and its Home
// tab. Plain browser ES module, no build step.
//
// It plays the Slack client only. What a person does goes to the playground server (/api/command, /api/message,
// /api/action, /api/home, /api/view-action), which sends the app the signed requests Slack would; what the app
// posts comes back as the Slack stand-in's ordered changes over server-sent events (/api/events), applied once
// each, in seq order. The server sends only what the person chosen under "You are" may see (their DMs, their
// ephemerals, their Home), so switching person reloads everything.

import { setUpAttach } from './attach.js';
import { clearNotice, connect, loadState, post, resync, setRenderer } from './connection.js';
import { permalinkTarget, renderHome } from './home.js';
import { channelItems, emptyChannelHint, renderSidebar, threadItems } from './panes.js';
import { grantFocusWish, reconcile } from './reconcile.js';
import { $, appName, channelOf, ctx, key, nameOf, state, titleOf, USER_KEY } from './state.js';

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
setUpAttach();

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

setRenderer({ all: renderAll, soon: scheduleRender, sidebar: renderSidebar });
void start();
