import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessage } from '../../src/slack/blocks/limits.js';
import { askedQuestion, Driver, type Harness, isTopLevel, startHarness } from './harness.js';

let h: Harness;
let channel = 0;
/** Each test gets its own channel, so their messages never mix. */
const driver = (user = 'U1') => new Driver(h, user, `C${++channel}`);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const payloadOf = (d: Driver) =>
  (d.card()?.metadata as { event_payload: Record<string, unknown> } | undefined)?.event_payload;
const textOf = (m: { text: string; blocks?: unknown[] } | undefined) =>
  JSON.stringify(m?.blocks ?? []) + (m?.text ?? '');

async function clickThrough(d: Driver, answers: string[]) {
  for (const a of answers) await d.answer(a);
  return d.waitForCard();
}

describe('an assessment over HTTP, as Slack drives it', () => {
  it('reaches managed by buttons, marks each answered question and updates the parent', async () => {
    const d = driver();
    const parent = await d.start();
    expect(parent.text).toContain('<@U1>');
    const first = d.current();
    expect(textOf(first)).toContain('Question 1 of 9');
    expect(first?.blocks?.some((b) => (b as { block_id?: string }).block_id === 'question:team')).toBe(true);

    const card = await clickThrough(d, ['small', '3', '30', 'steady', 'yes', 'eks', 'high', 'strong', 'yes']);
    expect(payloadOf(d)).toMatchObject({
      outcome: 'managed',
      answers: { team: 'small', clusters: 3, nodes: 30, provider_access: 'yes', access_lockdown: 'yes' },
    });
    expect(payloadOf(d)?.assessment_id).toEqual(expect.any(String));
    expect(textOf(card)).toContain('What the provider takes off your plate');
    expect(textOf(card)).toContain('three minor versions');
    // Every answered question lost its buttons and shows the answer.
    const asked = d
      .thread()
      .filter((m) =>
        m.blocks?.some((b) => String((b as { block_id?: string }).block_id).startsWith('question:')),
      );
    expect(asked).toHaveLength(9);
    expect(asked.every((m) => !askedQuestion(m))).toBe(true);
    expect(textOf(asked[0])).toContain('Small or new to Kubernetes operations');
    await h.standin.waitFor(() =>
      h.standin.message(d.channel, d.threadTs)?.text.includes('Managed Kubernetes'),
    );
  });

  it('reaches managed with safeguards by typed replies (number, label, id, any case)', async () => {
    const d = driver();
    await d.start();
    for (const text of [
      '1',
      '3',
      'about 40 nodes',
      'STEADY',
      'only with controls (approval, logging)',
      'gke',
      'Medium, with some reservations',
      'partial',
      'partly',
    ]) {
      const before = d.current()?.ts ?? '';
      await d.reply(text);
      await h.standin.waitFor(() => (d.current()?.ts ?? '') > before || d.card());
    }
    await d.waitForCard();
    expect(payloadOf(d)).toMatchObject({
      outcome: 'managed_with_safeguards',
      answers: { nodes: 40, provider_access: 'with_controls' },
    });
  });

  it('reaches self_hosted for a dedicated team that does not trust the provider', async () => {
    const d = driver();
    await d.start();
    await clickThrough(d, ['dedicated', '1', '5', 'steady', 'yes', 'aks', 'low', 'partial', 'partly']);
    expect(payloadOf(d)?.outcome).toBe('self_hosted');
    expect(textOf(d.card())).toContain('What you take on by running it yourselves');
  });

  it('reaches self_hosted_required when provider access is ruled out, warning a small team', async () => {
    const d = driver();
    await d.start();
    const card = await clickThrough(d, ['small', '3', '30', 'elastic', 'no']);
    expect(payloadOf(d)?.outcome).toBe('self_hosted_required');
    expect(textOf(card)).toContain('A risk of its own');
    expect(payloadOf(d)?.open_risks).toEqual(
      expect.arrayContaining(['trust', 'outside_access'.replace('side', 'sider')]),
    );
  });

  it('keeps every message within Block Kit limits and never has a call refused', async () => {
    for (const m of h.standin.messages()) expect(validateMessage(m)).toEqual([]);
    expect(h.standin.calls().filter((c) => !c.ok)).toEqual([]);
  });
});

describe('what Slack and people do around it', () => {
  it('answers help and unknown words in the command response, posting nothing', async () => {
    const d = driver();
    const help = await d.command('help');
    expect(JSON.parse(help.text)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('/k8s-advisor'),
    });
    const unknown = await d.command('launch rockets');
    expect(JSON.parse(unknown.text).text).toContain('I do not know');
    expect(h.standin.messages(d.channel)).toEqual([]);
  });

  it('rejects a forged signature with 401 and does nothing', async () => {
    const d = driver();
    const forged = await Driver.prototype.send.call({ h: { ...h, secret: 'not-the-secret' } } as never, {
      form: {
        command: '/k8s-advisor',
        text: '',
        team_id: 'T',
        channel_id: d.channel,
        user_id: 'U1',
        trigger_id: 'x',
      },
    });
    expect(forged.status).toBe(401);
    await h.app.settled();
    expect(h.standin.messages(d.channel)).toEqual([]);
    expect(h.standin.calls().filter((c) => c.args.channel === d.channel)).toEqual([]);
  });

  it('applies a retried command, event and click once', async () => {
    const d = driver();
    await d.command('', 'trigger-once');
    await d.command('', 'trigger-once');
    await h.standin.waitFor(() => h.standin.messages(d.channel).length >= 2);
    await h.app.settled();
    expect(h.standin.messages(d.channel).filter(isTopLevel)).toHaveLength(1);
    d.threadTs = h.standin.messages(d.channel)[0]?.ts ?? '';

    const event = d.replyPayload('1', 'U1', 'Ev-retried-once');
    await d.send({ json: event });
    await d.send({ json: event }, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await d.waitForQuestion('clusters');

    const question = d.current();
    if (!question) throw new Error('no question');
    const click = d.clickPayload(question, 'answer:clusters:3', '3', '1700000000.123456');
    await Promise.all([d.send({ form: click }), d.send({ form: click })]);
    await d.waitForQuestion('nodes');
    await h.app.settled();
    const asked = d
      .thread()
      .map((m) =>
        m.blocks?.find((b) => String((b as { block_id?: string }).block_id).startsWith('question:')),
      );
    expect(asked.filter(Boolean)).toHaveLength(3);
  });

  it('ignores someone else’s reply and click, telling only them', async () => {
    const d = driver();
    await d.start();
    await d.reply('1', 'U2');
    await d.click('small', 'U2');
    await h.standin.waitFor(() => h.standin.messages(d.channel).filter((m) => m.is_ephemeral).length >= 2);
    const notes = h.standin.messages(d.channel).filter((m) => m.is_ephemeral);
    expect(notes.every((m) => m.visible_to === 'U2' && m.text.includes('<@U1>'))).toBe(true);
    expect(askedQuestion(d.current() as never)).toBe('team');
  });

  it('re-asks an unclear reply, and understands skip, back and restart', async () => {
    const d = driver();
    await d.start();
    await d.reply('a handful of us');
    await h.standin.waitFor(() => d.thread().some((m) => textOf(m).includes('could not match')));
    expect(askedQuestion(d.current() as never)).toBe('team');
    await d.reply('skip');
    await d.waitForQuestion('clusters');
    await d.reply('back');
    const again = await d.waitForQuestion('team', d.current()?.ts);
    await d.reply('2');
    await d.waitForQuestion('clusters', again.ts);
    await d.reply('restart');
    await d.waitForQuestion('team', d.current()?.ts);
  });

  it('lets two people run assessments in one channel at once', async () => {
    const a = driver('U1');
    const b = new Driver(h, 'U2', a.channel);
    await a.start();
    await b.start();
    await a.answer('small');
    await b.answer('dedicated');
    expect(askedQuestion(a.current() as never)).toBe('clusters');
    expect(askedQuestion(b.current() as never)).toBe('clusters');
    expect(a.threadTs).not.toBe(b.threadTs);
  });

  it('shares the card to the channel and restarts from it', async () => {
    const d = driver();
    await d.start();
    const card = await clickThrough(d, ['small', '1', '5', 'steady', 'no']);
    await d.send({ form: d.clickPayload(card, 'card:share', 'x') });
    const shared = await h.standin.waitFor(() =>
      h.standin
        .messages(d.channel)
        .find((m) => !m.thread_ts && (m.metadata as { event_type?: string })?.event_type),
    );
    expect(shared.ts).not.toBe(d.threadTs);
    expect(shared.metadata).toMatchObject({
      event_type: 'k8s_advisor_recommendation',
      event_payload: { outcome: 'self_hosted_required', answers: { team: 'small', provider_access: 'no' } },
    });
    // The channel's copy is for reading: the card's buttons stay in the thread.
    expect(textOf(card)).toContain('card:restart');
    expect(textOf(shared)).not.toContain('card:restart');

    await d.send({ form: d.clickPayload(card, 'card:restart', 'x') });
    const first = await d.waitForQuestion('team', card.ts);
    expect(textOf(first)).toContain('Question 1 of 9');
    // The restart starts over in the same thread: still one top-level message of this assessment's own.
    expect(h.standin.messages(d.channel).filter((m) => isTopLevel(m) && m.ts !== shared.ts)).toHaveLength(1);
    // The parent shows the assessment in progress again, not the verdict it had.
    await h.standin.waitFor(() =>
      textOf(h.standin.message(d.channel, d.threadTs)).includes('Question 1 of 9'),
    );
  });

  it('changes one answer from the card and re-decides', async () => {
    const d = driver();
    await d.start();
    const card = await clickThrough(d, ['small', '1', '5', 'steady', 'no']);
    await d.send({ form: d.clickPayload(card, 'card:change', 'x') });
    const picker = await h.standin.waitFor(() => d.thread().find((m) => textOf(m).includes('change:pick')));
    await d.select(picker, 'change:pick', 'provider_access');
    await d.waitForQuestion('provider_access');
    for (const a of ['yes', 'eks', 'high', 'strong', 'yes']) await d.answer(a);
    const cards = () => d.thread().filter((m) => (m.metadata as { event_type?: string })?.event_type);
    await h.standin.waitFor(() => cards().length === 2);
    const latest = cards().at(-1)?.metadata as { event_payload?: { outcome?: string } } | undefined;
    expect(latest?.event_payload?.outcome).toBe('managed');
  });
});

describe('the decision record', () => {
  it('is uploaded into the thread as MADR Markdown, once per click', async () => {
    const d = driver();
    await d.start();
    const card = await clickThrough(d, [
      'growing',
      '3',
      '30',
      'seasonal',
      'with_controls',
      'aks',
      'medium',
      'partial',
      'partly',
    ]);
    const click = d.clickPayload(card, 'card:adr', 'x', '1700000002.000002');
    await Promise.all([d.send({ form: click }), d.send({ form: click })]);
    const file = await h.standin.waitFor(() => h.standin.files().find((f) => f.channel === d.channel));
    await h.app.settled();
    expect(h.standin.files().filter((f) => f.channel === d.channel)).toHaveLength(1);
    expect(file.thread_ts).toBe(d.threadTs);
    expect(file.name).toMatch(/^adr-kubernetes-hosting-\d{4}-\d{2}-\d{2}\.md$/);
    const md = file.content.toString();
    for (const heading of [
      '## Context and problem statement',
      '## Decision drivers',
      '## Considered options',
      '## Decision outcome',
      '### Consequences',
      '## Risk questions about trusting the provider',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('Chosen option: "Managed Kubernetes, with safeguards"');
    expect(md).toContain('Deciders: alex');
    expect(md).toContain('Customer Lockbox');
  });
});

describe('a restart of the app', () => {
  it('keeps an assessment in progress: the user carries on where they were', async () => {
    const d = driver();
    await d.start();
    await d.answer('growing');
    await h.app.stop();
    h = await startHarness({ dbPath: h.dbPath, standin: h.standin });
    const resumed = new Driver(h, d.user, d.channel);
    resumed.threadTs = d.threadTs;
    expect(askedQuestion(resumed.current() as never)).toBe('clusters');
    await resumed.answer('4');
    const next = await resumed.waitForQuestion('nodes');
    // The same assessment went on: the restarted app kept the first answer and counts on from it.
    expect(textOf(next)).toContain('Question 3 of 9');
    expect(h.standin.messages(d.channel).filter(isTopLevel)).toHaveLength(1);
    const card = await clickThrough(resumed, ['30', 'steady', 'no']);
    expect(card.metadata).toMatchObject({
      event_payload: { answers: { team: 'growing', clusters: 4, nodes: 30, provider_access: 'no' } },
    });
  });
});
