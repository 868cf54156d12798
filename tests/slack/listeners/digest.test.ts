import { describe, expect, it } from 'vitest';
import { createDigestService } from '../../../src/digest/service.js';
import { lookupCaller, registerDigest } from '../../../src/slack/listeners/digest.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { OPENING, PATHS } from '../../support/digest.js';
import { listenerDeps } from '../../support/outbox.js';
import { questionnaire } from '../../support/questionnaire.js';
import { commandArgs, useFakeSlack } from '../../support/slack.js';

const USERS: Record<string, Record<string, unknown>> = {
  UALICE: { id: 'UALICE', tz: 'Europe/Berlin', is_admin: false, is_owner: false },
  UBOB: { id: 'UBOB', tz: 'America/New_York', is_admin: false, is_owner: false },
  UADMIN: { id: 'UADMIN', tz: 'Asia/Tokyo', is_admin: true, is_owner: false },
};

const slack = useFakeSlack('http://slack.digest.test', ({ method, body }) => {
  if (body.channel === 'CNOTIN' && method !== 'users.info') return { ok: false, error: 'not_in_channel' };
  if (method === 'conversations.history') return { ok: true, messages: [] };
  if (method === 'users.info') {
    const user = USERS[body.user ?? ''];
    return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
  }
  if (method === 'chat.getPermalink')
    return { ok: true, permalink: `https://slack.test/archives/${body.channel}/p${body.message_ts}` };
  return { ok: true, ts: '1700000009.000100', channel: body.channel };
});

function setup() {
  const { service, store, deps, drain } = listenerDeps(slack.client, (store) => ({
    digests: createDigestService({ store, questionnaire }),
  }));
  const on = new Listeners();
  registerDigest(on, deps);
  const handle = async (args: Cmd) => {
    await on.runCommand(args as never);
    await drain();
  };
  /** Settles what the assessments set up posted, so a test sees only its own calls. */
  const ready = async () => {
    await drain();
    slack.clear();
  };
  return { service, store, handle, ready };
}

const command = (text: string, user = 'UALICE', triggerId?: string) => {
  const args = commandArgs(slack.client, text, { user, ...(triggerId && { triggerId }) });
  return { ...args, command: { ...args.command, response_url: slack.responseUrl() } };
};
type Cmd = ReturnType<typeof command>;
const acked = (c: Cmd) => c.ack.mock.calls[0]?.[0] as { response_type: string; text: string } | undefined;
const run = async (handle: ReturnType<typeof setup>['handle'], c: Cmd) => {
  await handle(c);
  return c;
};

describe('/k8s-advisor digest', () => {
  it('answers malformed arguments with the usage and an example, calling no Slack method', async () => {
    const { handle } = setup();
    const c = await run(handle, command('digest daily 9pm-ish'));
    expect(acked(c)?.response_type).toBe('ephemeral');
    expect(acked(c)?.text).toContain('"9pm-ish" is not a time of day');
    expect(acked(c)?.text).toContain('/k8s-advisor digest weekly friday 16:00');
    expect(slack.calls).toEqual([]);
  });

  it('subscribes in the caller’s Slack time zone and shows it in status', async () => {
    const { handle } = setup();
    const c = await run(handle, command('digest weekly friday 16:30'));
    expect(slack.calls.map((x) => x.method)).toEqual(['users.info']);
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
    const { handle, service, ready } = setup();
    const at = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100', userId: 'UALICE' };
    await service.start(at);
    for (const [qid, v] of [...OPENING, ...PATHS.managed]) await service.answer(at, qid, v);
    await ready();
    const c = await run(handle, command('digest now', 'UALICE', 'same-trigger'));
    expect(acked(c)).toBeUndefined();
    expect(c.ack).toHaveBeenCalledOnce();
    // Looked for in the channel first (none there yet), then posted.
    expect(slack.methods.filter((m) => m !== 'chat.getPermalink')).toEqual([
      'users.info',
      'conversations.history',
      'chat.postMessage',
    ]);
    const post = slack.calls.find((x) => x.method === 'chat.postMessage');
    expect(post?.body.channel).toBe('C1');
    expect(post?.body.blocks).toContain('https://slack.test/archives/C1/p1700000000.000100');
    expect(JSON.parse(post?.body.metadata ?? '{}')).toMatchObject({
      event_type: 'k8s_advisor_digest',
      event_payload: {
        started: 1,
        completed: 1,
        outcomes: { managed: 1 },
        trigger: 'manual',
        period_id: expect.stringMatching(/^manual:\d+-\d+$/),
      },
    });
    slack.clear();
    await run(handle, command('digest now', 'UALICE', 'same-trigger'));
    expect(slack.calls.filter((x) => x.method === 'chat.postMessage')).toEqual([]);
  });

  it('tells whoever ran `now` when the digest cannot be posted in the channel', async () => {
    const { handle, service, ready } = setup();
    const at = { teamId: 'T1', channelId: 'CNOTIN', threadTs: '1700000000.000100', userId: 'UALICE' };
    await service.start(at);
    await ready();
    const c = await run(handle, {
      ...command('digest now'),
      command: { ...command('digest now').command, channel_id: 'CNOTIN' },
    });
    expect(acked(c)).toBeUndefined();
    expect(slack.responses.map((r) => r.body)).toEqual([
      {
        response_type: 'ephemeral',
        text: expect.stringContaining('I could not post the digest here (not_in_channel)'),
      },
    ]);
  });

  it('says so, and posts nothing, when there is nothing new', async () => {
    const { handle } = setup();
    const c = await run(handle, command('digest now'));
    expect(acked(c)?.text).toContain('Nothing new in this channel');
    expect(slack.calls.map((x) => x.method)).toEqual(['users.info']);
  });

  it('answers in the ack, never later, with the change committed', async () => {
    const { handle, store } = setup();
    const c = await run(handle, command('digest daily 08:00'));
    expect(acked(c)?.text).toContain('every day at 08:00 (Europe/Berlin)');
    expect(c.respond).not.toHaveBeenCalled();
    expect(await store.getSubscription({ teamId: 'T1', channelId: 'C1' })).toMatchObject({ hour: 8 });
  });

  it('explains when Slack will not say who the caller is', async () => {
    const { handle } = setup();
    const c = await run(handle, command('digest daily', 'UNOBODY'));
    expect(acked(c)?.text).toContain('could not look up your Slack profile (user_not_found)');
  });

  it('gives up on a profile lookup that takes too long, so the ack stays within Slack’s time', async () => {
    const hanging = { users: { info: () => new Promise(() => {}) } } as never;
    await expect(lookupCaller(hanging, 'UALICE', 20)).rejects.toThrow('no answer within 20 ms');
  });
});
