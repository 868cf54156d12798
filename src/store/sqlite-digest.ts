import type Database from 'better-sqlite3';
import type { Finding } from '../advisor/findings.js';
import type { DigestStore } from '../advisor/ports/digests.js';
import type { Envelope } from '../advisor/ports/outbox.js';
import type { FieldCodec } from './cipher.js';
import * as rows from './digest-rows.js';
import { channelParams, finishRunParams, foldStats, DIGEST_SQL as SQL, statsParams } from './digest-sql.js';
import { fromRow, type SessionRow } from './store.js';

/** The digest half of the SQLite adapter, over the same database handle as the assessments. */
export function sqliteDigest(
  db: Database.Database,
  codec: FieldCodec,
  /** Adds outbox calls inside the caller's transaction (sqlite-outbox.ts). */
  writeOutbox: (envelopes: Envelope[]) => void = () => {},
) {
  const stmt = Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as Record<keyof typeof SQL, Database.Statement>;

  /** Replaces an assessment's findings; runs inside the caller's transaction. */
  const writeFindings = (id: string, findings: Finding[]) => {
    stmt.deleteFindings.run({ id });
    for (const f of findings) stmt.insertFinding.run({ id, kind: f.kind, item_id: f.itemId });
  };

  const putFindingsTx = db.transaction((id: string, version: number, findings: Finding[]) => {
    const row = db.prepare<[string], { version: number; status: string }>(
      'SELECT version, status FROM assessments WHERE id = ?',
    );
    const current = row.get(id);
    if (!current || current.version !== version || current.status !== 'completed') return false;
    writeFindings(id, findings);
    return true;
  });

  const statsTx = db.transaction((params: ReturnType<typeof statsParams>) =>
    foldStats({
      started: stmt.started.get(params) as never,
      outcomes: stmt.outcomes.all(params) as never,
      abandoned: stmt.abandoned.get(params) as never,
      findings: stmt.findings.all(params) as never,
      withSkips: stmt.withSkips.get(params) as never,
      completedList: stmt.completedList.all(params) as never,
    }),
  );

  const ref = channelParams;

  const claimRunTx = db.transaction(
    (run: Parameters<DigestStore['claimRun']>[0], outbox?: Envelope[]): boolean => {
      const claimed =
        stmt.claimRun.run({
          ...ref(run),
          period_end: run.periodEnd,
          period_start: run.periodStart,
          claimed_at: run.claimedAt,
        }).changes === 1;
      if (claimed && outbox) writeOutbox(outbox);
      return claimed;
    },
  );

  const store: DigestStore = {
    getSubscription: async (r) => {
      const row = stmt.subscription.get(ref(r)) as rows.SubscriptionRow | undefined;
      return row && rows.fromSubscriptionRow(row);
    },
    listSubscriptions: async () =>
      (stmt.subscriptions.all() as rows.SubscriptionRow[]).map((row) => ({
        ...rows.fromSubscriptionRow(row),
        lastRunEnd: row.last_run_end == null ? null : Number(row.last_run_end),
      })),
    saveSubscription: async (sub) => {
      const row = rows.toSubscriptionRow(sub);
      const statement = sub.version === 0 ? stmt.insertSubscription : stmt.updateSubscription;
      return statement.run(row).changes === 1;
    },
    deleteSubscription: async (r, version) =>
      stmt.deleteSubscription.run({ ...ref(r), version }).changes === 1,
    claimRun: async (run, outbox) => claimRunTx(run, outbox),
    finishRun: async (run, result) => {
      stmt.finishRun.run(finishRunParams(run, result));
    },
    lastRun: async (r) => {
      const row = stmt.lastRun.get(ref(r)) as rows.RunRow | undefined;
      return row && rows.fromRunRow(row);
    },
    // A deferred transaction: every query reads the same snapshot.
    digestStats: async (q) => statsTx(statsParams(q)),
    completedWithoutFindings: async (limit) =>
      (stmt.withoutFindings.all({ limit }) as SessionRow[]).map((r) => fromRow(r, codec)),
    findingsBackfilled: async () => stmt.backfilled.get() !== undefined,
    markFindingsBackfilled: async () => {
      stmt.markBackfilled.run();
    },
    putFindings: async (id, version, findings) => putFindingsTx(id, version, findings),
  };
  return { store, writeFindings };
}
