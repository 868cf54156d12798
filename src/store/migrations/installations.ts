/**
 * OAuth installations (one row per workspace, or per Enterprise Grid org when installed org-wide, keyed
 * `team:<id>` or `enterprise:<id>`) with what the OAuth exchange returned, tokens included, sealed by the field
 * codec (installations are only stored encrypted); and the workspaces noted under an org-wide installation, so an
 * org-wide uninstall finds their data. Self-contained, so it can take whatever number comes next on each engine.
 */
export const installationsMigration = (time: 'BIGINT' | 'INTEGER') => `CREATE TABLE installations (
     id TEXT PRIMARY KEY,
     team_id TEXT,
     enterprise_id TEXT,
     org_wide INTEGER NOT NULL,
     document TEXT NOT NULL,
     installed_at ${time} NOT NULL,
     updated_at ${time} NOT NULL
   );
   CREATE TABLE org_workspaces (
     enterprise_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     noted_at ${time} NOT NULL,
     PRIMARY KEY (enterprise_id, team_id)
   );
   CREATE INDEX org_workspaces_team ON org_workspaces (team_id);`;
