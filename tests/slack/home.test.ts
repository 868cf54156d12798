import { describe, expect, it } from 'vitest';
import { homeCall, homeLane } from '../../src/slack/home.js';
import { inWorkspace } from '../../src/slack/workspace.js';

describe('a Home publish as an outbox item', () => {
  it('goes in the person’s Home lane with the page asked for', () => {
    expect(homeCall({ teamId: 'T1', userId: 'U1' }, 3)).toEqual({
      teamId: 'T1',
      lane: homeLane('T1', 'U1'),
      kind: 'home',
      payload: { userId: 'U1', page: 3 },
    });
  });

  it('carries the org of the request it was queued in, so the sender finds the same installation', () => {
    const call = inWorkspace({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true }, () =>
      homeCall({ teamId: 'T1', userId: 'U1' }),
    );
    expect(call.payload).toEqual({ userId: 'U1', page: 1, enterpriseId: 'E1', orgInstall: true });
  });
});
