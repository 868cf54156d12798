/**
 * Migration 6 on both engines (the same SQL): facts about the data decided once. 'findings_backfilled': no
 * completed assessment lacks its findings, so start-up need not look for any (true at once for a database that
 * had findings from its first row).
 */
export const APP_STATE_MIGRATION = `CREATE TABLE app_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   INSERT INTO app_state (key, value)
     SELECT 'findings_backfilled', 'yes'
     WHERE NOT EXISTS (
       SELECT 1 FROM assessments a WHERE a.status = 'completed'
         AND NOT EXISTS (SELECT 1 FROM assessment_findings f WHERE f.assessment_id = a.id));`;
