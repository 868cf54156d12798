// The stand-in's OAuth pages and the handle tests drive it with.

import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util.js';
import type { Installer, IssuedToken, StandinOAuth } from './oauth.js';

/** The stand-in's OAuth side, when it plays it (StandinOptions.oauth). */
export interface StandinOAuthControl {
  /** Slack's authorize page on the stand-in: `<origin>/oauth/v2/authorize`. */
  readonly authorizeUrl: string;
  /** Who approves the next install (and in which workspace or org); a `team` query parameter wins. */
  authorizeAs(installer: Installer): void;
  /** The app's redirect URL, for authorize requests that name none (known once the app listens). */
  setRedirectUri(url: string): void;
  /** Every token issued, with what it stands for: tests look for them where they must not be. */
  issuedTokens(): IssuedToken[];
  /** Revokes every token of a workspace's or an org-wide installation, as an uninstall does. */
  revoke(ref: { teamId: string } | { enterpriseId: string }): void;
}

export const oauthControl = (oauth: StandinOAuth, origin: string): StandinOAuthControl => ({
  authorizeUrl: `${origin}/oauth/v2/authorize`,
  authorizeAs: (installer) => oauth.authorizeAs(installer),
  setRedirectUri: (uri) => {
    oauth.options.redirectUri = uri;
  },
  issuedTokens: () => oauth.issued(),
  revoke: (ref) => oauth.revoke(ref),
});

/** Client credentials sent as HTTP Basic auth, which oauth.v2.access accepts as well as form fields. */
export function basicAuth(header: string | undefined): { id?: string; secret?: string } {
  if (!header?.startsWith('Basic ')) return {};
  const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return { ...(id && { id }), ...(secret && { secret }) };
}

/** GET /oauth/v2/authorize: approved at once, the browser sent back to the app (or a JSON refusal). */
export function authorizePage(
  oauth: StandinOAuth | undefined,
  url: URL,
  res: ServerResponse,
  fallback: Installer,
): void {
  if (!oauth) {
    sendJson(res, 404, { ok: false, error: 'not_found' });
    return;
  }
  const answer = oauth.authorize(url, fallback);
  if (answer.location) {
    res.writeHead(answer.status, { location: answer.location, 'cache-control': 'no-store' });
    res.end();
    return;
  }
  sendJson(res, answer.status, { ok: false, error: answer.error });
}
