// Slack's OAuth v2 as the stand-in plays it: the authorize page (which approves at once, for the person and
// workspace a test names), oauth.v2.access for the code and for token rotation, apps.uninstall, and the tokens
// it issued, each bound to one workspace or one org.

import { randomBytes } from 'node:crypto';
import { str } from './http-util.js';
import { fail, type MethodResult } from './method-kit.js';

export interface StandinOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** The app's redirect URL, used when the authorize request names none (as Slack uses the app's setting). */
  redirectUri?: string;
  /** Token rotation on: access tokens expire after `expiresIn` seconds and come with a refresh token. */
  tokenRotation?: { expiresIn: number };
}

/** Who approves the next install: a workspace's member, or an org admin installing org-wide. */
export type Installer =
  | { teamId: string; userId: string; deny?: boolean }
  | { enterpriseId: string; orgWide: true; userId: string; deny?: boolean };

/** What a token stands for. A refresh token is spent when used; its access token lives until it expires. */
export interface Grant {
  kind: 'bot' | 'refresh';
  /** The workspace; null for an org-wide installation. */
  teamId: string | null;
  enterpriseId: string | null;
  scope: string;
  /** Epoch ms; none without token rotation. */
  expiresAt?: number;
  revoked: boolean;
}

export interface IssuedToken extends Grant {
  token: string;
}

/** What the stand-in knows of a workspace or org when it mints tokens for it. */
export interface Tenant {
  teamId: string | null;
  teamName?: string;
  enterpriseId: string | null;
  enterpriseName?: string;
  botUserId: string;
  appId: string;
}

interface Code {
  installer: Installer;
  scope: string;
  redirectUri: string | undefined;
  expiresAt: number;
}

const CODE_TTL_MS = 10 * 60_000;
const rand = (bytes: number) => randomBytes(bytes).toString('hex');

export class StandinOAuth {
  readonly tokens = new Map<string, Grant>();
  private readonly codes = new Map<string, Code>();
  private next: Installer | undefined;

  constructor(
    readonly options: StandinOAuthOptions,
    private readonly tenantOf: (installer: Installer) => Tenant | undefined,
  ) {}

  /** The person (and workspace or org) who approves the next install at the authorize page. */
  authorizeAs(installer: Installer): void {
    this.next = installer;
  }

  /**
   * GET /oauth/v2/authorize: checks the app and its redirect, then sends the browser back at once with a
   * single-use code and the state untouched (or `error=access_denied` when the installer declines). `team`
   * preselects a workspace, as on Slack.
   */
  authorize(url: URL, fallback: Installer): { status: number; location?: string; error?: string } {
    const q = url.searchParams;
    if (q.get('client_id') !== this.options.clientId) return { status: 400, error: 'invalid_client_id' };
    const scope = q.get('scope') ?? '';
    if (!scope) return { status: 400, error: 'invalid_scope' };
    const redirect = q.get('redirect_uri') ?? this.options.redirectUri;
    if (!redirect || (this.options.redirectUri && redirect !== this.options.redirectUri)) {
      return { status: 400, error: 'bad_redirect_uri' };
    }
    const team = q.get('team');
    const installer: Installer = team ? { teamId: team, userId: fallback.userId } : (this.next ?? fallback);
    if (!this.tenantOf(installer)) return { status: 400, error: 'invalid_team' };
    const back = new URL(redirect);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (installer.deny) {
      back.searchParams.set('error', 'access_denied');
      return { status: 302, location: back.toString() };
    }
    const code = `${Date.now()}.${rand(12)}`;
    this.codes.set(code, {
      installer,
      scope,
      redirectUri: q.get('redirect_uri') ?? undefined,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    back.searchParams.set('code', code);
    return { status: 302, location: back.toString() };
  }

  /** oauth.v2.access: a code for an installation's tokens, or (grant_type=refresh_token) a token rotation. */
  access(args: Record<string, unknown>, basic: { id?: string; secret?: string }): MethodResult {
    const clientId = str(args.client_id) ?? basic.id;
    const secret = str(args.client_secret) ?? basic.secret;
    if (clientId !== this.options.clientId) return fail('invalid_client_id');
    if (secret !== this.options.clientSecret) return fail('bad_client_secret');
    if (str(args.grant_type) === 'refresh_token') return this.refresh(str(args.refresh_token) ?? '');
    const code = this.codes.get(str(args.code) ?? '');
    if (!code || code.expiresAt < Date.now()) return fail('invalid_code');
    this.codes.delete(str(args.code) ?? '');
    if (code.redirectUri !== undefined && str(args.redirect_uri) !== code.redirectUri) {
      return fail('bad_redirect_uri');
    }
    const tenant = this.tenantOf(code.installer) as Tenant;
    return {
      ok: true,
      app_id: tenant.appId,
      authed_user: { id: code.installer.userId },
      scope: code.scope,
      token_type: 'bot',
      ...this.mint(tenant, code.scope),
      bot_user_id: tenant.botUserId,
      team: tenant.teamId ? { id: tenant.teamId, name: tenant.teamName ?? tenant.teamId } : null,
      enterprise: tenant.enterpriseId
        ? { id: tenant.enterpriseId, name: tenant.enterpriseName ?? tenant.enterpriseId }
        : null,
      is_enterprise_install: tenant.teamId === null,
    };
  }

  /** apps.uninstall: the app's own credentials and a token of the installation; every token of it is revoked. */
  uninstall(args: Record<string, unknown>, token: string | undefined): MethodResult {
    if (str(args.client_id) !== this.options.clientId) return fail('invalid_client_id');
    if (str(args.client_secret) !== this.options.clientSecret) return fail('bad_client_secret');
    const grant = token ? this.tokens.get(token) : undefined;
    if (!grant || grant.revoked) return fail('invalid_auth');
    this.revoke(
      grant.teamId === null ? { enterpriseId: grant.enterpriseId ?? '' } : { teamId: grant.teamId },
    );
    return { ok: true };
  }

  /** Revokes every token of a workspace's installation, or of an org-wide one. */
  revoke(ref: { teamId: string } | { enterpriseId: string }): void {
    for (const grant of this.tokens.values()) {
      const match =
        'teamId' in ref
          ? grant.teamId === ref.teamId
          : grant.teamId === null && grant.enterpriseId === ref.enterpriseId;
      if (match) grant.revoked = true;
    }
  }

  issued(): IssuedToken[] {
    return [...this.tokens].map(([token, grant]) => ({ token, ...grant }));
  }

  private refresh(refreshToken: string): MethodResult {
    const grant = this.tokens.get(refreshToken);
    if (grant?.kind !== 'refresh' || grant.revoked) return fail('invalid_refresh_token');
    // Spent: a refresh token works once, as with Slack's rotation.
    grant.revoked = true;
    const tenant: Tenant = {
      teamId: grant.teamId,
      enterpriseId: grant.enterpriseId,
      botUserId: '',
      appId: '',
    };
    const minted = this.mint(tenant, grant.scope);
    return {
      ok: true,
      token_type: 'bot',
      scope: grant.scope,
      ...minted,
      team: grant.teamId ? { id: grant.teamId } : null,
      enterprise: grant.enterpriseId ? { id: grant.enterpriseId } : null,
      is_enterprise_install: grant.teamId === null,
    };
  }

  /** A bot token for the tenant, with a refresh token and its lifetime when tokens rotate. */
  private mint(tenant: Tenant, scope: string) {
    const rotation = this.options.tokenRotation;
    const owner = { teamId: tenant.teamId, enterpriseId: tenant.enterpriseId, scope, revoked: false };
    const access = `${rotation ? 'xoxe.xoxb-1' : 'xoxb'}-${rand(6)}-${rand(12)}`;
    if (!rotation) {
      this.tokens.set(access, { kind: 'bot', ...owner });
      return { access_token: access };
    }
    const refresh = `xoxe-1-${rand(8)}-${rand(16)}`;
    this.tokens.set(access, { kind: 'bot', ...owner, expiresAt: Date.now() + rotation.expiresIn * 1000 });
    this.tokens.set(refresh, { kind: 'refresh', ...owner });
    return { access_token: access, refresh_token: refresh, expires_in: rotation.expiresIn };
  }
}
