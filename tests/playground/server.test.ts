// The playground server without a browser: its JSON API, the event stream, and history across a restart.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyPath } from '../../src/playground/history.js';
import type { Playground } from '../../src/playground/server.js';
import type { Change, StoredMessage } from '../../src/standin/server.js';
import { readEvents, type SseEvent, startTestPlayground, tempDatabase } from './support.js';

const CH = 'C0PLATFORM';
let playground: Playground;
const database = tempDatabase();

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, playground.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const changes = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data) as Change);
const lastSeq = () => playground.standin.changes().at(-1)?.seq ?? 0;
const botPosts = (events: SseEvent[]) => changes(events).filter((c) => c.kind === 'message');

/** Starts an assessment for `user` and returns the parent and the first question, as the stream shows them. */
async function startAssessment(user: string) {
  const after = lastSeq();
  const stream = readEvents(`${playground.url}api/events?after=${after}`, (e) => botPosts(e).length >= 2);
  expect(await post('/api/command', { channel: CH, user, text: '/k8s-advisor' })).toMatchObject({
    status: 200,
    body: { ok: true },
  });
  const [parent, question] = botPosts(await stream).map((c) => c.message as StoredMessage);
  if (!parent || !question) throw new Error('no parent and question');
  return { parent, question };
}

beforeAll(async () => {
  playground = await startTestPlayground(database);
});
afterAll(async () => {
  await playground?.stop();
  rmSync(join(database, '..'), { recursive: true, force: true });
});

describe('playground API', () => {
  it('serves the page and its scripts from 127.0.0.1 with a same-origin policy', async () => {
    expect(playground.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(playground.url);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    const modules = [
      'app',
      'attach',
      'blocks',
      'connection',
      'files',
      'home',
      'mrkdwn',
      'panes',
      'reconcile',
      'state',
    ];
    for (const file of [...modules.map((m) => `${m}.js`), 'style.css']) {
      expect((await fetch(`${playground.url}${file}`)).status).toBe(200);
    }
    expect((await fetch(`${playground.url}../package.json`)).status).toBe(404);
  });

  it('turns /k8s-advisor into the parent message and the first question on the stream', async () => {
    const { parent, question } = await startAssessment('U0ALEX');
    expect(parent.text).toContain('<@U0ALEX> is running a Kubernetes hosting assessment');
    expect(question).toMatchObject({ thread_ts: parent.ts, channel: CH });
    expect(question.text).toMatch(/^Question 1 of \d+/);
  });

  it('answers /k8s-advisor help privately, from the command response', async () => {
    const after = lastSeq();
    // Ephemerals go to their person's stream only.
    const stream = readEvents(`${playground.url}api/events?after=${after}&user=U0JO`, (e) =>
      changes(e).some((c) => c.kind === 'ephemeral'),
    );
    await post('/api/command', { channel: CH, user: 'U0JO', text: '/k8s-advisor help' });
    const ephemeral = changes(await stream).find((c) => c.kind === 'ephemeral')?.message;
    expect(ephemeral).toMatchObject({ is_ephemeral: true, visible_to: 'U0JO' });
    expect(ephemeral?.text).toContain('/k8s-advisor');
  });

  it("gives a click on someone else's assessment an ephemeral for the clicker only", async () => {
    const { question } = await startAssessment('U0ALEX');
    const button = (
      question.blocks as { type: string; block_id?: string; elements?: { action_id: string }[] }[]
    ).find((b) => b.type === 'actions');
    const after = lastSeq();
    const stream = readEvents(`${playground.url}api/events?after=${after}&user=U0SAM`, (e) =>
      changes(e).some((c) => c.kind === 'ephemeral'),
    );
    const click = await post('/api/action', {
      channel: CH,
      user: 'U0SAM',
      message_ts: question.ts,
      action_id: button?.elements?.[0]?.action_id,
      block_id: button?.block_id,
    });
    expect(click).toMatchObject({ status: 200, body: { ok: true } });
    const whisper = changes(await stream).find((c) => c.kind === 'ephemeral')?.message;
    expect(whisper).toMatchObject({ visible_to: 'U0SAM', thread_ts: question.thread_ts });
    expect(whisper?.text).toContain('belongs to <@U0ALEX>');
    // The question itself is untouched: Sam's click answered nothing.
    expect(playground.standin.message(CH, question.ts)?.blocks).toEqual(question.blocks);

    // Clicking on an ephemeral meant for someone else is not possible.
    const sneaky = await post('/api/action', {
      channel: CH,
      user: 'U0ALEX',
      message_ts: whisper?.ts,
      action_id: 'x',
    });
    expect(sneaky).toMatchObject({ status: 400, body: { ok: false, error: 'message_not_found' } });
  });

  it('sends thread replies as message events, and the app answers them', async () => {
    const { parent } = await startAssessment('U0JO');
    const after = lastSeq();
    const stream = readEvents(`${playground.url}api/events?after=${after}`, (e) =>
      botPosts(e).some((c) => c.message?.text.startsWith('Question 2')),
    );
    const sent = await post('/api/message', { channel: CH, user: 'U0JO', text: '1', thread_ts: parent.ts });
    expect(sent).toMatchObject({ status: 200, body: { ok: true } });
    const mine = changes(await stream).find((c) => c.message?.user === 'U0JO');
    expect(mine?.message).toMatchObject({ text: '1', thread_ts: parent.ts });
  });

  it('replays after a seq in order and without duplicates, then follows live; Last-Event-ID wins', async () => {
    const all = playground.standin.changes();
    const from = all[Math.floor(all.length / 2)]?.seq ?? 0;
    const expected = all.filter((c) => c.seq > from).map((c) => c.seq);
    const replay = await readEvents(`${playground.url}api/events?after=${from}`, (e) =>
      changes(e).some((c) => c.seq === expected.at(-1)),
    );
    expect(replay[0]).toMatchObject({ event: 'hello' });
    // Every seq after `from`, once each and in order (the app may still be adding to the end).
    const contiguous = (seqs: number[]) => seqs.map((_, i) => from + 1 + i);
    const seqs = changes(replay).map((c) => c.seq);
    expect(seqs).toEqual(contiguous(seqs));
    expect(seqs.slice(0, expected.length)).toEqual(expected);
    expect(replay.filter((e) => e.id).map((e) => Number(e.id))).toEqual(seqs);

    const resumed = await readEvents(
      `${playground.url}api/events?after=0`,
      (e) => changes(e).some((c) => c.seq === expected.at(-1)),
      { headers: { 'last-event-id': String(from) } },
    );
    const resumedSeqs = changes(resumed).map((c) => c.seq);
    expect(resumedSeqs).toEqual(contiguous(resumedSeqs));
    expect(resumedSeqs.slice(0, expected.length)).toEqual(expected);

    const fromSam = (events: SseEvent[]) => changes(events).filter((c) => c.message?.user === 'U0SAM');
    const live = readEvents(`${playground.url}api/events?after=${lastSeq()}`, (e) => fromSam(e).length >= 2);
    await post('/api/message', { channel: CH, user: 'U0SAM', text: 'one' });
    await post('/api/message', { channel: CH, user: 'U0SAM', text: 'two' });
    expect(fromSam(await live).map((c) => c.message?.text)).toEqual(['one', 'two']);
  });

  it('shares an attached file in a thread as a file_share the app hears, and serves the sample evidence', async () => {
    const { parent } = await startAssessment('U0ALEX');
    const sample = await fetch(`${playground.url}sample-evidence.json`);
    expect(sample.headers.get('content-type')).toContain('application/json');
    const bytes = Buffer.from(await sample.arrayBuffer());
    expect(bytes.equals(readFileSync('docs/sample-evidence.json'))).toBe(true);

    const upload = { channel: CH, user: 'U0ALEX', thread_ts: parent.ts, filename: 'sample-evidence.json' };
    const shared = await post('/api/upload', { ...upload, content_base64: bytes.toString('base64') });
    expect(shared).toMatchObject({ status: 200, body: { ok: true } });
    const message = playground.standin.message(CH, shared.body.ts as string);
    expect(message).toMatchObject({ subtype: 'file_share', user: 'U0ALEX', thread_ts: parent.ts });
    // The app heard it and, mid-assessment, says the evidence is attached.
    await playground.standin.waitFor(() =>
      playground.standin.thread(CH, parent.ts).find((m) => m.text.includes('is now part of this assessment')),
    );

    expect(await post('/api/upload', { ...upload, content_base64: 'not base64!' })).toMatchObject({
      status: 400,
      body: { detail: 'content_base64 must be base64' },
    });
    expect(await post('/api/upload', { ...upload, filename: '', content_base64: '' })).toMatchObject({
      status: 400,
    });
    expect(
      await post('/api/upload', {
        ...upload,
        thread_ts: '1.000001',
        content_base64: bytes.toString('base64'),
      }),
    ).toMatchObject({ status: 400, body: { error: 'thread_not_found' } });
    const tooBig = await post('/api/upload', { ...upload, content_base64: 'A'.repeat(4 * 1024 * 1024) });
    expect(tooBig).toMatchObject({ status: 400, body: { detail: 'body too large' } });
  });

  it('refuses what Slack would refuse, and says so on the stream', async () => {
    const stream = readEvents(`${playground.url}api/events?after=${lastSeq()}`, (e) =>
      changes(e).some((c) => c.kind === 'refused'),
    );
    await fetch(`${playground.standin.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-playground', 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: CH,
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'mrkdwn' } }],
      }),
    });
    const refused = changes(await stream).find((c) => c.kind === 'refused');
    expect(refused).toMatchObject({ method: 'chat.postMessage', error: 'invalid_blocks', channel: CH });
    expect(refused?.errors?.length).toBeGreaterThan(0);
  });

  it('rejects unknown commands, bad bodies, cross-site posts and other host names', async () => {
    expect(await post('/api/command', { channel: CH, user: 'U0ALEX', text: '/deploy now' })).toMatchObject({
      status: 400,
      body: { error: 'unknown_command' },
    });
    expect(await post('/api/message', { channel: CH, user: 'U0NOBODY', text: 'hi' })).toMatchObject({
      status: 400,
      body: { error: 'user_not_found' },
    });
    const form = await fetch(new URL('/api/message', playground.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C0PLATFORM&user=U0ALEX&text=hi',
    });
    expect(form.status).toBe(400);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        new URL('/api/state', playground.url),
        { headers: { host: 'evil.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

describe('playground history', () => {
  it('keeps the channel and threads across a restart, drops ephemerals, and keeps ts increasing', async () => {
    const before = playground.standin.messages(CH);
    const file = historyPath({ engine: 'sqlite', path: database }) ?? '';
    await playground.stop();
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).messages.length).toBe(
      before.filter((m) => !m.is_ephemeral).length,
    );

    playground = await startTestPlayground(database);
    const state = (await (await fetch(`${playground.url}api/state`)).json()) as { messages: StoredMessage[] };
    expect(state.messages).toEqual(before.filter((m) => !m.is_ephemeral));

    // The restored assessment carries on: Jo answers question 2 of the thread started before the restart.
    const jo = before.find((m) => m.text.includes('<@U0JO> is running'));
    const stream = readEvents(`${playground.url}api/events?after=0`, (e) =>
      botPosts(e).some((c) => c.message?.text.startsWith('Question 3')),
    );
    await post('/api/message', { channel: CH, user: 'U0JO', text: '1', thread_ts: jo?.ts });
    const posted = botPosts(await stream).map((c) => c.message as StoredMessage);
    const newest = Math.max(...before.map((m) => Number(m.ts)));
    for (const m of posted) expect(Number(m.ts)).toBeGreaterThan(newest);
  });
});
