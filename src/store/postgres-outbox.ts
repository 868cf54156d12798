import type pg from 'pg';
import type { Envelope, OutboxItem, OutboxStore } from '../advisor/ports/outbox.js';
import { batched } from './batched.js';
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

/** Each envelope column's type, for the arrays one statement takes all of a write's envelopes in. */
const TYPES: Record<(typeof ENVELOPE_COLUMNS)[number], string> = {
  team_id: 'text',
  lane: 'text',
  kind: 'text',
  payload: 'text',
  record: 'text',
  max_attempts: 'int',
  due_at: 'bigint',
  created_at: 'bigint',
};

/**
 * Inserts any number of envelopes from one array per column, parameters `$first` on: the text is the same for
 * every count, so it is prepared once per connection. With `gate`, only when that CTE of the statement returned a
 * row (the change the calls belong to was made).
 */
export const queueSql = (first: number, gate?: string) =>
  `INSERT INTO outbox (${ENVELOPE_COLUMNS.join(', ')})
    SELECT * FROM unnest(${ENVELOPE_COLUMNS.map((c, i) => `$${first + i}::${TYPES[c]}[]`).join(', ')})
    ${gate ? `WHERE EXISTS (SELECT 1 FROM ${gate})` : ''}`;

/** queueSql's parameters: one array per column. Throws before anything is sent when a payload cannot be sealed. */
export function queueParams(codec: FieldCodec, envelopes: readonly Envelope[] | undefined, now = Date.now()) {
  const rows = (envelopes ?? []).map((e) => envelopeParams(codec, e, now));
  return ENVELOPE_COLUMNS.map((c) => rows.map((r) => r[c]));
}

const SQL = {
  // Replicas lease side by side: SKIP LOCKED passes over heads another replica is leasing right now.
  lease: `UPDATE outbox SET lease_owner = $1, lease_until = $2
    FROM (${DUE_HEADS('$3', '$4')} FOR UPDATE SKIP LOCKED) h WHERE outbox.id = h.id RETURNING outbox.*, h.previous`,
  // Items sent together, in one statement: $1 ids, $2 the names to record their ts under (null: none), $3 the ts.
  sent: `WITH done AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) AS d(id, name, ts)),
    gone AS (DELETE FROM outbox o USING done WHERE o.id = done.id RETURNING o.id, o.team_id)
    INSERT INTO message_refs (team_id, name, ts, created_at)
    SELECT gone.team_id, done.name, done.ts, $4 FROM gone JOIN done ON done.id = gone.id WHERE done.name IS NOT NULL
    ON CONFLICT (team_id, name) DO UPDATE SET ts = excluded.ts, created_at = excluded.created_at`,
  retry: `UPDATE outbox SET attempts = attempts + 1, due_at = $1, lease_owner = NULL, lease_until = 0,
    last_error = $2 WHERE id = $3`,
  dead: `WITH gone AS (DELETE FROM outbox WHERE id = $1 RETURNING *)
    INSERT INTO outbox_dead (id, team_id, lane, kind, attempts, last_error, created_at, died_at)
    SELECT id, team_id, lane, kind, attempts + 1, $2, created_at, $3 FROM gone ON CONFLICT (id) DO NOTHING`,
  release: 'UPDATE outbox SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = $1',
  renew: 'UPDATE outbox SET lease_until = $1 WHERE lease_owner = $2 AND id = ANY($3::bigint[])',
  recorded: 'SELECT ts FROM message_refs WHERE team_id = $1 AND name = $2',
  unsent: 'SELECT 1 FROM outbox WHERE lane = $1 AND record = $2 AND lease_until <= $3 LIMIT 1',
  stats: `SELECT (SELECT COUNT(*) FROM outbox) AS n, (SELECT MIN(created_at) FROM outbox) AS oldest,
    (SELECT COUNT(*) FROM outbox_dead) AS dead`,
  queue: queueSql(1),
  // One statement, so atomic without a transaction: the items go in only when the key was new.
  claimAndQueue: `WITH claimed AS (
      INSERT INTO processed_keys (key, created_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING 1
    ), queued AS (${queueSql(3, 'claimed')})
    SELECT EXISTS (SELECT 1 FROM claimed) AS claimed`,
};

/** Settled rows between two vacuums of the outbox (see tidy). */
export const VACUUM_EVERY = 1000;

/**
 * The outbox half of the PostgreSQL adapter. The writes that change state queue their calls in their own
 * statement (postgres.ts, with queueSql and queueParams).
 */
export function postgresOutbox(pool: pg.Pool, codec: FieldCodec) {
  /**
   * A deleted row's index entries stay until a vacuum, and leasing walks the id index from its oldest end: after
   * 30,000 settled items a lease stepped over all of them, 5 ms of the server's CPU each time. So the adapter
   * vacuums its own queue every VACUUM_EVERY settled rows rather than wait for autovacuum, which may be off or
   * tuned for tables that change slowly. A vacuum that fails (without the rights PostgreSQL only warns) leaves the
   * table as it was, so its error is dropped.
   */
  let settled = 0;
  let vacuuming = false;
  const tidy = (rows: number) => {
    settled += rows;
    if (settled < VACUUM_EVERY || vacuuming) return;
    settled = 0;
    vacuuming = true;
    pool
      .query('VACUUM (SKIP_LOCKED) outbox')
      .catch(() => {})
      .finally(() => {
        vacuuming = false;
      });
  };
  const sent = batched(async (done: { item: OutboxItem; ts: string | undefined }[]) => {
    // One name is recorded once per statement (ON CONFLICT cannot touch a row twice): the newest item's ts wins.
    const named = new Map<string, number>();
    done.forEach(({ item, ts }, i) => {
      if (item.record && ts) named.set(`${item.teamId}\u0000${item.record}`, i);
    });
    const recordAt = new Set(named.values());
    await pool.query({
      name: 'outbox-sent',
      text: SQL.sent,
      values: [
        done.map(({ item }) => item.id),
        done.map(({ item }, i) => (recordAt.has(i) ? item.record : null)),
        done.map(({ ts }, i) => (recordAt.has(i) ? ts : null)),
        Date.now(),
      ],
    });
    tidy(done.length);
  });

  const write = async (envelopes: readonly Envelope[]) => {
    if (!envelopes.length) return;
    await pool.query({ name: 'outbox-queue', text: SQL.queue, values: queueParams(codec, envelopes) });
  };

  const store: OutboxStore = {
    enqueue: async (envelopes, key) => {
      if (!key) {
        await write(envelopes);
        return true;
      }
      const values = [scopedKey(key.teamId, key.key), Date.now(), ...queueParams(codec, envelopes)];
      const { rows } = await pool.query<{ claimed: boolean }>({
        name: 'outbox-claim-queue',
        text: SQL.claimAndQueue,
        values,
      });
      return rows[0]?.claimed === true;
    },
    lease: async (owner, limit, leaseMs) => {
      const now = Date.now();
      const { rows } = await pool.query<OutboxRow>({
        name: 'outbox-lease',
        text: SQL.lease,
        values: [owner, now + leaseMs, now, limit],
      });
      // RETURNING gives no order: the sender relies on oldest first.
      return rows.map((r) => fromOutboxRow(codec, r)).sort((a, b) => Number(a.id) - Number(b.id));
    },
    sent: (item, ts) => sent({ item, ts }),
    retry: async (item, dueAt, error) => {
      await pool.query(SQL.retry, [dueAt, clip(error), item.id]);
    },
    dead: async (item, error) => {
      await pool.query(SQL.dead, [item.id, clip(error), Date.now()]);
      tidy(1);
    },
    release: async (owner) => {
      await pool.query(SQL.release, [owner]);
    },
    renew: async (owner, ids, leaseMs) => {
      await pool.query(SQL.renew, [Date.now() + leaseMs, owner, ids]);
    },
    unsent: async (lane, record) =>
      ((await pool.query(SQL.unsent, [lane, record, Date.now()])).rowCount ?? 0) > 0,
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
  /** Adds envelopes inside a caller's transaction (a digest run's claim, forgetting a person). */
  const writeIn = async (c: pg.PoolClient, envelopes: readonly Envelope[]) => {
    if (!envelopes.length) return;
    await c.query({ name: 'outbox-queue', text: SQL.queue, values: queueParams(codec, envelopes) });
  };
  return { store, write: writeIn };
}
