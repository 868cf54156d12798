import { describe, expect, it } from 'vitest';
import { createUserDataService } from '../../../src/advisor/user-data.js';
import { registerPrivacy } from '../../../src/slack/listeners/privacy.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { listenerDeps } from '../../support/outbox.js';
import { questionnaire } from '../../support/questionnaire.js';
import { finishAssessment } from '../../support/service.js';
import { clickArgs, commandArgs, firstArg, THREAD_TS, useFakeSlack } from '../../support/slack.js';

const HOST = 'http://slack.privacy.test';
let file = 0;
const slack = useFakeSlack(HOST, ({ method, body }) => {
  if (method === 'conversations.open') return { ok: true, channel: { id: `D${body.users}` } };
  if (method === 'users.info') return { ok: true, user: { id: body.user, name: 'alex', real_name: 'Alex' } };
  if (method === 'chat.getPermalink')
    return { ok: true, permalink: `https://slack.test/p${body.message_ts}` };
  if (method === 'files.getUploadURLExternal')
    return { ok: true, upload_url: `${HOST}/upload/F${++file}`, file_id: `F${file}` };
  if (method === 'files.completeUploadExternal') return { ok: true, files: [] };
  return undefined;
});

function setup() {
  const { deps, service, store, drain } = listenerDeps(slack.client, (store) => ({
    userData: createUserDataService({ store, questionnaire }),
  }));
  const on = new Listeners();
  registerPrivacy(on, deps);
  const command = async (text: string, triggerId?: string) => {
    const args = commandArgs(slack.client, text, triggerId ? { triggerId } : {});
    const withUrl = { ...args, command: { ...args.command, response_url: slack.responseUrl('command') } };
    await on.runCommand(withUrl as never);
    await drain();
    return args;
  };
  const click = async (actionId: string, value: string, user = 'U1') => {
    const args = clickArgs(slack.client, actionId, value, { user });
    const body = { ...args.body, response_url: slack.responseUrl('click') };
    await on.runAction({ ...args, body } as never);
    await drain();
    return args;
  };
  const mine = async () => (await store.listByUser('T1', 'U1', { limit: 10, offset: 0 })).total;
  /** Settles what the assessments set up posted, so a test sees only its own calls. */
  const ready = async () => {
    await drain();
    slack.clear();
  };
  return { service, command, click, mine, ready };
}

const at = { teamId: 'T1', channelId: 'C1', threadTs: THREAD_TS, userId: 'U1' };

describe('/k8s-advisor export', () => {
  it('says there is nothing to export when nothing is stored', async () => {
    const { command } = setup();
    const args = await command('export');
    expect(firstArg(args.ack)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Nothing to export'),
    });
    expect(slack.methods).toEqual([]);
  });

  it('sends every assessment of the caller as JSON and Markdown files in a direct message, once per trigger', async () => {
    const { service, command, ready } = setup();
    await finishAssessment(service, at);
    await ready();
    const args = await command('export', 'trigger-export');
    expect(firstArg(args.ack)?.text).toContain('Preparing your export');
    const done = slack.posted('files.completeUploadExternal');
    expect(done).toHaveLength(1);
    expect(done[0]?.body.channel_id).toBe('DU1');
    const names = slack.posted('files.getUploadURLExternal').map((c) => c.body.filename);
    expect(names).toEqual([expect.stringMatching(/\.json$/), expect.stringMatching(/\.md$/)]);
    expect(slack.responses.map((r) => r.body)).toEqual([
      { response_type: 'ephemeral', text: expect.stringContaining('Sent: 1 assessment') },
    ]);
    const again = await command('export', 'trigger-export');
    expect(again.ack).toHaveBeenCalledWith();
    expect(slack.posted('files.completeUploadExternal')).toHaveLength(1);
  });
});

describe('/k8s-advisor forget-me', () => {
  it('asks first, with buttons only the caller sees, deleting nothing yet', async () => {
    const { service, command, mine } = setup();
    await finishAssessment(service, at);
    const args = await command('forget-me');
    expect(firstArg(args.ack)?.response_type).toBe('ephemeral');
    expect(JSON.stringify(firstArg(args.ack)?.blocks)).toContain('privacy:forget:confirm');
    expect(await mine()).toBe(1);
  });

  it('lets nobody but the caller confirm', async () => {
    const { service, click, mine, ready } = setup();
    await finishAssessment(service, at);
    await ready();
    const args = await click('privacy:forget:confirm', 'U1', 'U2');
    expect(args.ack).toHaveBeenCalledOnce();
    expect(slack.responses.map((r) => r.body)).toEqual([
      {
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Only the person who asked can confirm this.',
      },
    ]);
    expect(await mine()).toBe(1);
  });

  it('deletes on confirmation, says what went, and redraws App Home', async () => {
    const { service, click, mine, ready } = setup();
    await finishAssessment(service, at);
    await ready();
    const args = await click('privacy:forget:confirm', 'U1');
    expect(args.ack).toHaveBeenCalledOnce();
    expect(slack.responses.map((r) => r.body)).toEqual([
      { replace_original: true, text: expect.stringContaining('Deleted 1 assessment') },
    ]);
    expect(await mine()).toBe(0);
    expect(slack.posted('views.publish')[0]?.body.user_id).toBe('U1');
    expect(slack.posted('views.publish')[0]?.body.view).toContain('no assessments yet');
  });

  it('cancels without deleting', async () => {
    const { service, click, mine, ready } = setup();
    await finishAssessment(service, at);
    await ready();
    await click('privacy:forget:cancel', 'U1');
    expect(slack.responses.map((r) => r.body)).toEqual([
      { replace_original: true, text: 'Cancelled: nothing was deleted.' },
    ]);
    expect(await mine()).toBe(1);
  });
});
