import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { type InstallationQuery, InstallProvider, type Logger } from '@slack/oauth';
import type { WebClientOptions } from '@slack/web-api';
import type { InstallationStore } from '../../advisor/ports/installations.js';
import { type BotAccess, installedWorkspaces } from '../workspace.js';
import { boltInstallationStore } from './installation-store.js';
import { installPages, installUnavailable } from './pages.js';
import { oneTimeStates } from './state.js';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  redirectUri?: string;
  /** The bot scopes to ask for (manifest.yml's). */
  scopes: string[];
  /** The Web API base (SLACK_API_URL); Slack's authorize page is beside it. */
  apiUrl: string;
  installations: InstallationStore;
  /** Records a key once in the database: an OAuth state's nonce. */
  claimOnce: (key: string) => Promise<boolean>;
  /** Options of every WebClient (base URL, fetch, timeouts, retries). */
  clientOptions: WebClientOptions;
  logger: Logger;
}

export interface OAuth {
  /** Bolt's authorize: the installation of the request's workspace (or org), tokens refreshed when they rotate. */
  authorize: InstallProvider['authorize'];
  /** GET /slack/install and GET /slack/oauth_redirect. */
  routes: CustomRoute[];
  access: BotAccess;
}

/** Slack's authorize page sits beside its Web API: https://slack.com/oauth/v2/authorize for https://slack.com/api/. */
export const authorizeUrlFor = (apiUrl: string) => new URL('../oauth/v2/authorize', apiUrl).toString();

/**
 * Slack's OAuth v2 install flow through Bolt's InstallProvider: `/slack/install` redirects the browser to Slack's
 * authorize page with a one-time state (and sets Bolt's state cookie); `/slack/oauth_redirect` checks both,
 * exchanges the code with oauth.v2.access at SLACK_API_URL and stores the installation, encrypted.
 */
export function createOAuth(o: OAuthOptions): OAuth {
  const installer = new InstallProvider({
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    installationStore: boltInstallationStore(o.installations),
    stateStore: oneTimeStates(o.stateSecret, o.claimOnce),
    stateVerification: true,
    directInstall: true,
    authorizationUrl: authorizeUrlFor(o.apiUrl),
    clientOptions: o.clientOptions,
    logger: o.logger,
  });
  const urlOptions = { scopes: o.scopes, ...(o.redirectUri && { redirectUri: o.redirectUri }) };
  const pages = installPages(INSTALL_PATH);
  const install = (req: IncomingMessage, res: ServerResponse) => {
    installer.handleInstallPath(req, res, {}, urlOptions).catch((error: unknown) => {
      o.logger.error(`could not start an installation: ${(error as Error).message}`);
      if (!res.headersSent) installUnavailable(res);
    });
  };
  const redirect = (req: IncomingMessage, res: ServerResponse) => {
    installer.handleCallback(req, res, pages).catch((error: unknown) => {
      o.logger.error(`could not finish an installation: ${(error as Error).message}`);
      if (!res.headersSent) installUnavailable(res);
    });
  };
  // One lookup at a time per workspace: a rotating token is refreshed once, not by a request and the outbox's
  // sender at the same moment with the same refresh token (the second would be refused).
  const inFlight = new Map<string, ReturnType<InstallProvider['authorize']>>();
  const authorize: InstallProvider['authorize'] = (query) => {
    const key = `${query.enterpriseId ?? ''}:${query.teamId ?? ''}:${query.isEnterpriseInstall}`;
    let found = inFlight.get(key);
    if (!found) {
      found = installer.authorize(query).finally(() => inFlight.delete(key));
      inFlight.set(key, found);
    }
    return found;
  };
  return {
    authorize,
    routes: [
      { path: INSTALL_PATH, method: ['GET'], handler: install },
      { path: REDIRECT_PATH, method: ['GET'], handler: redirect },
    ],
    access: installedWorkspaces((query) => authorize(query as InstallationQuery<boolean>), o.clientOptions),
  };
}
