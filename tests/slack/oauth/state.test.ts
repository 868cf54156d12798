import { randomBytes } from 'node:crypto';
import { InvalidStateError } from '@slack/oauth';
import { describe, expect, it } from 'vitest';
import { oneTimeStates, STATE_TTL_SECONDS } from '../../../src/slack/oauth/state.js';

const secret = randomBytes(32).toString('hex');
const options = {
  scopes: ['commands', 'chat:write'],
  redirectUri: 'https://advisor.example.com/slack/oauth_redirect',
};

/** A claim like the store's: true the first time a key is seen. */
const claims = () => {
  const seen = new Set<string>();
  return (key: string) => Promise.resolve(!seen.has(key) && Boolean(seen.add(key)));
};

describe('the OAuth state', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const later = (s: number) => new Date(now.getTime() + s * 1000);

  it('gives back the install options once, and refuses the same state after', async () => {
    const states = oneTimeStates(secret, claims());
    const state = await states.generateStateParam(options, now);
    expect(await states.verifyStateParam(later(5), state)).toEqual(options);
    await expect(states.verifyStateParam(later(6), state)).rejects.toThrow(InvalidStateError);
    await expect(states.verifyStateParam(later(6), state)).rejects.toThrow('used before');
  });

  it('differs every time, so two installs never share one', async () => {
    const states = oneTimeStates(secret, claims());
    const made = await Promise.all(Array.from({ length: 50 }, () => states.generateStateParam(options, now)));
    expect(new Set(made).size).toBe(50);
  });

  it('refuses a forged, tampered or foreign state, and an expired one, claiming nothing', async () => {
    let claimed = 0;
    const states = oneTimeStates(secret, async () => {
      claimed += 1;
      return true;
    });
    const state = await states.generateStateParam(options, now);
    const [payload = '', mac = ''] = state.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ o: { scopes: ['admin'] }, t: now.getTime(), n: 'x' })).toString('base64url')}.${mac}`;
    const foreign = await oneTimeStates(randomBytes(32).toString('hex'), claims()).generateStateParam(
      options,
      now,
    );
    for (const bad of ['forged', `${payload}.`, tampered, `${state}.extra`, foreign, '']) {
      await expect(states.verifyStateParam(later(1), bad)).rejects.toThrow('not issued by this app');
    }
    await expect(states.verifyStateParam(later(STATE_TTL_SECONDS + 1), state)).rejects.toThrow('expired');
    await expect(states.verifyStateParam(later(-120), state)).rejects.toThrow('expired');
    expect(claimed).toBe(0);
  });
});
