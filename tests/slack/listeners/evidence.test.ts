import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createEvidenceService, type EvidenceService } from '../../../src/advisor/evidence-service.js';
import { EVIDENCE_COMMAND } from '../../../src/evidence/index.js';
import { evidenceCall } from '../../../src/slack/evidence.js';
import {
  evidenceCommand,
  fileShareHandler,
  registerEvidence,
} from '../../../src/slack/listeners/evidence.js';
import { Listeners } from '../../../src/slack/listeners/registry.js';
import { evidenceBytes, fixtureEvidence } from '../../support/evidence.js';
import { listenerDeps } from '../../support/outbox.js';
import { questionnaire } from '../../support/questionnaire.js';
import { finishAssessment } from '../../support/service.js';
import {
  blocksOf,
  type Call,
  CHANNEL,
  commandArgs,
  firstArg,
  OWNER,
  replyArgs,
  TEAM,
  THREAD_TS,
  useFakeSlack,
} from '../../support/slack.js';

const HOST = 'http://slack.evidence.test';
const files = new Map<string, { name: string; bytes: Buffer }>();
const slack = useFakeSlack(HOST, (call: Call) => {
  if (call.method !== 'files.info') return undefined;
  const f = files.get(call.body.file ?? '');
  if (!f) return { ok: false, error: 'file_not_found' };
  return {
    ok: true,
    file: {
      id: call.body.file,
      name: f.name,
      size: f.bytes.length,
      url_private_download: `${HOST}/files-pri/${call.body.file}/download/${encodeURIComponent(f.name)}`,
    },
  };
});

/** Serves the bytes of every known file at its url_private_download, to the bot's token only. */
function serveFiles(token: string) {
  nock(HOST)
    .persist()
    .get(/^\/files-pri\//)
    .matchHeader('authorization', `Bearer ${token}`)
    // nock 15 hands a one-argument reply function the fetch Request itself (see tests/support/slack.ts).
    .reply(((req: Request) => {
      const f = files.get(new URL(req.url).pathname.split('/')[2] ?? '');
      return f ? [200, f.bytes, { 'content-type': 'application/json' }] : [404, 'not found'];
    }) as never);
}

/** The sender downloads with the token of the workspace's client, the fake Slack's here. */
const TOKEN = slack.client.token as string;

/** A file shared as a reply in the fake assessment's thread, as Slack's message event carries it. */
function shareArgs(
  fileId: string,
  { user = OWNER, eventId = `Ev${Math.random()}`, thread = THREAD_TS } = {},
) {
  const args = replyArgs(slack.client, '', { user, eventId });
  args.event.subtype = 'file_share';
  args.event.files = [{ id: fileId, name: files.get(fileId)?.name ?? 'x', mode: 'hosted' }];
  args.event.thread_ts = thread;
  return args;
}

async function setup({ finished = true } = {}) {
  const { deps, store, service, drain } = listenerDeps(slack.client, (store) => ({
    evidence: createEvidenceService({ store, questionnaire }),
  }));
  const at = { teamId: TEAM, channelId: CHANNEL, threadTs: THREAD_TS, userId: OWNER };
  if (finished) await finishAssessment(service, at);
  else await service.start(at);
  await drain();
  slack.clear();
  serveFiles(TOKEN);
  const handle = fileShareHandler(deps as typeof deps & { evidence: EvidenceService });
  const share = async (fileId: string, opts?: Parameters<typeof shareArgs>[1]) => {
    await handle(shareArgs(fileId, opts) as never);
    await drain();
  };
  const stored = async () => store.get(at);
  /** Everything committed was delivered: nothing waits in the outbox, nothing was given up on. */
  const delivered = async () => expect(await store.stats()).toMatchObject({ depth: 0, dead: 0 });
  return { share, stored, deps, delivered, handle, drain };
}

const upload = (id: string, name: string, bytes: Buffer | string) =>
  files.set(id, { name, bytes: Buffer.from(bytes) });

describe('/k8s-advisor evidence', () => {
  it('answers privately with the command line, what it reads and where the file goes', async () => {
    const args = commandArgs(slack.client, 'evidence');
    await evidenceCommand(args as never, []);
    const reply = firstArg(args.ack);
    expect(reply?.response_type).toBe('ephemeral');
    expect(reply?.text).toContain(EVIDENCE_COMMAND);
    expect(reply?.text).toContain('thread');
  });

  it('is registered as a subcommand, with the file listener beside it only when evidence is wired', async () => {
    const { deps } = listenerDeps(slack.client);
    const on = new Listeners();
    registerEvidence(on, deps);
    const args = commandArgs(slack.client, 'evidence');
    await on.runCommand(args as never);
    expect(firstArg(args.ack)?.text).toContain(EVIDENCE_COMMAND);
  });
});

describe('an evidence file shared in an assessment’s thread', () => {
  it('from the owner: fetched with the bot token, accepted, and the card posted again with the evidence', async () => {
    const { share, stored, delivered } = await setup();
    upload('F1', 'evidence.json', evidenceBytes(await fixtureEvidence('kubeadm')));
    await share('F1');
    expect(slack.posted('files.info')[0]?.body.file).toBe('F1');
    const [accepted, card] = slack.posted('chat.postMessage');
    expect(accepted?.body.thread_ts).toBe(THREAD_TS);
    expect(accepted?.body.text).toContain('is now part of this assessment');
    expect(blocksOf(card).map((b) => b.block_id)).toContain('evidence');
    expect(JSON.parse(card?.body.metadata ?? '{}').event_payload).toMatchObject({
      evidence: true,
      evidence_cluster: 'kubeadm-pilot',
      evidence_provider: 'kubeadm',
      outcome: 'self_hosted_required',
    });
    // The card before the evidence is superseded (no buttons, saying why); the parent shows the verdict.
    const [superseded, parent] = slack.posted('chat.update');
    expect(superseded?.body.text).toContain('Superseded');
    expect(superseded?.body.blocks).toContain('cluster evidence was uploaded');
    expect(superseded?.body.blocks).not.toContain('"type":"actions"');
    expect(parent?.body.ts).toBe(THREAD_TS);
    expect((await stored())?.evidence).toMatchObject({ cluster: 'kubeadm-pilot', creatorAdmin: 'yes' });
    await delivered();
  });

  it('from someone else: nothing is downloaded, nothing changes, and they are told privately', async () => {
    const { share, stored } = await setup();
    upload('F2', 'evidence.json', evidenceBytes(await fixtureEvidence('eks')));
    await share('F2', { user: 'U2' });
    expect(slack.posted('files.info')).toHaveLength(0);
    expect(slack.posted('chat.postMessage')).toHaveLength(0);
    expect(slack.posted('chat.postEphemeral')[0]?.body).toMatchObject({
      user: 'U2',
      text: expect.stringContaining('changes nothing'),
    });
    expect((await stored())?.evidence).toBeUndefined();
  });

  it.each([
    ['not JSON', 'notes.json', 'just some notes', 'not valid JSON'],
    ['the wrong kind of JSON', 'other.json', '{"kind":"something-else"}', 'not an evidence file'],
    ['nested too deep', 'deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'nested deeper'],
    ['too large', 'huge.json', 'x'.repeat(600 * 1024), 'limit'],
  ])('refuses %s in the thread, escaped, and changes nothing', async (_what, name, content, reason) => {
    const { share, stored } = await setup();
    const before = await stored();
    upload('F3', name, content);
    await share('F3');
    const [refusal, ...rest] = slack.posted('chat.postMessage');
    expect(rest).toHaveLength(0);
    expect(refusal?.body.thread_ts).toBe(THREAD_TS);
    expect(refusal?.body.text).toContain('nothing changed');
    expect(JSON.stringify(blocksOf(refusal))).toContain(reason);
    expect(await stored()).toEqual(before);
  });

  it('refuses a hostile file name without letting it mention or format', async () => {
    const { share } = await setup();
    upload('F4', '<!channel> *x* <@U0ADMIN>.json', '{');
    await share('F4');
    const text = JSON.stringify(blocksOf(slack.posted('chat.postMessage')[0]));
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0ADMIN>');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('answers a retried delivery of the same upload once', async () => {
    const { share } = await setup();
    upload('F5', 'evidence.json', evidenceBytes(await fixtureEvidence('eks')));
    await share('F5', { eventId: 'EvSAME' });
    const posts = slack.posted('chat.postMessage').length;
    await share('F5', { eventId: 'EvSAME' });
    expect(slack.posted('chat.postMessage')).toHaveLength(posts);
    upload('F6', 'bad.json', 'nope');
    await share('F6', { eventId: 'EvBAD' });
    await share('F6', { eventId: 'EvBAD' });
    expect(slack.posted('chat.postMessage')).toHaveLength(posts + 1);
  });

  it('commits the file as an outbox item and returns: the download is the sender’s, after the response', async () => {
    const { handle, drain, stored } = await setup();
    upload('F9', 'evidence.json', evidenceBytes(await fixtureEvidence('eks')));
    await handle(shareArgs('F9') as never);
    // Nothing fetched inside the request; the sender does it.
    const fetchedInRequest = slack.posted('files.info').length;
    await drain();
    expect(fetchedInRequest).toBe(0);
    expect(slack.posted('files.info')).toHaveLength(1);
    expect((await stored())?.evidence?.cluster).toBe('eks-pilot');
  });

  it('says nothing twice when its outbox item runs twice (a sender died before settling it)', async () => {
    const { deps, drain, delivered } = await setup();
    const at = { teamId: TEAM, channelId: CHANNEL, threadTs: THREAD_TS, userId: OWNER };
    upload('F10', 'evidence.json', evidenceBytes(await fixtureEvidence('eks')));
    upload('F11', 'bad.json', 'nope');
    for (const [file, key] of [
      ['F10', 'event:EvRERUN'],
      ['F10', 'event:EvRERUN'],
      ['F11', 'event:EvRERUN2'],
      ['F11', 'event:EvRERUN2'],
    ] as const) {
      await deps.outbox.enqueue([evidenceCall(at, file, key)]);
    }
    deps.sender.wake();
    await drain();
    const texts = slack.posted('chat.postMessage').map((c) => c.body.text);
    expect(texts.filter((t) => t?.includes('is now part of this assessment'))).toHaveLength(1);
    expect(texts.filter((t) => t?.includes('nothing changed'))).toHaveLength(1);
    expect(slack.posted('files.info')).toHaveLength(4);
    await delivered();
  });

  it('mid-assessment: says what it answered and posts no question twice', async () => {
    const { share, stored, delivered } = await setup({ finished: false });
    upload('F7', 'evidence.json', evidenceBytes(await fixtureEvidence('eks')));
    await share('F7');
    const posts = slack.posted('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.text).toContain('Answer the remaining questions');
    expect((await stored())?.status).toBe('active');
    await delivered();
  });

  it('ignores files outside an assessment’s thread, top-level shares, bots and plain replies', async () => {
    const { share } = await setup();
    upload('F8', 'evidence.json', evidenceBytes(await fixtureEvidence('eks')));
    await share('F8', { thread: '1700000099.000001' });
    expect(slack.calls).toHaveLength(0);
    const { deps } = await setup();
    const evidence = createEvidenceService({ store: {} as never, questionnaire });
    const handle = fileShareHandler({ ...deps, evidence });
    const topLevel = shareArgs('F8');
    topLevel.event.thread_ts = undefined;
    const bot = shareArgs('F8');
    bot.event.bot_id = 'B1';
    const plain = shareArgs('F8');
    plain.event.subtype = undefined;
    const none = shareArgs('F8');
    none.event.files = [];
    for (const args of [topLevel, bot, plain, none]) await handle(args as never);
    expect(slack.calls).toHaveLength(0);
  });
});
