import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessage } from '../../src/slack/blocks/limits.js';
import { appHomeOpened, blockAction } from '../../src/standin/payloads.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { askedQuestion, Driver, type Harness, isTopLevel, startHarness, TEAM } from './harness.js';

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

/** The assessment summaries shared to the driver's channel: top-level messages carrying the verdict's metadata. */
const summaries = (d: Driver) =>
  h.standin
    .messages(d.channel)
    .filter(
      (m) =>
        !m.thread_ts &&
        !m.is_ephemeral &&
        (m.metadata as { event_type?: string } | undefined)?.event_type === 'k8s_advisor_recommendation',
    );
const payloadOf = (d: Driver) =>
  (d.card()?.metadata as { event_payload: Record<string, unknown> } | undefined)?.event_payload;
const textOf = (m: { text: string; blocks?: unknown[] } | undefined) =>
  JSON.stringify(m?.blocks ?? []) + (m?.text ?? '');

/** Profiles by question id: the driver answers whatever the questionnaire asks, skipping the rest. */
const MANAGED = {
  team: 'small',
  clusters: '3',
  nodes: '30',
  variability: 'steady',
  provider_access: 'yes',
  compliance: 'none',
  provider: 'eks',
  provider_trust: 'high',
  access_mitigations: 'strong',
  access_lockdown: 'yes',
};
const RULED_OUT = {
  team: 'small',
  clusters: '1',
  nodes: '5',
  variability: 'steady',
  provider_access: 'no',
  self_host_site: 'own_datacenter',
};

describe('an assessment over HTTP, as Slack drives it', () => {
  it('reaches managed by buttons, marks each answered question and updates the parent', async () => {
    const d = driver();
    const parent = await d.start();
    expect(parent.text).toContain('<@U1>');
    const first = d.current();
    expect(textOf(first)).toContain('Question 1 of 10');
    expect(first?.blocks?.some((b) => (b as { block_id?: string }).block_id === 'question:team')).toBe(true);

    const card = await d.answerAll(MANAGED);
    expect(payloadOf(d)).toMatchObject({
      outcome: 'managed',
      acceptability: 'acceptable',
      questionnaire_version: 2,
      answers: { team: 'small', clusters: 3, nodes: 30, provider_access: 'yes', access_lockdown: 'yes' },
      answer_labels: { clusters: '2 to 5', nodes: '10 to 50' },
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
    expect(asked).toHaveLength(10);
    expect(asked.every((m) => !askedQuestion(m))).toBe(true);
    expect(textOf(asked[0])).toContain('Small or new to Kubernetes operations');
    await h.standin.waitFor(() =>
      h.standin.message(d.channel, d.threadTs)?.text.includes('Managed Kubernetes'),
    );
  });

  it('reaches managed with safeguards by typed replies (number, label, id with underscore, any case)', async () => {
    const d = driver();
    await d.start();
    await d.answerAll(
      {
        team: '1',
        clusters: '3',
        nodes: 'about 40 nodes',
        variability: 'STEADY',
        provider_access: 'with_controls',
        compliance: 'None beyond our own policies',
        provider: 'gke',
        provider_trust: 'Medium, with some reservations',
        access_mitigations: 'partial',
        access_lockdown: '*partly*',
      },
      { typed: true },
    );
    expect(payloadOf(d)).toMatchObject({
      outcome: 'managed_with_safeguards',
      answers: { clusters: 3, nodes: 40, provider_access: 'with_controls', access_lockdown: 'partly' },
      answer_labels: {},
    });
  });

  it('gives a small team that does not know the provider’s controls safeguards to settle first, never self-hosting', async () => {
    const d = driver();
    await d.start();
    const card = await d.answerAll({
      ...MANAGED,
      clusters: '1',
      nodes: '5',
      access_mitigations: 'unknown',
      access_lockdown: 'unknown',
    });
    expect(payloadOf(d)).toMatchObject({
      outcome: 'managed_with_safeguards',
      acceptability: 'not_yet_known',
      unknowns: 'access_mitigations,access_lockdown',
    });
    expect(textOf(card)).toContain('Answer these before you commit');
    expect(textOf(card)).toContain('Amazon EKS controls to switch on before you commit');
    expect(textOf(card)).toContain('checked 2026-12-03');
  });

  it('reaches self_hosted for a dedicated team that does not trust the provider, and asks where it would run', async () => {
    const d = driver();
    await d.start();
    await d.answerAll({
      ...MANAGED,
      team: 'dedicated',
      clusters: '1',
      nodes: '5',
      provider: 'aks',
      provider_trust: 'low',
      access_mitigations: 'partial',
      access_lockdown: 'partly',
      self_host_site: 'same_cloud',
    });
    expect(payloadOf(d)).toMatchObject({ outcome: 'self_hosted', acceptability: 'unacceptable' });
    const text = textOf(d.card());
    expect(text).toContain('What you take on by running it yourselves');
    expect(text).toContain('Start from a hardened distribution');
    expect(text).toContain('hypervisor');
    expect(text).toContain('Risks of running it yourselves');
  });

  it('reaches self_hosted_required when provider access is ruled out, warning a small team, with no provider questions open', async () => {
    const d = driver();
    await d.start();
    const card = await d.answerAll({ ...RULED_OUT, clusters: '3', nodes: '30', variability: 'elastic' });
    expect(payloadOf(d)?.outcome).toBe('self_hosted_required');
    expect(textOf(card)).toContain('A risk of its own');
    const open = String(payloadOf(d)?.open_risks).split(',');
    expect(open).toEqual(expect.arrayContaining(['etcd_restore', 'cve_patching', 'break_glass_own']));
    expect(open).not.toContain('trust');
    expect(textOf(card)).not.toContain('trusting the provider');
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

  it('shares a short summary of the card to the channel, once per verdict, with a link to the thread', async () => {
    const d = driver();
    await d.start();
    const card = await d.answerAll(RULED_OUT);
    await d.send({ form: d.clickPayload(card, 'card:share', 'x') });
    const shared = await h.standin.waitFor(() => summaries(d)[0]);
    // A second click for the same verdict posts nothing more; only the clicker hears why.
    await d.send({ form: d.clickPayload(card, 'card:share', 'x') });
    await h.standin.waitFor(() =>
      h.standin.messages(d.channel).find((m) => m.is_ephemeral && m.text.includes('Already shared')),
    );
    await h.app.settled();
    expect(summaries(d)).toHaveLength(1);
    expect(shared.ts).not.toBe(d.threadTs);
    expect(shared.metadata).toMatchObject({
      event_type: 'k8s_advisor_recommendation',
      event_payload: { outcome: 'self_hosted_required', answers: { team: 'small', provider_access: 'no' } },
    });
    // Short, for the channel: the verdict, reasons, open risks and the way to the full card in the thread.
    expect(shared.blocks?.length).toBeLessThanOrEqual(5);
    expect(textOf(shared)).toContain('Self-hosted');
    expect(textOf(shared)).toContain('still open');
    expect(textOf(shared)).toMatch(
      new RegExp(
        `<[^|>]*/archives/${d.channel}/p${d.threadTs.replace('.', '')}\\|Open the assessment thread>`,
      ),
    );
    expect(textOf(shared)).not.toContain('card:restart');
    expect(textOf(card)).toContain('card:restart');
  });

  it('restarts a finished card only once asked, keeping the decision in the history', async () => {
    const d = driver();
    await d.start();
    const card = await d.answerAll(RULED_OUT);
    await d.send({ form: d.clickPayload(card, 'card:share', 'x') });
    const shared = await h.standin.waitFor(() => summaries(d)[0]);

    await d.send({ form: d.clickPayload(card, 'card:restart', 'x') });
    const asked = await h.standin.waitFor(() =>
      h.standin.messages(d.channel).find((m) => m.is_ephemeral && textOf(m).includes('card:restart:confirm')),
    );
    expect(asked.visible_to).toBe('U1');
    expect(asked.thread_ts).toBe(d.threadTs);
    expect(textOf(asked)).toContain('card:restart:cancel');
    await h.app.settled();
    // Nothing restarted yet: the card is still current.
    expect(d.current()).toBeUndefined();
    expect(textOf(h.standin.message(d.channel, card.ts))).toContain('card:restart');

    // As Slack sends it: with a response_url, through which the question turns into the answer given.
    const responseUrl = h.standin.responseUrl({
      channel: d.channel,
      user: 'U1',
      messageTs: asked.ts,
      threadTs: d.threadTs,
    });
    await d.send({
      form: blockAction({
        teamId: TEAM,
        channelId: d.channel,
        userId: 'U1',
        message: asked,
        actionId: 'card:restart:confirm',
        blockId: 'restart',
        responseUrl,
      }),
    });
    const first = await d.waitForQuestion('team', card.ts);
    await h.standin.waitFor(() => h.standin.message(d.channel, asked.ts)?.text.includes('Started again'));
    expect(textOf(first)).toContain('Question 1 of 10');
    // The earlier card stays in the thread, superseded: no buttons, a line saying where the verdict is.
    const old = await h.standin.waitFor(() => {
      const m = h.standin.message(d.channel, card.ts);
      return m && textOf(m).includes('Superseded') ? m : undefined;
    });
    expect(old.blocks?.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
    expect(textOf(old)).toContain('restarted');
    expect(textOf(old)).toContain('latest card in this thread');
    // The restart starts over in the same thread: still one top-level message of this assessment's own.
    expect(h.standin.messages(d.channel).filter((m) => isTopLevel(m) && m.ts !== shared.ts)).toHaveLength(1);
    await h.standin.waitFor(() =>
      textOf(h.standin.message(d.channel, d.threadTs)).includes('Question 1 of 10'),
    );
    // The channel's copy says the verdict is being revised.
    await h.standin.waitFor(() => textOf(h.standin.message(d.channel, shared.ts)).includes('being revised'));

    // The finished decision is kept: the store has it beside the new assessment, and Home lists both.
    await h.app.settled();
    const store = openSqliteStore(h.dbPath);
    try {
      const mine = (await store.listByUser(TEAM, 'U1', { limit: 100, offset: 0 })).sessions.filter(
        (s) => s.threadTs === d.threadTs,
      );
      expect(mine).toHaveLength(2);
      expect(mine.find((s) => s.archivedAt !== undefined)).toMatchObject({
        status: 'completed',
        outcome: 'self_hosted_required',
      });
      expect(mine.find((s) => s.archivedAt === undefined)).toMatchObject({ status: 'active', restarts: 1 });
      expect((await store.latestCompleted(TEAM, d.channel, 'U1'))?.outcome).toBe('self_hosted_required');
    } finally {
      await store.close();
    }
    const before = h.standin.views().find((v) => v.user === 'U1')?.hash;
    await d.send({ json: appHomeOpened({ teamId: TEAM, userId: 'U1' }) });
    const home = await h.standin.waitFor(() => {
      const v = h.standin.views().find((x) => x.user === 'U1');
      return v && v.hash !== before ? v : undefined;
    });
    expect(JSON.stringify(home.blocks)).toContain('started again');

    // A second "Start again" restarts nothing.
    await d.send({ form: d.clickPayload(asked, 'card:restart:confirm') });
    await h.standin.waitFor(() =>
      h.standin.messages(d.channel).find((m) => m.is_ephemeral && m.text.includes('already started again')),
    );
    expect(d.thread().filter((m) => askedQuestion(m) === 'team')).toHaveLength(1);
    for (const m of h.standin.messages(d.channel)) expect(validateMessage(m)).toEqual([]);
    expect(h.standin.calls().filter((c) => !c.ok && c.args.channel === d.channel)).toEqual([]);
  });

  it('changing an answer supersedes the earlier card and the channel’s copy follows the new verdict', async () => {
    const d = driver();
    await d.start();
    const card = await d.answerAll(RULED_OUT);
    await d.send({ form: d.clickPayload(card, 'card:share', 'x') });
    const shared = await h.standin.waitFor(() => summaries(d)[0]);
    await d.send({ form: d.clickPayload(card, 'card:change', 'x') });
    const picker = await h.standin.waitFor(() => d.thread().find((m) => textOf(m).includes('change:pick')));
    await d.select(picker, 'change:pick', 'provider_access');
    await d.waitForQuestion('provider_access');
    const old = await h.standin.waitFor(() => {
      const m = h.standin.message(d.channel, card.ts);
      return m && textOf(m).includes('Superseded') ? m : undefined;
    });
    expect(old.blocks?.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
    expect(textOf(old)).toContain('an answer was changed');
    expect(textOf(old)).toContain('The current verdict is the latest card in this thread');
    await h.standin.waitFor(() => textOf(h.standin.message(d.channel, shared.ts)).includes('being revised'));

    await d.answerAll(MANAGED);
    const latest = d.card();
    expect(latest?.ts).not.toBe(card.ts);
    expect(textOf(latest)).toContain('card:share');
    const copy = await h.standin.waitFor(() => {
      const m = h.standin.message(d.channel, shared.ts);
      return (m?.metadata as { event_payload?: { outcome?: string } })?.event_payload?.outcome === 'managed'
        ? m
        : undefined;
    });
    expect(textOf(copy)).toContain('Managed Kubernetes');
    expect(textOf(copy)).not.toContain('being revised');
    // Still one copy in the channel, and one card in the thread with buttons.
    expect(summaries(d)).toHaveLength(1);
    const live = d.thread().filter((m) => m.metadata && textOf(m).includes('card:share'));
    expect(live.map((m) => m.ts)).toEqual([latest?.ts]);
    for (const m of h.standin.messages(d.channel)) expect(validateMessage(m)).toEqual([]);
    expect(h.standin.calls().filter((c) => !c.ok && c.args.channel === d.channel)).toEqual([]);
  });

  it('changes one answer from the card and re-decides', async () => {
    const d = driver();
    await d.start();
    const card = await d.answerAll(RULED_OUT);
    await d.send({ form: d.clickPayload(card, 'card:change', 'x') });
    const picker = await h.standin.waitFor(() => d.thread().find((m) => textOf(m).includes('change:pick')));
    await d.select(picker, 'change:pick', 'provider_access');
    await d.waitForQuestion('provider_access');
    await d.answerAll(MANAGED);
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
    const card = await d.answerAll({
      ...MANAGED,
      team: 'growing',
      variability: 'seasonal',
      provider_access: 'with_controls',
      provider: 'aks',
      provider_trust: 'medium',
      access_mitigations: 'partial',
      access_lockdown: 'partly',
    });
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
    expect(textOf(next)).toContain('Question 3 of 10');
    expect(h.standin.messages(d.channel).filter(isTopLevel)).toHaveLength(1);
    const card = await resumed.answerAll({
      nodes: '30',
      variability: 'steady',
      provider_access: 'no',
      self_host_site: 'own_datacenter',
    });
    expect(card.metadata).toMatchObject({
      event_payload: { answers: { team: 'growing', clusters: 4, nodes: 30, provider_access: 'no' } },
    });
  });
});
