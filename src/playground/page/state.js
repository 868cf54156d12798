// The page's state, shared by its modules: what the server sent for the person chosen under "You are", and where
// they are looking. Plain browser ES module.

export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
export const USER_KEY = 'k8s-advisor-playground:user';

export const state = {
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

export const key = (channel, ts) => `${channel}/${ts}`;
export const tsNumber = (ts) => Number(ts) || 0;
export const byTs = (a, b) => tsNumber(a.ts) - tsNumber(b.ts);

export const nameOf = (id) => {
  const u = state.users.get(id);
  return u ? u.real_name || u.name : id;
};
export const channelOf = (id) => state.channels.find((c) => c.id === id);
export const appName = () => nameOf(state.botUserId) || 'k8s-advisor';
/** How a conversation is named on the page: #channel, or the app's name for a DM with it. */
export const titleOf = (c) => (c?.is_im ? appName() : `#${c?.name ?? ''}`);
export const ctx = (extra) => ({
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
export const visible = (m) => !m.is_ephemeral || m.visible_to === state.me;
