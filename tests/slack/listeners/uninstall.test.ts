import { describe, expect, it } from 'vitest';
import type {
  InstallationRef,
  InstallationStore,
  TenantRemoval,
} from '../../../src/advisor/ports/installations.js';
import { uninstalledRef, uninstallHandler } from '../../../src/slack/listeners/uninstall.js';

const nothing: TenantRemoval = {
  installation: true,
  workspaces: [],
  assessments: 0,
  findings: 0,
  subscriptions: 0,
  runs: 0,
  keys: 0,
  outbox: 0,
};

function fakeStore() {
  const removed: InstallationRef[] = [];
  const store = {
    removeTenant: async (ref: InstallationRef) => {
      removed.push(ref);
      return nothing;
    },
  } as unknown as InstallationStore;
  return { store, removed };
}

const logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
const args = (event: Record<string, unknown>, context: Record<string, unknown>, body = {}) =>
  ({ event, context, body, logger }) as never;

describe('uninstall events', () => {
  it('remove the workspace’s installation and data on app_uninstalled and on a bot’s tokens_revoked', async () => {
    const { store, removed } = fakeStore();
    const handle = uninstallHandler(store);
    await handle(args({ type: 'app_uninstalled' }, { teamId: 'T1', isEnterpriseInstall: false }));
    await handle(args({ type: 'tokens_revoked', tokens: { oauth: [], bot: ['UBOT'] } }, { teamId: 'T1' }));
    expect(removed).toEqual([
      { orgWide: false, teamId: 'T1' },
      { orgWide: false, teamId: 'T1' },
    ]);
  });

  it('remove an org-wide installation by its org', async () => {
    const { store, removed } = fakeStore();
    await uninstallHandler(store)(
      args({ type: 'app_uninstalled' }, { teamId: 'T5', enterpriseId: 'E1', isEnterpriseInstall: true }),
    );
    expect(removed).toEqual([{ orgWide: true, enterpriseId: 'E1' }]);
  });

  it('leave everything when only user tokens are revoked (the app keeps none) or no workspace is named', async () => {
    const { store, removed } = fakeStore();
    const handle = uninstallHandler(store);
    await handle(args({ type: 'tokens_revoked', tokens: { oauth: ['U1'] } }, { teamId: 'T1' }));
    await handle(args({ type: 'app_uninstalled' }, {}));
    expect(removed).toEqual([]);
    expect(uninstalledRef(args({}, {}, { team_id: 'T7' }))).toEqual({ orgWide: false, teamId: 'T7' });
  });
});
