import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/advisor/findings.js';
import type { Session } from '../../src/advisor/session.js';
import type { Store } from '../../src/store/store.js';
import { active, channel, done, put, subscription, T0 } from '../support/digest.js';
import { hostileFacts } from '../support/evidence.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The purge cases live in 2001, far before every other fixture, because a purge spans all channels. */
const OLD = 1_000_000_000_000;

const answers: Session['answers'] = {
  team: { kind: 'option', optionId: 'small' },
  clusters: { kind: 'number', value: 3 },
  provider_trust: { kind: 'skipped' },
};
const risk = (itemId: string): Finding => ({ kind: 'open_risk', itemId });
const fresh = () => `U${randomUUID().slice(0, 8)}`;

/** The data-rights half of the store contract: a person's list, their latest decision, forgetting, retention. */
export function userDataContract(name: string, open: () => Promise<Store>) {
  describe(`UserDataStore contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('lists a person’s assessments in one workspace, newest change first, by page, with the total', async () => {
      const { teamId } = channel();
      const me = fresh();
      const mine = [3, 0, 4, 1, 2].map((i) =>
        i % 2 === 0
          ? done({ ...channel(), teamId, userId: me, answers, completedAt: T0 + i * HOUR })
          : active({ ...channel(), teamId, userId: me, answers, updatedAt: T0 + i * HOUR }),
      );
      for (const s of mine) await store.insert(s);
      // Someone else in the workspace, and the same user id in another workspace.
      await store.insert(done({ ...channel(), teamId, userId: fresh(), completedAt: T0 + 9 * HOUR }));
      await store.insert(done({ ...channel(), userId: me, completedAt: T0 + 9 * HOUR }));

      const newestFirst = [...mine].sort((a, b) => b.updatedAt - a.updatedAt);
      const first = await store.listByUser(teamId, me, { limit: 2, offset: 0 });
      expect(first.total).toBe(5);
      // Whole sessions come back, answers included.
      expect(first.sessions).toEqual(newestFirst.slice(0, 2));
      expect((await store.listByUser(teamId, me, { limit: 2, offset: 4 })).sessions).toEqual(
        newestFirst.slice(4),
      );
      expect(await store.listByUser(teamId, me, { limit: 2, offset: 10 })).toEqual({
        sessions: [],
        total: 5,
      });
      expect(await store.listByUser(teamId, fresh(), { limit: 20, offset: 0 })).toEqual({
        sessions: [],
        total: 0,
      });
    });

    it('keeps workspaces apart: the same user and channel ids in two never reach the other’s rows', async () => {
      const [a, b] = [channel().teamId, channel().teamId];
      const channelId = `C${randomUUID().slice(0, 8)}`;
      const me = fresh();
      const inA = done({
        teamId: a,
        channelId,
        userId: me,
        answers,
        completedAt: T0 + HOUR,
        outcome: 'managed',
      });
      const inB = done({ teamId: b, channelId, userId: me, answers, completedAt: T0 + 2 * HOUR });
      await put(store, inA, [risk('trust')]);
      await put(store, inB, [risk('break_glass')]);
      const [storedA, storedB] = [await store.get(inA), await store.get(inB)];

      // B's thread, asked for in A, is not there; nor is A's in B.
      expect(await store.get({ ...inB, teamId: a })).toBeUndefined();
      expect(await store.byThread(a, channelId, inB.threadTs)).toEqual([]);
      expect(await store.byThread(b, channelId, inA.threadTs)).toEqual([]);
      // Home and export list one workspace's; `adr` finds the latest decision of that workspace.
      expect((await store.listByUser(a, me, { limit: 10, offset: 0 })).sessions).toEqual([storedA]);
      expect((await store.listByUser(b, me, { limit: 10, offset: 0 })).sessions).toEqual([storedB]);
      expect(await store.latestCompleted(a, channelId, me)).toEqual(storedA);
      // Digests count one workspace's channel.
      const stats = await store.digestStats({
        teamId: a,
        channelId,
        start: T0,
        end: T0 + DAY,
        idleMs: DAY,
        listLimit: 10,
      });
      expect(stats).toMatchObject({
        completed: 1,
        outcomes: { managed: 1 },
        openRisks: [{ itemId: 'trust', count: 1 }],
      });
      expect(stats.completedList.map((c) => c.id)).toEqual([inA.id]);
      const sub = subscription({ teamId: a, channelId, userId: me });
      expect(await store.saveSubscription(sub)).toBe(true);
      expect(await store.getSubscription({ teamId: b, channelId })).toBeUndefined();
      // Forgetting the person in A leaves them in B.
      expect(await store.forgetUser(a, me)).toMatchObject({
        assessments: 1,
        subscriptions: [{ teamId: a, channelId }],
      });
      expect((await store.listByUser(b, me, { limit: 10, offset: 0 })).total).toBe(1);
    });

    it('commits the calls made of what was forgotten with the deletion', async () => {
      const where = channel();
      const me = fresh();
      await put(store, done({ ...where, userId: me, answers, completedAt: T0 }));
      const before = (await store.stats()).depth;
      const seen: number[] = [];
      const forgotten = await store.forgetUser(where.teamId, me, (f) => {
        seen.push(f.assessments);
        return [
          { teamId: where.teamId, lane: `forgot:${me}`, kind: 'respond', payload: { n: f.assessments } },
        ];
      });
      expect(forgotten.assessments).toBe(1);
      expect(seen).toEqual([1]);
      expect((await store.stats()).depth).toBe(before + 1);
    });

    it('finds a person’s most recently completed assessment in a channel, ignoring others', async () => {
      const where = channel();
      const me = fresh();
      expect(await store.latestCompleted(where.teamId, where.channelId, me)).toBeUndefined();
      const older = done({ ...where, userId: me, answers, completedAt: T0 });
      const latest = done({ ...where, userId: me, answers, completedAt: T0 + HOUR });
      for (const s of [
        latest,
        older,
        active({ ...where, userId: me, updatedAt: T0 + 2 * HOUR }),
        done({ ...where, userId: fresh(), completedAt: T0 + 3 * HOUR }),
        done({ ...channel(), teamId: where.teamId, userId: me, completedAt: T0 + 4 * HOUR }),
      ]) {
        await store.insert(s);
      }
      expect(await store.latestCompleted(where.teamId, where.channelId, me)).toEqual(latest);
    });

    it('forgets a person: assessments, findings, digest schedules they set, click keys; digests stop counting them', async () => {
      const where = channel();
      const me = fresh();
      const other = fresh();
      const period = { ...where, start: T0, end: T0 + DAY, idleMs: 14 * DAY, listLimit: 10 };
      const mine = done({
        ...where,
        userId: me,
        completedAt: T0 + HOUR,
        outcome: 'managed',
        evidence: hostileFacts(),
      });
      await put(store, mine, [risk('break_glass'), risk('trust')]);
      await put(store, done({ ...channel(), teamId: where.teamId, userId: me, completedAt: T0 + HOUR }), [
        risk('trust'),
      ]);
      await put(store, active({ ...where, userId: me, createdAt: T0 + HOUR, updatedAt: T0 + HOUR }));
      await put(
        store,
        done({
          ...where,
          userId: other,
          completedAt: T0 + 2 * HOUR,
          outcome: 'self_hosted',
          evidence: hostileFacts({ provider: 'kubeadm' }),
        }),
        [risk('break_glass')],
      );
      const mySub = subscription({ teamId: where.teamId, userId: me });
      const otherSub = subscription({ ...where, userId: other });
      await store.saveSubscription(mySub);
      await store.saveSubscription(otherSub);
      const myKey = `action:1750000000.000001:${me}`;
      for (const key of [myKey, `action:1750000000.000001:X${me}`]) {
        expect(await store.claim(key, where.teamId)).toBe(true);
      }
      // The same person's click in another workspace is that workspace's.
      const elsewhere = `${where.teamId}-other`;
      expect(await store.claim(myKey, elsewhere)).toBe(true);

      const before = await store.digestStats(period);
      expect(before).toMatchObject({ started: 3, inProgress: 1, completed: 2, withEvidence: 2 });
      expect(before.outcomes).toEqual({ managed: 1, self_hosted: 1 });
      expect(before.openRisks).toEqual([
        { itemId: 'break_glass', count: 2 },
        { itemId: 'trust', count: 1 },
      ]);

      expect(await store.forgetUser(where.teamId, me)).toEqual({
        assessments: 3,
        findings: 3,
        subscriptions: [{ teamId: mySub.teamId, channelId: mySub.channelId }],
        keys: 1,
      });

      const after = await store.digestStats(period);
      expect(after).toMatchObject({
        started: 1,
        inProgress: 0,
        completed: 1,
        withEvidence: 1,
        outcomes: { self_hosted: 1 },
      });
      // Their evidence went with the assessment it was attached to.
      expect(await store.getById(mine.id)).toBeUndefined();
      expect(after.openRisks).toEqual([{ itemId: 'break_glass', count: 1 }]);
      expect(after.completedList.map((c) => c.userId)).toEqual([other]);
      expect(await store.listByUser(where.teamId, me, { limit: 10, offset: 0 })).toEqual({
        sessions: [],
        total: 0,
      });
      expect(await store.getSubscription(mySub)).toBeUndefined();
      expect(await store.getSubscription(otherSub)).toMatchObject({ userId: other });
      // Their key is gone (claimable again); a key merely ending in their id is someone else's and stays.
      expect(await store.claim(myKey, where.teamId)).toBe(true);
      expect(await store.claim(`action:1750000000.000001:X${me}`, where.teamId)).toBe(false);
      expect(await store.claim(myKey, elsewhere)).toBe(false);
      expect((await store.listByUser(where.teamId, other, { limit: 10, offset: 0 })).total).toBe(1);
      expect(await store.forgetUser(where.teamId, me)).toEqual({
        assessments: 0,
        findings: 0,
        subscriptions: [],
        keys: 1,
      });
    });

    it('forgets the Slack calls still queued in threads that are the person’s alone, and no one else’s', async () => {
      const where = channel();
      const me = fresh();
      const other = fresh();
      const thread = (s: Session) => ({ ...where, threadTs: s.threadTs });
      const lane = (s: Session) => `${s.teamId}:${s.channelId}:${s.threadTs}`;
      const call = (s: Session, text: string) => ({
        teamId: s.teamId,
        lane: lane(s),
        kind: 'chat.postMessage',
        payload: { args: { text } },
      });
      // Mine alone (two calls queued), a thread shared with someone, theirs alone, mine in another workspace.
      const alone = active({ ...where, userId: me });
      const shared = active({ ...where, userId: me });
      const sharedTheirs = active({ ...thread(shared), userId: other });
      const theirs = active({ ...where, userId: other });
      const elsewhere = active({ ...channel(), userId: me });
      await store.insert(alone, undefined, [call(alone, 'my card'), call(alone, 'my parent')]);
      await store.insert(shared, undefined, [call(shared, 'shared 1')]);
      await store.insert(sharedTheirs, undefined, [call(sharedTheirs, 'shared 2')]);
      await store.insert(theirs, undefined, [call(theirs, 'their card')]);
      await store.insert(elsewhere, undefined, [call(elsewhere, 'my other card')]);
      const depth = (await store.stats()).depth;

      await store.forgetUser(where.teamId, me);

      expect((await store.stats()).depth).toBe(depth - 2);
      const owner = randomUUID();
      const heads = await store.lease(owner, 1000, 60_000);
      await store.release(owner);
      const texts = heads
        .filter((i) => [where.teamId, elsewhere.teamId].includes(i.teamId))
        .map((i) => (i.payload as { args: { text: string } }).args.text);
      expect(texts.sort()).toEqual(['my other card', 'shared 1', 'their card']);
    });

    it('purges completed assessments completed before the cut-off, with their findings, and nothing else', async () => {
      const where = channel();
      const cutoff = OLD + 10 * DAY;
      const expired = done({
        ...where,
        userId: fresh(),
        createdAt: OLD,
        completedAt: OLD + DAY,
        evidence: hostileFacts(),
      });
      const atCutoff = done({ ...where, userId: fresh(), createdAt: OLD, completedAt: cutoff });
      const idle = active({ ...where, userId: fresh(), createdAt: OLD, updatedAt: OLD });
      await put(store, expired, [risk('trust'), risk('break_glass')]);
      await put(store, atCutoff, [risk('trust')]);
      await put(store, idle);

      expect(await store.purgeCompleted(cutoff)).toEqual({
        assessments: 1,
        findings: 2,
        keys: expect.any(Number),
        messageRefs: expect.any(Number),
        deadCalls: expect.any(Number),
      });
      expect(await store.getById(expired.id)).toBeUndefined();
      expect(await store.getById(atCutoff.id)).toMatchObject({ status: 'completed' });
      expect(await store.getById(idle.id)).toMatchObject({ status: 'active' });
      const left = await store.digestStats({
        ...where,
        start: OLD,
        end: cutoff + DAY,
        idleMs: 100 * DAY,
        listLimit: 5,
      });
      expect(left.openRisks).toEqual([{ itemId: 'trust', count: 1 }]);
      // The expired assessment's evidence went with it: none is left to count.
      expect(left.withEvidence).toBe(0);
      expect(await store.purgeCompleted(cutoff)).toMatchObject({ assessments: 0, findings: 0 });
    });

    it('purges the recorded ts of posted messages and the calls given up on, older than the cut-off', async () => {
      const team = `T${fresh()}`;
      const call = (text: string, record?: string) => ({
        teamId: team,
        lane: `${team}:C1:${text}`,
        kind: 'chat.postMessage',
        payload: { args: { text } },
        ...(record && { record }),
      });
      const cutoff = OLD + 10 * DAY;
      const settle = async (at: number, ts: string, dead: boolean) => {
        // Settled in 2001: only this item is due then, so the lease takes nothing of the other cases.
        vi.useFakeTimers({ toFake: ['Date'], now: at });
        try {
          await store.enqueue([call(`${team}-${ts}`, `card:${ts}`)]);
          const [item] = (await store.lease(`purge-${team}`, 1000, 60_000)).filter((i) => i.teamId === team);
          if (!item) throw new Error('nothing leased');
          await (dead ? store.dead(item, 'channel_not_found') : store.sent(item, ts));
        } finally {
          await store.release(`purge-${team}`);
          vi.useRealTimers();
        }
      };
      await settle(OLD + DAY, '1.1', false);
      await settle(OLD + DAY, '1.2', true);
      await settle(cutoff + DAY, '1.3', false);
      await settle(cutoff + DAY, '1.4', true);
      const purged = await store.purgeCompleted(cutoff);
      expect(purged).toMatchObject({ messageRefs: 1, deadCalls: 1 });
      expect(await store.recorded(team, 'card:1.1')).toBeUndefined();
      expect(await store.recorded(team, 'card:1.3')).toBe('1.3');
    });
  });
}
