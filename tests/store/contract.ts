import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentStore } from '../../src/advisor/ports/assessments.js';
import type { Session } from '../../src/advisor/session.js';
import type { Store } from '../../src/store/store.js';
import { hostileFacts } from '../support/evidence.js';
import { freshSession } from '../support/session.js';
import { digestContract } from './digest-contract.js';
import { historyContract } from './history-contract.js';
import { userDataContract } from './user-data-contract.js';

/**
 * The one behaviour both adapters must share. `open` must reach the same data each time it is called
 * (one file, one schema), so a test can close a store and reopen it. Tests use fresh ids and keys,
 * so they never see each other's rows.
 */
export function storeContract(name: string, open: () => Promise<Store>) {
  digestContract(name, open);
  userDataContract(name, open);
  historyContract(name, open);
  describe(`AssessmentStore contract: ${name}`, () => {
    let store: AssessmentStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    describe('round trip', () => {
      it('returns a full session unchanged from get, getById and byThread', async () => {
        const s = session();
        expect(await store.insert(s)).toEqual({ status: 'saved', session: s });
        expect(await store.get(s)).toEqual(s);
        expect(await store.getById(s.id)).toEqual(s);
        expect(await store.byThread(s.teamId, s.channelId, s.threadTs)).toEqual([s]);
        const back = await store.get(s);
        // Timestamps beyond 32 bits come back as numbers, not the strings a BIGINT driver may hand over.
        for (const v of [
          back?.createdAt,
          back?.updatedAt,
          back?.completedAt,
          back?.version,
          back?.restarts,
        ]) {
          expect(typeof v).toBe('number');
        }
      });

      it('keeps the evidence attached to an assessment, names and all, and replaces it on save', async () => {
        const s = session({ evidence: hostileFacts() });
        await store.insert(s);
        expect(await store.getById(s.id)).toEqual(s);
        const replaced = hostileFacts({ cluster: 'second', provider: 'gke', providerSubjects: [] });
        const saved = await store.save({ ...s, evidence: replaced });
        if (saved.status !== 'saved') throw new Error(`expected saved, got ${saved.status}`);
        expect(await store.get(s)).toEqual(saved.session);
        expect((await store.byThread(s.teamId, s.channelId, s.threadTs))[0]?.evidence).toEqual(replaced);
      });

      it('keeps nulls of an active session', async () => {
        const s = session({ status: 'active', outcome: null, completedAt: null, answers: {}, order: [] });
        await store.insert(s);
        expect(await store.getById(s.id)).toEqual(s);
      });

      it('answers undefined or [] for what is not there', async () => {
        const s = session();
        expect(await store.get(s)).toBeUndefined();
        expect(await store.getById(s.id)).toBeUndefined();
        expect(await store.byThread(s.teamId, s.channelId, s.threadTs)).toEqual([]);
      });

      it('keeps two users in one thread as separate sessions, oldest first', async () => {
        const a = session({ userId: 'UALICE', createdAt: 1_750_000_000_000 });
        const b = session({ ...where(a), userId: 'UBOB', createdAt: 1_750_000_000_500 });
        expect((await store.insert(b)).status).toBe('saved');
        expect((await store.insert(a)).status).toBe('saved');
        expect(await store.get(a)).toEqual(a);
        expect(await store.get(b)).toEqual(b);
        expect(await store.byThread(a.teamId, a.channelId, a.threadTs)).toEqual([a, b]);
      });
    });

    describe('insert', () => {
      it('reports conflict when the (team, channel, thread, user) slot is taken, keeping the first', async () => {
        const first = session();
        const second = session({ ...where(first), userId: first.userId, restarts: 9 });
        const key = randomUUID();
        await store.insert(first);
        expect(await store.insert(second, key)).toEqual({ status: 'conflict' });
        expect(await store.get(first)).toEqual(first);
        expect(await store.getById(second.id)).toBeUndefined();
        // Rolled back: the key was not consumed.
        expect(await store.claim(key, second.teamId)).toBe(true);
      });

      it('reports duplicate for a key seen before and writes nothing', async () => {
        const key = randomUUID();
        const first = session();
        // Another thread of the same workspace: keys are the workspace's.
        const retry = session({ teamId: first.teamId });
        expect((await store.insert(first, key)).status).toBe('saved');
        expect(await store.insert(retry, key)).toEqual({ status: 'duplicate' });
        expect(await store.getById(retry.id)).toBeUndefined();
        expect(await store.getById(first.id)).toEqual(first);
      });
    });

    describe('claim', () => {
      it('is true once, then false', async () => {
        const key = randomUUID();
        expect(await store.claim(key, 'T1')).toBe(true);
        expect(await store.claim(key, 'T1')).toBe(false);
      });

      it('keeps each workspace’s keys apart, so the same key in another workspace is new there', async () => {
        const key = `action:1750000000.000001:U${randomUUID().slice(0, 8)}`;
        expect(await store.claim(key, 'T1')).toBe(true);
        expect(await store.claim(key, 'T2')).toBe(true);
        expect(await store.claim(key, 'T2')).toBe(false);
      });

      it('claims an insert’s key in the session’s workspace', async () => {
        const key = randomUUID();
        const s = session();
        expect((await store.insert(s, key)).status).toBe('saved');
        expect(await store.claim(key, s.teamId)).toBe(false);
        expect(await store.claim(key, `${s.teamId}X`)).toBe(true);
      });
    });

    describe('save', () => {
      it('bumps the version by one per save', async () => {
        let s = session({ status: 'active', outcome: null, completedAt: null });
        await store.insert(s);
        for (const expected of [1, 2, 3]) {
          const result = await store.save({ ...s, restarts: s.restarts + 1, updatedAt: s.updatedAt + 1 });
          if (result.status !== 'saved') throw new Error(`expected saved, got ${result.status}`);
          expect(result.session.version).toBe(expected);
          s = result.session;
          expect(await store.getById(s.id)).toEqual(s);
        }
      });

      it('records the questionnaire version each save was answered under', async () => {
        const s = session({ status: 'active', outcome: null, completedAt: null, questionnaireVersion: 1 });
        await store.insert(s);
        expect((await store.getById(s.id))?.questionnaireVersion).toBe(1);
        const saved = await store.save({ ...s, questionnaireVersion: 2, updatedAt: s.updatedAt + 1 });
        expect(saved.status === 'saved' && saved.session.questionnaireVersion).toBe(2);
        expect((await store.getById(s.id))?.questionnaireVersion).toBe(2);
      });

      it('reports duplicate for a key seen before and changes nothing', async () => {
        const key = randomUUID();
        const s = session();
        await store.insert(s);
        const first = await store.save({ ...s, restarts: 5 }, key);
        if (first.status !== 'saved') throw new Error(`expected saved, got ${first.status}`);
        expect(await store.save({ ...first.session, restarts: 6 }, key)).toEqual({ status: 'duplicate' });
        expect(await store.getById(s.id)).toEqual(first.session);
      });

      it('reports conflict for a stale version, leaves the row alone and the key unclaimed', async () => {
        const key = randomUUID();
        const s = session();
        await store.insert(s);
        const current = await store.save({ ...s, restarts: 1 });
        if (current.status !== 'saved') throw new Error(`expected saved, got ${current.status}`);

        expect(await store.save({ ...s, restarts: 7, outcome: 'managed' }, key)).toEqual({
          status: 'conflict',
        });
        expect(await store.getById(s.id)).toEqual(current.session);

        // The same key still applies once the caller retries with the current version.
        const retried = await store.save({ ...current.session, restarts: 7 }, key);
        expect(retried).toEqual({
          status: 'saved',
          session: { ...current.session, restarts: 7, version: 2 },
        });
        expect(await store.getById(s.id)).toEqual({ ...current.session, restarts: 7, version: 2 });
      });

      it('lets exactly one of many concurrent saves of one version win', async () => {
        const s = session({ status: 'active', outcome: null, completedAt: null });
        await store.insert(s);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.save({ ...s, restarts: i + 1 })),
        );
        const saved = results.flatMap((r) => (r.status === 'saved' ? [r.session] : []));
        expect(saved).toHaveLength(1);
        expect(results.filter((r) => r.status === 'conflict')).toHaveLength(9);
        expect(await store.getById(s.id)).toEqual(saved[0]);
        expect(saved[0]?.version).toBe(1);
      });

      it('reports conflict for an id that was never inserted', async () => {
        expect(await store.save(session())).toEqual({ status: 'conflict' });
      });
    });

    describe('lifecycle', () => {
      it('pings', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('keeps data across close and reopen', async () => {
        const s = session();
        const key = randomUUID();
        const first = await open();
        await first.insert(s, key);
        await first.close();
        const second = await open();
        try {
          expect(await second.get(s)).toEqual(s);
          expect(await second.claim(key, s.teamId)).toBe(false);
        } finally {
          await second.close();
        }
      });
    });
  });
}

const where = (s: Session) => ({ teamId: s.teamId, channelId: s.channelId, threadTs: s.threadTs });

/** A completed session with every Answer kind, in a thread of its own. */
function session(overrides: Partial<Session> = {}): Session {
  return freshSession({
    status: 'completed',
    answers: {
      data_residency: { kind: 'option', optionId: 'eu_only' },
      cluster_count: { kind: 'number', value: 12 },
      compliance: { kind: 'skipped' },
    },
    order: ['data_residency', 'cluster_count', 'compliance'],
    restarts: 2,
    outcome: 'managed_with_safeguards',
    // Past 2^32 on purpose: these must survive BIGINT columns as numbers.
    createdAt: 1_750_000_000_123,
    updatedAt: 1_750_000_100_456,
    completedAt: 1_750_000_100_456,
    ...overrides,
  });
}
