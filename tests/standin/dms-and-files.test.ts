// Direct messages (who they belong to, who sees them) and files that outlive a stand-in (links, restore).

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canSee } from '../../src/standin/dms.js';
import { type SlackStandin, startSlackStandin } from '../../src/standin/server.js';
import { clientFor } from './helpers.js';

const CH = 'C0PLATFORM';
let standin: SlackStandin;
const extra: SlackStandin[] = [];

beforeAll(async () => {
  standin = await startSlackStandin();
  standin.addChannel({ id: CH, name: 'platform' });
  standin.addUser({ id: 'U0ALICE', name: 'alice' });
  standin.addUser({ id: 'U0BOB', name: 'bob' });
});
afterAll(() => standin.close());
afterEach(async () => {
  for (const s of extra.splice(0)) await s.close();
});

async function another(opts: Parameters<typeof startSlackStandin>[0] = {}) {
  const s = await startSlackStandin(opts);
  extra.push(s);
  s.addChannel({ id: CH, name: 'platform' });
  return s;
}

describe('direct messages', () => {
  it('belong to their person however they are first used, and only that person sees them', async () => {
    const client = clientFor(standin.url);
    await client.conversations.open({ users: 'U0ALICE' });
    // Posted to without conversations.open, as an app_home_opened channel id may be.
    await client.chat.postMessage({ channel: 'D0BOB', text: 'hi Bob' });
    await client.chat.postMessage({ channel: 'DNOBODY', text: 'not a DM of anyone known' });
    const byId = new Map(standin.channels().map((c) => [c.id, c]));
    expect(byId.get('D0ALICE')).toEqual({ id: 'D0ALICE', name: 'd0alice', is_im: true, user: 'U0ALICE' });
    expect(byId.get('D0BOB')).toMatchObject({ is_im: true, user: 'U0BOB' });
    expect(byId.get('DNOBODY')?.is_im).toBeUndefined();

    const info = await client.conversations.info({ channel: 'D0BOB' });
    expect(info.channel).toMatchObject({ id: 'D0BOB', is_im: true, is_channel: false, user: 'U0BOB' });

    expect(canSee(byId.get('D0ALICE'), 'U0ALICE')).toBe(true);
    expect(canSee(byId.get('D0ALICE'), 'U0BOB')).toBe(false);
    expect(canSee(byId.get(CH), 'U0BOB')).toBe(true);
    expect(canSee(undefined, 'U0BOB')).toBe(false);
  });
});

describe('files', () => {
  it('are linked on the public origin and served so that nothing in them can run', async () => {
    const s = await another({ publicOrigin: 'http://127.0.0.1:9/' });
    const client = clientFor(s.url);
    const parent = await client.chat.postMessage({ channel: CH, text: 'record follows' });
    await client.files.uploadV2({
      channel_id: CH,
      thread_ts: parent.ts as string,
      filename: 'adr.md',
      content: '# ADR\n',
    });
    await client.files.uploadV2({ channel_id: CH, filename: 'page.html', content: '<script>x</script>' });
    const [md, html] = s.files();
    expect(md?.url_private).toBe(`http://127.0.0.1:9/files/${md?.id}/adr.md`);
    const link = await client.chat.getPermalink({ channel: CH, message_ts: parent.ts as string });
    expect(link.permalink).toBe(
      `http://127.0.0.1:9/archives/${CH}/p${(parent.ts as string).replace('.', '')}`,
    );

    // The stand-in still serves its own file URLs.
    const text = await fetch(`${s.origin}/files/${md?.id}/adr.md`);
    expect(text.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(text.headers.get('content-security-policy')).toContain('sandbox');
    expect(text.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await text.text()).toBe('# ADR\n');
    const page = await fetch(`${s.origin}/files/${html?.id}/page.html`);
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('are restored with their messages, and later uploads never reuse their ids', async () => {
    const first = await another();
    const client = clientFor(first.url);
    await client.files.uploadV2({ channel_id: CH, filename: 'one.txt', content: 'one' });
    await client.files.uploadV2({ channel_id: CH, filename: 'two.txt', content: 'two' });
    const kept = { snapshot: first.snapshot(), files: first.files() };

    const second = await another();
    second.restore(kept.snapshot);
    second.restoreFiles(kept.files);
    expect(second.changes()).toEqual([]); // quiet, like restore
    const restored = kept.files.map((f) => second.file(f.id)?.content.toString());
    expect(restored).toEqual(['one', 'two']);
    expect(second.file('FNOSUCH')).toBeUndefined();

    await clientFor(second.url).files.uploadV2({ channel_id: CH, filename: 'three.txt', content: 'three' });
    const ids = second.files().map((f) => f.id);
    expect(new Set(ids).size).toBe(3);
  });
});
