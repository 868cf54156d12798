import { EVIDENCE_MIGRATION } from './evidence.js';
import { POSTGRES_HISTORY_MIGRATION } from './history.js';
import { installationsMigration } from './installations.js';
import { outboxMigration } from './outbox.js';
import { QUESTIONNAIRE_VERSION_MIGRATION } from './questionnaire-version.js';
import { sharedMigrations } from './shared.js';

/**
 * Ordered, append-only: a released migration is never edited, a new one is added.
 * Migrations 1 to 6 are shared with SQLite (shared.ts); timestamps are BIGINT epoch milliseconds.
 */
export const postgresMigrations: string[] = [
  ...sharedMigrations('BIGINT'),
  // 7: the questionnaire version of each assessment (questionnaire-version.ts).
  QUESTIONNAIRE_VERSION_MIGRATION,
  // 8: the cluster evidence of each assessment (evidence.ts).
  EVIDENCE_MIGRATION,
  // 9: OAuth installations and the workspaces of org-wide ones (installations.ts).
  installationsMigration('BIGINT'),
  // 10: the transactional outbox (outbox.ts).
  outboxMigration('postgres'),
  // 11: a finished decision kept through a restart; one live assessment per thread and person (history.ts).
  POSTGRES_HISTORY_MIGRATION,
];
