import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Change, type SlackStandin, startSlackStandin } from '../../src/standin/server.js';
import { clientFor, quietLogger } from './helpers.js';

const CH = 'C0PLATFORM';
let standin: SlackStandin;
let client: WebClient;

beforeAll(async () => {
  standin = await startSlackStandin();
  standin.addChannel({ id: CH, name: 'platform' });
  standin.addUser({ id: 'U0ALICE', name: 'alice' });
  client = clientFor(standin.url);
});
afterAll(() => standin.close());
beforeEach(() => standin.reset());

describe('files.uploadV2 flow', () => {
  it('uploads to the stand-in and shares the file in a thread', async () => {
    const parent = await client.chat.postMessage({ channel: CH, text: 'report follows' });
    const res = await client.files.uploadV2({
      channel_id: CH,
      thread_ts: parent.ts as string,
      initial_comment: 'Full assessment',
      filename: 'assessment.md',
      title: 'Assessment',
      content: '# Managed vs self-hosted\n',
    });
    expect(res.ok).toBe(true);
    expect(standin.calls().map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload_url',
      'files.completeUploadExternal',
    ]);
    const [file] = standin.files();
    expect(file).toMatchObject({
      name: 'assessment.md',
      title: 'Assessment',
      mimetype: 'text/markdown',
      channel: CH,
      thread_ts: parent.ts,
      initial_comment: 'Full assessment',
    });
    expect(file?.content.toString()).toBe('# Managed vs self-hosted\n');
    const shared = standin.thread(CH, parent.ts as string)[1];
    expect(shared).toMatchObject({
      text: 'Full assessment',
      files: [{ id: file?.id, name: 'assessment.md' }],
    });
    expect(standin.changes().at(-1)).toMatchObject({ kind: 'file', channel: CH, files: [{ id: file?.id }] });
    const download = await fetch(file?.url_private as string);
    expect(await download.text()).toBe('# Managed vs self-hosted\n');
  });

  it('refuses to complete an upload whose bytes never arrived', async () => {
    const url = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    expect(url.upload_url).toBe(`${standin.origin}/upload/v1/${url.file_id}`);
    await expect(
      client.files.completeUploadExternal({ files: [{ id: url.file_id as string }], channel_id: CH }),
    ).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After, then recovers', async () => {
    standin.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const raw = await fetch(`${standin.url}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer xoxb-test-token',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ channel: CH, text: 'hi' }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect((await client.chat.postMessage({ channel: CH, text: 'hi' })).ok).toBe(true);
    expect(standin.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('lets WebClient see a rate limit', async () => {
    const rejecting = new WebClient('xoxb-test-token', {
      slackApiUrl: standin.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: quietLogger,
    });
    standin.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await expect(rejecting.chat.postMessage({ channel: CH, text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
  });

  it('fails with 500 for the next N calls', async () => {
    standin.failNext('chat.update', { status: 500, times: 2 });
    const posted = await client.chat.postMessage({ channel: CH, text: 'a' });
    const update = () => client.chat.update({ channel: CH, ts: posted.ts as string, text: 'b' });
    await expect(update()).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
    await expect(update()).rejects.toMatchObject({ statusCode: 500 });
    expect((await update()).ok).toBe(true);
  });

  it('returns an injected Slack error, and answers late when asked', async () => {
    standin.failNext('*', { error: 'fatal_error' });
    await expect(client.auth.test()).rejects.toMatchObject({ data: { error: 'fatal_error' } });
    standin.failNext('auth.test', { delayMs: 150 });
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('reset clears pending faults', async () => {
    standin.failNext('auth.test', { status: 503 });
    standin.reset();
    expect((await client.auth.test()).ok).toBe(true);
  });
});

describe('change events', () => {
  it('emits one ordered change per state change', async () => {
    const seen: Change[] = [];
    const off = standin.onChange((c) => seen.push(c));
    const human = standin.recordUserMessage({ channel: CH, user: 'U0ALICE', text: 'help' });
    const reply = await client.chat.postMessage({ channel: CH, text: 'thinking', thread_ts: human.ts });
    await client.chat.update({ channel: CH, ts: reply.ts as string, text: 'done' });
    await client.chat.postEphemeral({ channel: CH, user: 'U0ALICE', text: 'psst' });
    await client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [] } });
    await client.chat.postMessage({ channel: CH, blocks: [{ type: 'bogus' }] }).catch(() => undefined);
    await client.chat.delete({ channel: CH, ts: reply.ts as string });
    off();
    await client.chat.postMessage({ channel: CH, text: 'after unsubscribe' });

    expect(seen.map((c) => c.kind)).toEqual([
      'message',
      'message',
      'update',
      'ephemeral',
      'view',
      'refused',
      'delete',
    ]);
    const seqs = seen.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seen[2]).toMatchObject({ channel: CH, ts: reply.ts, message: { text: 'done' } });
    expect(seen[5]).toMatchObject({ errors: ['blocks[0].type: unknown block type "bogus"'] });
    // A follower that saw up to seq N can catch up without duplicates.
    const lastSeen = seen.at(-1)?.seq ?? 0;
    expect(standin.changes(lastSeen).map((c) => c.message?.text)).toEqual(['after unsubscribe']);
  });

  it('keeps seq growing across reset so followers never see repeats', async () => {
    await client.chat.postMessage({ channel: CH, text: 'one' });
    const before = standin.changes().at(-1)?.seq ?? 0;
    standin.reset();
    expect(standin.changes()).toMatchObject([{ kind: 'reset' }]);
    expect(standin.changes()[0]?.seq).toBeGreaterThan(before);
  });

  it('waitFor resolves on the change and times out otherwise', async () => {
    const pending = standin.waitFor(() => standin.messages(CH).find((m) => m.text === 'later'));
    setTimeout(() => void client.chat.postMessage({ channel: CH, text: 'later' }), 30);
    expect((await pending).text).toBe('later');
    await expect(standin.waitFor(() => false, 60)).rejects.toThrow(/within 60ms/);
  });
});
