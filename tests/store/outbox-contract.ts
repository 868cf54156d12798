import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Envelope, OutboxItem } from '../../src/advisor/ports/outbox.js';
import type { Session } from '../../src/advisor/session.js';
import { type FieldCodec, Keyring } from '../../src/store/cipher.js';
import type { Store } from '../../src/store/store.js';
import { freshSession } from '../support/session.js';

/**
 * A database of its own for one test: lease takes the heads of every lane in it, so a test must not see another's
 * items. `open` reaches it each time it is called (two opens are two replicas); `rows` reads a table as stored.
 */
export interface OutboxPlace {
  open(codec?: FieldCodec): Promise<Store>;
  rows(table: 'outbox' | 'outbox_dead' | 'message_refs'): Promise<Record<string, unknown>[]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LONG = 60_000;

/** The outbox half of the store contract: the items a change commits with it, and how a sender leases them. */
export function outboxContract(name: string, place: () => OutboxPlace) {
  /** A store on a fresh database, closed after `run`. */
  const using = async (run: (store: Store, at: OutboxPlace) => Promise<void>, codec?: FieldCodec) => {
    const at = place();
    const store = await at.open(codec);
    try {
      await run(store, at);
    } finally {
      await store.close();
    }
  };

  let n = 0;
  /** An envelope whose payload names it, so a leased item says which one it is. */
  const call = (lane: string, over: Partial<Envelope> = {}): Envelope => ({
    teamId: lane.split(':')[0] as string,
    lane,
    kind: 'chat.postMessage',
    payload: { args: { text: `item ${++n}` } },
    ...over,
  });
  const text = (item: OutboxItem | Envelope) => (item.payload as { args: { text: string } }).args.text;
  const lane = (team = `T${randomUUID().slice(0, 8)}`) => `${team}:C1:${Date.now()}.${++n}`;
  /** Everything leasable now, by one owner; the long lease keeps it out of later leases of the test. */
  const leaseAll = (store: Store, owner = 'A', limit = 100) => store.lease(owner, limit, LONG);

  describe(`OutboxStore contract: ${name}`, () => {
    describe('enqueue', () => {
      it('adds items without a key, in order, with every field as given', async () => {
        await using(async (store) => {
          const l = lane();
          const first = call(l, { record: 'question:s1:q1', maxAttempts: 3 });
          const second = call(l, {
            kind: 'views.publish',
            payload: { view: { blocks: [] }, n: [1, 'ü', null] },
          });
          expect(await store.enqueue([first, second])).toBe(true);
          const [head] = await leaseAll(store);
          expect(head).toMatchObject({ ...first, attempts: 0 });
          expect(head?.id).toEqual(expect.any(String));
          expect(head?.createdAt).toEqual(expect.any(Number));
          await store.sent(head as OutboxItem);
          const [next] = await leaseAll(store);
          expect(next).toMatchObject({ ...second, attempts: 0 });
          // Optional fields left out stay out, rather than coming back as null.
          expect(next).not.toHaveProperty('record');
          expect(next).not.toHaveProperty('maxAttempts');
        });
      });

      it('claims a key with its items: a second enqueue under the key adds nothing', async () => {
        await using(async (store) => {
          const [l, team] = [lane(), `T${randomUUID().slice(0, 8)}`];
          expect(await store.enqueue([call(l)], { key: 'home:1', teamId: team })).toBe(true);
          expect(await store.enqueue([call(l), call(l)], { key: 'home:1', teamId: team })).toBe(false);
          expect((await store.stats()).depth).toBe(1);
          // The key is the workspace's: the same key elsewhere is new, and a plain claim of it is seen.
          expect(await store.enqueue([call(l)], { key: 'home:1', teamId: `${team}X` })).toBe(true);
          expect(await store.claim('home:1', team)).toBe(false);
          expect((await store.stats()).depth).toBe(2);
        });
      });

      it('claims a key with no items at all', async () => {
        await using(async (store) => {
          expect(await store.enqueue([], { key: 'k', teamId: 'T1' })).toBe(true);
          expect(await store.enqueue([], { key: 'k', teamId: 'T1' })).toBe(false);
          expect((await store.stats()).depth).toBe(0);
        });
      });
    });

    describe('items commit with the change that implies them', () => {
      const active = (over: Partial<Session> = {}) =>
        freshSession({ status: 'active', outcome: null, completedAt: null, ...over });
      const laneOf = (s: Session) => `${s.teamId}:${s.channelId}:${s.threadTs}`;

      it('insert: saved with its items; a taken slot or a key seen before adds none', async () => {
        await using(async (store) => {
          const s = active();
          const calls = [call(laneOf(s)), call(laneOf(s))];
          expect(await store.insert(s, 'k1', calls)).toEqual({ status: 'saved', session: s });
          expect((await leaseAll(store)).map(text)).toEqual([text(calls[0] as Envelope)]);
          expect((await store.stats()).depth).toBe(2);

          const taken = {
            ...active(),
            teamId: s.teamId,
            channelId: s.channelId,
            threadTs: s.threadTs,
            userId: s.userId,
          };
          expect(await store.insert(taken, 'k2', [call(laneOf(s))])).toEqual({ status: 'conflict' });
          expect(await store.insert(active({ teamId: s.teamId }), 'k1', [call(lane())])).toEqual({
            status: 'duplicate',
          });
          expect((await store.stats()).depth).toBe(2);
          // The conflict rolled its key back too.
          expect(await store.claim('k2', s.teamId)).toBe(true);
        });
      });

      it('save: saved with its items; a stale version or a key seen before adds none', async () => {
        await using(async (store) => {
          const s = active();
          await store.insert(s);
          const saved = await store.save({ ...s, restarts: 1 }, 'k1', undefined, [call(laneOf(s))]);
          expect(saved.status).toBe('saved');
          expect((await store.stats()).depth).toBe(1);

          expect(await store.save({ ...s, restarts: 2 }, 'k2', undefined, [call(laneOf(s))])).toEqual({
            status: 'conflict',
          });
          if (saved.status !== 'saved') throw new Error(saved.status);
          expect(await store.save({ ...saved.session, restarts: 3 }, 'k1', [], [call(laneOf(s))])).toEqual({
            status: 'duplicate',
          });
          // A key seen before is a duplicate whatever the version it comes with.
          expect(await store.save({ ...s, restarts: 3 }, 'k1', undefined, [call(laneOf(s))])).toEqual({
            status: 'duplicate',
          });
          expect((await store.stats()).depth).toBe(1);
          expect(await store.getById(s.id)).toEqual(saved.session);
        });
      });

      it('concurrent keyed saves of one version: one wins, only its items are queued, the losers’ keys stay free', async () => {
        await using(async (store) => {
          const s = active();
          await store.insert(s);
          const results = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              store.save({ ...s, restarts: i + 1 }, `k${i}`, undefined, [
                call(laneOf(s), { kind: `won ${i}` }),
              ]),
            ),
          );
          const won = results.flatMap((r, i) => (r.status === 'saved' ? [i] : []));
          expect(won).toHaveLength(1);
          expect(results.filter((r) => r.status === 'conflict')).toHaveLength(7);
          expect((await leaseAll(store)).map((i) => i.kind)).toEqual([`won ${won[0]}`]);
          expect((await store.stats()).depth).toBe(1);
          for (let i = 0; i < 8; i++) expect(await store.claim(`k${i}`, s.teamId)).toBe(i !== won[0]);
        });
      });

      it('concurrent retries of one keyed save (one key): applied once, its items queued once', async () => {
        await using(async (store) => {
          const s = active();
          await store.insert(s);
          const retry = () => store.save({ ...s, restarts: 1 }, 'event', undefined, [call(laneOf(s))]);
          const results = await Promise.all(Array.from({ length: 8 }, retry));
          expect(results.filter((r) => r.status === 'saved')).toHaveLength(1);
          // A loser that read the version before the winner committed may be told of a conflict instead; its next
          // try (the service reloads) finds the key and stops there.
          expect(results.every((r) => ['saved', 'duplicate', 'conflict'].includes(r.status))).toBe(true);
          const stored = await store.getById(s.id);
          expect(stored?.version).toBe(1);
          expect(
            await store.save({ ...(stored as Session), restarts: 2 }, 'event', undefined, [call(laneOf(s))]),
          ).toEqual({
            status: 'duplicate',
          });
          expect((await store.stats()).depth).toBe(1);
        });
      });

      it('concurrent keyed inserts of one key: one assessment, its items queued once', async () => {
        await using(async (store) => {
          const team = `T${randomUUID().slice(0, 8)}`;
          const sessions = Array.from({ length: 6 }, () => active({ teamId: team }));
          const results = await Promise.all(
            sessions.map((s) => store.insert(s, 'start:1', [call(laneOf(s))])),
          );
          expect(results.filter((r) => r.status === 'saved')).toHaveLength(1);
          expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(5);
          const stored = await Promise.all(sessions.map((s) => store.getById(s.id)));
          expect(stored.filter(Boolean)).toHaveLength(1);
          expect((await store.stats()).depth).toBe(1);
        });
      });

      it('claim: adds its items only when the key is new', async () => {
        await using(async (store) => {
          const l = lane();
          expect(await store.claim('k', 'T1', [call(l), call(l)])).toBe(true);
          expect(await store.claim('k', 'T1', [call(l)])).toBe(false);
          expect((await store.stats()).depth).toBe(2);
        });
      });

      it('a write that fails midway leaves neither the change, nor the key, nor any of its items', async () => {
        await using(async (store) => {
          const s = active();
          await store.insert(s);
          // The second envelope cannot be serialised (a BigInt), so its write throws after the update ran.
          const broken = [call(laneOf(s)), call(laneOf(s), { payload: { n: 1n } })];
          await expect(store.save({ ...s, restarts: 4 }, 'k', undefined, broken)).rejects.toThrow();
          expect(await store.getById(s.id)).toEqual(s);
          await expect(store.insert(active({ teamId: s.teamId }), 'k2', broken)).rejects.toThrow();
          await expect(store.claim('k3', s.teamId, broken)).rejects.toThrow();
          await expect(store.enqueue(broken, { key: 'k4', teamId: s.teamId })).rejects.toThrow();
          await expect(store.enqueue(broken)).rejects.toThrow();
          expect((await store.stats()).depth).toBe(0);
          for (const key of ['k', 'k2', 'k3', 'k4']) expect(await store.claim(key, s.teamId)).toBe(true);
        });
      });
      it('a write the database refuses midway leaves neither the change, nor the key, nor any item', async () => {
        await using(async (store) => {
          const s = active();
          await store.insert(s);
          // Refused by the driver or the database, not before: SQLite binds no boolean, PostgreSQL's text takes
          // no NUL. Each engine refuses one of them, after the change itself was written.
          const refused = [
            call(laneOf(s)),
            call(laneOf(s), { record: true as never }),
            call(laneOf(s), { record: 'card:\u0000' }),
          ];
          await expect(store.save({ ...s, restarts: 4 }, 'k', undefined, refused)).rejects.toThrow();
          await expect(store.save({ ...s, restarts: 4 }, undefined, undefined, refused)).rejects.toThrow();
          await expect(store.save({ ...s, restarts: 4 }, 'k', [], refused)).rejects.toThrow();
          expect(await store.getById(s.id)).toEqual(s);
          const other = active({ teamId: s.teamId });
          await expect(store.insert(other, 'k2', refused)).rejects.toThrow();
          await expect(store.insert(other, undefined, refused)).rejects.toThrow();
          expect(await store.getById(other.id)).toBeUndefined();
          await expect(store.claim('k3', s.teamId, refused)).rejects.toThrow();
          expect((await store.stats()).depth).toBe(0);
          for (const key of ['k', 'k2', 'k3']) expect(await store.claim(key, s.teamId)).toBe(true);
        });
      });
    });

    describe('lease', () => {
      it('takes only the oldest item of each lane; the next one once the head is sent', async () => {
        await using(async (store) => {
          const [a, b] = [lane(), lane()];
          const [a1, b1, a2, a3, b2] = [call(a), call(b), call(a), call(a), call(b)];
          await store.enqueue([a1, b1, a2]);
          await store.enqueue([a3, b2]);
          const heads = await leaseAll(store);
          expect(heads.map(text)).toEqual([a1, b1].map(text));
          // Heads being sent hold their lanes.
          expect(await leaseAll(store, 'B')).toEqual([]);
          await store.sent(heads[0] as OutboxItem);
          expect((await leaseAll(store, 'B')).map(text)).toEqual([text(a2)]);
          await store.sent(heads[1] as OutboxItem);
          const next = await leaseAll(store, 'C');
          expect(next.map(text)).toEqual([text(b2)]);
          await store.sent(next[0] as OutboxItem);
          expect(await leaseAll(store, 'C')).toEqual([]);
        });
      });

      it('takes at most `limit`, oldest lanes first', async () => {
        await using(async (store) => {
          const lanes = [lane(), lane(), lane(), lane()];
          await store.enqueue(lanes.map((l) => call(l)));
          expect((await store.lease('A', 3, LONG)).map((i) => i.lane)).toEqual(lanes.slice(0, 3));
          expect((await store.lease('A', 3, LONG)).map((i) => i.lane)).toEqual(lanes.slice(3));
        });
      });

      it('lets another owner take an item over once its lease lapses', async () => {
        await using(async (store) => {
          await store.enqueue([call(lane())]);
          const [item] = await store.lease('A', 10, 50);
          expect(item).toBeDefined();
          expect(await store.lease('B', 10, LONG)).toEqual([]);
          await sleep(120);
          const [again] = await store.lease('B', 10, LONG);
          expect(again?.id).toBe(item?.id);
          // Taken over, not retried: no attempt was settled, and the call may have been made.
          expect(again?.attempts).toBe(0);
          expect(again?.takenOver).toBe(true);
          expect(item?.takenOver).toBeUndefined();
          expect(await store.lease('A', 10, LONG)).toEqual([]);
        });
      });

      it('renew keeps an owner’s items past their first lease, and touches no one else’s', async () => {
        await using(async (store) => {
          const [a, b] = [lane(), lane()];
          await store.enqueue([call(a)]);
          const [mine] = await store.lease('A', 10, 100);
          await store.enqueue([call(b)]);
          const [theirs] = await store.lease('B', 10, 100);
          if (!mine || !theirs) throw new Error('nothing leased');
          // A renews both; only its own lease moves.
          await store.renew('A', [mine.id, theirs.id], LONG);
          await sleep(200);
          expect((await store.lease('C', 10, LONG)).map((i) => i.id)).toEqual([theirs.id]);
          // Settled meanwhile: nothing left to renew.
          await store.sent(mine);
          await store.renew('A', [mine.id], LONG);
          expect((await store.stats()).depth).toBe(1);
        });
      });

      it('release gives back one owner’s leases at once, and only theirs', async () => {
        await using(async (store) => {
          const [a, b] = [lane(), lane()];
          await store.enqueue([call(a)]);
          const mine = await leaseAll(store, 'A');
          await store.enqueue([call(b)]);
          const theirs = await leaseAll(store, 'B');
          await store.release('A');
          expect((await leaseAll(store, 'C')).map((i) => i.id)).toEqual(mine.map((i) => i.id));
          await store.release('B');
          expect((await leaseAll(store, 'D')).map((i) => i.id)).toEqual(theirs.map((i) => i.id));
          await store.release('nobody');
        });
      });
    });

    describe('settling', () => {
      it('retry: not leasable before it is due, its lane held meanwhile; then again with one more attempt', async () => {
        await using(async (store) => {
          const l = lane();
          await store.enqueue([call(l), call(l)]);
          const [head] = await leaseAll(store);
          await store.retry(head as OutboxItem, Date.now() + LONG, 'ratelimited');
          expect(await leaseAll(store, 'B')).toEqual([]);
          expect((await store.stats()).depth).toBe(2);

          await store.retry(head as OutboxItem, Date.now() + 60, 'http');
          expect(await leaseAll(store, 'B')).toEqual([]);
          await sleep(120);
          const [again] = await leaseAll(store, 'B');
          expect(again).toMatchObject({ id: head?.id, attempts: 2, payload: head?.payload });
        });
      });

      it('dead: kept aside without its payload, counted, and the lane moves on', async () => {
        await using(async (store, at) => {
          const l = lane();
          const [first, second] = [call(l, { payload: { args: { text: 'secret answer' } } }), call(l)];
          await store.enqueue([first, second]);
          const [head] = await leaseAll(store);
          await store.retry(head as OutboxItem, Date.now(), 'http');
          const [again] = await leaseAll(store);
          await store.dead(again as OutboxItem, `channel_not_found ${'x'.repeat(1000)}`);

          expect((await leaseAll(store)).map(text)).toEqual([text(second)]);
          expect(await store.stats()).toMatchObject({ depth: 1, dead: 1 });
          const [dead] = await at.rows('outbox_dead');
          expect(dead).toMatchObject({ team_id: first.teamId, lane: l, kind: first.kind });
          expect(Number(dead?.attempts)).toBe(2);
          expect(String(dead?.last_error)).toMatch(/^channel_not_found x+$/);
          expect(String(dead?.last_error).length).toBeLessThanOrEqual(300);
          expect(dead).not.toHaveProperty('payload');
          expect(JSON.stringify(dead)).not.toContain('secret answer');
        });
      });

      it('sent: removes the item and records the posted ts under its name, per workspace', async () => {
        await using(async (store, at) => {
          const [t1, t2] = [`T${randomUUID().slice(0, 8)}`, `T${randomUUID().slice(0, 8)}`];
          await store.enqueue([
            call(lane(t1), { record: 'card:s1' }),
            call(lane(t1)),
            call(lane(t2), { record: 'card:s1' }),
          ]);
          const [recorded, plain, other] = await leaseAll(store);
          await store.sent(recorded as OutboxItem, '1750000000.000100');
          await store.sent(plain as OutboxItem, '1750000000.000200');
          // Posted nothing to record (a task that settled without a message).
          await store.sent(other as OutboxItem);
          expect(await store.recorded(t1, 'card:s1')).toBe('1750000000.000100');
          expect(await store.recorded(t2, 'card:s1')).toBeUndefined();
          expect(await store.recorded(t1, 'nothing')).toBeUndefined();
          expect(await at.rows('message_refs')).toHaveLength(1);
          expect((await store.stats()).depth).toBe(0);

          // Posted again under the same name (a restart's card): the newest ts wins.
          await store.enqueue([call(lane(t1), { record: 'card:s1' })]);
          const [again] = await leaseAll(store);
          await store.sent(again as OutboxItem, '1750000000.000300');
          expect(await store.recorded(t1, 'card:s1')).toBe('1750000000.000300');
        });
      });

      it('sent, many at once: each item removed, each name recorded, the newest of one name winning', async () => {
        await using(async (store, at) => {
          const team = `T${randomUUID().slice(0, 8)}`;
          await store.enqueue(
            Array.from({ length: 6 }, (_, i) => call(lane(team), { record: i < 4 ? `q:${i}` : 'card:s1' })),
          );
          const items = await leaseAll(store);
          expect(items).toHaveLength(6);
          // Settled in the same turn, as a sender finishing several calls together does.
          await Promise.all(items.map((item, i) => store.sent(item, `1750000000.00010${i}`)));
          for (const i of [0, 1, 2, 3])
            expect(await store.recorded(team, `q:${i}`)).toBe(`1750000000.00010${i}`);
          expect(await store.recorded(team, 'card:s1')).toBe('1750000000.000105');
          expect(await at.rows('message_refs')).toHaveLength(5);
          expect((await store.stats()).depth).toBe(0);
        });
      });

      it('stats: depth, age of the oldest waiting item, dead', async () => {
        await using(async (store) => {
          expect(await store.stats()).toEqual({ depth: 0, oldestAgeMs: 0, dead: 0 });
          const l = lane();
          await store.enqueue([call(l), call(l), call(lane())]);
          await sleep(40);
          const stats = await store.stats();
          expect(stats.depth).toBe(3);
          expect(stats.oldestAgeMs).toBeGreaterThanOrEqual(30);
          expect(stats.oldestAgeMs).toBeLessThan(LONG);
          const [head] = await leaseAll(store);
          await store.dead(head as OutboxItem, 'channel_not_found');
          expect(await store.stats()).toMatchObject({ depth: 2, dead: 1 });
        });
      });

      it('unsent: whether the item recording a name is still waiting, not yet on its way', async () => {
        await using(async (store) => {
          const [l, other] = [lane(), lane()];
          expect(await store.unsent(l, 'question:1')).toBe(false);
          await store.enqueue([call(l), call(l, { record: 'question:1' })]);
          expect(await store.unsent(l, 'question:1')).toBe(true);
          expect(await store.unsent(other, 'question:1')).toBe(false);
          expect(await store.unsent(l, 'question:2')).toBe(false);
          const [head] = await leaseAll(store);
          await store.sent(head as OutboxItem);
          expect(await store.unsent(l, 'question:1')).toBe(true);
          // Leased: on its way to Slack, so possibly seen already.
          await leaseAll(store);
          expect(await store.unsent(l, 'question:1')).toBe(false);
        });
      });
    });

    it('seals payloads with the encryption codec and opens them for the sender', async () => {
      const ring = new Keyring(randomBytes(32));
      await using(async (store, at) => {
        const s = freshSession();
        const secret = 'we run etcd unencrypted on the masters';
        const payload = { args: { channel: s.channelId, text: secret } };
        await store.insert(s, undefined, [call(`${s.teamId}:${s.channelId}:${s.threadTs}`, { payload })]);
        await store.enqueue([call(lane(), { payload })]);
        const stored = await at.rows('outbox');
        expect(stored).toHaveLength(2);
        for (const row of stored) {
          expect(String(row.payload).startsWith(`enc:v1:${ring.currentKeyId}:`)).toBe(true);
          for (const plain of ['etcd', 'unencrypted', s.channelId, '"args"']) {
            expect(String(row.payload)).not.toContain(plain);
          }
        }
        expect((await leaseAll(store)).map((i) => i.payload)).toEqual([payload, payload]);
      }, ring);
    });

    it('lets replicas lease side by side: never the same item twice, every lane head taken', async () => {
      const at = place();
      const replicas = [await at.open(), await at.open()];
      try {
        const lanes = Array.from({ length: 30 }, () => lane());
        // Two items a lane: only the first of each may be leased.
        const heads = lanes.map((l) => call(l));
        await replicas[0]?.enqueue([...heads, ...lanes.map((l) => call(l))]);
        const taken: OutboxItem[] = [];
        for (let round = 0; round < 20; round++) {
          const leased = (
            await Promise.all(
              replicas.flatMap((r, i) => Array.from({ length: 4 }, (_, k) => r.lease(`R${i}.${k}`, 3, LONG))),
            )
          ).flat();
          if (leased.length === 0) break;
          taken.push(...leased);
        }
        const ids = taken.map((i) => i.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(taken.map(text).sort()).toEqual(heads.map(text).sort());
        expect((await replicas[1]?.stats())?.depth).toBe(60);
      } finally {
        await Promise.all(replicas.map((r) => r.close()));
      }
    });
  });
}
