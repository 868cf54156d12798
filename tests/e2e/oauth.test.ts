import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appHomeOpened, uninstallEvents } from '../../src/standin/payloads.js';
import type { StandinWorkspace, StoredMessage } from '../../src/standin/server.js';
import { postSigned } from '../../src/standin/sign.js';
import { Driver, WAIT_MS } from './harness.js';
import {
  beginInstall,
  command,
  databaseBytes,
  finishInstall,
  install,
  type OAuthHarness,
  startOAuthHarness,
  stored,
  workspace,
} from './oauth-harness.js';

const SELF_HOSTED_REQUIRED = ['small', '3', '30', 'elastic', 'no', 'own_datacenter'];
const MANIFEST_SCOPES: string[] = parse(readFileSync('manifest.yml', 'utf8')).oauth_config.scopes.bot;

/** An assessment of U1's in `channel` of a workspace, answered to its card. */
async function assess(h: OAuthHarness, ws: StandinWorkspace, channel = 'C1') {
  const d = new Driver(h, 'U1', channel, { workspace: ws });
  await d.start();
  for (const answer of SELF_HOSTED_REQUIRED) await d.answer(answer);
  return { driver: d, card: await d.waitForCard() };
}

/** Every call the stand-in saw, in any workspace, refused ones included. */
const callCount = (h: OAuthHarness) => h.standin.allCalls().length;

describe('OAuth mode end to end: two workspaces installed through Slack’s OAuth flow', () => {
  let h: OAuthHarness;
  let alpha: StandinWorkspace;
  let beta: StandinWorkspace;
  let stranger: StandinWorkspace;

  beforeAll(async () => {
    h = await startOAuthHarness();
    alpha = workspace(h, 'TALPHA', 'Alpha & Co <b>');
    beta = workspace(h, 'TBETA', 'Beta');
    stranger = workspace(h, 'TNEVER', 'Never installed');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('sends the browser to Slack’s authorize page with the manifest’s scopes and a state bound to a cookie', async () => {
    const start = await fetch(`${h.origin}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(h.standin.oauth?.authorizeUrl);
    expect(to.searchParams.get('scope')?.split(',')).toEqual(MANIFEST_SCOPES);
    expect(to.searchParams.get('client_id')).toBeTruthy();
    const state = to.searchParams.get('state') ?? '';
    expect(state.length).toBeGreaterThan(20);
    const cookie = start.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`slack-app-oauth-state=${state}`);
    expect(cookie).toContain('HttpOnly');
  });

  it('installs each workspace: the code is exchanged at the stand-in and the installer sees a page in our words', async () => {
    for (const [ws, name] of [
      [alpha, 'Alpha &#38; Co &#60;b&#62;'],
      [beta, 'Beta'],
    ] as const) {
      const done = await install(h, { teamId: ws.teamId, userId: 'U1' });
      expect(done.status).toBe(200);
      expect(done.page).toContain('k8s-advisor is installed');
      expect(done.page).toContain(`ready in ${name}`);
    }
    const exchanges = h.standin.allCalls('oauth.v2.access');
    expect(exchanges.map((c) => c.ok)).toEqual([true, true]);
    // Neither the client secret nor the code is kept in the stand-in's log.
    expect(exchanges.every((c) => c.args.client_secret === undefined && c.args.code === undefined)).toBe(
      true,
    );
    const teams = await stored(h, async (s) => [
      await s.findInstallation({ orgWide: false, teamId: alpha.teamId }),
      await s.findInstallation({ orgWide: false, teamId: beta.teamId }),
    ]);
    expect(teams.map((t) => t?.teamId)).toEqual([alpha.teamId, beta.teamId]);
  });

  it('keeps no token readable in the database file', () => {
    const tokens = h.standin.oauth?.issuedTokens() ?? [];
    expect(tokens.filter((t) => t.kind === 'bot')).toHaveLength(2);
    const bytes = databaseBytes(h);
    expect(bytes.length).toBeGreaterThan(0);
    for (const { token } of tokens) expect(bytes.includes(token)).toBe(false);
    expect(bytes).not.toMatch(/xox[abpe]-/);
  });

  it('drives an assessment in both, each Web API call with its own workspace’s bot token', async () => {
    const [a, b] = await Promise.all([assess(h, alpha), assess(h, beta)]);
    expect(a.card.metadata).toMatchObject({ event_payload: { outcome: 'self_hosted_required' } });
    expect(b.card.metadata).toMatchObject({ event_payload: { outcome: 'self_hosted_required' } });
    // Same user and channel ids, two threads that never mix.
    expect(a.driver.thread().every((m) => m.team === undefined || m.team === alpha.teamId)).toBe(true);
    expect(b.driver.thread().some((m) => m.ts === a.driver.threadTs)).toBe(false);
    for (const ws of [alpha, beta]) {
      const calls = ws.calls();
      expect(calls.length).toBeGreaterThan(5);
      expect(calls.filter((c) => !c.ok)).toEqual([]);
      expect(calls.every((c) => c.team === ws.teamId)).toBe(true);
    }
    expect(h.standin.allCalls().filter((c) => c.error && /auth|token|team_access/.test(c.error))).toEqual([]);
    expect(stranger.calls()).toEqual([]);
  });

  it('never shows one workspace’s assessments in the other’s Home tab, export, decision record or digest', async () => {
    // Alpha's U1 runs a second assessment; Beta's U1 has one.
    await assess(h, alpha, 'C2');
    const home = async (ws: StandinWorkspace) => {
      const before = ws.views().find((v) => v.user === 'U1')?.hash;
      const json = appHomeOpened({ teamId: ws.teamId, userId: 'U1', botUserId: ws.botUserId });
      expect((await postSigned(h.url, h.secret, { json })).status).toBe(200);
      const view = await ws.waitFor(
        () => ws.views().find((v) => v.user === 'U1' && v.hash !== before),
        WAIT_MS,
      );
      return JSON.stringify(view.blocks);
    };
    const alphaHome = await home(alpha);
    const betaHome = await home(beta);
    expect(alphaHome.match(/Self-hosted/gi)?.length ?? 0).toBeGreaterThan(
      betaHome.match(/Self-hosted/gi)?.length ?? 0,
    );
    expect(alphaHome).toContain('/archives/C2/');
    expect(betaHome).not.toContain('/archives/C2/');

    const exported = async (ws: StandinWorkspace) => {
      expect(await command(h, ws, 'export')).toBe(200);
      const file = await ws.waitFor(() => ws.files().find((f) => f.name.endsWith('.json')), WAIT_MS);
      return JSON.parse(file.content.toString()) as { workspace: string; assessments: unknown[] };
    };
    expect(await exported(beta)).toMatchObject({ workspace: beta.teamId, assessments: [expect.anything()] });
    expect((await exported(alpha)).assessments).toHaveLength(2);

    expect(await command(h, beta, 'adr')).toBe(200);
    const adr = await beta.waitFor(
      () => beta.files().find((f) => f.name.endsWith('.md') && f.channel === 'C1'),
      WAIT_MS,
    );
    const betaThread = beta.messages('C1').find((m) => m.metadata !== undefined)?.thread_ts;
    expect(adr.thread_ts).toBe(betaThread);
    expect(alpha.files().some((f) => f.id === adr.id)).toBe(false);

    expect(await command(h, beta, 'digest now')).toBe(200);
    const digest = await beta.waitFor(
      () =>
        beta
          .messages('C1')
          .find(
            (m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'k8s_advisor_digest',
          ),
      WAIT_MS,
    );
    expect((digest.metadata as { event_payload: { completed: number } }).event_payload.completed).toBe(1);
    expect(alpha.messages('C1').some((m) => m.ts === digest.ts)).toBe(false);
  });

  it('answers a request from a workspace that never installed without calling Slack, and carries on', async () => {
    const before = callCount(h);
    expect(await command(h, stranger, '')).toBe(200);
    const json = appHomeOpened({ teamId: stranger.teamId, userId: 'U1', botUserId: stranger.botUserId });
    expect((await postSigned(h.url, h.secret, { json })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(callCount(h)).toBe(before);
    expect(stranger.messages()).toEqual([]);
    // Still serving the others.
    await assess(h, beta, 'C3');
  });

  it('installs nothing for a forged, tampered, cookieless or replayed state', async () => {
    const exchanged = () => h.standin.allCalls('oauth.v2.access').length;
    const installed = () => stored(h, (s) => s.findInstallation({ orgWide: false, teamId: stranger.teamId }));
    const steps = await beginInstall(h, { teamId: stranger.teamId, userId: 'U1' });
    const state = steps.callback.searchParams.get('state') ?? '';
    const code = steps.callback.searchParams.get('code') ?? '';
    const at = (s: string) => {
      const url = new URL(steps.callback);
      url.searchParams.set('state', s);
      url.searchParams.set('code', code);
      return url;
    };
    const tampered = `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`;
    const before = exchanged();
    for (const [url, cookie] of [
      [at('forged-state'), 'slack-app-oauth-state=forged-state'],
      [at(tampered), `slack-app-oauth-state=${tampered}`],
      [at(state), undefined],
      [at(state), 'slack-app-oauth-state=another-browser'],
    ] as const) {
      const res = await finishInstall(url, cookie);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Nothing was installed');
    }
    expect(exchanged()).toBe(before);
    expect(await installed()).toBeUndefined();

    // The real browser finishes once; a replay of the very same redirect, cookie and all, is refused.
    expect((await finishInstall(steps.callback, steps.cookie)).status).toBe(200);
    const replay = await finishInstall(steps.callback, steps.cookie);
    expect(replay.status).toBe(400);
    expect(exchanged()).toBe(before + 1);
    expect(await installed()).toBeDefined();
  });

  it('removes an uninstalled workspace with its data at once, and keeps serving the other', async () => {
    h.standin.oauth?.revoke({ teamId: alpha.teamId });
    for (const json of uninstallEvents({ teamId: alpha.teamId, botUserId: alpha.botUserId })) {
      expect((await postSigned(h.url, h.secret, { json })).status).toBe(200);
    }
    const left = await stored(h, async (s) => ({
      installation: await s.findInstallation({ orgWide: false, teamId: alpha.teamId }),
      alpha: await s.listByUser(alpha.teamId, 'U1', { limit: 10, offset: 0 }),
      beta: await s.listByUser(beta.teamId, 'U1', { limit: 10, offset: 0 }),
    }));
    expect(left.installation).toBeUndefined();
    expect(left.alpha.total).toBe(0);
    expect(left.beta.total).toBe(2);

    const before = alpha.calls().length;
    expect(await command(h, alpha, '')).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(alpha.calls().length).toBe(before);
    const { card } = await assess(h, beta, 'C4');
    expect(card).toBeDefined();
  });
});

describe('OAuth mode end to end: org-wide installs and token rotation', () => {
  let h: OAuthHarness;
  beforeAll(async () => {
    // Shorter than the two hours before expiry in which Bolt refreshes: every request rotates the token.
    h = await startOAuthHarness({ tokenRotation: { expiresIn: 2 } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refreshes an expiring bot token before use, stores the new pair encrypted, and never uses a stale one', async () => {
    const ws = workspace(h, 'TROT', 'Rotating');
    expect((await install(h, { teamId: ws.teamId, userId: 'U1' })).status).toBe(200);
    const d = new Driver(h, 'U1', 'C1', { workspace: ws });
    await d.start();
    await new Promise((r) => setTimeout(r, 2_100)); // the installed token has expired by now
    for (const answer of SELF_HOSTED_REQUIRED) await d.answer(answer);
    await d.waitForCard();
    const refreshes = h.standin.allCalls('oauth.v2.access').slice(1);
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.every((c) => c.ok && c.args.grant_type === 'refresh_token')).toBe(true);
    expect(ws.calls().filter((c) => !c.ok)).toEqual([]);
    const bytes = databaseBytes(h);
    for (const { token } of h.standin.oauth?.issuedTokens() ?? []) expect(bytes.includes(token)).toBe(false);
  });

  it('installs org-wide, serves the org’s workspaces with the org’s token, and removes them all on uninstall', async () => {
    const [one, two] = h.standin.addOrg({
      enterpriseId: 'EGRID',
      name: 'Grid Org',
      teams: [{ teamId: 'TGRID1' }, { teamId: 'TGRID2' }],
    }) as [StandinWorkspace, StandinWorkspace];
    for (const ws of [one, two]) ws.addUser({ id: 'U1', name: 'alex' });
    const done = await install(h, { enterpriseId: 'EGRID', orgWide: true, userId: 'U1' });
    expect(done.status).toBe(200);
    expect(done.page).toContain('every workspace of Grid Org');

    const place = { enterpriseId: 'EGRID', orgWide: true };
    const run = async (ws: StandinWorkspace) => {
      const d = new Driver(h, 'U1', 'C1', { workspace: ws, ...place });
      await d.start();
      for (const answer of SELF_HOSTED_REQUIRED) await d.answer(answer);
      return d.waitForCard();
    };
    const cards: StoredMessage[] = [await run(one), await run(two)];
    expect(cards.every(Boolean)).toBe(true);
    for (const ws of [one, two]) expect(ws.calls().filter((c) => !c.ok)).toEqual([]);

    for (const json of uninstallEvents({ teamId: one.teamId, botUserId: one.botUserId, ...place })) {
      expect((await postSigned(h.url, h.secret, { json })).status).toBe(200);
    }
    const left = await stored(h, async (s) => ({
      org: await s.findInstallation({ orgWide: true, enterpriseId: 'EGRID' }),
      one: (await s.listByUser(one.teamId, 'U1', { limit: 10, offset: 0 })).total,
      two: (await s.listByUser(two.teamId, 'U1', { limit: 10, offset: 0 })).total,
    }));
    expect(left).toEqual({ org: undefined, one: 0, two: 0 });
  });
});
