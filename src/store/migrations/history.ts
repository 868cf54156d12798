/**
 * A finished decision survives a restart (issue 12): the restart archives the completed row (`archived_at`) and
 * inserts the new assessment beside it in the same thread. So the one-row-per-(team, channel, thread, user) rule
 * holds for live rows only: a partial unique index instead of migration 1's table constraint. Home, `adr`, digests
 * and retention read every row, archived ones included; the lookups of a thread's assessment read live ones.
 *
 * SQLite cannot drop a table constraint, so the table is rebuilt: same columns in the same order (rowid order kept,
 * which the key check samples), `archived_at` added, every index of assessments made again. Nothing references the
 * table, and it runs inside the migration's transaction, so a failure leaves the old table as it was.
 */
const LIVE_INDEX = `CREATE UNIQUE INDEX assessments_live ON assessments (team_id, channel_id, thread_ts, user_id)
     WHERE archived_at IS NULL;`;

const COPIED = `id, team_id, channel_id, thread_ts, user_id, questionnaire_id, status, outcome, answers, answer_order,
     restarts, version, created_at, updated_at, completed_at, shown_version, failed_version, questionnaire_version,
     evidence`;

export const SQLITE_HISTORY_MIGRATION = `CREATE TABLE assessments_v12 (
     id TEXT PRIMARY KEY,
     team_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     thread_ts TEXT NOT NULL,
     user_id TEXT NOT NULL,
     questionnaire_id TEXT NOT NULL,
     status TEXT NOT NULL,
     outcome TEXT,
     answers TEXT NOT NULL,
     answer_order TEXT NOT NULL,
     restarts INTEGER NOT NULL DEFAULT 0,
     version INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     completed_at INTEGER,
     shown_version INTEGER NOT NULL DEFAULT -1,
     failed_version INTEGER NOT NULL DEFAULT -1,
     questionnaire_version INTEGER NOT NULL DEFAULT 1,
     evidence TEXT,
     archived_at INTEGER
   );
   INSERT INTO assessments_v12 (${COPIED}) SELECT ${COPIED} FROM assessments ORDER BY rowid;
   DROP TABLE assessments;
   ALTER TABLE assessments_v12 RENAME TO assessments;
   ${LIVE_INDEX}
   CREATE INDEX assessments_channel_created ON assessments (team_id, channel_id, created_at);
   CREATE INDEX assessments_channel_completed ON assessments (team_id, channel_id, completed_at);
   CREATE INDEX assessments_user ON assessments (team_id, user_id, updated_at);
   CREATE INDEX assessments_channel_status_updated ON assessments (team_id, channel_id, status, updated_at);
   CREATE INDEX assessments_status_completed ON assessments (status, completed_at);`;

/** PostgreSQL drops the constraint (its name is the one PostgreSQL gave migration 1's UNIQUE) and adds the column. */
export const POSTGRES_HISTORY_MIGRATION = `ALTER TABLE assessments ADD COLUMN archived_at BIGINT;
   ALTER TABLE assessments DROP CONSTRAINT assessments_team_id_channel_id_thread_ts_user_id_key;
   ${LIVE_INDEX}`;
