import type Database from 'better-sqlite3';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { Forgotten, UserDataStore } from '../advisor/ports/user-data.js';
import type { FieldCodec } from './cipher.js';
import { fromRow, type SessionRow } from './store.js';
import {
  keyIdsInUseSql,
  RESEAL_BATCH,
  resealed,
  type SealedRow,
  USER_DATA_SQL as SQL,
  userKeysPrefix,
} from './user-data-sql.js';

/** The data-rights half of the SQLite adapter, over the same database handle as the assessments. */
export function sqliteUserData(
  db: Database.Database,
  codec: FieldCodec,
  /** Adds outbox calls inside the caller's transaction (sqlite-outbox.ts). */
  writeOutbox: (envelopes: Envelope[]) => void = () => {},
): UserDataStore {
  const stmt = Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as Record<keyof typeof SQL, Database.Statement>;
  // The newest rows are the last rowids here, so no index on updated_at has to be kept up on every save.
  const keyIdsInUse = db.prepare(keyIdsInUseSql('rowid'));

  const forgetTx = db.transaction((team: string, user: string, outbox?: (f: Forgotten) => Envelope[]) => {
    // Before the assessments, which name the lanes; the calls saying so are queued after, so they stay.
    stmt.forgetOutbox.run({ team, user });
    const findings = stmt.forgetFindings.run({ team, user }).changes;
    const assessments = stmt.forgetAssessments.run({ team, user }).changes;
    const subscriptions = (
      stmt.forgetSubscriptions.all({ team, user }) as { team_id: string; channel_id: string }[]
    ).map((r) => ({ teamId: r.team_id, channelId: r.channel_id }));
    const keys = stmt.forgetKeys.run({ user, prefix: userKeysPrefix(team) }).changes;
    const forgotten = { assessments, findings, subscriptions, keys };
    if (outbox) writeOutbox(outbox(forgotten));
    return forgotten;
  });

  const purgeTx = db.transaction((before: number) => ({
    findings: stmt.purgeFindings.run({ before }).changes,
    assessments: stmt.purgeAssessments.run({ before }).changes,
    keys: stmt.purgeKeys.run({ before }).changes,
    messageRefs: stmt.purgeRefs.run({ before }).changes,
    deadCalls: stmt.purgeDead.run({ before }).changes,
  }));

  // A deferred transaction, so the page and the total come from one snapshot.
  const listTx = db.transaction((team: string, user: string, limit: number, offset: number) => ({
    sessions: (stmt.listByUser.all({ team, user, limit, offset }) as SessionRow[]).map((r) =>
      fromRow(r, codec),
    ),
    total: Number((stmt.countByUser.get({ team, user }) as { n: number }).n),
  }));

  return {
    listByUser: async (team, user, { limit, offset }) => listTx(team, user, limit, offset),
    latestCompleted: async (team, channel, user) => {
      const row = stmt.latestCompleted.get({ team, channel, user }) as SessionRow | undefined;
      return row && fromRow(row, codec);
    },
    forgetUser: async (team, user, outbox) => forgetTx(team, user, outbox),
    purgeCompleted: async (before) => purgeTx(before),
    keyIdsInUse: async () => (keyIdsInUse.all() as { key_id: string }[]).map((r) => r.key_id),
    resealAnswers: async () => {
      let count = 0;
      for (let after = ''; ; ) {
        const rows = stmt.sealedBatch.all({ after, limit: RESEAL_BATCH }) as SealedRow[];
        for (const r of rows) {
          const next = resealed(codec, r);
          if (next) count += stmt.reseal.run(next).changes;
        }
        if (rows.length < RESEAL_BATCH) return count;
        after = (rows.at(-1) as SealedRow).id;
      }
    },
  };
}
