// Keyed list rendering for the page's message panes, and keeping a keyboard user's place while rows change.
// Plain browser ES module, no build step.

const tsNumber = (ts) => Number(ts) || 0;

const rendered = new WeakMap();

/** Updates a list in place, keyed: unchanged rows keep their DOM (and focus), changed rows are replaced. */
export function reconcile(container, items, empty) {
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

export function grantFocusWish() {
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
