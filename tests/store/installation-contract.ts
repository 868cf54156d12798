import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredInstallation } from '../../src/advisor/ports/installations.js';
import type { Session } from '../../src/advisor/session.js';
import { CipherError, type FieldCodec, Keyring } from '../../src/store/cipher.js';
import type { Store } from '../../src/store/store.js';
import { channel, done, put, subscription, T0 } from '../support/digest.js';

const HOUR = 3_600_000;
const id = (prefix: string) => `${prefix}${randomUUID().slice(0, 8).toUpperCase()}`;
/** Token-shaped values made at run time, never written down. */
const token = (kind: string) =>
  `${kind}-${randomBytes(6).toString('hex')}-${randomBytes(12).toString('hex')}`;

const document = (teamId: string | null, enterpriseId: string | null) =>
  JSON.stringify({
    team: teamId && { id: teamId },
    enterprise: enterpriseId && { id: enterpriseId },
    bot: { token: token('xoxb'), refreshToken: token('xoxe') },
  });

const workspace = (teamId: string, enterpriseId: string | null = null) => ({
  teamId,
  enterpriseId,
  orgWide: false,
  document: document(teamId, enterpriseId),
});
const org = (enterpriseId: string) => ({
  teamId: null,
  enterpriseId,
  orgWide: true,
  document: document(null, enterpriseId),
});

/**
 * OAuth installations on one engine: `open` reaches the same data with whichever codec (the app always passes
 * its keyring; a store without one is how the test shows what is at rest).
 */
export function installationContract(name: string, open: (codec?: FieldCodec) => Promise<Store>) {
  describe(`InstallationStore contract: ${name}`, () => {
    const keyA = randomBytes(32);
    const ring = new Keyring(keyA);
    let store: Store;
    beforeAll(async () => {
      store = await open(ring);
    });
    afterAll(async () => {
      await store?.close();
    });

    /**
     * A workspace's outbox: a posted message's recorded ts, a call given up on, and one waiting. Other workspaces'
     * items leased on the way are given back.
     */
    async function queue(teamId: string) {
      const call = (n: number, record?: string) => ({
        teamId,
        lane: `${teamId}:C1:1750000000.00000${n}`,
        kind: 'chat.postMessage',
        payload: { args: { text: `call ${n}` } },
        ...(record && { record }),
      });
      await store.enqueue([call(1, 'card:s1'), call(2), call(3)]);
      const owner = randomUUID();
      const mine = (await store.lease(owner, 1000, 60_000)).filter((i) => i.teamId === teamId);
      const [posted, refused] = mine.filter((i) => i.lane.endsWith('1') || i.lane.endsWith('2'));
      if (!posted || !refused) throw new Error('expected the workspace’s items to be leased');
      await store.sent(posted, '1750000000.000100');
      await store.dead(refused, 'channel_not_found');
      await store.release(owner);
      expect(await store.recorded(teamId, 'card:s1')).toBe('1750000000.000100');
    }

    /** Everything a workspace has: two assessments (one with findings), a schedule, a run, keys, the outbox. */
    async function populate(teamId: string) {
      const where = { ...channel(), teamId };
      const finished = done({ ...where, userId: 'U1', completedAt: T0 + HOUR, outcome: 'managed' });
      await put(store, finished, [{ kind: 'open_risk', itemId: 'trust' }]);
      await put(store, done({ ...where, userId: 'U2', completedAt: T0 + 2 * HOUR }));
      expect(await store.saveSubscription(subscription({ ...where, userId: 'U1' }))).toBe(true);
      expect(
        await store.claimRun({ ...where, periodStart: T0, periodEnd: T0 + 3 * HOUR, claimedAt: T0 }),
      ).toBe(true);
      expect(await store.claim('action:1750000000.000001:U1', teamId)).toBe(true);
      expect(await store.claim('command:1.2.3', teamId)).toBe(true);
      await queue(teamId);
      // As stored: saving the findings bumped the version.
      return { where, finished: (await store.get(finished)) as Session };
    }

    it('stores a workspace installation and finds it by its workspace only', async () => {
      const team = id('T');
      const saved = workspace(team);
      await store.saveInstallation(saved, T0);
      expect(await store.findInstallation({ orgWide: false, teamId: team })).toEqual<StoredInstallation>({
        ...saved,
        installedAt: T0,
        updatedAt: T0,
      });
      expect(await store.findInstallation({ orgWide: false, teamId: id('T') })).toBeUndefined();
      expect(await store.findInstallation({ orgWide: true, enterpriseId: team })).toBeUndefined();
    });

    it('replaces it on a token refresh or a re-install, keeping when it was installed', async () => {
      const team = id('T');
      await store.saveInstallation(workspace(team), T0);
      const refreshed = workspace(team);
      await store.saveInstallation(refreshed, T0 + HOUR);
      expect(await store.findInstallation({ orgWide: false, teamId: team })).toEqual({
        ...refreshed,
        installedAt: T0,
        updatedAt: T0 + HOUR,
      });
    });

    it('keeps the document, tokens included, encrypted: a store without the key cannot read it', async () => {
      const team = id('T');
      await store.saveInstallation(workspace(team), T0);
      const plain = await open();
      try {
        const failure = await plain
          .findInstallation({ orgWide: false, teamId: team })
          .catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(CipherError);
        expect((failure as Error).message).toContain(`installation team:${team} is stored encrypted`);
        // Nor will it write one in the clear.
        const refused = await plain.saveInstallation(workspace(id('T')), T0).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(CipherError);
        expect((refused as Error).message).toContain('set ENCRYPTION_KEY');
      } finally {
        await plain.close();
      }
      expect(await store.keyIdsInUse()).toContain(ring.currentKeyId);
    });

    it('serves a workspace of an org from the org-wide installation, by the org or once noted', async () => {
      const enterprise = id('E');
      const [inOrg, noted, stranger] = [id('T'), id('T'), id('T')];
      const installed = org(enterprise);
      await store.saveInstallation(installed, T0);
      const expected = { ...installed, installedAt: T0, updatedAt: T0 };
      expect(await store.findInstallation({ orgWide: true, enterpriseId: enterprise })).toEqual(expected);
      expect(
        await store.findInstallation({ orgWide: false, teamId: inOrg, enterpriseId: enterprise }),
      ).toEqual(expected);
      // A scheduled digest knows only the workspace: found once a request from it was served by the org.
      expect(await store.findInstallation({ orgWide: false, teamId: noted })).toBeUndefined();
      await store.noteOrgWorkspace(enterprise, noted, T0);
      await store.noteOrgWorkspace(enterprise, noted, T0 + 1);
      expect(await store.findInstallation({ orgWide: false, teamId: noted })).toEqual(expected);
      expect(await store.findInstallation({ orgWide: false, teamId: stranger })).toBeUndefined();
      // A workspace's own installation comes first.
      const own = workspace(inOrg, enterprise);
      await store.saveInstallation(own, T0);
      expect(
        await store.findInstallation({ orgWide: false, teamId: inOrg, enterpriseId: enterprise }),
      ).toMatchObject({ document: own.document, orgWide: false });
    });

    it('deletes an installation alone, leaving its workspace’s data', async () => {
      const team = id('T');
      await store.saveInstallation(workspace(team), T0);
      const { finished } = await populate(team);
      expect(await store.deleteInstallation({ orgWide: false, teamId: team })).toBe(true);
      expect(await store.deleteInstallation({ orgWide: false, teamId: team })).toBe(false);
      expect(await store.findInstallation({ orgWide: false, teamId: team })).toBeUndefined();
      expect(await store.get(finished)).toEqual(finished);
    });

    it('removes a workspace: its installation and every row of it, in one go; other workspaces keep theirs', async () => {
      const [gone, kept] = [id('T'), id('T')];
      for (const team of [gone, kept]) await store.saveInstallation(workspace(team), T0);
      const mine = await populate(gone);
      const theirs = await populate(kept);

      expect(await store.removeTenant({ orgWide: false, teamId: gone })).toEqual({
        installation: true,
        workspaces: [gone],
        assessments: 2,
        findings: 1,
        subscriptions: 1,
        runs: 1,
        keys: 2,
        outbox: 2,
      });
      expect(await store.findInstallation({ orgWide: false, teamId: gone })).toBeUndefined();
      expect(await store.get(mine.finished)).toBeUndefined();
      expect(await store.listByUser(gone, 'U1', { limit: 10, offset: 0 })).toEqual({
        sessions: [],
        total: 0,
      });
      expect(await store.getSubscription(mine.where)).toBeUndefined();
      expect(await store.lastRun(mine.where)).toBeUndefined();
      expect(await store.claim('action:1750000000.000001:U1', gone)).toBe(true);
      expect(await store.recorded(gone, 'card:s1')).toBeUndefined();

      expect(await store.findInstallation({ orgWide: false, teamId: kept })).toBeDefined();
      expect(await store.get(theirs.finished)).toEqual(theirs.finished);
      expect(await store.getSubscription(theirs.where)).toMatchObject({ userId: 'U1' });
      expect(await store.lastRun(theirs.where)).toMatchObject({ status: 'claimed' });
      expect(await store.claim('action:1750000000.000001:U1', kept)).toBe(false);
      expect(await store.recorded(kept, 'card:s1')).toBe('1750000000.000100');
      // A second removal (tokens_revoked after app_uninstalled) finds nothing left.
      expect(await store.removeTenant({ orgWide: false, teamId: gone })).toMatchObject({
        installation: false,
        assessments: 0,
        keys: 1,
        outbox: 0,
      });
    });

    it('removes an org-wide installation with the data of every workspace noted under it, and no other', async () => {
      const enterprise = id('E');
      const [first, second, outside] = [id('T'), id('T'), id('T')];
      await store.saveInstallation(org(enterprise), T0);
      await store.saveInstallation(workspace(outside), T0);
      for (const team of [first, second]) await store.noteOrgWorkspace(enterprise, team, T0);
      const data = [await populate(first), await populate(second), await populate(outside)];

      const removed = await store.removeTenant({ orgWide: true, enterpriseId: enterprise });
      expect({ ...removed, workspaces: [...removed.workspaces].sort() }).toEqual({
        installation: true,
        workspaces: [first, second].sort(),
        assessments: 4,
        findings: 2,
        subscriptions: 2,
        runs: 2,
        keys: 4,
        outbox: 4,
      });
      expect(await store.findInstallation({ orgWide: true, enterpriseId: enterprise })).toBeUndefined();
      expect(await store.findInstallation({ orgWide: false, teamId: first })).toBeUndefined();
      expect(await store.get(data[0]?.finished as never)).toBeUndefined();
      expect(await store.get(data[1]?.finished as never)).toBeUndefined();
      expect(await store.get(data[2]?.finished as never)).toEqual(data[2]?.finished);
      expect(await store.findInstallation({ orgWide: false, teamId: outside })).toBeDefined();
      expect(await store.recorded(first, 'card:s1')).toBeUndefined();
      expect(await store.recorded(outside, 'card:s1')).toBe('1750000000.000100');
    });

    it('re-encrypts installations under a new key with the answers (key rotation)', async () => {
      const team = id('T');
      const saved = workspace(team);
      await store.saveInstallation(saved, T0);
      const stranger = await open(new Keyring(randomBytes(32)));
      try {
        const failure = await stranger.findInstallation({ orgWide: false, teamId: team }).catch((e) => e);
        expect(failure).toBeInstanceOf(CipherError);
      } finally {
        await stranger.close();
      }
      const rotated = new Keyring(randomBytes(32), [keyA]);
      const after = await open(rotated);
      try {
        expect(await after.resealAnswers()).toBeGreaterThan(0);
        expect(await after.keyIdsInUse()).toEqual([rotated.currentKeyId]);
        expect(await after.findInstallation({ orgWide: false, teamId: team })).toMatchObject({
          document: saved.document,
        });
        expect(await after.resealAnswers()).toBe(0);
      } finally {
        await after.close();
      }
    });
  });
}
