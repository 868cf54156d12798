/**
 * Idempotency keys are stored under their workspace: `<team id>:<key>`. Slack's ids are unique across workspaces
 * (event ids, trigger ids), but a click's key is its action_ts and the user, which two workspaces could share, and
 * an uninstall must find every key of its workspace. Keys claimed outside any workspace (an OAuth state) have an
 * empty team.
 */
export const scopedKey = (teamId: string, key: string) => `${teamId}:${key}`;

/** The prefix every key of a workspace starts with. */
export const teamKeyPrefix = (teamId: string) => `${teamId}:`;

/** Keys are matched by prefix with substr, never LIKE, so no character in an id can act as a wildcard. */
export const KEY_HAS_PREFIX = 'substr(key, 1, length(CAST(@prefix AS TEXT))) = CAST(@prefix AS TEXT)';
