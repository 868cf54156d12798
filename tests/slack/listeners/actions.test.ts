import { describe, expect, it } from 'vitest';
import { refs } from '../../../src/slack/envelopes.js';
import { registerActions } from '../../../src/slack/listeners/actions.js';
import { registerCommands } from '../../../src/slack/listeners/commands.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { settling } from '../../support/drain.js';
import { listenerDeps } from '../../support/outbox.js';
import { SHORT_PATH } from '../../support/service.js';
import {
  blocksOf,
  CLICKED_TS,
  clickArgs,
  commandArgs,
  THREAD_TS,
  useFakeSlack,
} from '../../support/slack.js';

const PERMALINK = `https://example.slack.com/archives/C1/p${THREAD_TS.replace('.', '')}`;

const slack = useFakeSlack('http://slack.actions.test', (call) =>
  call.method === 'files.getUploadURLExternal'
    ? { ok: true, upload_url: 'http://slack.actions.test/upload/F1', file_id: 'F1' }
    : call.method === 'files.completeUploadExternal'
      ? { ok: true, files: [{ id: 'F1' }] }
      : call.method === 'chat.getPermalink'
        ? { ok: true, permalink: PERMALINK }
        : undefined,
);

/** U1's assessment in the fake thread, and a way to click in it through the app's one action listener. */
async function started() {
  const { deps, store, drain } = listenerDeps(slack.client);
  const on = settling(new Listeners(), drain);
  registerCommands(on, deps);
  registerActions(on, deps);
  await on.runCommand(commandArgs(slack.client, '') as never);
  slack.clear();
  type ClickRest = Parameters<typeof clickArgs> extends [unknown, ...infer R] ? R : never;
  const click = (...args: ClickRest) => on.runAction(clickArgs(slack.client, ...args) as never);
  /** A click whose payload carries a response_url, as Slack's always do. */
  const clickWithUrl = (...args: ClickRest) => {
    const a = clickArgs(slack.client, ...args);
    Object.assign(a.body, { response_url: 'http://slack.actions.test/respond/C1/U1' });
    return on.runAction(a as never);
  };
  const stored = async () => (await store.byThread('T1', 'C1', THREAD_TS))[0];
  /** The ts the sender recorded for a posted message (the card, the channel's copy). */
  const recorded = (name: string) => store.recorded('T1', name);
  return { click, clickWithUrl, stored, store, recorded };
}

const hasActions = (c: Parameters<typeof blocksOf>[0]) => blocksOf(c).some((b) => b.type === 'actions');
const textOf = (c: { body: Record<string, string> } | undefined) => `${c?.body.text} ${c?.body.blocks}`;
const SHARED = refs.shared({ channelId: 'C1', threadTs: THREAD_TS, userId: 'U1' });

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

  it('share posts a short summary to the channel, linking the thread, once per verdict', async () => {
    const { click, recorded } = await finished();
    await click('card:share', 'x', { actionTs: '222.2' });
    await click('card:share', 'x', { actionTs: '222.2' });
    const shared = slack.posted('chat.postMessage');
    expect(shared).toHaveLength(1);
    expect(shared[0]?.body).toMatchObject({ channel: 'C1' });
    expect(shared[0]?.body.thread_ts).toBeUndefined();
    expect(JSON.parse(shared[0]?.body.metadata ?? '{}')).toMatchObject({
      event_type: 'k8s_advisor_recommendation',
      event_payload: { outcome: 'self_hosted_required', assessment_id: 'a1' },
    });
    // A summary, not the card: the verdict, the reasons, the open risks and the way to the thread.
    expect(blocksOf(shared[0]).length).toBeLessThanOrEqual(5);
    expect(hasActions(shared[0])).toBe(false);
    expect(textOf(shared[0])).toContain('Self-hosted');
    expect(textOf(shared[0])).toContain('still open');
    expect(textOf(shared[0])).toContain(`<${PERMALINK}|Open the assessment thread>`);
    // Recorded as the assessment's copy in the channel, which later changes update.
    expect(await recorded(SHARED)).toEqual(expect.any(String));

    // Another click for the same verdict posts nothing more: only the clicker hears why.
    slack.clear();
    await click('card:share', 'x', { actionTs: '222.3' });
    expect(slack.methods).toEqual(['chat.postEphemeral']);
    expect(slack.calls[0]?.body).toMatchObject({
      user: 'U1',
      text: expect.stringContaining('Already shared'),
    });
  });

  it('restart of a finished assessment asks first, only the clicker, and changes nothing yet', async () => {
    const { click, stored } = await finished();
    const before = await stored();
    await click('card:restart', 'x');
    expect(slack.methods).toEqual(['chat.postEphemeral']);
    const asked = slack.calls[0];
    expect(asked?.body).toMatchObject({ channel: 'C1', thread_ts: THREAD_TS, user: 'U1' });
    expect(asked?.body.blocks).toContain('"card:restart:confirm"');
    expect(asked?.body.blocks).toContain('"card:restart:cancel"');
    expect(asked?.body.blocks).toContain('"value":"a1"');
    expect(await stored()).toEqual(before);

    slack.clear();
    await click('card:restart:cancel', 'a1');
    expect(slack.methods).toEqual(['chat.postEphemeral']);
    expect(slack.calls[0]?.body.text).toContain('Kept');
    expect(await stored()).toEqual(before);
  });

  it('restart, confirmed, keeps the decision, marks its card superseded and asks the first question', async () => {
    const { click, clickWithUrl, stored, store, recorded } = await finished();
    const cardTs = await recorded(refs.card('a1'));
    await click('card:restart', 'x');
    slack.clear();
    await clickWithUrl('card:restart:confirm', 'a1');

    const superseded = slack.posted('chat.update').find((c) => c.body.ts === cardTs);
    expect(hasActions(superseded)).toBe(false);
    expect(textOf(superseded)).toContain('Superseded');
    expect(textOf(superseded)).toContain('restarted');
    expect(textOf(superseded)).toContain('latest card in this thread');
    expect(blocksOf(slack.posted('chat.postMessage')[0])[0]?.block_id).toBe('question:team');
    // The confirmation is answered through the click's response_url.
    expect(slack.posted('response_url')[0]?.body).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('Started again'),
    });
    expect(await stored()).toMatchObject({ id: 'a2', status: 'active', answers: {}, restarts: 1 });
    expect(await store.getById('a1')).toMatchObject({
      status: 'completed',
      outcome: 'self_hosted_required',
      archivedAt: expect.any(Number),
    });

    // A second "Start again" restarts nothing.
    slack.clear();
    await click('card:restart:confirm', 'a1');
    expect(slack.methods).toEqual(['chat.postEphemeral']);
    expect(slack.calls[0]?.body.text).toContain('already started again');
    expect(await stored()).toMatchObject({ id: 'a2', version: 0 });
  });

  it('changing an answer supersedes the card and the channel’s copy, which then shows the new verdict', async () => {
    const { click, recorded } = await finished();
    await click('card:share', 'x');
    const cardTs = await recorded(refs.card('a1'));
    const sharedTs = await recorded(SHARED);
    expect(sharedTs).toBeDefined();
    await click('card:change', 'x');
    slack.clear();
    await click('change:pick', '', { selected: 'nodes' });
    const card = slack.posted('chat.update').find((c) => c.body.ts === cardTs);
    expect(hasActions(card)).toBe(false);
    expect(textOf(card)).toContain('an answer was changed');
    expect(JSON.parse(card?.body.metadata ?? '{}').event_payload.superseded_at).toEqual(expect.any(Number));
    const copy = slack.posted('chat.update').find((c) => c.body.ts === sharedTs);
    expect(textOf(copy)).toContain('being revised');
    expect(textOf(copy)).toContain(PERMALINK);

    slack.clear();
    await click('answer:nodes:100', '100');
    const newCard = slack.posted('chat.postMessage').find((c) => c.body.metadata);
    expect(hasActions(newCard)).toBe(true);
    expect(await recorded(refs.card('a1'))).not.toBe(cardTs);
    const followed = slack.posted('chat.update').find((c) => c.body.ts === sharedTs);
    expect(textOf(followed)).toContain('Self-hosted');
    expect(textOf(followed)).not.toContain('being revised');
    expect(JSON.parse(followed?.body.metadata ?? '{}').event_payload.answers.nodes).toBe(100);

    // The new verdict can be shared in its own message; the earlier copy then points to it.
    slack.clear();
    await click('card:share', 'x');
    expect(slack.posted('chat.postMessage')).toHaveLength(1);
    expect(textOf(slack.posted('chat.update').find((c) => c.body.ts === sharedTs))).toContain(
      'newer verdict',
    );
    expect(await recorded(SHARED)).not.toBe(sharedTs);
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
    await click('card:restart:confirm', 'a1');
    slack.clear();
    await click('card:share', 'x');
    const reshown = slack.posted('chat.postMessage');
    expect(reshown).toHaveLength(1);
    expect(reshown[0]?.body.thread_ts).toBe(THREAD_TS);
    expect(blocksOf(reshown[0])[0]?.block_id).toBe('question:team');
  });
});
