import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandin, startSlackStandin } from '../../src/standin/server.js';
import { clientFor } from './helpers.js';

const CH = 'C0PLATFORM';
let standin: SlackStandin;
let client: WebClient;

beforeAll(async () => {
  standin = await startSlackStandin({ botUserId: 'U0ADVISOR', teamId: 'T0ACME' });
  standin.addChannel({ id: CH, name: 'platform' });
  standin.addUser({ id: 'U0ALICE', name: 'alice', tz: 'Europe/Berlin', is_admin: true });
  client = clientFor(standin.url);
});
afterAll(() => standin.close());
beforeEach(() => standin.reset());

const divider = [{ type: 'divider' }];

describe('Slack Web API stand-in', () => {
  it('serves auth.test with the bot identity', async () => {
    expect(standin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'U0ADVISOR', team_id: 'T0ACME', bot_id: standin.botId });
    expect(res.url).toBe(`${standin.origin}/`);
  });

  it('rejects a missing token and unknown methods', async () => {
    const noToken = await fetch(`${standin.url}auth.test`, { method: 'POST' });
    expect(await noToken.json()).toEqual({ ok: false, error: 'not_authed' });
    await expect(client.apiCall('pins.add', { channel: CH })).rejects.toMatchObject({
      data: { ok: false, error: 'unknown_method' },
    });
  });

  it('accepts JSON bodies and a token field', async () => {
    const res = await fetch(`${standin.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ token: 'xoxb-test-token', channel: CH, text: 'hi', blocks: divider }),
    });
    const body = (await res.json()) as { ok: boolean; ts: string };
    expect(body.ok).toBe(true);
    expect(standin.message(CH, body.ts)?.blocks).toEqual(divider);
    expect(standin.calls('chat.postMessage')[0]?.args).not.toHaveProperty('token');
  });

  it('posts messages and threaded replies with increasing ts', async () => {
    const metadata = { event_type: 'assessment', event_payload: { id: 'a1' } };
    const parent = await client.chat.postMessage({ channel: CH, text: 'parent', blocks: divider, metadata });
    expect(parent).toMatchObject({ ok: true, channel: CH, message: { text: 'parent', user: 'U0ADVISOR' } });
    expect(parent.ts).toMatch(/^\d{10}\.\d{6}$/);
    const reply = await client.chat.postMessage({
      channel: CH,
      text: 'reply',
      thread_ts: parent.ts as string,
    });
    const bcast = await client.chat.postMessage({
      channel: CH,
      text: 'broadcast',
      thread_ts: parent.ts as string,
      reply_broadcast: true,
    });
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(Number(bcast.ts)).toBeGreaterThan(Number(reply.ts));
    expect(bcast.message).toMatchObject({ reply_broadcast: true, thread_ts: parent.ts });

    const stored = standin.message(CH, parent.ts as string);
    expect(stored).toMatchObject({
      metadata,
      reply_count: 2,
      latest_reply: bcast.ts,
      reply_users: ['U0ADVISOR'],
    });
    expect(standin.thread(CH, parent.ts as string).map((m) => m.text)).toEqual([
      'parent',
      'reply',
      'broadcast',
    ]);

    const replies = await client.conversations.replies({ channel: CH, ts: parent.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply', 'broadcast']);
    await expect(client.conversations.replies({ channel: CH, ts: '1.000001' })).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
  });

  it('lists a channel’s history newest first, top-level only, with metadata only when asked', async () => {
    const channel = 'CHISTORY';
    const metadata = { event_type: 'digest', event_payload: { period_id: 'p1' } };
    const first = await client.chat.postMessage({ channel, text: 'first', metadata });
    await client.chat.postMessage({ channel, text: 'reply', thread_ts: first.ts as string });
    const second = await client.chat.postMessage({ channel, text: 'second' });
    const all = await client.conversations.history({ channel });
    expect(all.messages?.map((m) => m.text)).toEqual(['second', 'first']);
    expect(all.messages?.[1]?.metadata).toBeUndefined();
    const since = await client.conversations.history({
      channel,
      oldest: first.ts as string,
      include_all_metadata: true,
    });
    expect(since.messages?.map((m) => m.ts)).toEqual([second.ts]);
    const withMeta = await client.conversations.history({ channel, include_all_metadata: true, limit: 1 });
    expect(withMeta).toMatchObject({ has_more: true, messages: [{ text: 'second' }] });
    const older = await client.conversations.history({ channel, include_all_metadata: true });
    expect(older.messages?.[1]?.metadata).toEqual(metadata);
    await expect(client.conversations.history({ channel: 'CNOWHERE' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('updates and deletes messages', async () => {
    const posted = await client.chat.postMessage({ channel: CH, text: 'draft', blocks: divider });
    const ts = posted.ts as string;
    const updated = await client.chat.update({ channel: CH, ts, text: 'final' });
    expect(updated).toMatchObject({ ok: true, channel: CH, ts, text: 'final' });
    // Omitted blocks are kept, as in Slack.
    expect(standin.message(CH, ts)).toMatchObject({
      text: 'final',
      blocks: divider,
      edited: { user: 'U0ADVISOR' },
    });
    await expect(client.chat.update({ channel: CH, ts: '1.000001', text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
    expect(await client.chat.delete({ channel: CH, ts })).toMatchObject({ ok: true, ts });
    expect(standin.message(CH, ts)).toBeUndefined();
    await expect(client.chat.delete({ channel: CH, ts })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('refuses to edit what a person wrote', async () => {
    const human = standin.recordUserMessage({ channel: CH, user: 'U0ALICE', text: 'should we self-host?' });
    await expect(client.chat.update({ channel: CH, ts: human.ts, text: 'x' })).rejects.toMatchObject({
      data: { error: 'cant_update_message' },
    });
  });

  it('posts ephemeral messages visible to one user', async () => {
    const human = standin.recordUserMessage({ channel: CH, user: 'U0ALICE', text: 'question' });
    const res = await client.chat.postEphemeral({
      channel: CH,
      user: 'U0ALICE',
      text: 'only you',
      thread_ts: human.ts,
    });
    expect(res.ok).toBe(true);
    const eph = standin.messages(CH).find((m) => m.ts === res.message_ts);
    expect(eph).toMatchObject({
      is_ephemeral: true,
      visible_to: 'U0ALICE',
      thread_ts: human.ts,
      text: 'only you',
    });
    expect(standin.thread(CH, human.ts).map((m) => m.text)).toEqual(['question']);
    await expect(
      client.chat.postEphemeral({ channel: CH, user: 'U0NOBODY', text: 'x' }),
    ).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('builds permalinks for messages and replies', async () => {
    const parent = await client.chat.postMessage({ channel: CH, text: 'p' });
    const reply = await client.chat.postMessage({ channel: CH, text: 'r', thread_ts: parent.ts as string });
    const p = await client.chat.getPermalink({ channel: CH, message_ts: parent.ts as string });
    expect(p.permalink).toBe(`${standin.origin}/archives/${CH}/p${(parent.ts as string).replace('.', '')}`);
    const r = await client.chat.getPermalink({ channel: CH, message_ts: reply.ts as string });
    expect(r.permalink).toBe(
      `${standin.origin}/archives/${CH}/p${(reply.ts as string).replace('.', '')}?thread_ts=${parent.ts}&cid=${CH}`,
    );
  });

  it('answers users.info and conversations.info', async () => {
    const res = await client.users.info({ user: 'U0ALICE' });
    expect(res.user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      tz: 'Europe/Berlin',
      is_admin: true,
      is_owner: false,
      profile: { display_name: 'alice', real_name: 'alice' },
    });
    expect([3600, 7200]).toContain(res.user?.tz_offset);
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
    const info = await client.conversations.info({ channel: CH });
    expect(info.channel).toMatchObject({ id: CH, name: 'platform', is_member: true });
    await expect(client.conversations.info({ channel: 'C0NOPE' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('refuses invalid blocks like Slack and records the refusal', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3012) } }];
    const err = await client.chat.postMessage({ channel: CH, text: 'too long', blocks }).catch((e) => e);
    expect(err.data).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: ['blocks[0].text.text: 3012 characters, Slack allows 3000'],
    });
    expect(standin.messages(CH)).toEqual([]);
    expect(standin.calls('chat.postMessage')[0]).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      status: 200,
    });
    expect(standin.changes().at(-1)).toMatchObject({
      kind: 'refused',
      method: 'chat.postMessage',
      channel: CH,
      error: 'invalid_blocks',
    });
    await expect(client.chat.postMessage({ channel: CH, text: '' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
  });

  it('publishes App Home views per user and validates them', async () => {
    const view = {
      type: 'home' as const,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi' } }],
    };
    const res = await client.views.publish({ user_id: 'U0ALICE', view });
    expect(res.view).toMatchObject({ type: 'home', team_id: 'T0ACME' });
    expect(standin.views()).toMatchObject([{ user: 'U0ALICE', type: 'home', blocks: view.blocks }]);
    const tooMany = {
      type: 'home' as const,
      blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })),
    };
    await expect(client.views.publish({ user_id: 'U0ALICE', view: tooMany })).rejects.toMatchObject({
      data: { error: 'invalid_arguments', errors: ['blocks: 101 blocks, Slack allows 100'] },
    });
  });

  it('opens a direct message with one user, the same one each time, where the bot can post', async () => {
    const first = await client.conversations.open({ users: 'U0ALICE' });
    expect(first.channel?.id).toBe('D0ALICE');
    const again = await client.conversations.open({ users: 'U0ALICE' });
    expect(again).toMatchObject({ channel: { id: 'D0ALICE' }, already_open: true });
    await client.chat.postMessage({ channel: 'D0ALICE', text: 'hello' });
    expect(standin.messages('D0ALICE')).toMatchObject([{ text: 'hello' }]);
    await expect(client.conversations.open({ users: 'U0NOBODY' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('answers a response_url like Slack', async () => {
    const url = standin.responseUrl({ channel: CH, user: 'U0ALICE' });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'working on it' }),
    });
    expect(res.status).toBe(200);
    expect(standin.messages(CH)).toMatchObject([
      { text: 'working on it', is_ephemeral: true, visible_to: 'U0ALICE' },
    ]);
    const posted = await client.chat.postMessage({ channel: CH, text: 'card' });
    const replaceUrl = standin.responseUrl({ channel: CH, user: 'U0ALICE', messageTs: posted.ts as string });
    await fetch(replaceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'card v2', replace_original: true }),
    });
    expect(standin.message(CH, posted.ts as string)?.text).toBe('card v2');
  });

  it('can refuse unknown channels when strict', async () => {
    const strict = await startSlackStandin({ strictChannels: true });
    try {
      await expect(
        clientFor(strict.url).chat.postMessage({ channel: 'C0X', text: 'x' }),
      ).rejects.toMatchObject({
        data: { error: 'channel_not_found' },
      });
    } finally {
      await strict.close();
    }
  });
});
