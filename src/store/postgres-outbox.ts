import type pg from 'pg';
import type { Envelope, OutboxItem, OutboxStore } from '../advisor/ports/outbox.js';
import type { FieldCodec } from './cipher.js';
import { scopedKey } from './keys.js';
import {
  clip,
  DUE_HEADS,
  ENVELOPE_COLUMNS,
  envelopeParams,
  fromOutboxRow,
  type OutboxRow,
} from './outbox-sql.js';
import { within } from './pg-transaction.js';

const COLS = ENVELOPE_COLUMNS.length;

/** One INSERT for any number of envelopes: one round trip inside the caller's transaction. */
function insertSql(count: number) {
  const rows = Array.from(
    { length: count },
    (_, r) => `(${ENVELOPE_COLUMNS.map((_, c) => `$${r * COLS + c + 1}`).join(', ')})`,
  );
  return `INSERT INTO outbox (${ENVELOPE_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`;
}

const SQL = {
  // Replicas lease side by side: SKIP LOCKED passes over heads another replica is leasing right now.
  lease: `UPDATE outbox SET lease_owner = $1, lease_until = $2
    WHERE id IN (${DUE_HEADS('$3', '$4')} FOR UPDATE SKIP LOCKED) RETURNING *`,
  sent: `WITH gone AS (DELETE FROM outbox WHERE id = $1 RETURNING team_id)
    INSERT INTO message_refs (team_id, name, ts, created_at) SELECT team_id, $2, $3, $4 FROM gone
    ON CONFLICT (team_id, name) DO UPDATE SET ts = excluded.ts, created_at = excluded.created_at`,
  remove: 'DELETE FROM outbox WHERE id = $1',
  retry: `UPDATE outbox SET attempts = attempts + 1, due_at = $1, lease_owner = NULL, lease_until = 0,
    last_error = $2 WHERE id = $3`,
  dead: `WITH gone AS (DELETE FROM outbox WHERE id = $1 RETURNING *)
    INSERT INTO outbox_dead (id, team_id, lane, kind, attempts, last_error, created_at, died_at)
    SELECT id, team_id, lane, kind, attempts + 1, $2, created_at, $3 FROM gone ON CONFLICT (id) DO NOTHING`,
  release: 'UPDATE outbox SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = $1',
  recorded: 'SELECT ts FROM message_refs WHERE team_id = $1 AND name = $2',
  pending: 'SELECT 1 FROM outbox WHERE lane = $1 LIMIT 1',
  stats: `SELECT (SELECT COUNT(*) FROM outbox) AS n, (SELECT MIN(created_at) FROM outbox) AS oldest,
    (SELECT COUNT(*) FROM outbox_dead) AS dead`,
  claim: 'INSERT INTO processed_keys (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
};

/** The outbox half of the PostgreSQL adapter. `write` is called inside the transactions that change state. */
export function postgresOutbox(pool: pg.Pool, codec: FieldCodec) {
  const write = async (db: pg.Pool | pg.PoolClient, envelopes: readonly Envelope[] | undefined) => {
    if (!envelopes?.length) return;
    const now = Date.now();
    const params = envelopes.flatMap((e) => {
      const p = envelopeParams(codec, e, now);
      return ENVELOPE_COLUMNS.map((c) => p[c]);
    });
    await db.query(insertSql(envelopes.length), params);
  };

  const store: OutboxStore = {
    enqueue: async (envelopes, key) => {
      if (!key) {
        await write(pool, envelopes);
        return true;
      }
      return within(pool, async (c) => {
        const claimed = await c.query(SQL.claim, [scopedKey(key.teamId, key.key), Date.now()]);
        if (claimed.rowCount !== 1) return false;
        await write(c, envelopes);
        return true;
      });
    },
    lease: async (owner, limit, leaseMs) => {
      const now = Date.now();
      const { rows } = await pool.query<OutboxRow>(SQL.lease, [owner, now + leaseMs, now, limit]);
      // RETURNING gives no order: the sender relies on oldest first.
      return rows.map((r) => fromOutboxRow(codec, r)).sort((a, b) => Number(a.id) - Number(b.id));
    },
    sent: async (item: OutboxItem, ts) => {
      if (item.record && ts) await pool.query(SQL.sent, [item.id, item.record, ts, Date.now()]);
      else await pool.query(SQL.remove, [item.id]);
    },
    retry: async (item, dueAt, error) => {
      await pool.query(SQL.retry, [dueAt, clip(error), item.id]);
    },
    dead: async (item, error) => {
      await pool.query(SQL.dead, [item.id, clip(error), Date.now()]);
    },
    release: async (owner) => {
      await pool.query(SQL.release, [owner]);
    },
    pending: async (lane) => ((await pool.query(SQL.pending, [lane])).rowCount ?? 0) > 0,
    recorded: async (teamId, name) =>
      (await pool.query<{ ts: string }>(SQL.recorded, [teamId, name])).rows[0]?.ts,
    stats: async () => {
      const row = (await pool.query<{ n: string; oldest: string | null; dead: string }>(SQL.stats)).rows[0];
      const oldest = row?.oldest == null ? null : Number(row.oldest);
      return {
        depth: Number(row?.n ?? 0),
        oldestAgeMs: oldest === null ? 0 : Math.max(0, Date.now() - oldest),
        dead: Number(row?.dead ?? 0),
      };
    },
  };
  return { store, write };
}
