// Sharing a file in the open thread, as a person does in Slack: "Attach a file" picks one from disk, "Try the
// sample evidence" shares docs/sample-evidence.json. Either goes to /api/upload, where the Slack stand-in stores
// it and the app hears the same file_share event Slack would send. Plain browser ES module.

import { post, showNotice } from './connection.js';
import { $, state } from './state.js';

/** Well past the app's own limit for evidence (512 KB), so the playground can show the app refusing a file. */
const MAX_BYTES = 2 * 1024 * 1024;

/** Bytes to base64, a slice at a time (a spread of a large array would overflow the call stack). */
function base64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function share(file, control) {
  if (!state.thread) return;
  if (file.size > MAX_BYTES) {
    showNotice(`${file.name} is larger than the playground takes (2 MB).`);
    return;
  }
  control.setAttribute('aria-busy', 'true');
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    await post('/api/upload', {
      channel: state.channel,
      user: state.me,
      thread_ts: state.thread,
      filename: file.name,
      content_base64: base64(bytes),
    });
  } finally {
    control.removeAttribute('aria-busy');
  }
}

export function setUpAttach() {
  const input = /** @type {HTMLInputElement} */ ($('pg-thread-file'));
  const attach = $('pg-thread-attach');
  const sample = $('pg-thread-sample');
  attach.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void share(file, attach);
  });
  sample.addEventListener('click', async () => {
    if (sample.getAttribute('aria-busy') === 'true') return;
    const res = await fetch('/sample-evidence.json', { cache: 'no-store' }).catch(() => undefined);
    if (!res?.ok) {
      showNotice(res ? await res.text() : 'The playground server does not answer.');
      return;
    }
    const blob = await res.blob();
    await share(new File([blob], 'sample-evidence.json', { type: 'application/json' }), sample);
  });
}
