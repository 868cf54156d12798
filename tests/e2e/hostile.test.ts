import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/standin/sign.js';
import { Driver, type Harness, startHarness } from './harness.js';

let h: Harness;
let channel = 0;
const driver = () => new Driver(h, 'U1', `CH${++channel}`);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A raw body, signed like Slack signs it, with the content type and timestamp given. */
async function postRaw(raw: string, type = 'application/json', timestamp?: number) {
  const res = await fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': type, ...signRequest(h.secret, raw, timestamp) },
    body: raw,
  });
  return { status: res.status, text: await res.text() };
}

describe('hostile requests, signed as Slack signs them', () => {
  it('answers malformed bodies with 400 and carries on serving', async () => {
    for (const raw of ['null', '[]', '"x"', '{']) expect((await postRaw(raw)).status).toBe(400);
    const payload = `payload=${encodeURIComponent('null')}`;
    expect((await postRaw(payload, 'application/x-www-form-urlencoded')).status).toBe(400);
    const d = driver();
    await d.start();
    expect(d.current()).toBeDefined();
  });

  it('refuses a request stamped in the future, even with a valid signature, and does nothing', async () => {
    const d = driver();
    const inTenYears = Math.floor(Date.now() / 1000) + 10 * 365 * 86_400;
    const form = new URLSearchParams({
      command: '/k8s-advisor',
      text: '',
      team_id: 'T0STANDIN',
      channel_id: d.channel,
      user_id: 'U1',
      trigger_id: 'future-1',
    }).toString();
    const res = await postRaw(form, 'application/x-www-form-urlencoded', inTenYears);
    expect(res.status).toBe(401);
    await h.app.settled();
    expect(h.standin.messages(d.channel)).toEqual([]);
  });

  it('escapes the words of a command it echoes: no mention, ping, link or code-span breakout survives', async () => {
    const d = driver();
    const unknown = JSON.parse((await d.command('<!channel> `x` <@U2> <https://evil.example|click>')).text);
    expect(unknown.text).toContain('&lt;!channel&gt;');
    expect(unknown.text).not.toMatch(/<!channel>|<@U2>|<https:/);
    expect(unknown.text).toContain('ʼxʼ');
    const digest = JSON.parse((await d.command('digest weekly <!here>')).text);
    expect(digest.text).toContain('&lt;!here&gt;');
    expect(digest.text).not.toContain('<!here>');
  });

  it('reads a 40,000-character reply of dots without stalling anyone else', async () => {
    const d = driver();
    await d.start();
    const other = driver();
    await d.reply(`${'.'.repeat(39_999)}x`);
    // Another person's command still gets its question while the long reply is read.
    await other.start();
    expect(other.current()).toBeDefined();
    await h.app.settled();
    expect(d.current()).toBeDefined();
  });
});
