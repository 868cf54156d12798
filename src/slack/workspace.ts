import { AsyncLocalStorage } from 'node:async_hooks';
import type { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';

/** The workspace a Web API call acts in, as Bolt's context names it. */
export interface Workspace {
  teamId?: string;
  /** The Enterprise Grid org, when the workspace belongs to one. */
  enterpriseId?: string;
  /** Served by the org's org-wide installation rather than one of the workspace's own. */
  isEnterpriseInstall?: boolean;
}

/** No installation serves the workspace: it never installed the app, or uninstalled it. */
export class NotInstalled extends Error {
  constructor(ws: Workspace, options?: ErrorOptions) {
    super(`k8s-advisor is not installed in ${describe(ws)}`, options);
    this.name = 'NotInstalled';
  }
}

const describe = (ws: Workspace) =>
  [ws.teamId && `workspace ${ws.teamId}`, ws.enterpriseId && `org ${ws.enterpriseId}`]
    .filter(Boolean)
    .join(' of ') || 'an unnamed workspace';

/**
 * The bot token, and a Web API client holding it, for a workspace: what every Web API call made outside Bolt's
 * per-request `client` goes through (scheduled digests, the lean chat client, a sender delivering queued calls).
 * Single-workspace mode answers with the token from the environment; OAuth mode with the workspace's
 * installation (or its org's), refreshed first when tokens rotate and it is about to expire.
 */
export interface BotAccess {
  /** Throws NotInstalled when no installation serves the workspace. */
  botToken(ws: Workspace): Promise<string>;
  /** A client acting as the bot in the workspace; with its team_id on every call, as Bolt's own clients do. */
  client(ws: Workspace): Promise<WebClient>;
}

/** Clients by token, so a workspace reuses its connection pool; bounded, since tokens rotate. */
function clientCache(options: WebClientOptions) {
  const clients = new Map<string, WebClient>();
  return (token: string, teamId: string | undefined) => {
    const key = `${teamId ?? ''} ${token}`;
    let client = clients.get(key);
    if (!client) {
      if (clients.size >= 500) clients.clear();
      client = new WebClient(token, { ...options, ...(teamId && { teamId }) });
      clients.set(key, client);
    }
    return client;
  };
}

/** Single-workspace mode: SLACK_BOT_TOKEN and Bolt's client holding it, whatever the workspace (there is one). */
export function singleWorkspace(token: string, client: WebClient): BotAccess {
  return { botToken: async () => token, client: async () => client };
}

/** What Bolt's installer answers for a workspace: its bot token, when it has one. */
export type Authorize = (query: {
  teamId: string | undefined;
  enterpriseId: string | undefined;
  isEnterpriseInstall: boolean;
}) => Promise<{ botToken?: string }>;

/** OAuth mode: the installation store, through the installer's authorize (which refreshes rotating tokens). */
export function installedWorkspaces(authorize: Authorize, options: WebClientOptions): BotAccess {
  const clientFor = clientCache(options);
  const botToken = async (ws: Workspace) => {
    let found: { botToken?: string };
    try {
      found = await authorize({
        teamId: ws.teamId,
        enterpriseId: ws.enterpriseId,
        isEnterpriseInstall: ws.isEnterpriseInstall === true,
      });
    } catch (error) {
      throw new NotInstalled(ws, { cause: error });
    }
    if (!found.botToken) throw new NotInstalled(ws);
    return found.botToken;
  };
  return { botToken, client: async (ws) => clientFor(await botToken(ws), ws.teamId) };
}

/** A Slack request being handled: its workspace and the bot token Bolt authorized it with. */
interface RequestScope extends Workspace {
  botToken?: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs each request's listeners inside a scope naming its workspace and token, so code that posts on the
 * request's behalf (the lean chat client) acts in that workspace without every listener passing a token along.
 */
export function registerWorkspaceScope(app: App): void {
  app.use(async ({ context, next }) =>
    scope.run(
      {
        ...(context.teamId && { teamId: context.teamId }),
        ...(context.enterpriseId && { enterpriseId: context.enterpriseId }),
        isEnterpriseInstall: context.isEnterpriseInstall === true,
        ...(context.botToken && { botToken: context.botToken }),
      },
      next,
    ),
  );
}

/** The request being handled, if any. */
export const currentRequest = (): Readonly<RequestScope> | undefined => scope.getStore();

/** Runs `work` as if handling a request of `ws` (a sender delivering on a workspace's behalf, tests). */
export const inWorkspace = <T>(ws: Workspace & { botToken?: string }, work: () => T): T =>
  scope.run(ws, work);

/**
 * The org of the request being handled, as an outbox payload carries it (ApiPayload's enterpriseId and
 * orgInstall), so work queued on the request's behalf later finds the same installation's token.
 */
export function requestOrg(): { enterpriseId?: string; orgInstall?: true } {
  const request = currentRequest();
  return {
    ...(request?.enterpriseId && { enterpriseId: request.enterpriseId }),
    ...(request?.isEnterpriseInstall && { orgInstall: true as const }),
  };
}
