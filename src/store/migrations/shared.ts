import { APP_STATE_MIGRATION } from './app-state.js';

/**
 * Migrations 1 to 6, the same on both engines but for the type of epoch-millisecond columns: BIGINT on
 * PostgreSQL, INTEGER (64-bit) on SQLite. Ordered, append-only: a released migration is never edited.
 */
export const sharedMigrations = (time: 'BIGINT' | 'INTEGER'): string[] => [
  `CREATE TABLE assessments (
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
     created_at ${time} NOT NULL,
     updated_at ${time} NOT NULL,
     completed_at ${time},
     UNIQUE (team_id, channel_id, thread_ts, user_id)
   );
   CREATE INDEX assessments_channel_created ON assessments (team_id, channel_id, created_at);
   CREATE INDEX assessments_channel_completed ON assessments (team_id, channel_id, completed_at);
   CREATE INDEX assessments_user ON assessments (team_id, user_id, updated_at);
   CREATE TABLE processed_keys (
     key TEXT PRIMARY KEY,
     created_at ${time} NOT NULL
   );`,
  // 2: channel digests. Findings of completed assessments (filled by the save that completes one) make reasons
  // and open risks countable in SQL; runs are keyed by (channel, period end) so each digest is posted once.
  `CREATE TABLE assessment_findings (
     assessment_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     item_id TEXT NOT NULL,
     PRIMARY KEY (assessment_id, kind, item_id)
   );
   CREATE INDEX assessments_channel_status_updated ON assessments (team_id, channel_id, status, updated_at);
   CREATE TABLE digest_subscriptions (
     team_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     cadence TEXT NOT NULL,
     weekday INTEGER,
     hour INTEGER NOT NULL,
     minute INTEGER NOT NULL,
     tz TEXT NOT NULL,
     include_empty INTEGER NOT NULL DEFAULT 0,
     version INTEGER NOT NULL,
     created_at ${time} NOT NULL,
     scheduled_at ${time} NOT NULL,
     PRIMARY KEY (team_id, channel_id)
   );
   CREATE TABLE digest_runs (
     team_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     period_end ${time} NOT NULL,
     period_start ${time} NOT NULL,
     status TEXT NOT NULL,
     message_ts TEXT,
     error TEXT,
     claimed_at ${time} NOT NULL,
     finished_at ${time},
     PRIMARY KEY (team_id, channel_id, period_end)
   );`,
  // Which version's prompt reached Slack, or failed to; existing rows are taken as delivered.
  `ALTER TABLE assessments ADD COLUMN shown_version INTEGER NOT NULL DEFAULT -1;
   ALTER TABLE assessments ADD COLUMN failed_version INTEGER NOT NULL DEFAULT -1;
   UPDATE assessments SET shown_version = version;`,
  // 4: the retention purge finds completed assessments by completion time across all channels. A person's own
  // list (App Home, export, forget-me) uses assessments_user from migration 1.
  'CREATE INDEX assessments_status_completed ON assessments (status, completed_at);',
  // For the start-up check of encryption keys in use, which samples the most recent rows.
  'CREATE INDEX assessments_updated ON assessments (updated_at);',
  // 6: app_state and the findings backfill mark (app-state.ts).
  APP_STATE_MIGRATION,
];
