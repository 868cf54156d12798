import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src/advisor/ports/outbox.js';
import { buildDigest, digestPayload } from '../../src/digest/build.js';
import { type DigestJob, manualJob } from '../../src/digest/service.js';
import { TOLD_ATTEMPTS } from '../../src/slack/last-try.js';
import { classify } from '../../src/slack/outbox-sender.js';
import { digestCall, digestTask, publishDigest } from '../../src/slack/publish-digest.js';
import { NotInstalled } from '../../src/slack/workspace.js';
import { stats } from '../support/digest.js';
import { questionnaire } from '../support/questionnaire.js';
import { silentLogger, useFakeSlack } from '../support/slack.js';

let refuse: string | undefined;
let history: Record<string, unknown> = { ok: true, messages: [] };
const slack = useFakeSlack('http://slack.publish.test', ({ method, body }) => {
  if (method === 'chat.getPermalink')
    return body.message_ts?.endsWith('1')
      ? { ok: true, permalink: `https://slack.test/archives/${body.channel}/p${body.message_ts}` }
      : { ok: false, error: 'message_not_found' };
  if (method === 'chat.postMessage' && refuse) return { ok: false, error: refuse };
  if (method === 'conversations.history') return history;
  return undefined;
});

const digest = () =>
  buildDigest(questionnaire, stats(), {
    teamId: 'T1',
    channelId: 'C1',
    trigger: 'scheduled',
    cadence: 'daily',
    period: { start: Date.parse('2025-06-02T07:00:00Z'), end: Date.parse('2025-06-03T07:00:00Z') },
    tz: 'Europe/Berlin',
    idleMs: 14 * 86_400_000,
  });

const reset = () => {
  refuse = undefined;
  history = { ok: true, messages: [] };
};

/** A message of the channel's history carrying a digest's metadata. */
const inHistory = (ts: string, payload: Record<string, unknown>) => ({
  ts,
  text: 'a digest',
  metadata: { event_type: 'k8s_advisor_digest', event_payload: payload },
});

describe('publishing a digest', () => {
  it('posts it once to its channel, linking the threads Slack can link, without unfurls', async () => {
    reset();
    const d = digest();
    const { ts } = await publishDigest(async () => slack.client)(d);
    const [post] = slack.posted('chat.postMessage');
    expect(ts).toEqual(expect.any(String));
    expect(post?.body).toMatchObject({ channel: 'C1', unfurl_links: 'false', unfurl_media: 'false' });
    expect(post?.body.blocks).toContain('https://slack.test/archives/C1/p1750000000.000001');
    expect(slack.posted('chat.getPermalink')).toHaveLength(d.completedList.length);
    expect(JSON.parse(post?.body.metadata ?? '{}').event_type).toBe('k8s_advisor_digest');
  });

  it('looks in the channel since the period’s start first, and posts nothing when the digest is there', async () => {
    reset();
    const d = digest();
    history = {
      ok: true,
      messages: [
        inHistory('1749000000.000300', { ...digestPayload(d), period_id: 'scheduled:1-2' }),
        inHistory('1749000000.000200', digestPayload(d)),
        { ts: '1749000000.000100', text: 'chatter' },
      ],
    };
    const { ts } = await publishDigest(async () => slack.client)(d);
    expect(ts).toBe('1749000000.000200');
    expect(slack.posted('chat.postMessage')).toEqual([]);
    expect(slack.posted('conversations.history')[0]?.body).toMatchObject({
      channel: 'C1',
      oldest: (d.period.start / 1000).toFixed(6),
      limit: '100',
      include_all_metadata: 'true',
    });
  });

  it('posts when the history holds only other periods’ or other channels’ digests', async () => {
    reset();
    const d = digest();
    history = {
      ok: true,
      messages: [inHistory('1749000000.000200', { ...digestPayload(d), channel_id: 'C2' })],
    };
    await publishDigest(async () => slack.client)(d);
    expect(slack.posted('chat.postMessage')).toHaveLength(1);
  });

  it('still posts when Slack will not show the history for good, and retries when it cannot just now', async () => {
    reset();
    history = { ok: false, error: 'missing_scope' };
    await publishDigest(async () => slack.client)(digest());
    expect(slack.posted('chat.postMessage')).toHaveLength(1);
    history = { ok: false, error: 'internal_error' };
    const failed = await publishDigest(async () => slack.client)(digest()).catch((e: unknown) => e);
    expect(classify(failed).retry).toBe(true);
    expect(slack.posted('chat.postMessage')).toHaveLength(1);
  });

  it('lets a refusal through with Slack’s code, for the sender to give up on', async () => {
    reset();
    refuse = 'not_in_channel';
    const failed = await publishDigest(async () => slack.client)(digest()).catch((e: unknown) => e);
    expect(classify(failed)).toEqual({ retry: false, reason: 'not_in_channel' });
  });
});

describe('publishing a digest in OAuth mode', () => {
  it('posts as the bot of the digest’s workspace, and lets a workspace no longer installed through', async () => {
    reset();
    const asked: string[] = [];
    const { ts } = await publishDigest(async ({ teamId }) => {
      asked.push(teamId);
      return slack.client;
    })(digest());
    expect(ts).toEqual(expect.any(String));
    expect(asked).toEqual(['T1']);
    const failed = await publishDigest(async () => {
      throw new NotInstalled({ teamId: 'T1' });
    })(digest()).catch((e: unknown) => e);
    expect(classify(failed)).toEqual({ retry: false, reason: 'not_installed' });
  });
});

describe('the digest outbox task', () => {
  const job: DigestJob = manualJob(digest());
  const item = (attempts: number, responseUrl?: string): OutboxItem => ({
    ...digestCall(job, responseUrl),
    id: '1',
    attempts,
    createdAt: 0,
  });

  function fakeDigests() {
    const failed: string[] = [];
    return {
      failed,
      digests: {
        send: async (_: DigestJob, publish: (d: ReturnType<typeof digest>) => Promise<{ ts: string }>) => ({
          status: 'posted' as const,
          ...(await publish(digest())),
        }),
        failed: async (_: DigestJob, reason: string) => {
          failed.push(reason);
        },
      },
    };
  }

  it('posts in the channel’s digest lane and returns the message’s ts', async () => {
    reset();
    const { digests, failed } = fakeDigests();
    expect(item(0).lane).toBe('T1:C1:digest');
    const ts = await digestTask(digests, async () => slack.client, silentLogger)(item(0));
    expect(ts).toEqual(expect.any(String));
    expect(failed).toEqual([]);
  });

  it('records the run as failed and tells whoever asked, once it is given up on', async () => {
    reset();
    const { digests, failed } = fakeDigests();
    const task = digestTask(digests, async () => slack.client, silentLogger);
    refuse = 'internal_error';
    // Not the last try: retried without a word.
    await expect(task(item(0, slack.responseUrl()))).rejects.toThrow('internal_error');
    expect(failed).toEqual([]);
    expect(slack.responses).toEqual([]);
    await expect(task(item(TOLD_ATTEMPTS - 1, slack.responseUrl()))).rejects.toThrow('internal_error');
    refuse = 'not_in_channel';
    await expect(task(item(0))).rejects.toThrow('not_in_channel');
    expect(failed).toEqual(['internal_error', 'not_in_channel']);
    expect(slack.responses.map((r) => r.body.text)).toEqual([
      expect.stringContaining('I could not post the digest here (internal_error)'),
    ]);
  });
});
