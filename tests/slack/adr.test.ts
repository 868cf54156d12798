import { describe, expect, it } from 'vitest';
import { nameOf } from '../../src/slack/adr.js';

const client = (answer: () => Promise<unknown>) => ({ users: { info: answer } }) as never;

describe('a person’s name for the decision record', () => {
  it('is their real name, else their display name, else their handle', async () => {
    const user = { real_name: 'Alex Doe', name: 'alex', profile: { display_name: 'Al' } };
    expect(
      await nameOf(
        client(async () => ({ user })),
        'U1',
      ),
    ).toBe('Alex Doe');
    expect(
      await nameOf(
        client(async () => ({ user: { ...user, real_name: '' } })),
        'U1',
      ),
    ).toBe('Al');
    expect(
      await nameOf(
        client(async () => ({ user: { name: 'alex' } })),
        'U1',
      ),
    ).toBe('alex');
  });

  it('is their id when Slack will not say', async () => {
    expect(
      await nameOf(
        client(async () => Promise.reject(new Error('user_not_found'))),
        'U1',
      ),
    ).toBe('U1');
  });
});
