// The playground's workspace beyond channels, without a browser: direct messages kept to their person, files
// served and kept across a restart, the Home tab, permalinks and the app's probes on the playground's own port.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesDir } from '../../src/playground/files.js';
import { historyPath } from '../../src/playground/history.js';
import type { Playground } from '../../src/playground/server.js';
import type { StandinChannel, StoredMessage } from '../../src/standin/server.js';
import { clientFor } from '../standin/helpers.js';
import { startTestPlayground, tempDatabase } from './support.js';

const CH = 'C0PLATFORM';
let playground: Playground;
const database = tempDatabase();

interface PageState {
  channels: StandinChannel[];
  messages: StoredMessage[];
  home: { id: string; blocks: { type: string; elements?: { action_id?: string }[] }[] } | null;
}

async function post(path: string, body: unknown) {
  const res = await fetch(new URL(path, playground.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const stateOf = async (user?: string) =>
  (await (await fetch(`${playground.url}api/state${user ? `?user=${user}` : ''}`)).json()) as PageState;

const waitFor = <T>(fn: () => T | undefined | false) => playground.standin.waitFor(fn, 10_000);

beforeAll(async () => {
  playground = await startTestPlayground(database);
});
afterAll(async () => {
  await playground?.stop();
  rmSync(join(database, '..'), { recursive: true, force: true });
});

describe('direct messages', () => {
  it('reach only their person: state, stream and posting are refused to anyone else', async () => {
    // An assessment to export (in progress is enough).
    await post('/api/command', { channel: CH, user: 'U0ALEX', text: '/k8s-advisor' });
    await waitFor(() => playground.standin.messages(CH).find((m) => m.text.startsWith('Question 1')));
    expect(
      await post('/api/command', { channel: CH, user: 'U0ALEX', text: '/k8s-advisor export' }),
    ).toMatchObject({
      status: 200,
    });
    const exported = await waitFor(() => playground.standin.messages('D0ALEX').find((m) => m.files?.length));
    expect(exported.files?.map((f) => f.name)).toEqual([
      expect.stringMatching(/\.json$/),
      expect.stringMatching(/\.md$/),
    ]);

    const alex = await stateOf('U0ALEX');
    expect(alex.channels.find((c) => c.id === 'D0ALEX')).toMatchObject({ is_im: true, user: 'U0ALEX' });
    expect(alex.messages.some((m) => m.ts === exported.ts)).toBe(true);
    for (const other of [await stateOf('U0SAM'), await stateOf()]) {
      expect(other.channels.map((c) => c.id)).not.toContain('D0ALEX');
      expect(other.messages.filter((m) => m.channel === 'D0ALEX')).toEqual([]);
      expect(JSON.stringify(other)).not.toContain(exported.files?.[0]?.name);
    }
    // Nobody else can write there, or click there.
    expect(await post('/api/message', { channel: 'D0ALEX', user: 'U0SAM', text: 'hi' })).toMatchObject({
      status: 400,
      body: { error: 'channel_not_found' },
    });
    expect(
      await post('/api/action', {
        channel: 'D0ALEX',
        user: 'U0SAM',
        message_ts: exported.ts,
        action_id: 'x',
      }),
    ).toMatchObject({ status: 400, body: { error: 'channel_not_found' } });
  });

  it('stream to their person only', async () => {
    const read = async (user: string) => {
      const res = await fetch(`${playground.url}api/events?after=0&user=${user}`);
      const reader = res.body?.getReader();
      let text = '';
      // The replay of everything so far arrives at once; read until the marker posted below shows.
      while (reader && !text.includes('marker for everyone')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await reader?.cancel();
      return text;
    };
    await post('/api/message', { channel: CH, user: 'U0SAM', text: 'marker for everyone' });
    expect(await read('U0ALEX')).toContain('"channel":"D0ALEX"');
    expect(await read('U0SAM')).not.toContain('D0ALEX');
  });
});

describe('files', () => {
  it('are served on the playground port and kept under the data directory across a restart', async () => {
    const client = clientFor(playground.standin.url, 'xoxb-playground');
    const parent = await client.chat.postMessage({ channel: CH, text: 'a record follows' });
    await client.files.uploadV2({
      channel_id: CH,
      thread_ts: parent.ts as string,
      filename: 'record.md',
      content: '# Decision\n',
    });
    const file = playground.standin.files().find((f) => f.name === 'record.md');
    expect(file?.url_private).toBe(`${playground.url}files/${file?.id}/record.md`);
    const served = await fetch(file?.url_private as string);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await served.text()).toBe('# Decision\n');
    const dir = filesDir(historyPath({ engine: 'sqlite', path: database }) as string);
    expect(readFileSync(join(dir, file?.id as string), 'utf8')).toBe('# Decision\n');

    await playground.stop();
    playground = await startTestPlayground(database, playground.port);
    expect(await (await fetch(file?.url_private as string)).text()).toBe('# Decision\n');
    // The restored message still carries the file, and a new upload gets a new id.
    const shared = playground.standin.thread(CH, parent.ts as string).find((m) => m.files?.length);
    expect(shared?.files?.[0]?.id).toBe(file?.id);
    await clientFor(playground.standin.url, 'xoxb-playground').files.uploadV2({
      channel_id: CH,
      filename: 'other.txt',
      content: 'other',
    });
    const ids = playground.standin.files().map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(existsSync(join(dir, `${file?.id}.json`))).toBe(true);
    expect((await fetch(`${playground.url}files/FNOSUCH/x.md`)).status).toBe(404);
  });
});

describe('Home tab', () => {
  it('publishes the person’s Home on opening, and its Start button opens a DM thread', async () => {
    expect(await post('/api/home', { user: 'U0JO' })).toMatchObject({ status: 200, body: { ok: true } });
    const view = await waitFor(() => playground.standin.views().find((v) => v.user === 'U0JO'));
    const jo = await stateOf('U0JO');
    expect(jo.home?.id).toBe(view.id);
    expect(JSON.stringify(jo.home?.blocks)).toContain('Start a new assessment');
    expect((await stateOf('U0SAM')).home).toBeNull();
    expect(await post('/api/view-action', { user: 'U0SAM', action_id: 'home:start' })).toMatchObject({
      status: 400,
      body: { error: 'view_not_found' },
    });

    expect(await post('/api/view-action', { user: 'U0JO', action_id: 'home:start' })).toMatchObject({
      status: 200,
    });
    const parent = await waitFor(() =>
      playground.standin.messages('D0JO').find((m) => m.text.includes('<@U0JO> is running')),
    );
    const question = await waitFor(() =>
      playground.standin.thread('D0JO', parent.ts).find((m) => m.text.startsWith('Question 1')),
    );
    expect(question.thread_ts).toBe(parent.ts);
    expect((await stateOf('U0JO')).channels.find((c) => c.id === 'D0JO')).toMatchObject({ is_im: true });
  });
});

describe('the playground port', () => {
  it('answers the app’s probes and metrics', async () => {
    const health = await fetch(`${playground.url}healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${playground.url}readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toContain('ready');
    const metrics = await fetch(`${playground.url}metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('k8s_advisor_slack_requests_total');
  });

  it('opens a permalink as the thread’s address in the page', async () => {
    const client = clientFor(playground.standin.url, 'xoxb-playground');
    const parent = await client.chat.postMessage({ channel: CH, text: 'parent' });
    const child = await client.chat.postMessage({
      channel: CH,
      text: 'reply',
      thread_ts: parent.ts as string,
    });
    const link = await client.chat.getPermalink({ channel: CH, message_ts: child.ts as string });
    expect(link.permalink?.startsWith(playground.url)).toBe(true);
    const res = await fetch(link.permalink as string, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/#platform/${parent.ts}`);
    expect((await fetch(`${playground.url}archives/CNOPE/p1700000000000001`)).status).toBe(404);
  });
});
