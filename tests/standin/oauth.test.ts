import { randomBytes } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackStandin, startSlackStandin } from '../../src/standin/server.js';
import { quietLogger as logger } from './helpers.js';

const clientId = `${Date.now()}.42`;
const clientSecret = randomBytes(16).toString('hex');
const redirect = 'http://127.0.0.1:9/slack/oauth_redirect';

let standin: SlackStandin;
beforeAll(async () => {
  standin = await startSlackStandin({ oauth: { clientId, clientSecret, redirectUri: redirect } });
  standin.addWorkspace({ teamId: 'T1', name: 'One' });
  standin.addWorkspace({ teamId: 'T2', name: 'Two' });
  standin.addOrg({ enterpriseId: 'E1', name: 'Org', teams: [{ teamId: 'T3' }, { teamId: 'T4' }] });
});
afterAll(() => standin.close());

const client = (token?: string, teamId?: string) =>
  new WebClient(token, {
    slackApiUrl: standin.url,
    retryConfig: { retries: 0 },
    logger,
    ...(teamId && { teamId }),
  });

/** The authorize page's answer, without following it. */
async function authorize(params: Record<string, string>) {
  const url = new URL(standin.oauth?.authorizeUrl ?? '');
  for (const [k, v] of Object.entries({
    client_id: clientId,
    scope: 'commands,chat:write',
    state: 's1',
    ...params,
  }))
    url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: 'manual' });
  return {
    status: res.status,
    location: res.headers.get('location'),
    body: res.status === 302 ? '' : await res.text(),
  };
}

/** A code for `team` (or the org), then its exchange. */
async function installed(installer: Parameters<NonNullable<SlackStandin['oauth']>['authorizeAs']>[0]) {
  standin.oauth?.authorizeAs(installer);
  const { location } = await authorize({});
  const code = new URL(location ?? '').searchParams.get('code') ?? '';
  return client().oauth.v2.access({ client_id: clientId, client_secret: clientSecret, code });
}

describe('the stand-in’s OAuth', () => {
  it('approves at the authorize page at once, sending the browser back with a code and the state', async () => {
    standin.oauth?.authorizeAs({ teamId: 'T1', userId: 'U1' });
    const ok = await authorize({});
    expect(ok.status).toBe(302);
    const back = new URL(ok.location ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(redirect);
    expect(back.searchParams.get('state')).toBe('s1');
    expect(back.searchParams.get('code')).toBeTruthy();
    standin.oauth?.authorizeAs({ teamId: 'T1', userId: 'U1', deny: true });
    expect(new URL((await authorize({})).location ?? '').searchParams.get('error')).toBe('access_denied');
    expect((await authorize({ client_id: 'someone-else' })).body).toContain('invalid_client_id');
    expect((await authorize({ redirect_uri: 'https://evil.example/cb' })).body).toContain('bad_redirect_uri');
    expect((await authorize({ team: 'TNOPE' })).body).toContain('invalid_team');
  });

  it('exchanges a code once, for a bot token of that workspace only', async () => {
    standin.oauth?.authorizeAs({ teamId: 'T1', userId: 'U1' });
    const code = new URL((await authorize({})).location ?? '').searchParams.get('code') ?? '';
    const exchange = () =>
      client().oauth.v2.access({ client_id: clientId, client_secret: clientSecret, code });
    const first = await exchange();
    expect(first).toMatchObject({
      ok: true,
      token_type: 'bot',
      team: { id: 'T1' },
      is_enterprise_install: false,
    });
    await expect(exchange()).rejects.toMatchObject({ data: { error: 'invalid_code' } });
    await expect(
      client().oauth.v2.access({ client_id: clientId, client_secret: 'wrong', code: 'x' }),
    ).rejects.toMatchObject({ data: { error: 'bad_client_secret' } });

    const token = first.access_token as string;
    expect(await client(token).auth.test()).toMatchObject({ team_id: 'T1', is_enterprise_install: false });
    await client(token, 'T1').chat.postMessage({ channel: 'C1', text: 'in one' });
    expect(
      standin
        .workspace('T1')
        .messages('C1')
        .map((m) => m.text),
    ).toEqual(['in one']);
    expect(standin.workspace('T2').messages('C1')).toEqual([]);
    // Another workspace named with this token is refused; tokens it never issued too.
    await expect(client(token, 'T2').chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      data: { error: 'team_access_not_granted' },
    });
    await expect(client('xoxb-made-up').auth.test()).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    expect(standin.workspace('T1').calls('chat.postMessage')).toMatchObject([{ team: 'T1', ok: true }]);
    expect(standin.allCalls('oauth.v2.access').every((c) => c.args.client_secret === undefined)).toBe(true);
  });

  it('issues an org-wide token that acts in the org’s workspace named by team_id', async () => {
    const org = await installed({ enterpriseId: 'E1', orgWide: true, userId: 'U1' });
    expect(org).toMatchObject({ team: null, enterprise: { id: 'E1' }, is_enterprise_install: true });
    const token = org.access_token as string;
    expect(await client(token).auth.test()).toMatchObject({
      enterprise_id: 'E1',
      is_enterprise_install: true,
    });
    await client(token, 'T4').chat.postMessage({ channel: 'C1', text: 'org' });
    expect(
      standin
        .workspace('T4')
        .messages('C1')
        .map((m) => m.text),
    ).toEqual(['org']);
    await expect(client(token).chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      data: { error: 'missing_argument' },
    });
    await expect(client(token, 'T1').chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      data: { error: 'team_access_not_granted' },
    });
  });

  it('revokes every token of an installation on apps.uninstall', async () => {
    const two = await installed({ teamId: 'T2', userId: 'U1' });
    const token = two.access_token as string;
    await client(token).apps.uninstall({ client_id: clientId, client_secret: clientSecret });
    await expect(client(token).auth.test()).rejects.toMatchObject({ data: { error: 'token_revoked' } });
    expect(standin.oauth?.issuedTokens().find((t) => t.token === token)).toMatchObject({ revoked: true });
  });
});

describe('the stand-in’s token rotation', () => {
  let rotating: SlackStandin;
  beforeAll(async () => {
    rotating = await startSlackStandin({
      oauth: { clientId, clientSecret, redirectUri: redirect, tokenRotation: { expiresIn: 1 } },
    });
    rotating.addWorkspace({ teamId: 'T1' });
  });
  afterAll(() => rotating.close());

  it('gives expiring tokens with a refresh token that works once, and refuses expired ones', async () => {
    rotating.oauth?.authorizeAs({ teamId: 'T1', userId: 'U1' });
    const url = new URL(rotating.oauth?.authorizeUrl ?? '');
    url.search = new URLSearchParams({ client_id: clientId, scope: 'commands', state: 's' }).toString();
    const code = new URL(
      (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '',
    ).searchParams.get('code');
    const api = new WebClient(undefined, { slackApiUrl: rotating.url, retryConfig: { retries: 0 }, logger });
    const first = await api.oauth.v2.access({
      client_id: clientId,
      client_secret: clientSecret,
      code: code ?? '',
    });
    expect(first).toMatchObject({ expires_in: 1, refresh_token: expect.stringMatching(/^xoxe-1-/) });
    expect(first.access_token).toMatch(/^xoxe\.xoxb-1-/);
    const refresh = () =>
      api.oauth.v2.access({
        client_id: clientId,
        client_secret: clientSecret,
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
      });
    const next = await refresh();
    expect(next.access_token).not.toBe(first.access_token);
    await expect(refresh()).rejects.toMatchObject({ data: { error: 'invalid_refresh_token' } });
    await new Promise((r) => setTimeout(r, 1_100));
    const stale = new WebClient(first.access_token, {
      slackApiUrl: rotating.url,
      retryConfig: { retries: 0 },
    });
    await expect(stale.auth.test()).rejects.toMatchObject({ data: { error: 'token_expired' } });
  });
});
