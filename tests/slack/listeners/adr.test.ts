import { describe, expect, it } from 'vitest';
import { createUserDataService } from '../../../src/advisor/user-data.js';
import { registerAdr } from '../../../src/slack/listeners/adr.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { questionnaire } from '../../support/questionnaire.js';
import { finishAssessment, listenerDeps } from '../../support/service.js';
import { commandArgs, firstArg, THREAD_TS, useFakeSlack } from '../../support/slack.js';

const HOST = 'http://slack.adr.test';
let refuseUploads = false;
const slack = useFakeSlack(HOST, ({ method }) => {
  if (method === 'files.getUploadURLExternal')
    return refuseUploads
      ? { ok: false, error: 'not_in_channel' }
      : { ok: true, upload_url: `${HOST}/upload/F1`, file_id: 'F1' };
  if (method === 'files.completeUploadExternal') return { ok: true, files: [{ id: 'F1' }] };
  if (method === 'users.info') return { ok: true, user: { id: 'U1', name: 'alex', real_name: 'Alex' } };
  if (method === 'chat.getPermalink') return { ok: true, permalink: 'https://slack.test/archives/C1/p1' };
  return undefined;
});

function setup() {
  refuseUploads = false;
  const { deps, service, store } = listenerDeps(slack.client);
  const userData = createUserDataService({ store, questionnaire });
  const on = new Listeners();
  registerAdr(on, { ...deps, userData });
  const adr = async (triggerId?: string) => {
    const args = commandArgs(slack.client, 'adr', triggerId ? { triggerId } : {});
    await on.runCommand(args as never);
    return args;
  };
  return { service, adr };
}

const at = { teamId: 'T1', channelId: 'C1', threadTs: THREAD_TS, userId: 'U1' };

describe('/k8s-advisor adr', () => {
  it('says there is nothing to record before an assessment is completed, calling no Slack method', async () => {
    const { service, adr } = setup();
    await service.start(at);
    const args = await adr();
    expect(firstArg(args.ack)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('no completed assessment in this channel'),
    });
    expect(slack.calls).toEqual([]);
  });

  it('uploads the latest completed decision record into its thread, once per trigger', async () => {
    const { service, adr } = setup();
    await finishAssessment(service, at);
    const args = await adr('trigger-1');
    expect(firstArg(args.ack)?.text).toContain('Uploading the decision record');
    const done = slack.posted('files.completeUploadExternal');
    expect(done).toHaveLength(1);
    expect(done[0]?.body).toMatchObject({ channel_id: 'C1', thread_ts: THREAD_TS });
    expect(JSON.parse(done[0]?.body.files ?? '[]')[0]?.title).toMatch(/^ADR: /);
    const again = await adr('trigger-1');
    expect(again.ack).toHaveBeenCalledWith();
    expect(slack.posted('files.completeUploadExternal')).toHaveLength(1);
  });

  it('tells the caller, with Slack’s reason, when the upload is refused', async () => {
    const { service, adr } = setup();
    await finishAssessment(service, at);
    refuseUploads = true;
    const args = await adr();
    expect(firstArg(args.respond)).toMatchObject({
      response_type: 'ephemeral',
      text: ':warning: The upload did not work (not_in_channel). Try again in a moment.',
    });
  });
});
