import type pg from 'pg';
import type { Finding } from '../advisor/findings.js';
import type { DigestStore } from '../advisor/ports/digests.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { FieldCodec } from './cipher.js';
import * as rows from './digest-rows.js';
import {
  channelParams,
  DIGEST_SQL,
  finishRunParams,
  foldStats,
  positional,
  statsParams,
} from './digest-sql.js';
import { within } from './pg-transaction.js';
import { fromRow, type SessionRow } from './store.js';

type Db = pg.Pool | pg.PoolClient;
type Params = Record<string, unknown>;

const SQL = Object.fromEntries(Object.entries(DIGEST_SQL).map(([k, sql]) => [k, positional(sql)])) as Record<
  keyof typeof DIGEST_SQL,
  { text: string; names: string[] }
>;

const run = <R extends pg.QueryResultRow = Record<string, never>>(
  db: Db,
  name: keyof typeof SQL,
  params: Params = {},
) => {
  const { text, names } = SQL[name];
  return db.query<R>(
    text,
    names.map((n) => params[n]),
  );
};

/** Replaces an assessment's findings; runs inside the caller's transaction. */
export async function writeFindings(c: pg.PoolClient, id: string, findings: Finding[]): Promise<void> {
  await c.query('DELETE FROM assessment_findings WHERE assessment_id = $1', [id]);
  if (findings.length === 0) return;
  await c.query(
    `INSERT INTO assessment_findings (assessment_id, kind, item_id)
     SELECT $1, kind, item_id FROM unnest($2::text[], $3::text[]) AS f (kind, item_id) ON CONFLICT DO NOTHING`,
    [id, findings.map((f) => f.kind), findings.map((f) => f.itemId)],
  );
}

/** The digest half of the PostgreSQL adapter, over the same pool as the assessments. */
export function postgresDigest(
  pool: pg.Pool,
  codec: FieldCodec,
  /** Adds outbox calls inside the caller's transaction (postgres-outbox.ts). */
  writeOutbox: (c: pg.PoolClient, envelopes: Envelope[]) => Promise<void> = async () => {},
): DigestStore {
  const ref = channelParams;
  return {
    getSubscription: async (r) => {
      const row = (await run<rows.SubscriptionRow>(pool, 'subscription', ref(r))).rows[0];
      return row && rows.fromSubscriptionRow(row);
    },
    listSubscriptions: async () =>
      (await run<rows.SubscriptionRow>(pool, 'subscriptions')).rows.map((row) => ({
        ...rows.fromSubscriptionRow(row),
        lastRunEnd: row.last_run_end == null ? null : Number(row.last_run_end),
      })),
    saveSubscription: async (sub) => {
      const row = rows.toSubscriptionRow(sub) as unknown as Params;
      const result = await run(pool, sub.version === 0 ? 'insertSubscription' : 'updateSubscription', row);
      return result.rowCount === 1;
    },
    deleteSubscription: async (r, version) =>
      (await run(pool, 'deleteSubscription', { ...ref(r), version })).rowCount === 1,
    claimRun: (r, outbox) =>
      within(pool, async (c) => {
        const claimed =
          (
            await run(c, 'claimRun', {
              ...ref(r),
              period_end: r.periodEnd,
              period_start: r.periodStart,
              claimed_at: r.claimedAt,
            })
          ).rowCount === 1;
        if (claimed && outbox?.length) await writeOutbox(c, outbox);
        return claimed;
      }),
    finishRun: async (r, result) => {
      await run(pool, 'finishRun', finishRunParams(r, result));
    },
    lastRun: async (r) => {
      const row = (await run<rows.RunRow>(pool, 'lastRun', ref(r))).rows[0];
      return row && rows.fromRunRow(row);
    },
    // One snapshot for all the counts, so they agree with each other even while assessments change.
    digestStats: (q) =>
      within(
        pool,
        async (c) => {
          const p = statsParams(q);
          const rowsOf = async (name: keyof typeof SQL) => (await run(c, name, p)).rows as never;
          return foldStats({
            started: ((await rowsOf('started')) as never[])[0],
            outcomes: await rowsOf('outcomes'),
            abandoned: ((await rowsOf('abandoned')) as never[])[0],
            findings: await rowsOf('findings'),
            withSkips: ((await rowsOf('withSkips')) as never[])[0],
            completedList: await rowsOf('completedList'),
          });
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      ),
    completedWithoutFindings: async (limit) =>
      (await run<SessionRow>(pool, 'withoutFindings', { limit })).rows.map((r) => fromRow(r, codec)),
    findingsBackfilled: async () => (await run(pool, 'backfilled', {})).rows.length > 0,
    markFindingsBackfilled: async () => {
      await run(pool, 'markBackfilled', {});
    },
    putFindings: (id, version, findings) =>
      within(pool, async (c) => {
        // Locks the row, so a save that restarts the assessment waits and then clears these findings.
        const { rows } = await c.query<{ version: number; status: string }>(
          'SELECT version, status FROM assessments WHERE id = $1 FOR UPDATE',
          [id],
        );
        const current = rows[0];
        if (!current || Number(current.version) !== version || current.status !== 'completed') return false;
        await writeFindings(c, id, findings);
        return true;
      }),
  };
}
