import { describe, expect, it, vi } from 'vitest';
import { permalink, permalinks, threadLinks } from '../../src/slack/permalinks.js';

/** A client whose getPermalink links every message except those in channel CGONE, counting lookups at once. */
function client() {
  let inFlight = 0;
  let most = 0;
  const getPermalink = vi.fn(async ({ channel, message_ts }: { channel: string; message_ts: string }) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
    if (channel === 'CGONE')
      throw Object.assign(new Error('message_not_found'), { data: { error: 'message_not_found' } });
    return { ok: true, permalink: `https://slack.test/${channel}/p${message_ts}` };
  });
  return { c: { chat: { getPermalink } } as never, getPermalink, most: () => most };
}

describe('permalinks', () => {
  it('gives a message’s permalink, or undefined when Slack has none', async () => {
    const { c } = client();
    expect(await permalink(c, 'C1', '1.1')).toBe('https://slack.test/C1/p1.1');
    expect(await permalink(c, 'CGONE', '1.1')).toBeUndefined();
  });

  it('looks many up in order, a few at a time', async () => {
    const { c, most } = client();
    const messages = Array.from({ length: 20 }, (_, i) => ({
      channel: i === 3 ? 'CGONE' : 'C1',
      ts: `1.${i}`,
    }));
    const links = await permalinks(c, messages, 8);
    expect(links).toHaveLength(20);
    expect(links[0]).toBe('https://slack.test/C1/p1.0');
    expect(links[3]).toBeUndefined();
    expect(most()).toBe(8);
  });

  it('links threads by assessment id, falling back to the conversation', async () => {
    const { c } = client();
    const links = await threadLinks(c, [
      { id: 'a1', teamId: 'T1', channelId: 'C1', threadTs: '1.1' },
      { id: 'a2', teamId: 'T1', channelId: 'CGONE', threadTs: '1.2' },
    ]);
    expect(links).toEqual({
      a1: 'https://slack.test/C1/p1.1',
      a2: 'https://slack.com/app_redirect?team=T1&channel=CGONE',
    });
  });
});
