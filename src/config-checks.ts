// Checks across several variables, each giving one line per problem; values are never echoed (some are secrets).

export const KEY_HOWTO = 'generate one with: openssl rand -base64 32';

/**
 * A PostgreSQL DATABASE_URL must parse as a URL, and its `?schema=` must be a plain identifier. The value is never
 * repeated in the message: it holds the password.
 */
export function databaseProblems(url: string | undefined): string[] {
  if (!url || url.startsWith('sqlite:')) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [
      'DATABASE_URL is not a valid URL: percent-encode special characters in the user and password (@ as %40, / as %2F, # as %23) and check the host and port',
    ];
  }
  const schema = parsed.searchParams.get('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    return [
      'DATABASE_URL ?schema= must be lower-case letters, digits and _ (at most 63), starting with a letter or _',
    ];
  }
  if (!parsed.hostname) return ['DATABASE_URL names no host: write postgres://user:password@host:5432/db'];
  return [];
}

/**
 * OAuth mode is all or nothing: the three variables together, over HTTP with a signing secret, without a bot
 * token of its own (tokens come from installations), and with ENCRYPTION_KEY, since it stores every workspace's.
 */
export function oauthProblems(
  vars: Record<string, string | undefined>,
  e: {
    SLACK_BOT_TOKEN?: string;
    SLACK_APP_TOKEN?: string;
    SLACK_SIGNING_SECRET?: string;
    ENCRYPTION_KEY?: string;
  },
): string[] {
  const problems = Object.entries(vars)
    .filter(([, v]) => v === undefined)
    .map(
      ([name]) =>
        `${name} is missing: OAuth mode needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together (Basic Information → App Credentials; the state secret is yours: openssl rand -hex 32)`,
    );
  if (e.SLACK_BOT_TOKEN !== undefined) {
    problems.push(
      'SLACK_BOT_TOKEN is set with the OAuth variables: pick one mode. Unset SLACK_BOT_TOKEN to serve every workspace that installs the app, or unset SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to serve one workspace',
    );
  }
  if (e.SLACK_APP_TOKEN !== undefined) {
    problems.push(
      'SLACK_APP_TOKEN is set with the OAuth variables: OAuth mode runs over HTTP (Slack sends installers back to /slack/oauth_redirect); unset SLACK_APP_TOKEN',
    );
  }
  if (e.SLACK_SIGNING_SECRET === undefined) {
    problems.push(
      'SLACK_SIGNING_SECRET is missing: OAuth mode runs over HTTP and needs it to verify Slack requests',
    );
  }
  if (e.ENCRYPTION_KEY === undefined) {
    problems.push(
      `ENCRYPTION_KEY is missing: OAuth mode stores every workspace's bot token and will not keep them unencrypted (${KEY_HOWTO})`,
    );
  }
  return problems;
}
