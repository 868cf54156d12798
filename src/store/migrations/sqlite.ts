import { EVIDENCE_MIGRATION } from './evidence.js';
import { SQLITE_HISTORY_MIGRATION } from './history.js';
import { installationsMigration } from './installations.js';
import { outboxMigration } from './outbox.js';
import { QUESTIONNAIRE_VERSION_MIGRATION } from './questionnaire-version.js';
import { sharedMigrations } from './shared.js';

/** Ordered, append-only: a released migration is never edited, a new one is added. 1 to 6 are in shared.ts. */
export const sqliteMigrations: string[] = [
  ...sharedMigrations('INTEGER'),
  // 7: fewer pages written per commit, which is what a durable write costs (bench/RESULTS.md). The key check
  // samples recent rows by rowid instead of through assessments_updated, which every save had to update; and
  // idempotency keys live in one B-tree instead of a table plus its key index.
  `DROP INDEX assessments_updated;
   CREATE TABLE processed_keys_v7 (key TEXT PRIMARY KEY, created_at INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO processed_keys_v7 (key, created_at) SELECT key, created_at FROM processed_keys;
   DROP TABLE processed_keys;
   ALTER TABLE processed_keys_v7 RENAME TO processed_keys;`,
  // 8: the questionnaire version of each assessment (questionnaire-version.ts).
  QUESTIONNAIRE_VERSION_MIGRATION,
  // 9: the cluster evidence of each assessment (evidence.ts).
  EVIDENCE_MIGRATION,
  // 10: OAuth installations and the workspaces of org-wide ones (installations.ts).
  installationsMigration('INTEGER'),
  // 11: the transactional outbox (outbox.ts).
  outboxMigration('sqlite'),
  // 12: a finished decision kept through a restart; one live assessment per thread and person (history.ts).
  SQLITE_HISTORY_MIGRATION,
];
