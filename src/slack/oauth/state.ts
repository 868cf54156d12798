import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type InstallURLOptions, InvalidStateError, type StateStore } from '@slack/oauth';

/** How long an install link works: Slack's own installer uses ten minutes too. */
export const STATE_TTL_SECONDS = 600;

const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

/**
 * The OAuth `state`: signed with SLACK_STATE_SECRET, bound to the browser by Bolt's state cookie (the installer
 * compares the two), expiring, and good for one install: its nonce is claimed in the database when Slack sends the
 * installer back, so a replayed redirect, on any replica, installs nothing.
 */
export function oneTimeStates(
  secret: string,
  claimOnce: (key: string) => Promise<boolean>,
  ttlSeconds = STATE_TTL_SECONDS,
): StateStore {
  return {
    async generateStateParam(installOptions: InstallURLOptions, now: Date) {
      const payload = Buffer.from(
        JSON.stringify({ o: installOptions, t: now.getTime(), n: randomBytes(16).toString('hex') }),
      ).toString('base64url');
      return `${payload}.${mac(secret, payload)}`;
    },

    async verifyStateParam(now: Date, state: string) {
      const [payload = '', signature = '', ...extra] = state.split('.');
      const expected = Buffer.from(mac(secret, payload));
      const given = Buffer.from(signature);
      if (extra.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new InvalidStateError('The state was not issued by this app');
      }
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        o: InstallURLOptions;
        t: number;
        n: string;
      };
      const age = (now.getTime() - decoded.t) / 1000;
      if (!(age >= -60 && age <= ttlSeconds)) throw new InvalidStateError('The state has expired');
      if (!(await claimOnce(`oauth-state:${decoded.n}`))) {
        throw new InvalidStateError('The state was used before: an install link works once');
      }
      return decoded.o;
    },
  };
}
