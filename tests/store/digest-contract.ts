import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/advisor/findings.js';
import type { Session } from '../../src/advisor/session.js';
import type { Store } from '../../src/store/store.js';
import { active, channel, done, put, subscription, T0 } from '../support/digest.js';
import { hostileFacts } from '../support/evidence.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const IDLE = 14 * DAY;
/** The period under test: one day, [T0, T1). */
const T1 = T0 + DAY;

/** The digest half of the store contract: subscriptions, exactly-once runs and exact counts. */
export function digestContract(name: string, open: () => Promise<Store>) {
  describe(`DigestStore contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    describe('subscriptions', () => {
      it('insert once, update by version, delete by version', async () => {
        const sub = subscription();
        const ref = { teamId: sub.teamId, channelId: sub.channelId };
        expect(await store.getSubscription(ref)).toBeUndefined();
        expect(await store.saveSubscription(sub)).toBe(true);
        expect(await store.getSubscription(ref)).toEqual({ ...sub, version: 1 });
        // A second "new" subscription for the channel loses: someone created one meanwhile.
        expect(await store.saveSubscription({ ...sub, userId: 'UOTHER' })).toBe(false);

        const changed = {
          ...sub,
          version: 1,
          cadence: 'weekly' as const,
          weekday: 5,
          hour: 16,
          includeEmpty: true,
        };
        expect(await store.saveSubscription(changed)).toBe(true);
        expect(await store.getSubscription(ref)).toEqual({ ...changed, version: 2 });
        expect(await store.saveSubscription({ ...changed, hour: 1 })).toBe(false);

        const listed = (await store.listSubscriptions()).find((s) => s.channelId === sub.channelId);
        expect(listed).toEqual({ ...changed, version: 2, lastRunEnd: null });

        expect(await store.deleteSubscription(ref, 1)).toBe(false);
        expect(await store.deleteSubscription(ref, 2)).toBe(true);
        expect(await store.getSubscription(ref)).toBeUndefined();
      });
    });

    describe('runs', () => {
      it('queue the outbox calls that post them in the claim’s transaction, and only with the claim', async () => {
        const ref = channel();
        const run = { ...ref, periodStart: T0, periodEnd: T1, claimedAt: T1 + 5 };
        const post = [
          { teamId: ref.teamId, lane: `${ref.channelId}:digest`, kind: 'digest', payload: { n: 1 } },
        ];
        const depth = async () => (await store.stats()).depth;
        const before = await depth();
        const claims = await Promise.all(Array.from({ length: 4 }, () => store.claimRun(run, post)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await depth()).toBe(before + 1);
        expect(await store.claimRun(run, post)).toBe(false);
        expect(await depth()).toBe(before + 1);
      });

      it('are claimed exactly once among concurrent claimers, and finished', async () => {
        const ref = channel();
        const run = { ...ref, periodStart: T0, periodEnd: T1, claimedAt: T1 + 5 };
        const claims = await Promise.all(Array.from({ length: 8 }, () => store.claimRun(run)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.lastRun(ref)).toMatchObject({ status: 'claimed', periodEnd: T1, messageTs: null });
        await store.finishRun(
          { ...ref, periodEnd: T1 },
          { status: 'posted', messageTs: '1.2', finishedAt: T1 + 9 },
        );
        expect(await store.lastRun(ref)).toEqual({
          ...ref,
          periodStart: T0,
          periodEnd: T1,
          status: 'posted',
          messageTs: '1.2',
          error: null,
          claimedAt: T1 + 5,
          finishedAt: T1 + 9,
        });
      });

      it('report the latest period end with each subscription', async () => {
        const sub = subscription();
        await store.saveSubscription(sub);
        for (const end of [T1, T1 + DAY, T0]) {
          await store.claimRun({ ...sub, periodStart: end - DAY, periodEnd: end, claimedAt: end });
        }
        const listed = (await store.listSubscriptions()).find((s) => s.channelId === sub.channelId);
        expect(listed?.lastRunEnd).toBe(T1 + DAY);
        expect((await store.lastRun(sub))?.periodEnd).toBe(T1 + DAY);
      });
    });

    describe('digest stats', () => {
      it('count each cohort exactly: restarted, skipped, abandoned and boundaries included', async () => {
        const ref = channel();
        const at = (over: Partial<Session>) => ({ ...ref, ...over });
        const reason = (itemId: string): Finding => ({ kind: 'reason', itemId });
        const risk = (itemId: string): Finding => ({ kind: 'open_risk', itemId });
        const skip = (itemId: string): Finding => ({ kind: 'skipped', itemId });
        // Completed in the period.
        await put(store, done(at({ createdAt: T0 + HOUR, completedAt: T0 + 2 * HOUR, outcome: 'managed' })), [
          reason('team:small'),
          reason('clusters:2'),
          risk('break_glass'),
          risk('creator_admin'),
        ]);
        await put(
          store,
          done(
            at({
              createdAt: T0 + HOUR,
              completedAt: T0 + 3 * HOUR,
              outcome: 'self_hosted_required',
              restarts: 1,
              evidence: hostileFacts({ provider: 'kubeadm' }),
            }),
          ),
          [reason('provider_access:no'), risk('break_glass'), skip('provider_trust')],
        );
        // Started before, completed in the period, restarted twice on the way.
        await put(
          store,
          done(at({ createdAt: T0 - DAY, completedAt: T0 + 4 * HOUR, outcome: 'managed', restarts: 2 })),
          [reason('team:small'), skip('access_lockdown')],
        );
        // Started in the period, still going; one restarted.
        await put(store, active(at({ createdAt: T0 + HOUR, updatedAt: T0 + 5 * HOUR, restarts: 1 })));
        await put(store, active(at({ createdAt: T0, updatedAt: T0 })));
        // Started in the period, completed exactly at its end: the next period's.
        await put(store, done(at({ createdAt: T0 + HOUR, completedAt: T1, outcome: 'self_hosted' })), [
          reason('x:y'),
        ]);
        // Completed earlier, then restarted in the period: its findings are cleared and it is in neither cohort.
        const reopened = done(at({ createdAt: T0 - 2 * DAY, completedAt: T0 - DAY, outcome: 'managed' }));
        await put(store, reopened, [reason('team:small'), risk('break_glass')]);
        const restarted = {
          ...reopened,
          version: 1,
          status: 'active' as const,
          outcome: null,
          completedAt: null,
        };
        await store.save({ ...restarted, restarts: 1, updatedAt: T0 + HOUR }, undefined, []);
        // Idle past 14 days during the period: abandoned now; the other one was abandoned the period before.
        await put(store, active(at({ createdAt: T0 - 20 * DAY, updatedAt: T0 - IDLE + HOUR })));
        await put(store, active(at({ createdAt: T0 - 20 * DAY, updatedAt: T0 - IDLE - HOUR })));
        // Another channel, and started after the period.
        await put(
          store,
          done({
            ...channel(),
            createdAt: T0 + HOUR,
            completedAt: T0 + 2 * HOUR,
            outcome: 'managed',
            evidence: hostileFacts(),
          }),
          [reason('team:small')],
        );
        await put(store, active(at({ createdAt: T1, updatedAt: T1 })));

        const stats = await store.digestStats({ ...ref, start: T0, end: T1, idleMs: IDLE, listLimit: 2 });
        expect(stats).toMatchObject({
          started: 5,
          inProgress: 2,
          completed: 3,
          withSkips: 2,
          withEvidence: 1,
          restarted: 3,
          abandoned: 1,
          outcomes: { managed: 2, self_hosted_required: 1 },
        });
        expect(stats.reasons).toEqual([
          { itemId: 'team:small', count: 2 },
          { itemId: 'clusters:2', count: 1 },
          { itemId: 'provider_access:no', count: 1 },
        ]);
        expect(stats.openRisks).toEqual([
          { itemId: 'break_glass', count: 2 },
          { itemId: 'creator_admin', count: 1 },
        ]);
        expect(stats.skipped).toEqual([
          { itemId: 'access_lockdown', count: 1 },
          { itemId: 'provider_trust', count: 1 },
        ]);
        expect(stats.completedList.map((c) => c.completedAt)).toEqual([T0 + 2 * HOUR, T0 + 3 * HOUR]);
        expect(stats.completedList[0]).toMatchObject({ outcome: 'managed', userId: expect.any(String) });
      });

      it('are all zero for a quiet channel', async () => {
        const stats = await store.digestStats({
          ...channel(),
          start: T0,
          end: T1,
          idleMs: IDLE,
          listLimit: 5,
        });
        expect(stats).toEqual({
          started: 0,
          inProgress: 0,
          completed: 0,
          withSkips: 0,
          withEvidence: 0,
          restarted: 0,
          abandoned: 0,
          outcomes: {},
          reasons: [],
          openRisks: [],
          skipped: [],
          completedList: [],
        });
      });
    });

    describe('findings backfill', () => {
      it('lists completed assessments without findings and fills them once, at the current version', async () => {
        const s = done({ ...channel(), createdAt: T0, completedAt: T0 + HOUR, outcome: 'managed' });
        await store.insert(s);
        const missing = async () =>
          (await store.completedWithoutFindings(100_000)).some((x) => x.id === s.id);
        expect(await missing()).toBe(true);
        expect(await store.putFindings(s.id, 7, [{ kind: 'reason', itemId: 'team:small' }])).toBe(false);
        expect(await store.putFindings(s.id, 0, [{ kind: 'reason', itemId: 'team:small' }])).toBe(true);
        expect(await missing()).toBe(false);
        const stats = await store.digestStats({ ...s, start: T0, end: T1, idleMs: IDLE, listLimit: 1 });
        expect(stats.reasons).toEqual([{ itemId: 'team:small', count: 1 }]);
      });

      it('knows a store that had findings from its first row needs no backfill, and keeps a mark set', async () => {
        expect(await store.findingsBackfilled()).toBe(true);
        await store.markFindingsBackfilled();
        await store.markFindingsBackfilled();
        expect(await store.findingsBackfilled()).toBe(true);
      });

      it('does not look at assessments completed after findings came in, which always have them', async () => {
        const later = Date.now() + 2 * 86_400_000;
        const s = done({ ...channel(), createdAt: later, completedAt: later + HOUR, outcome: 'managed' });
        await store.insert(s);
        expect((await store.completedWithoutFindings(100_000)).some((x) => x.id === s.id)).toBe(false);
      });
    });
  });
}
