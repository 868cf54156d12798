import type {
  ChannelRef,
  CompletedRef,
  DigestStats,
  DigestStore,
  StatsQuery,
  Tally,
} from '../advisor/ports/digests.js';

/**
 * The digest's SQL, shared by both engines. Parameters are named `@name` (better-sqlite3's syntax);
 * `positional` rewrites them to `$1, $2 …` for pg. Every query is bounded by an index on assessments:
 * (team, channel, created_at), (team, channel, completed_at) or (team, channel, status, updated_at).
 */
const CHANNEL = 'a.team_id = @team AND a.channel_id = @channel';
const COMPLETED_IN = `${CHANNEL} AND a.status = 'completed' AND a.completed_at >= @start AND a.completed_at < @end`;
const CREATED_IN = 'a.created_at >= @start AND a.created_at < @end';

export const DIGEST_SQL = {
  subscription: `SELECT * FROM digest_subscriptions WHERE team_id = @team AND channel_id = @channel`,
  subscriptions: `SELECT s.*, (SELECT MAX(r.period_end) FROM digest_runs r
      WHERE r.team_id = s.team_id AND r.channel_id = s.channel_id) AS last_run_end
    FROM digest_subscriptions s ORDER BY s.team_id, s.channel_id`,
  insertSubscription: `INSERT INTO digest_subscriptions
      (team_id, channel_id, user_id, cadence, weekday, hour, minute, tz, include_empty, version, created_at, scheduled_at)
    VALUES (@team_id, @channel_id, @user_id, @cadence, @weekday, @hour, @minute, @tz, @include_empty, 1,
      @created_at, @scheduled_at)
    ON CONFLICT DO NOTHING`,
  updateSubscription: `UPDATE digest_subscriptions SET user_id = @user_id, cadence = @cadence, weekday = @weekday,
      hour = @hour, minute = @minute, tz = @tz, include_empty = @include_empty, scheduled_at = @scheduled_at,
      version = version + 1
    WHERE team_id = @team_id AND channel_id = @channel_id AND version = @version`,
  deleteSubscription: `DELETE FROM digest_subscriptions
    WHERE team_id = @team AND channel_id = @channel AND version = @version`,
  claimRun: `INSERT INTO digest_runs (team_id, channel_id, period_end, period_start, status, claimed_at)
    VALUES (@team, @channel, @period_end, @period_start, 'claimed', @claimed_at) ON CONFLICT DO NOTHING`,
  finishRun: `UPDATE digest_runs SET status = @status, message_ts = @message_ts, error = @error,
      finished_at = @finished_at
    WHERE team_id = @team AND channel_id = @channel AND period_end = @period_end`,
  lastRun: `SELECT * FROM digest_runs WHERE team_id = @team AND channel_id = @channel
    ORDER BY period_end DESC LIMIT 1`,

  started: `SELECT COUNT(*) AS started,
      COALESCE(SUM(CASE WHEN a.status = 'active' THEN 1 ELSE 0 END), 0) AS in_progress,
      COALESCE(SUM(CASE WHEN a.restarts > 0 THEN 1 ELSE 0 END), 0) AS restarted
    FROM assessments a WHERE ${CHANNEL} AND ${CREATED_IN}`,
  /** Restarted ones started earlier: those started in the period are counted by `started`. */
  outcomes: `SELECT a.outcome AS outcome, COUNT(*) AS n,
      COALESCE(SUM(CASE WHEN a.restarts > 0 AND NOT (${CREATED_IN}) THEN 1 ELSE 0 END), 0) AS restarted,
      COALESCE(SUM(CASE WHEN a.evidence IS NOT NULL THEN 1 ELSE 0 END), 0) AS with_evidence
    FROM assessments a WHERE ${COMPLETED_IN} GROUP BY a.outcome`,
  abandoned: `SELECT COUNT(*) AS n FROM assessments a
    WHERE ${CHANNEL} AND a.status = 'active' AND a.updated_at >= @idle_start AND a.updated_at < @idle_end`,
  findings: `SELECT f.kind AS kind, f.item_id AS item_id, COUNT(*) AS n
    FROM assessments a JOIN assessment_findings f ON f.assessment_id = a.id
    WHERE ${COMPLETED_IN} GROUP BY f.kind, f.item_id ORDER BY n DESC, f.item_id`,
  withSkips: `SELECT COUNT(DISTINCT f.assessment_id) AS n
    FROM assessments a JOIN assessment_findings f ON f.assessment_id = a.id
    WHERE ${COMPLETED_IN} AND f.kind = 'skipped'`,
  completedList: `SELECT a.id, a.user_id, a.thread_ts, a.outcome, a.completed_at FROM assessments a
    WHERE ${COMPLETED_IN} ORDER BY a.completed_at, a.id LIMIT @limit`,

  // Only assessments completed before findings were stored (migration 2, plus a day for replicas still running
  // older code during a rolling deploy) can lack them; the bound keeps this an index range, not a full scan.
  withoutFindings: `SELECT * FROM assessments a WHERE a.status = 'completed'
      AND a.completed_at <= (SELECT applied_at + 86400000 FROM schema_migrations WHERE version = 2)
      AND NOT EXISTS (SELECT 1 FROM assessment_findings f WHERE f.assessment_id = a.id)
    ORDER BY a.completed_at, a.id LIMIT @limit`,
  backfilled: "SELECT 1 AS done FROM app_state WHERE key = 'findings_backfilled'",
  markBackfilled: `INSERT INTO app_state (key, value) VALUES ('findings_backfilled', 'yes')
    ON CONFLICT (key) DO NOTHING`,
  deleteFindings: 'DELETE FROM assessment_findings WHERE assessment_id = @id',
  insertFinding: `INSERT INTO assessment_findings (assessment_id, kind, item_id) VALUES (@id, @kind, @item_id)
    ON CONFLICT DO NOTHING`,
} as const;

/** `@name` parameters to pg's `$n`, with the names in order so a params object can be spread into them. */
export function positional(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(/@([a-z_]+)/g, (_, name: string) => {
    const i = names.indexOf(name);
    if (i >= 0) return `$${i + 1}`;
    names.push(name);
    return `$${names.length}`;
  });
  return { text, names };
}

/** The named parameters of a stats query. */
export const statsParams = (q: StatsQuery) => ({
  team: q.teamId,
  channel: q.channelId,
  start: q.start,
  end: q.end,
  idle_start: q.start - q.idleMs,
  idle_end: q.end - q.idleMs,
  limit: q.listLimit,
});

type Num = number | string | null;

/** Folds the rows of the stats queries into DigestStats; both engines read the same shapes. */
export function foldStats(rows: {
  started: { started: Num; in_progress: Num; restarted: Num } | undefined;
  outcomes: { outcome: string | null; n: Num; restarted: Num; with_evidence: Num }[];
  abandoned: { n: Num } | undefined;
  findings: { kind: string; item_id: string; n: Num }[];
  withSkips: { n: Num } | undefined;
  completedList: {
    id: string;
    user_id: string;
    thread_ts: string;
    outcome: string | null;
    completed_at: Num;
  }[];
}): DigestStats {
  const outcomes: Record<string, number> = {};
  let completed = 0;
  let restartedLater = 0;
  let withEvidence = 0;
  for (const r of rows.outcomes) {
    outcomes[r.outcome ?? 'unknown'] = Number(r.n);
    completed += Number(r.n);
    restartedLater += Number(r.restarted);
    withEvidence += Number(r.with_evidence);
  }
  const tally = (kind: string): Tally[] =>
    rows.findings.filter((f) => f.kind === kind).map((f) => ({ itemId: f.item_id, count: Number(f.n) }));
  return {
    started: Number(rows.started?.started ?? 0),
    inProgress: Number(rows.started?.in_progress ?? 0),
    completed,
    withSkips: Number(rows.withSkips?.n ?? 0),
    withEvidence,
    restarted: Number(rows.started?.restarted ?? 0) + restartedLater,
    abandoned: Number(rows.abandoned?.n ?? 0),
    outcomes,
    reasons: tally('reason'),
    openRisks: tally('open_risk'),
    skipped: tally('skipped'),
    completedList: rows.completedList.map(
      (r): CompletedRef => ({
        id: r.id,
        userId: r.user_id,
        threadTs: r.thread_ts,
        outcome: r.outcome ?? 'unknown',
        completedAt: Number(r.completed_at),
      }),
    ),
  };
}

/** The named parameters both engines bind for a channel. */
export const channelParams = (r: ChannelRef) => ({ team: r.teamId, channel: r.channelId });

/** The named parameters of `finishRun`, shared by both engines. */
export function finishRunParams(...[r, result]: Parameters<DigestStore['finishRun']>) {
  return {
    ...channelParams(r),
    period_end: r.periodEnd,
    status: result.status,
    message_ts: result.messageTs ?? null,
    error: result.error ?? null,
    finished_at: result.finishedAt,
  };
}
