import { describe, expect, it } from 'vitest';
import { registerActions } from '../../../src/slack/listeners/actions.js';
import { registerCommands } from '../../../src/slack/listeners/commands.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { settling } from '../../support/drain.js';
import { listenerDeps, SHORT_PATH } from '../../support/service.js';
import {
  blocksOf,
  CLICKED_TS,
  clickArgs,
  commandArgs,
  THREAD_TS,
  useFakeSlack,
} from '../../support/slack.js';

const slack = useFakeSlack('http://slack.actions.test', (call) =>
  call.method === 'files.getUploadURLExternal'
    ? { ok: true, upload_url: 'http://slack.actions.test/upload/F1', file_id: 'F1' }
    : call.method === 'files.completeUploadExternal'
      ? { ok: true, files: [{ id: 'F1' }] }
      : undefined,
);

/** U1's assessment in the fake thread, and a way to click in it through the app's one action listener. */
async function started() {
  const { deps, store, settle } = listenerDeps(slack.client);
  const on = settling(new Listeners(), settle);
  registerCommands(on, deps);
  registerActions(on, deps);
  await on.runCommand(commandArgs(slack.client, '') as never);
  slack.clear();
  const click = (...args: Parameters<typeof clickArgs> extends [unknown, ...infer R] ? R : never) =>
    on.runAction(clickArgs(slack.client, ...args) as never);
  const stored = async () => (await store.byThread('T1', 'C1', THREAD_TS))[0];
  return { click, stored };
}

async function finished() {
  const s = await started();
  for (const [q, v] of SHORT_PATH) await s.click(`answer:${q}:${v}`, v);
  slack.clear();
  return s;
}

describe('answer buttons', () => {
  it('record the answer, mark the question answered and ask the next', async () => {
    const { click, stored } = await started();
    await click('answer:team:small', 'small');
    const update = slack.posted('chat.update').find((c) => c.body.ts === CLICKED_TS);
    expect(JSON.stringify(blocksOf(update))).toContain('Small or new to Kubernetes operations');
    expect(blocksOf(update).some((b) => b.type === 'actions')).toBe(false);
    expect(blocksOf(slack.posted('chat.postMessage')[0])[0]?.block_id).toBe('question:clusters');
    expect((await stored())?.answers).toEqual({ team: { kind: 'option', optionId: 'small' } });
  });

  it('apply a double click once', async () => {
    const { click, stored } = await started();
    await click('answer:team:small', 'small', { actionTs: '111.1' });
    slack.clear();
    await click('answer:team:small', 'small', { actionTs: '111.1' });
    expect(slack.calls).toEqual([]);
    expect((await stored())?.version).toBe(1);
  });

  it('from someone else change nothing and tell only them', async () => {
    const { click, stored } = await started();
    await click('answer:team:small', 'small', { user: 'U2' });
    expect(slack.methods).toEqual(['chat.postEphemeral']);
    expect(slack.calls[0]?.body).toMatchObject({ user: 'U2', text: expect.stringContaining('<@U1>') });
    expect((await stored())?.answers).toEqual({});
  });
});

describe('card buttons', () => {
  it('the last answer posts the card with its metadata', async () => {
    const { click } = await started();
    for (const [q, v] of SHORT_PATH) await click(`answer:${q}:${v}`, v);
    const card = slack.posted('chat.postMessage').at(-1);
    expect(JSON.parse(card?.body.metadata ?? '{}')).toMatchObject({
      event_type: 'k8s_advisor_recommendation',
      event_payload: { outcome: 'self_hosted_required', answers: { team: 'small', clusters: 3 } },
    });
  });

  it('share posts the card to the channel, once per click', async () => {
    const { click } = await finished();
    await click('card:share', 'x', { actionTs: '222.2' });
    await click('card:share', 'x', { actionTs: '222.2' });
    const shared = slack.posted('chat.postMessage');
    expect(shared).toHaveLength(1);
    expect(shared[0]?.body.thread_ts).toBeUndefined();
    expect(JSON.parse(shared[0]?.body.metadata ?? '{}').event_type).toBe('k8s_advisor_recommendation');
  });

  it('restart asks the first question again', async () => {
    const { click, stored } = await finished();
    await click('card:restart', 'x');
    expect(blocksOf(slack.posted('chat.postMessage')[0])[0]?.block_id).toBe('question:team');
    expect(await stored()).toMatchObject({ status: 'active', answers: {}, restarts: 1 });
  });

  it('change posts a picker, and picking a question re-asks it', async () => {
    const { click, stored } = await finished();
    await click('card:change', 'x');
    const picker = slack.posted('chat.postMessage')[0];
    expect(picker?.body.thread_ts).toBe(THREAD_TS);
    expect(picker?.body.blocks).toContain('change:pick');
    slack.clear();
    await click('change:pick', '', { selected: 'provider_access' });
    expect(slack.posted('chat.update').find((c) => c.body.ts === CLICKED_TS)?.body).toMatchObject({
      ts: CLICKED_TS,
      text: expect.stringContaining('Changing'),
    });
    // Re-asked at its own position, saying what the answer is now.
    const again = slack.posted('chat.postMessage')[0];
    expect(blocksOf(again).map((b) => b.block_id)).toContain('question:provider_access');
    expect(JSON.stringify(blocksOf(again))).toContain('Changing this answer. It is now: No');
    expect(again?.body.text).toMatch(/^Question 5 of /);
    expect((await stored())?.status).toBe('active');
  });

  it('adr uploads the decision record into the thread', async () => {
    const { click } = await finished();
    await click('card:adr', 'x');
    const done = slack.posted('files.completeUploadExternal')[0];
    expect(done?.body).toMatchObject({ channel_id: 'C1', thread_ts: THREAD_TS });
    expect(JSON.parse(done?.body.files ?? '[]')[0]?.title).toContain('ADR:');
  });

  it('on an assessment no longer finished show where it stands instead', async () => {
    const { click } = await finished();
    await click('card:restart', 'x');
    slack.clear();
    await click('card:share', 'x');
    const reshown = slack.posted('chat.postMessage');
    expect(reshown).toHaveLength(1);
    expect(reshown[0]?.body.thread_ts).toBe(THREAD_TS);
    expect(blocksOf(reshown[0])[0]?.block_id).toBe('question:team');
  });
});
