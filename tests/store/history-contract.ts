import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/advisor/ports/outbox.js';
import { type Session, successor } from '../../src/advisor/session.js';
import type { Store } from '../../src/store/store.js';
import { channel, done, put, T0 } from '../support/digest.js';

const HOUR = 3_600_000;

const answers: Session['answers'] = {
  team: { kind: 'option', optionId: 'small' },
  provider_access: { kind: 'option', optionId: 'no' },
};

/** A finished assessment in a thread of its own, stored with its findings as the service stores one. */
async function finished(store: Store, over: Partial<Session> = {}) {
  const s = done({
    ...channel(),
    answers,
    order: ['team', 'provider_access'],
    outcome: 'self_hosted_required',
    createdAt: T0 + HOUR,
    completedAt: T0 + 2 * HOUR,
    ...over,
  });
  await put(store, s, [
    { kind: 'reason', itemId: 'provider_access:no' },
    { kind: 'open_risk', itemId: 'etcd_restore' },
  ]);
  // put saved it once with its findings: the stored version is one on.
  return { ...s, version: s.version + 1 };
}

const call = (teamId: string): Envelope => ({
  teamId,
  lane: `${teamId}:history`,
  kind: 'chat.postMessage',
  payload: { args: { text: 'first question again' } },
});

/**
 * A restart of a finished assessment keeps the decision (issue 12): the store archives the finished row and
 * inserts the new assessment beside it, in one transaction with its key and calls.
 */
export function historyContract(name: string, open: () => Promise<Store>) {
  describe(`a restart keeps the finished decision: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('archives the finished assessment and puts the new one in its place in the thread', async () => {
      const before = await finished(store);
      const next = successor(before, randomUUID(), T0 + 3 * HOUR);
      const key = randomUUID();
      expect(await store.archive(before, next, key)).toEqual({ status: 'saved', session: next });

      // The thread's live assessment is the new one, in progress, with no answers.
      expect(await store.get(before)).toEqual(next);
      expect(await store.byThread(before.teamId, before.channelId, before.threadTs)).toEqual([next]);
      expect(next).toMatchObject({ status: 'active', answers: {}, restarts: before.restarts + 1 });
      // The decision is kept as it was, marked archived when the new one began.
      const kept = { ...before, version: before.version + 1, archivedAt: T0 + 3 * HOUR };
      expect(await store.getById(before.id)).toEqual(kept);
      expect(await store.claim(key, before.teamId)).toBe(false);

      // Home lists both; `adr` finds the kept decision.
      const page = await store.listByUser(before.teamId, before.userId, { limit: 10, offset: 0 });
      expect(page.total).toBe(2);
      expect(page.sessions.map((s) => s.id).sort()).toEqual([before.id, next.id].sort());
      expect(await store.latestCompleted(before.teamId, before.channelId, before.userId)).toEqual(kept);
    });

    it('counts the kept decision as completed in the digest, and the new assessment as the restart', async () => {
      const before = await finished(store);
      await store.archive(before, successor(before, randomUUID(), T0 + 3 * HOUR));
      const stats = await store.digestStats({
        teamId: before.teamId,
        channelId: before.channelId,
        start: T0,
        end: T0 + 24 * HOUR,
        idleMs: 14 * 24 * HOUR,
        listLimit: 10,
      });
      expect(stats).toMatchObject({
        started: 2,
        completed: 1,
        inProgress: 1,
        restarted: 1,
        outcomes: { self_hosted_required: 1 },
        reasons: [{ itemId: 'provider_access:no', count: 1 }],
        openRisks: [{ itemId: 'etcd_restore', count: 1 }],
      });
      expect(stats.completedList.map((c) => c.id)).toEqual([before.id]);
    });

    it('commits the calls with it, and a restart of the restart keeps both decisions', async () => {
      const first = await finished(store);
      const depth = (await store.stats()).depth;
      const second = successor(first, randomUUID(), T0 + 3 * HOUR);
      await store.archive(first, second, undefined, [call(first.teamId)]);
      expect((await store.stats()).depth).toBe(depth + 1);

      const completed = {
        ...second,
        answers,
        status: 'completed' as const,
        outcome: 'self_hosted_required' as const,
        completedAt: T0 + 4 * HOUR,
        updatedAt: T0 + 4 * HOUR,
      };
      const saved = await store.save(completed);
      if (saved.status !== 'saved') throw new Error(saved.status);
      const third = successor(saved.session, randomUUID(), T0 + 5 * HOUR);
      expect((await store.archive(saved.session, third)).status).toBe('saved');
      expect(await store.get(first)).toEqual(third);
      const all = await store.listByUser(first.teamId, first.userId, { limit: 10, offset: 0 });
      expect(all.sessions.filter((s) => s.archivedAt !== undefined).map((s) => s.id)).toEqual([
        second.id,
        first.id,
      ]);
      // The latest decision is the most recently completed one.
      expect((await store.latestCompleted(first.teamId, first.channelId, first.userId))?.id).toBe(second.id);
    });

    it('reports conflict when the finished assessment changed or was archived meanwhile, changing nothing', async () => {
      const before = await finished(store);
      const key = randomUUID();
      const stale = { ...before, version: before.version - 1 };
      expect(await store.archive(stale, successor(before, randomUUID(), T0 + 3 * HOUR), key)).toEqual({
        status: 'conflict',
      });
      expect(await store.get(before)).toEqual(before);
      // Rolled back: the key was not consumed.
      expect(await store.claim(key, before.teamId)).toBe(true);

      const next = successor(before, randomUUID(), T0 + 3 * HOUR);
      expect((await store.archive(before, next)).status).toBe('saved');
      const again = successor(before, randomUUID(), T0 + 4 * HOUR);
      expect(await store.archive(before, again)).toEqual({ status: 'conflict' });
      expect(await store.getById(again.id)).toBeUndefined();
      expect(await store.get(before)).toEqual(next);
    });

    it('reports duplicate for a key seen before and writes nothing', async () => {
      const before = await finished(store);
      const key = randomUUID();
      expect(await store.claim(key, before.teamId)).toBe(true);
      const next = successor(before, randomUUID(), T0 + 3 * HOUR);
      expect(await store.archive(before, next, key)).toEqual({ status: 'duplicate' });
      expect(await store.get(before)).toEqual(before);
      expect(await store.getById(next.id)).toBeUndefined();
    });

    it('still refuses a second live assessment for one person in one thread', async () => {
      const before = await finished(store);
      const other = { ...successor(before, randomUUID(), T0 + 3 * HOUR) };
      expect(await store.insert(other)).toEqual({ status: 'conflict' });
    });

    it('forgets kept decisions with the rest of a person’s data', async () => {
      const before = await finished(store);
      await store.archive(before, successor(before, randomUUID(), T0 + 3 * HOUR));
      const forgotten = await store.forgetUser(before.teamId, before.userId);
      expect(forgotten.assessments).toBe(2);
      expect(await store.getById(before.id)).toBeUndefined();
    });
  });
}
