// The stand-in's workspaces and orgs, and which one a Web API call acts in: the one its token was issued for
// (an org-wide token: the org's workspace named by team_id), or the default workspace for tokens the stand-in
// never issued, unless it plays OAuth, when those are refused as Slack refuses them.

import { str } from './http-util.js';
import type { MethodContext } from './method-kit.js';
import type { Installer, StandinOAuth, Tenant } from './oauth.js';
import type { StandinStore } from './store.js';
import { createWorkspace, type WorkspaceInfo, type WorkspaceState } from './workspace.js';

export type Acting = { ok: true; ws: WorkspaceState; ctx: MethodContext } | { ok: false; error: string };

interface Org {
  enterpriseId: string;
  name: string;
  botUserId: string;
  botId: string;
}

type Shared = Parameters<typeof createWorkspace>[1];

export class Tenancy {
  readonly workspaces = new Map<string, WorkspaceState>();
  private readonly orgs = new Map<string, Org>();
  oauth: StandinOAuth | undefined;

  constructor(
    readonly primary: WorkspaceState,
    private readonly shared: Shared,
  ) {
    this.workspaces.set(primary.info.teamId, primary);
  }

  /** A workspace of its own; in an org, it shares the org's bot user, as an org-wide install has one. */
  addWorkspace(w: { teamId: string; name?: string; enterpriseId?: string }): WorkspaceState {
    if (this.workspaces.has(w.teamId)) throw new Error(`workspace ${w.teamId} exists already`);
    const org = w.enterpriseId ? this.orgs.get(w.enterpriseId) : undefined;
    const info: WorkspaceInfo = {
      teamId: w.teamId,
      name: w.name ?? w.teamId,
      ...(w.enterpriseId && { enterpriseId: w.enterpriseId }),
      botUserId: org?.botUserId ?? `U${w.teamId.replace(/^T/, '')}BOT`,
      botId: org?.botId ?? `B${w.teamId.replace(/^T/, '')}BOT`,
    };
    const state = createWorkspace(info, {
      ...this.shared,
      origin: this.primary.ctx.origin,
      publicOrigin: this.primary.ctx.publicOrigin,
    });
    this.workspaces.set(w.teamId, state);
    return state;
  }

  addOrg(o: { enterpriseId: string; name?: string; teams: { teamId: string; name?: string }[] }) {
    const id = o.enterpriseId.replace(/^E/, '');
    this.orgs.set(o.enterpriseId, {
      enterpriseId: o.enterpriseId,
      name: o.name ?? o.enterpriseId,
      botUserId: `W${id}BOT`,
      botId: `B${id}ORG`,
    });
    return o.teams.map((t) => this.addWorkspace({ ...t, enterpriseId: o.enterpriseId }));
  }

  get(teamId: string): WorkspaceState {
    const ws = this.workspaces.get(teamId);
    if (!ws) throw new Error(`no workspace ${teamId} in the stand-in; addWorkspace first`);
    return ws;
  }

  stores(): StandinStore[] {
    return [...this.workspaces.values()].map((w) => w.store);
  }

  /** What the authorize page installs for: a workspace, or an org installed org-wide. */
  tenantOf(installer: Installer): Tenant | undefined {
    const appId = this.shared.appId;
    if ('orgWide' in installer) {
      const org = this.orgs.get(installer.enterpriseId);
      return (
        org && {
          teamId: null,
          enterpriseId: org.enterpriseId,
          enterpriseName: org.name,
          botUserId: org.botUserId,
          appId,
        }
      );
    }
    const ws = this.workspaces.get(installer.teamId);
    const org = ws?.info.enterpriseId ? this.orgs.get(ws.info.enterpriseId) : undefined;
    return (
      ws && {
        teamId: ws.info.teamId,
        teamName: ws.info.name,
        enterpriseId: ws.info.enterpriseId ?? null,
        ...(org && { enterpriseName: org.name }),
        botUserId: ws.info.botUserId,
        appId,
      }
    );
  }

  /** The workspace (and method context) a call with `token` acts in, or Slack's refusal. */
  acting(token: string | undefined, args: Record<string, unknown>, method: string): Acting {
    if (!token) return { ok: false, error: 'not_authed' };
    const grant = this.oauth?.tokens.get(token);
    if (!grant) {
      return this.oauth
        ? { ok: false, error: 'invalid_auth' }
        : { ok: true, ws: this.primary, ctx: this.primary.ctx };
    }
    if (grant.revoked) return { ok: false, error: 'token_revoked' };
    if (grant.kind !== 'bot') return { ok: false, error: 'not_allowed_token_type' };
    if (grant.expiresAt !== undefined && grant.expiresAt <= Date.now())
      return { ok: false, error: 'token_expired' };
    const team = str(args.team_id);
    if (grant.teamId !== null) {
      if (team && team !== grant.teamId) return { ok: false, error: 'team_access_not_granted' };
      const ws = this.workspaces.get(grant.teamId);
      return ws ? { ok: true, ws, ctx: ws.ctx } : { ok: false, error: 'invalid_auth' };
    }
    const inOrg = [...this.workspaces.values()].filter((w) => w.info.enterpriseId === grant.enterpriseId);
    if (!team) {
      // auth.test of an org-wide token names the org; every other call must say which workspace it is for.
      const first = inOrg[0];
      if (method !== 'auth.test' || !first) return { ok: false, error: 'missing_argument' };
      return { ok: true, ws: first, ctx: { ...first.ctx, teamId: grant.enterpriseId ?? '', orgWide: true } };
    }
    const ws = inOrg.find((w) => w.info.teamId === team);
    return ws
      ? { ok: true, ws, ctx: { ...ws.ctx, orgWide: true } }
      : { ok: false, error: 'team_access_not_granted' };
  }

  /** The stores a token may download files from. */
  storesFor(token: string): StandinStore[] {
    const grant = this.oauth?.tokens.get(token);
    if (!grant) return this.oauth ? [] : [this.primary.store];
    if (grant.revoked || grant.kind !== 'bot') return [];
    return [...this.workspaces.values()]
      .filter((w) =>
        grant.teamId !== null ? w.info.teamId === grant.teamId : w.info.enterpriseId === grant.enterpriseId,
      )
      .map((w) => w.store);
  }
}
