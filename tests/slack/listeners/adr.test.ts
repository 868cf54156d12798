import { describe, expect, it } from 'vitest';
import { createUserDataService } from '../../../src/advisor/user-data.js';
import { TOLD_ATTEMPTS } from '../../../src/slack/last-try.js';
import { registerAdr } from '../../../src/slack/listeners/adr.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { listenerDeps } from '../../support/outbox.js';
import { questionnaire } from '../../support/questionnaire.js';
import { finishAssessment } from '../../support/service.js';
import { commandArgs, firstArg, THREAD_TS, useFakeSlack } from '../../support/slack.js';

const HOST = 'http://slack.adr.test';
let refuseUploads: string | undefined;
/** Uploads Slack fails with internal_error (worth a retry) before it takes one. */
let transientFailures = 0;
const slack = useFakeSlack(HOST, ({ method }) => {
  if (method === 'files.getUploadURLExternal' && transientFailures > 0) {
    transientFailures--;
    return { ok: false, error: 'internal_error' };
  }
  if (method === 'files.getUploadURLExternal')
    return refuseUploads
      ? { ok: false, error: refuseUploads }
      : { ok: true, upload_url: `${HOST}/upload/F1`, file_id: 'F1' };
  if (method === 'files.completeUploadExternal') return { ok: true, files: [{ id: 'F1' }] };
  if (method === 'users.info') return { ok: true, user: { id: 'U1', name: 'alex', real_name: 'Alex' } };
  if (method === 'chat.getPermalink') return { ok: true, permalink: 'https://slack.test/archives/C1/p1' };
  return undefined;
});

function setup() {
  refuseUploads = undefined;
  transientFailures = 0;
  const { deps, service, drain } = listenerDeps(slack.client, (store) => ({
    userData: createUserDataService({ store, questionnaire }),
  }));
  const on = new Listeners();
  registerAdr(on, deps);
  const adr = async (triggerId?: string) => {
    const args = commandArgs(slack.client, 'adr', triggerId ? { triggerId } : {});
    const command = { ...args.command, response_url: slack.responseUrl() };
    await on.runCommand({ ...args, command } as never);
    await drain();
    return args;
  };
  return { service, adr, drain };
}

const at = { teamId: 'T1', channelId: 'C1', threadTs: THREAD_TS, userId: 'U1' };

describe('/k8s-advisor adr', () => {
  it('says there is nothing to record before an assessment is completed, calling no Slack method', async () => {
    const { service, adr, drain } = setup();
    await service.start(at);
    await drain();
    slack.clear();
    const args = await adr();
    expect(firstArg(args.ack)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('no completed assessment in this channel'),
    });
    expect(slack.calls).toEqual([]);
  });

  it('uploads the latest completed decision record into its thread, once per trigger', async () => {
    const { service, adr, drain } = setup();
    await finishAssessment(service, at);
    await drain();
    slack.clear();
    const args = await adr('trigger-1');
    expect(firstArg(args.ack)?.text).toContain('Uploading the decision record');
    const done = slack.posted('files.completeUploadExternal');
    expect(done).toHaveLength(1);
    expect(done[0]?.body).toMatchObject({ channel_id: 'C1', thread_ts: THREAD_TS });
    expect(JSON.parse(done[0]?.body.files ?? '[]')[0]?.title).toMatch(/^ADR: /);
    const again = await adr('trigger-1');
    expect(again.ack).toHaveBeenCalledWith();
    expect(slack.posted('files.completeUploadExternal')).toHaveLength(1);
    expect(slack.responses).toEqual([]);
  });

  it('tells the caller privately, with Slack’s reason, once a refused upload is given up on', async () => {
    const { service, adr } = setup();
    await finishAssessment(service, at);
    refuseUploads = 'not_in_channel';
    const args = await adr();
    expect(firstArg(args.ack)?.text).toContain('Uploading the decision record');
    // A refusal will not change: tried once, then the caller hears of it.
    expect(slack.posted('files.getUploadURLExternal')).toHaveLength(1);
    expect(slack.responses.map((r) => r.body)).toEqual([
      {
        response_type: 'ephemeral',
        text: ':warning: The decision record could not be uploaded (not_in_channel). Try again in a moment.',
      },
    ]);
  });

  it('retries an upload Slack could not take just now, saying nothing once it goes through', async () => {
    const { service, adr } = setup();
    await finishAssessment(service, at);
    transientFailures = 2;
    await adr();
    expect(slack.posted('files.getUploadURLExternal')).toHaveLength(3);
    expect(slack.posted('files.completeUploadExternal')).toHaveLength(1);
    expect(slack.responses).toEqual([]);
  });

  it('tells the caller once Slack has failed every try', async () => {
    const { service, adr } = setup();
    await finishAssessment(service, at);
    transientFailures = 100;
    await adr();
    expect(slack.posted('files.getUploadURLExternal')).toHaveLength(TOLD_ATTEMPTS);
    expect(slack.responses.map((r) => r.body.text)).toEqual([
      ':warning: The decision record could not be uploaded (internal_error). Try again in a moment.',
    ]);
  });
});
