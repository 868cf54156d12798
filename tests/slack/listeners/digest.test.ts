import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDigestService } from '../../../src/digest/service.js';
import { commandHandler } from '../../../src/slack/listeners/commands.js';
import { digestCommand } from '../../../src/slack/listeners/digest.js';
import { OPENING, PATHS } from '../../support/digest.js';
import { questionnaire } from '../../support/questionnaire.js';
import { memoryService, silentLogger } from '../../support/service.js';

const API = 'http://slack.digest.test';
const client = new WebClient('xoxb-digest-test', { slackApiUrl: `${API}/api/`, retryConfig: { retries: 0 } });
const USERS: Record<string, Record<string, unknown>> = {
  UALICE: { id: 'UALICE', tz: 'Europe/Berlin', is_admin: false, is_owner: false },
  UBOB: { id: 'UBOB', tz: 'America/New_York', is_admin: false, is_owner: false },
  UADMIN: { id: 'UADMIN', tz: 'Asia/Tokyo', is_admin: true, is_owner: false },
};

let calls: { method: string; body: Record<string, string> }[] = [];
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  calls = [];
  const reply = async (req: Request) => {
    const method = new URL(req.url).pathname.replace('/api/', '');
    const body = Object.fromEntries(new URLSearchParams(await req.text()));
    calls.push({ method, body });
    if (method === 'users.info') {
      const user = USERS[body.user ?? ''];
      return [200, user ? { ok: true, user } : { ok: false, error: 'user_not_found' }];
    }
    if (method === 'chat.getPermalink')
      return [
        200,
        { ok: true, permalink: `https://slack.test/archives/${body.channel}/p${body.message_ts}` },
      ];
    return [200, { ok: true, ts: '1700000009.000100', channel: body.channel }];
  };
  nock(API)
    .persist()
    .post(/\/api\/.*/)
    .reply(reply as never);
});
afterEach(() => nock.cleanAll());

function setup(budgetMs?: number) {
  const { service, store } = memoryService();
  const digests = createDigestService({ store, questionnaire });
  const digest = digestCommand(digests, {
    claim: (k) => service.claim(k),
    ...(budgetMs !== undefined && { budgetMs }),
  });
  const handle = commandHandler(service, { digest });
  return { service, store, handle };
}

function command(text: string, user = 'UALICE', triggerId = `trig-${Math.random()}`) {
  return {
    command: {
      text,
      trigger_id: triggerId,
      team_id: 'T1',
      channel_id: 'C1',
      user_id: user,
      command: '/k8s-advisor',
    },
    ack: vi.fn(async (_?: unknown) => {}),
    respond: vi.fn(async (_?: unknown) => {}),
    client,
    logger: silentLogger,
  };
}
type Cmd = ReturnType<typeof command>;
const acked = (c: Cmd) => c.ack.mock.calls[0]?.[0] as { response_type: string; text: string } | undefined;
const run = async (handle: ReturnType<typeof setup>['handle'], c: Cmd) => {
  await handle(c as never);
  return c;
};

describe('/k8s-advisor digest', () => {
  it('answers malformed arguments with the usage and an example, calling no Slack method', async () => {
    const { handle } = setup();
    const c = await run(handle, command('digest daily 9pm-ish'));
    expect(acked(c)?.response_type).toBe('ephemeral');
    expect(acked(c)?.text).toContain('"9pm-ish" is not a time of day');
    expect(acked(c)?.text).toContain('/k8s-advisor digest weekly friday 16:00');
    expect(calls).toEqual([]);
  });

  it('subscribes in the caller’s Slack time zone and shows it in status', async () => {
    const { handle } = setup();
    const c = await run(handle, command('digest weekly friday 16:30'));
    expect(calls.map((x) => x.method)).toEqual(['users.info']);
    expect(acked(c)?.text).toContain('every Friday at 16:30 (Europe/Berlin)');
    expect(acked(c)?.text).toContain('your Slack time zone');
    const status = await run(handle, command('digest status', 'UBOB'));
    expect(acked(status)?.text).toContain('every Friday at 16:30 (Europe/Berlin), set up by <@UALICE>');
  });

  it('refuses anyone but the subscriber or an admin, ephemerally', async () => {
    const { handle } = setup();
    await run(handle, command('digest daily'));
    const refused = await run(handle, command('digest off', 'UBOB'));
    expect(acked(refused)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Only <@UALICE>'),
    });
    const changed = await run(handle, command('digest daily 07:00', 'UBOB'));
    expect(acked(changed)?.text).toContain('Only <@UALICE>');
    const stopped = await run(handle, command('digest off', 'UADMIN'));
    expect(acked(stopped)?.text).toContain("Stopped this channel's digest");
  });

  it('posts the digest so far to the channel with `now`, once per trigger, with thread links and metadata', async () => {
    const { handle, service } = setup();
    const at = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100', userId: 'UALICE' };
    await service.start(at);
    for (const [qid, v] of [...OPENING, ...PATHS.managed]) await service.answer(at, qid, v);
    calls = [];
    const c = await run(handle, command('digest now', 'UALICE', 'same-trigger'));
    expect(acked(c)).toBeUndefined();
    const post = calls.find((x) => x.method === 'chat.postMessage');
    expect(post?.body.channel).toBe('C1');
    expect(post?.body.blocks).toContain('https://slack.test/archives/C1/p1700000000.000100');
    expect(JSON.parse(post?.body.metadata ?? '{}')).toMatchObject({
      event_type: 'k8s_advisor_digest',
      event_payload: { started: 1, completed: 1, outcomes: { managed: 1 }, trigger: 'manual' },
    });
    calls = [];
    await run(handle, command('digest now', 'UALICE', 'same-trigger'));
    expect(calls.filter((x) => x.method === 'chat.postMessage')).toEqual([]);
  });

  it('says so, and posts nothing, when there is nothing new', async () => {
    const { handle } = setup();
    const c = await run(handle, command('digest now'));
    expect(acked(c)?.text).toContain('Nothing new in this channel');
    expect(calls.map((x) => x.method)).toEqual(['users.info']);
  });

  it('acks at once and responds later when the work takes longer than the budget', async () => {
    const { handle } = setup(0);
    const c = await run(handle, command('digest daily 08:00'));
    expect(c.ack).toHaveBeenCalledWith();
    expect(c.respond.mock.calls[0]?.[0]).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('every day at 08:00 (Europe/Berlin)'),
    });
  });

  it('explains when Slack will not say who the caller is', async () => {
    const { handle } = setup();
    const c = await run(handle, command('digest daily', 'UNOBODY'));
    expect(acked(c)?.text).toContain('could not look up your Slack profile (user_not_found)');
  });
});
