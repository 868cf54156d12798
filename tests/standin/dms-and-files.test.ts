// Direct messages (who they belong to, who sees them) and files that outlive a stand-in (links, restore).

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canSee } from '../../src/standin/dms.js';
import { fileShareEvent } from '../../src/standin/payloads.js';
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

describe('a person’s upload, as apps see it', () => {
  it('posts a file_share message in the thread, carrying the file as the person’s', async () => {
    const s = await another();
    s.addUser({ id: 'U0ALICE', name: 'alice' });
    const parent = await clientFor(s.url).chat.postMessage({ channel: CH, text: 'assessment' });
    const shared = s.recordUserFile({
      channel: CH,
      user: 'U0ALICE',
      thread_ts: parent.ts as string,
      filename: 'evidence.json',
      content: Buffer.from('{"kind":"k8s-advisor-evidence"}'),
    });
    expect(shared).toMatchObject({ subtype: 'file_share', user: 'U0ALICE', thread_ts: parent.ts });
    const [file] = shared.files ?? [];
    expect(file).toMatchObject({
      name: 'evidence.json',
      user: 'U0ALICE',
      size: 31,
      mimetype: 'application/json',
    });
    expect(s.thread(CH, parent.ts as string).map((m) => m.subtype)).toEqual([undefined, 'file_share']);
    expect(s.changes().at(-1)).toMatchObject({ kind: 'file', files: [{ id: file?.id }] });
    expect(() =>
      s.recordUserFile({ channel: CH, user: 'U0NOBODY', filename: 'x', content: Buffer.from('') }),
    ).toThrow(/unknown user/);
  });

  it('describes it with files.info and serves its bytes at url_private_download to a Bearer token only', async () => {
    const s = await another();
    s.addUser({ id: 'U0ALICE', name: 'alice' });
    const shared = s.recordUserFile({
      channel: CH,
      user: 'U0ALICE',
      filename: 'evidence.json',
      content: Buffer.from('{"a":1}'),
    });
    const id = shared.files?.[0]?.id as string;
    const client = clientFor(s.url);
    const info = await client.files.info({ file: id });
    expect(info.file).toMatchObject({ id, name: 'evidence.json', size: 7, user: 'U0ALICE', channels: [CH] });
    const url = info.file?.url_private_download as string;
    expect(url).toBe(`${s.origin}/files-pri/${id}/download/evidence.json`);
    const token = ['xoxb', 'standin', 'files'].join('-');
    const withToken = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.headers.get('content-type')).toBe('application/json');
    expect(await withToken.text()).toBe('{"a":1}');
    // Without a token Slack shows its sign-in page, never the file.
    const anonymous = await fetch(url);
    expect(anonymous.headers.get('content-type')).toContain('text/html');
    expect(await anonymous.text()).not.toContain('"a"');
    expect(s.calls('file_download').map((c) => c.args.authorized)).toEqual([true, false]);
    await expect(client.files.info({ file: 'FNOSUCH' })).rejects.toMatchObject({
      data: { error: 'file_not_found' },
    });
  });

  it('builds the Events API callback Slack sends for it', () => {
    const body = fileShareEvent({
      teamId: 'T1',
      channelId: CH,
      userId: 'U0ALICE',
      message: { ts: '1.2', thread_ts: '1.1', text: '', files: [{ id: 'F1' }] },
    });
    expect(body).toMatchObject({
      type: 'event_callback',
      team_id: 'T1',
      event: {
        type: 'message',
        subtype: 'file_share',
        user: 'U0ALICE',
        thread_ts: '1.1',
        ts: '1.2',
        files: [{ id: 'F1' }],
      },
    });
  });
});
