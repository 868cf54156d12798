import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/oauth';
import { describe, expect, it } from 'vitest';
import { boltInstallationStore, refOf } from '../../../src/slack/oauth/installation-store.js';
import { Keyring } from '../../../src/store/cipher.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';

const token = () => `xoxb-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`;

const workspaceInstall = (teamId: string, enterpriseId?: string): Installation => ({
  team: { id: teamId, name: `Team ${teamId}` },
  enterprise: enterpriseId ? { id: enterpriseId } : undefined,
  user: { id: 'U1', token: undefined, scopes: undefined },
  bot: { token: token(), scopes: ['commands'], id: 'B1', userId: 'UBOT' },
  isEnterpriseInstall: false,
  authVersion: 'v2',
  appId: 'A1',
  tokenType: 'bot',
});

const orgInstall = (enterpriseId: string): Installation => ({
  team: undefined,
  enterprise: { id: enterpriseId, name: 'Grid' },
  user: { id: 'U1', token: undefined, scopes: undefined },
  bot: { token: token(), scopes: ['commands'], id: 'B2', userId: 'WBOT' },
  isEnterpriseInstall: true,
  authVersion: 'v2',
  appId: 'A1',
  tokenType: 'bot',
});

/** Bolt's side of the store over the real SQLite adapter, encrypted, counting the org notes it writes. */
function setup() {
  const store = openSqliteStore(':memory:', { codec: new Keyring(randomBytes(32)) });
  let notes = 0;
  const port = {
    ...store,
    noteOrgWorkspace: (...args: Parameters<typeof store.noteOrgWorkspace>) => {
      notes += 1;
      return store.noteOrgWorkspace(...args);
    },
  };
  return { store, bolt: boltInstallationStore(port, () => 1_750_000_000_000), notes: () => notes };
}

describe('Bolt’s installation store over the core’s port', () => {
  it('maps Bolt’s queries to one workspace, or to an org when installed org-wide', () => {
    expect(refOf({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).toEqual({
      orgWide: false,
      teamId: 'T1',
    });
    expect(refOf({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: false })).toEqual({
      orgWide: false,
      teamId: 'T1',
      enterpriseId: 'E1',
    });
    expect(refOf({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true } as never)).toEqual({
      orgWide: true,
      enterpriseId: 'E1',
    });
    expect(() =>
      refOf({ teamId: undefined, enterpriseId: undefined, isEnterpriseInstall: false } as never),
    ).toThrow('neither a workspace');
  });

  it('stores the whole installation and gives it back to the workspace it belongs to only', async () => {
    const { store, bolt } = setup();
    const installed = workspaceInstall('T1');
    await bolt.storeInstallation(installed);
    expect(
      await bolt.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).toEqual(installed);
    await expect(
      bolt.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow('no installation serves workspace T2');
    await bolt.deleteInstallation?.({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(
      bolt.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow('no installation');
    await store.close();
  });

  it('serves an org’s workspaces from its org-wide installation, noting each once, so a lookup by workspace finds it', async () => {
    const { store, bolt, notes } = setup();
    const installed = orgInstall('E1');
    await bolt.storeInstallation(installed);
    const fromT5 = { teamId: 'T5', enterpriseId: 'E1', isEnterpriseInstall: true } as never;
    expect(await bolt.fetchInstallation(fromT5)).toEqual(installed);
    expect(await bolt.fetchInstallation(fromT5)).toEqual(installed);
    expect(notes()).toBe(1);
    // A scheduled digest knows only the workspace.
    expect(
      await bolt.fetchInstallation({ teamId: 'T5', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).toEqual(installed);
    expect(
      await bolt
        .fetchInstallation({ teamId: 'T6', enterpriseId: undefined, isEnterpriseInstall: false })
        .catch((e) => e),
    ).toBeInstanceOf(Error);
    await store.close();
  });
});
