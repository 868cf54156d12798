import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build.js';
import { PublishError } from '../../src/digest/service.js';
import { publishDigest } from '../../src/slack/publish-digest.js';
import { NotInstalled } from '../../src/slack/workspace.js';
import { stats } from '../support/digest.js';
import { questionnaire } from '../support/questionnaire.js';
import { useFakeSlack } from '../support/slack.js';

let refuse: string | undefined;
const slack = useFakeSlack('http://slack.publish.test', ({ method, body }) => {
  if (method === 'chat.getPermalink')
    return body.message_ts?.endsWith('1')
      ? { ok: true, permalink: `https://slack.test/archives/${body.channel}/p${body.message_ts}` }
      : { ok: false, error: 'message_not_found' };
  if (method === 'chat.postMessage' && refuse) return { ok: false, error: refuse };
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

describe('publishing a digest', () => {
  it('posts it once to its channel, linking the threads Slack can link, without unfurls', async () => {
    refuse = undefined;
    const d = digest();
    const { ts } = await publishDigest(async () => slack.client)(d);
    const [post] = slack.posted('chat.postMessage');
    expect(ts).toEqual(expect.any(String));
    expect(post?.body).toMatchObject({ channel: 'C1', unfurl_links: 'false', unfurl_media: 'false' });
    expect(post?.body.blocks).toContain('https://slack.test/archives/C1/p1750000000.000001');
    expect(slack.posted('chat.getPermalink')).toHaveLength(d.completedList.length);
    expect(JSON.parse(post?.body.metadata ?? '{}').event_type).toBe('k8s_advisor_digest');
  });

  it('reports a refusal as a PublishError whose reason is Slack’s code', async () => {
    refuse = 'not_in_channel';
    const failed = await publishDigest(async () => slack.client)(digest()).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PublishError);
    expect((failed as Error).message).toBe('not_in_channel');
  });
});

describe('publishing a digest in OAuth mode', () => {
  it('posts as the bot of the digest’s workspace, and reports a workspace no longer installed as a PublishError', async () => {
    refuse = undefined;
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
    expect(failed).toBeInstanceOf(PublishError);
    expect((failed as Error).message).toBe('k8s-advisor is not installed in workspace T1');
  });
});
