import type Database from 'better-sqlite3';
import type { Envelope, OutboxItem, OutboxStore } from '../advisor/ports/outbox.js';
import { batched } from './batched.js';
import type { FieldCodec } from './cipher.js';
import {
  clip,
  DUE_HEADS,
  ENVELOPE_COLUMNS,
  envelopeParams,
  fromOutboxRow,
  type OutboxRow,
} from './outbox-sql.js';

/** The outbox half of the SQLite adapter. `write` is called inside the transactions that change state. */
export function sqliteOutbox(
  db: Database.Database,
  codec: FieldCodec,
  claimKey: (team: string, key: string) => boolean,
) {
  const stmt = {
    insert: db.prepare(
      `INSERT INTO outbox (${ENVELOPE_COLUMNS.join(', ')}) VALUES (${ENVELOPE_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    ),
    heads: db.prepare<{ now: number; limit: number }, { id: number; previous: string | null }>(
      DUE_HEADS('@now', '@limit'),
    ),
    lease: db.prepare<{ id: number; owner: string; until: number }, OutboxRow>(
      'UPDATE outbox SET lease_owner = @owner, lease_until = @until WHERE id = @id RETURNING *',
    ),
    remove: db.prepare('DELETE FROM outbox WHERE id = ?'),
    record: db.prepare(
      `INSERT INTO message_refs (team_id, name, ts, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (team_id, name) DO UPDATE SET ts = excluded.ts, created_at = excluded.created_at`,
    ),
    retry: db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, due_at = ?, lease_owner = NULL, lease_until = 0, last_error = ?
       WHERE id = ?`,
    ),
    bury: db.prepare(
      `INSERT OR REPLACE INTO outbox_dead (id, team_id, lane, kind, attempts, last_error, created_at, died_at)
       SELECT id, team_id, lane, kind, attempts + 1, ?, created_at, ? FROM outbox WHERE id = ?`,
    ),
    release: db.prepare('UPDATE outbox SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = ?'),
    renew: db.prepare(
      'UPDATE outbox SET lease_until = ? WHERE lease_owner = ? AND id IN (SELECT value FROM json_each(?))',
    ),
    unsent: db.prepare<[string, string, number], { one: number }>(
      'SELECT 1 AS one FROM outbox WHERE lane = ? AND record = ? AND lease_until <= ? LIMIT 1',
    ),
    recorded: db.prepare<[string, string], { ts: string }>(
      'SELECT ts FROM message_refs WHERE team_id = ? AND name = ?',
    ),
    depth: db.prepare<[], { n: number; oldest: number | null }>(
      'SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox',
    ),
    dead: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox_dead'),
  };

  /** Adds envelopes; call it inside the caller's transaction so they commit with its change or not at all. */
  const write = (envelopes: readonly Envelope[] | undefined, now = Date.now()) => {
    for (const e of envelopes ?? []) stmt.insert.run(envelopeParams(codec, e, now));
  };

  const enqueueTx = db.transaction((envelopes: Envelope[], key?: { key: string; teamId: string }) => {
    if (key && !claimKey(key.teamId, key.key)) return false;
    write(envelopes);
    return true;
  });
  const leaseTx = db.transaction((owner: string, limit: number, leaseMs: number): OutboxRow[] => {
    const now = Date.now();
    return stmt.heads.all({ now, limit }).map(({ id, previous }) => ({
      ...(stmt.lease.get({ id, owner, until: now + leaseMs }) as OutboxRow),
      previous,
    }));
  });
  // Settlements of one turn in one transaction: each commit writes its pages to the WAL again.
  const sentTx = db.transaction((done: { item: OutboxItem; ts: string | undefined }[]) => {
    const now = Date.now();
    for (const { item, ts } of done) {
      stmt.remove.run(Number(item.id));
      if (item.record && ts) stmt.record.run(item.teamId, item.record, ts, now);
    }
  });
  const sent = batched(async (done: { item: OutboxItem; ts: string | undefined }[]) => sentTx(done));
  const deadTx = db.transaction((item: OutboxItem, error: string) => {
    stmt.bury.run(clip(error), Date.now(), Number(item.id));
    stmt.remove.run(Number(item.id));
  });

  const store: OutboxStore = {
    enqueue: async (envelopes, key) => enqueueTx(envelopes, key),
    // IMMEDIATE: it reads before it writes, and a deferred one would fail (SQLITE_BUSY, no wait) when another
    // process sharing the file wrote in between.
    lease: async (owner, limit, leaseMs) =>
      leaseTx.immediate(owner, limit, leaseMs).map((r) => fromOutboxRow(codec, r)),
    sent: (item, ts) => sent({ item, ts }),
    retry: async (item, dueAt, error) => {
      stmt.retry.run(dueAt, clip(error), Number(item.id));
    },
    dead: async (item, error) => deadTx(item, error),
    release: async (owner) => {
      stmt.release.run(owner);
    },
    renew: async (owner, ids, leaseMs) => {
      stmt.renew.run(Date.now() + leaseMs, owner, JSON.stringify(ids.map(Number)));
    },
    unsent: async (lane, record) => stmt.unsent.get(lane, record, Date.now()) !== undefined,
    recorded: async (teamId, name) => stmt.recorded.get(teamId, name)?.ts,
    stats: async () => {
      const { n, oldest } = stmt.depth.get() as { n: number; oldest: number | null };
      return {
        depth: n,
        oldestAgeMs: oldest === null ? 0 : Math.max(0, Date.now() - oldest),
        dead: (stmt.dead.get() as { n: number }).n,
      };
    },
  };
  return { store, write };
}
