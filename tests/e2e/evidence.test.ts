// Evidence from a cluster, end to end over signed HTTP: the owner shares an evidence file in the assessment's
// thread (the stand-in stores it and the harness sends Slack's file_share event), the app fetches it with
// files.info and url_private_download, and the card comes back recomputed. Hostile files are refused.

import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/evidence/index.js';
import { EVIDENCE_COMMAND } from '../../src/evidence/index.js';
import { blockAction, slashCommand } from '../../src/standin/payloads.js';
import type { StoredMessage } from '../../src/standin/server.js';
import { postSigned } from '../../src/standin/sign.js';
import { Keyring } from '../../src/store/cipher.js';
import { evidenceBytes, fixtureEvidence } from '../support/evidence.js';
import { Driver, type Harness, startHarness, TEAM, WAIT_MS } from './harness.js';

let h: Harness;
let channel = 0;
const driver = (user = 'U1') => new Driver(h, user, `CEV${++channel}`);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Payload = Record<string, unknown>;
const payloadOf = (m: StoredMessage | undefined) =>
  (m?.metadata as { event_payload: Payload } | undefined)?.event_payload;
const textOf = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks ?? []) + (m?.text ?? '');
const cards = (d: Driver) =>
  d
    .thread()
    .filter((m) => (m.metadata as { event_type?: string })?.event_type === 'k8s_advisor_recommendation');

const profile = (provider: string) => ({
  team: 'growing',
  clusters: '3',
  nodes: '30',
  variability: 'seasonal',
  provider_access: 'yes',
  compliance: 'none',
  provider,
  provider_trust: 'high',
  access_mitigations: 'strong',
  access_lockdown: 'yes',
});
const RULED_OUT = {
  team: 'small',
  clusters: '1',
  nodes: '5',
  variability: 'steady',
  provider_access: 'no',
  self_host_site: 'own_datacenter',
};

/** Uploads a file as the owner and waits for the app's reply after it (and, when expected, a new card). */
async function upload(d: Driver, name: string, content: Buffer | string, { card = true } = {}) {
  const before = cards(d).length;
  const shared = await d.upload(name, content);
  await h.standin.waitFor(
    () => d.thread().some((m) => m.ts > shared.ts && m.user === h.standin.botUserId),
    WAIT_MS,
  );
  if (card) await h.standin.waitFor(() => cards(d).length > before, WAIT_MS);
  return shared;
}

describe('evidence from a cluster, uploaded into the assessment’s thread', () => {
  it('`/k8s-advisor evidence` answers privately with the command line and where the file goes', async () => {
    const d = driver();
    const res = await d.command('evidence');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain(EVIDENCE_COMMAND);
    expect(body.text).toContain('never reads');
  });

  it.each([
    ['eks', 'partly'],
    ['gke', 'no'],
    ['aks', 'no'],
  ])(
    '%s: the evidence answers access_lockdown (%s) and the verdict is recomputed',
    async (provider, answer) => {
      const d = driver();
      await d.start();
      await d.answerAll(profile(provider));
      expect(payloadOf(d.card())).toMatchObject({ outcome: 'managed', evidence: false });
      const files = h.standin.calls('file_download').length;

      await upload(d, 'evidence.json', evidenceBytes(await fixtureEvidence(provider as 'eks')));
      const card = d.card();
      expect(payloadOf(card)).toMatchObject({
        outcome: 'managed_with_safeguards',
        acceptability: 'acceptable_with_safeguards',
        evidence: true,
        evidence_cluster: `${provider}-pilot`,
        evidence_at: '2026-12-03T09:00:00.000Z',
        evidence_provider: provider,
        evidence_scope: 'provider',
        evidence_answers: { access_lockdown: answer },
        answers: { access_lockdown: 'yes' },
      });
      expect(textOf(card)).toContain(`from evidence, \`${provider}-pilot\`, 2026-12-03 09:00 UTC`);
      expect(textOf(card)).toContain('Evidence from your cluster');
      // Fetched once, with the bot token, after files.info.
      expect(h.standin.calls('files.info').at(-1)?.args.file).toEqual(expect.stringMatching(/^F/));
      expect(h.standin.calls('file_download').slice(files)).toEqual([
        expect.objectContaining({ ok: true, args: expect.objectContaining({ authorized: true }) }),
      ]);
      await h.standin.waitFor(() =>
        h.standin.message(d.channel, d.threadTs)?.text.includes('Managed Kubernetes, with safeguards'),
      );
    },
  );

  it('kubeadm: a cluster the team runs speaks to the risks of running it, and leaves a required verdict as it is', async () => {
    const d = driver();
    await d.start();
    await d.answerAll(RULED_OUT);
    await upload(d, 'evidence.json', evidenceBytes(await fixtureEvidence('kubeadm')));
    const payload = payloadOf(d.card());
    expect(payload).toMatchObject({
      outcome: 'self_hosted_required',
      evidence: true,
      evidence_cluster: 'kubeadm-pilot',
      evidence_provider: 'kubeadm',
      evidence_scope: 'self_hosted',
      evidence_creator_admin: 'yes',
      evidence_local_accounts: 'yes',
      evidence_answers: {},
    });
    expect(String(payload?.evidence_risks)).toContain('break_glass_own');
    expect(textOf(d.card())).toContain('a cluster you run yourselves');
  });

  it('moves a team with little need to running it themselves, then asks where the clusters would run', async () => {
    const d = driver();
    await d.start();
    await d.answerAll({
      ...profile('gke'),
      team: 'dedicated',
      clusters: '1',
      nodes: '5',
      variability: 'steady',
    });
    expect(payloadOf(d.card())?.outcome).toBe('managed');
    await upload(d, 'evidence.json', evidenceBytes(await fixtureEvidence('gke')), { card: false });
    const asked = await d.waitForQuestion('self_host_site');
    expect(asked).toBeDefined();
    await d.answer('own_datacenter');
    await d.waitForCard();
    await h.standin.waitFor(() => payloadOf(d.card())?.outcome === 'self_hosted', WAIT_MS);
    expect(payloadOf(d.card())).toMatchObject({
      decided_by: 'need',
      evidence: true,
      evidence_provider: 'gke',
    });
  });
});

/** An evidence file with names an attacker would choose: a mention, a channel ping, a link, mrkdwn. */
async function hostileEvidence(): Promise<Evidence> {
  const e = structuredClone(await fixtureEvidence('eks'));
  e.cluster.name = 'prod <@U2> *bold* <!channel>';
  for (const s of e.clusterAdmin ?? [])
    if (s.owner === 'provider') s.name = '<https://evil.example|eks:addon> _x_';
  return e;
}

describe('hostile and malformed evidence files', () => {
  let d: Driver;
  let firstCard: StoredMessage | undefined;
  beforeAll(async () => {
    d = driver();
    await d.start();
    await d.answerAll(profile('eks'));
    firstCard = d.card();
  });

  const refused = async (name: string, content: Buffer | string, reason: string) => {
    const downloads = h.standin.calls('file_download').length;
    const shared = await upload(d, name, content, { card: false });
    const reply = d.thread().find((m) => m.ts > shared.ts && m.user === h.standin.botUserId);
    expect(textOf(reply)).toContain('Nothing in this assessment changed');
    expect(textOf(reply)).toContain(reason);
    expect(d.card()?.ts).toBe(firstCard?.ts);
    expect(payloadOf(d.card())).toMatchObject({ outcome: 'managed', evidence: false });
    return h.standin.calls('file_download').length - downloads;
  };

  it('a huge file is refused from its size, without being downloaded', async () => {
    expect(await refused('huge.json', 'x'.repeat(700 * 1024), 'I did not download it')).toBe(0);
  });

  it('a file nested thousands deep is refused before it is parsed', async () => {
    expect(await refused('deep.json', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'nested deeper')).toBe(1);
  });

  it('a file with fields of the wrong type is refused by the schema', async () => {
    const e = { ...(await fixtureEvidence('eks')), clusterAdmin: 'everyone' };
    await refused('typed.json', JSON.stringify(e), 'does not match schema version 1');
  });

  it('a file with mentions and mrkdwn where the schema has no field is refused, without echoing them', async () => {
    const e = await fixtureEvidence('eks');
    const hostile = { ...e, cluster: { ...e.cluster, '<!channel> *now*': '<@U2>' } };
    await refused('keys.json', JSON.stringify(hostile), 'has a field this version does not know');
    const reply = d.thread().at(-1);
    expect(textOf(reply)).not.toContain('<!channel>');
    expect(textOf(reply)).not.toContain('<@U2>');
  });

  it('a file that is not JSON is refused', async () => {
    await refused('evidence.json', 'cluster-admin: everyone\n', 'not valid JSON');
  });

  it('a file name with mentions and mrkdwn is echoed literally', async () => {
    await refused('<!channel> *x* <@U2>.json', '{', 'not valid JSON');
    const reply = d.thread().at(-1);
    expect(textOf(reply)).not.toContain('<!channel>');
    expect(textOf(reply)).not.toContain('<@U2>');
  });

  it('a file from someone else changes nothing and tells them privately, unread', async () => {
    const downloads = h.standin.calls('file_download').length;
    const shared = await d.upload('evidence.json', evidenceBytes(await fixtureEvidence('gke')), 'U2');
    const note = await h.standin.waitFor(
      () =>
        h.standin
          .messages(d.channel)
          .find((m) => m.is_ephemeral && m.visible_to === 'U2' && m.ts > shared.ts),
      WAIT_MS,
    );
    expect(note.text).toContain('belongs to <@U1>');
    expect(h.standin.calls('file_download').length).toBe(downloads);
    expect(payloadOf(d.card())).toMatchObject({ outcome: 'managed', evidence: false });
  });

  it('names with mentions, links and mrkdwn are refused, without echoing them', async () => {
    await refused('evidence.json', evidenceBytes(await hostileEvidence()), 'Slack markup');
    const reply = d.thread().at(-1);
    for (const bad of ['<@U2>', '<!channel>', '<https://evil', '*bold*'])
      expect(textOf(reply)).not.toContain(bad);
  });
});

describe('evidence and your data, with ENCRYPTION_KEY set', () => {
  let e: Harness;
  const ring = new Keyring(randomBytes(32));
  beforeAll(async () => {
    e = await startHarness({ config: { encryption: ring } });
    e.standin.addUser({ id: 'U3', name: 'kim' });
  });
  afterAll(async () => {
    await e?.stop();
  });

  const command = async (user: string, channel: string, text: string) => {
    const form = slashCommand({
      teamId: TEAM,
      channelId: channel,
      userId: user,
      text,
      responseUrl: e.standin.responseUrl({ channel, user }),
    });
    const res = await postSigned(e.url, e.secret, { form });
    expect(res.status).toBe(200);
    return res.text ? (JSON.parse(res.text) as { blocks?: unknown[] }) : undefined;
  };
  const raw = (id: string) => {
    const db = new Database(e.dbPath, { readonly: true });
    try {
      return db.prepare('SELECT evidence FROM assessments WHERE id = ?').get(id) as
        | { evidence: string | null }
        | undefined;
    } finally {
      db.close();
    }
  };

  it('stores it encrypted, exports it, writes it into the ADR, and forget-me deletes it with the assessment', async () => {
    const d = new Driver(e, 'U3', 'CDATA');
    await d.start();
    await d.answerAll(profile('eks'));
    const shared = await d.upload('evidence.json', evidenceBytes(await fixtureEvidence('eks')));
    await e.standin.waitFor(() => (d.card()?.ts ?? '') > shared.ts, WAIT_MS);
    const id = String(payloadOf(d.card())?.assessment_id);
    const column = raw(id)?.evidence ?? '';
    expect(column.startsWith(`enc:v1:${ring.currentKeyId}:`)).toBe(true);
    expect(column).not.toContain('eks-pilot');

    await command('U3', 'CDATA', 'export');
    const json = await e.standin.waitFor(
      () =>
        e.standin.files().find((f) => f.name.startsWith('k8s-advisor-export-') && f.name.endsWith('.json')),
      WAIT_MS,
    );
    const exported = JSON.parse(json.content.toString()) as {
      assessments: { evidence: Record<string, unknown> }[];
    };
    expect(exported.assessments[0]?.evidence).toMatchObject({
      cluster: 'eks-pilot',
      provider: 'eks',
      answered: [{ questionId: 'access_lockdown', optionId: 'partly' }],
    });

    const card = d.card() as StoredMessage;
    await d.send({ form: d.clickPayload(card, 'card:adr', id) });
    const adr = await e.standin.waitFor(
      () => e.standin.files().find((f) => f.name.startsWith('adr-')),
      WAIT_MS,
    );
    expect(adr.content.toString()).toContain('### Evidence from the cluster');
    expect(adr.content.toString()).toContain('Cluster: eks-pilot (Amazon EKS');

    const ask = await command('U3', 'CDATA', 'forget-me');
    await postSigned(e.url, e.secret, {
      form: blockAction({
        teamId: TEAM,
        channelId: 'CDATA',
        userId: 'U3',
        message: { ts: '1750000000.000001', blocks: ask?.blocks ?? [], is_ephemeral: true },
        actionId: 'privacy:forget:confirm',
        blockId: 'privacy:forget',
        responseUrl: e.standin.responseUrl({ channel: 'CDATA', user: 'U3' }),
      }),
    });
    await e.standin.waitFor(
      () =>
        e.standin
          .messages('CDATA')
          .find((m) => m.visible_to === 'U3' && m.text.includes('answers and evidence')),
      WAIT_MS,
    );
    expect(raw(id)).toBeUndefined();
  });
});
