import type pg from 'pg';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { UserDataStore } from '../advisor/ports/user-data.js';
import type { FieldCodec } from './cipher.js';
import { positional } from './digest-sql.js';
import { within } from './pg-transaction.js';
import { fromRow, type SessionRow } from './store.js';
import { RESEAL_BATCH, resealed, type SealedRow, USER_DATA_SQL, userKeysPrefix } from './user-data-sql.js';

type Db = pg.Pool | pg.PoolClient;

const SQL = Object.fromEntries(
  Object.entries(USER_DATA_SQL).map(([k, sql]) => [k, positional(sql)]),
) as Record<keyof typeof USER_DATA_SQL, { text: string; names: string[] }>;

const run = <R extends pg.QueryResultRow = Record<string, never>>(
  db: Db,
  name: keyof typeof SQL,
  params: Record<string, unknown>,
) => {
  const { text, names } = SQL[name];
  return db.query<R>(
    text,
    names.map((n) => params[n]),
  );
};

/** The data-rights half of the PostgreSQL adapter, over the same pool as the assessments. */
export function postgresUserData(
  pool: pg.Pool,
  codec: FieldCodec,
  /** Adds outbox calls inside the caller's transaction (postgres-outbox.ts). */
  writeOutbox: (c: pg.PoolClient, envelopes: Envelope[]) => Promise<void> = async () => {},
): UserDataStore {
  return {
    listByUser: (team, user, { limit, offset }) =>
      within(
        pool,
        async (c) => {
          const { rows } = await run<SessionRow>(c, 'listByUser', { team, user, limit, offset });
          const count = await run<{ n: string }>(c, 'countByUser', { team, user });
          return { sessions: rows.map((r) => fromRow(r, codec)), total: Number(count.rows[0]?.n ?? 0) };
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      ),
    latestCompleted: async (team, channel, user) => {
      const row = (await run<SessionRow>(pool, 'latestCompleted', { team, channel, user })).rows[0];
      return row && fromRow(row, codec);
    },
    forgetUser: (team, user, outbox) =>
      within(pool, async (c) => {
        // Before the assessments, which name the lanes.
        await run(c, 'forgetOutbox', { team, user });
        const findings = (await run(c, 'forgetFindings', { team, user })).rowCount ?? 0;
        const assessments = (await run(c, 'forgetAssessments', { team, user })).rowCount ?? 0;
        const subs = await run<{ team_id: string; channel_id: string }>(c, 'forgetSubscriptions', {
          team,
          user,
        });
        const keys = (await run(c, 'forgetKeys', { user, prefix: userKeysPrefix(team) })).rowCount ?? 0;
        const subscriptions = subs.rows.map((r) => ({ teamId: r.team_id, channelId: r.channel_id }));
        const forgotten = { assessments, findings, subscriptions, keys };
        if (outbox) await writeOutbox(c, outbox(forgotten));
        return forgotten;
      }),
    purgeCompleted: (before) =>
      within(pool, async (c) => ({
        findings: (await run(c, 'purgeFindings', { before })).rowCount ?? 0,
        assessments: (await run(c, 'purgeAssessments', { before })).rowCount ?? 0,
        keys: (await run(c, 'purgeKeys', { before })).rowCount ?? 0,
        messageRefs: (await run(c, 'purgeRefs', { before })).rowCount ?? 0,
        deadCalls: (await run(c, 'purgeDead', { before })).rowCount ?? 0,
      })),
    keyIdsInUse: async () =>
      (await run<{ key_id: string }>(pool, 'keyIdsInUse', {})).rows.map((r) => r.key_id),
    resealAnswers: async () => {
      let count = 0;
      for (let after = ''; ; ) {
        const { rows } = await run<SealedRow>(pool, 'sealedBatch', { after, limit: RESEAL_BATCH });
        for (const r of rows) {
          const next = resealed(codec, r);
          if (next) count += (await run(pool, 'reseal', next)).rowCount ?? 0;
        }
        if (rows.length < RESEAL_BATCH) return count;
        after = (rows.at(-1) as SealedRow).id;
      }
    },
  };
}
