import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { DEFAULT_IDLE_DAYS } from './advisor/time.js';
import { databaseProblems, KEY_HOWTO, oauthProblems } from './config-checks.js';
import { Keyring, parseKey } from './store/cipher.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** What the app runs with: loadConfig derives it from the environment, tests and the playground write it. */
export const configSchema = z.object({
  mode: z.enum(['http', 'socket', 'playground']),
  slack: z.object({
    botToken: z.string().optional(),
    signingSecret: z.string().optional(),
    appToken: z.string().optional(),
    apiUrl: z.string().optional(),
  }),
  /**
   * OAuth distribution (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, no SLACK_BOT_TOKEN): HTTP mode
   * serving every workspace that installs the app, each with its own bot token from the installation store.
   */
  oauth: z
    .object({
      clientId: z.string(),
      clientSecret: z.string(),
      stateSecret: z.string(),
      /** SLACK_REDIRECT_URI: sent to Slack when set; needed when the app lists several redirect URLs. */
      redirectUri: z.string().optional(),
      /** Where the bot scopes are read from (manifest.yml, the one list of them). */
      manifestPath: z.string().optional(),
    })
    .optional(),
  port: z.number().int().min(0).max(65535),
  /**
   * Prometheus /metrics (with the probes) on a server of its own, never on the Slack port (METRICS_PORT,
   * default 9090). Unset: no metrics server, as in the playground unless METRICS_PORT is given.
   */
  metricsPort: z.number().int().min(0).max(65535).optional(),
  host: z.string(),
  database: z.discriminatedUnion('engine', [
    z.object({ engine: z.literal('sqlite'), path: z.string() }),
    /** poolSize: connections a replica opens at most (DATABASE_POOL_SIZE, default 20). */
    z.object({
      engine: z.literal('postgres'),
      url: z.string(),
      poolSize: z.number().int().positive().optional(),
    }),
  ]),
  logLevel: z.enum(LOG_LEVELS),
  conversationsDir: z.string(),
  /** Days without an answer after which an assessment in progress expires (ASSESSMENT_IDLE_DAYS, default 14). */
  idleDays: z.number().positive().optional(),
  /** Encrypts stored answers when ENCRYPTION_KEY is set; earlier keys (ENCRYPTION_KEYS_OLD) only decrypt. */
  encryption: z.instanceof(Keyring).optional(),
  /** Completed assessments are deleted this many days after completion (RETENTION_DAYS); unset keeps them. */
  retentionDays: z.number().int().positive().optional(),
  /**
   * Requests to /slack/events handled at once by a replica (ADMISSION_MAX_IN_FLIGHT, default 64); more wait
   * briefly for a slot, then get a 503 Slack retries, so memory stays flat under overload.
   */
  maxInFlight: z.number().int().positive().optional(),
  /** Slack calls the outbox sender makes at once from a replica (OUTBOX_CONCURRENCY, default 48). */
  outboxConcurrency: z.number().int().positive().optional(),
  /** Set by the playground on the app it runs against its Slack stand-in: not a production deployment. */
  playground: z.boolean().optional(),
});

export type Config = z.infer<typeof configSchema>;
export type Mode = Config['mode'];

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** An optional count above 0; `message` says what is counted, with an example. */
const positiveWhole = (message: string) =>
  optional
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .refine((v) => v === undefined || (Number.isInteger(v) && v > 0), { message });

const keyList = (v: string) =>
  v
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

const envSchema = z.object({
  SLACK_BOT_TOKEN: optional.refine((v) => v === undefined || /^xoxb-/.test(v), {
    message: 'must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)',
  }),
  SLACK_SIGNING_SECRET: optional.refine((v) => v === undefined || !/\s/.test(v), {
    message: 'must be the Signing Secret from Basic Information → App Credentials, without spaces',
  }),
  SLACK_APP_TOKEN: optional.refine((v) => v === undefined || /^xapp-/.test(v), {
    message:
      'must be an app-level token starting with xapp- with the connections:write scope (Basic Information)',
  }),
  SLACK_CLIENT_ID: optional.refine((v) => v === undefined || !/\s/.test(v), {
    message: 'must be the Client ID from Basic Information → App Credentials, without spaces',
  }),
  SLACK_CLIENT_SECRET: optional.refine((v) => v === undefined || !/\s/.test(v), {
    message: 'must be the Client Secret from Basic Information → App Credentials, without spaces',
  }),
  SLACK_STATE_SECRET: optional.refine((v) => v === undefined || !/\s/.test(v), {
    message: 'must be a random string without spaces (openssl rand -hex 32): it signs the OAuth state',
  }),
  SLACK_REDIRECT_URI: optional.refine(
    (v) => v === undefined || /^https?:\/\/[^\s/]+(\/[^\s]*)?\/slack\/oauth_redirect$/.test(v),
    {
      message:
        'must be the public URL of this app ending in /slack/oauth_redirect, as listed in the manifest',
    },
  ),
  SLACK_API_URL: optional.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    message: 'must be an http(s) URL of a Slack Web API base, such as https://slack.com/api/',
  }),
  PORT: optional
    .transform((v) => (v === undefined ? 3000 : Number(v)))
    .refine((v) => Number.isInteger(v) && v >= 0 && v <= 65535, {
      message: 'must be a whole number from 0 to 65535, such as 3000',
    }),
  METRICS_PORT: optional
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .refine((v) => v === undefined || (Number.isInteger(v) && v >= 0 && v <= 65535), {
      message: 'must be a whole number from 0 to 65535, such as 9090',
    }),
  HOST: optional,
  DATABASE_URL: optional.refine((v) => v === undefined || /^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(v), {
    message: 'must be sqlite:<path> (such as sqlite:./data/k8s-advisor.db) or postgres://user@host:5432/db',
  }),
  LOG_LEVEL: optional.refine((v) => v === undefined || (LOG_LEVELS as readonly string[]).includes(v), {
    message: `must be one of ${LOG_LEVELS.join(', ')}`,
  }),
  CONVERSATIONS_DIR: optional,
  ASSESSMENT_IDLE_DAYS: optional
    .transform((v) => (v === undefined ? DEFAULT_IDLE_DAYS : Number(v)))
    .refine((v) => Number.isFinite(v) && v > 0, {
      message: `must be a number of days above 0, such as ${DEFAULT_IDLE_DAYS}`,
    }),
  ENCRYPTION_KEY: optional.refine((v) => v === undefined || parseKey(v) !== undefined, {
    message: `must be 32 random bytes as 64 hex characters or base64 (${KEY_HOWTO})`,
  }),
  ENCRYPTION_KEYS_OLD: optional.refine((v) => v === undefined || keyList(v).every((k) => parseKey(k)), {
    message: 'must be earlier ENCRYPTION_KEY values separated by commas, each 64 hex characters or base64',
  }),
  RETENTION_DAYS: positiveWhole(
    'must be a whole number of days above 0, such as 365 (or unset to keep assessments)',
  ),
  ADMISSION_MAX_IN_FLIGHT: positiveWhole('must be a whole number of requests above 0, such as 64'),
  OUTBOX_CONCURRENCY: positiveWhole('must be a whole number of Slack calls above 0, such as 48'),
  DATABASE_POOL_SIZE: positiveWhole('must be a whole number of PostgreSQL connections above 0, such as 20'),
});

/** Start-up stops with one line per problem; values are never echoed, since some are secrets. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads a .env file if present; variables already in the environment win, as dotenv does. */
export function readEnvFile(path = '.env'): Record<string, string> {
  if (!existsSync(path)) return {};
  try {
    return parseDotenv(readFileSync(path));
  } catch (error) {
    throw new ConfigError([`${path}: cannot be read (${(error as Error).message}); fix or remove the file`]);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env, envFile = '.env'): Config {
  const merged = { ...readEnvFile(envFile), ...env };
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    const source = (name: PropertyKey | undefined) =>
      env[String(name)] === undefined && existsSync(envFile) ? ` (in ${envFile})` : '';
    throw new ConfigError(
      parsed.error.issues.map((i) => `${String(i.path[0])}${source(i.path[0])} ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const hasToken = e.SLACK_BOT_TOKEN !== undefined;
  const hasSecret = e.SLACK_SIGNING_SECRET !== undefined;
  const hasAppToken = e.SLACK_APP_TOKEN !== undefined;
  const oauthVars = {
    SLACK_CLIENT_ID: e.SLACK_CLIENT_ID,
    SLACK_CLIENT_SECRET: e.SLACK_CLIENT_SECRET,
    SLACK_STATE_SECRET: e.SLACK_STATE_SECRET,
  };
  const oauth = Object.values(oauthVars).some((v) => v !== undefined);

  let mode: Mode = 'playground';
  if (oauth) {
    mode = 'http';
    problems.push(...oauthProblems(oauthVars, e));
  } else if (hasAppToken) {
    mode = 'socket';
    if (!hasToken)
      problems.push('SLACK_BOT_TOKEN is missing: Socket Mode needs it as well as SLACK_APP_TOKEN');
  } else if (hasToken || hasSecret) {
    mode = 'http';
    if (!hasToken) problems.push('SLACK_BOT_TOKEN is missing: HTTP mode needs it with SLACK_SIGNING_SECRET');
    if (!hasSecret)
      problems.push('SLACK_SIGNING_SECRET is missing: HTTP mode needs it to verify Slack requests');
  }
  if (!oauth && e.SLACK_REDIRECT_URI !== undefined) {
    problems.push(
      'SLACK_REDIRECT_URI is set without SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET: it is only used by OAuth mode',
    );
  }
  if (e.ENCRYPTION_KEYS_OLD && !e.ENCRYPTION_KEY) {
    problems.push(
      'ENCRYPTION_KEYS_OLD is set without ENCRYPTION_KEY: set ENCRYPTION_KEY to the current key; old keys only decrypt',
    );
  }
  problems.push(...databaseProblems(e.DATABASE_URL));
  // The playground is a local demo: it serves metrics only when asked to.
  const metricsPort = e.METRICS_PORT ?? (mode === 'playground' ? undefined : 9090);
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === e.PORT) {
    problems.push(
      `METRICS_PORT is the same as PORT (${e.PORT}): metrics need a port of their own, such as 9090, so the Slack endpoint never exposes them`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const url = e.DATABASE_URL ?? 'sqlite:./data/k8s-advisor.db';
  const database = url.startsWith('sqlite:')
    ? { engine: 'sqlite' as const, path: url.slice('sqlite:'.length) }
    : {
        engine: 'postgres' as const,
        url,
        ...(e.DATABASE_POOL_SIZE !== undefined && { poolSize: e.DATABASE_POOL_SIZE }),
      };

  let apiUrl = e.SLACK_API_URL;
  if (apiUrl && !apiUrl.endsWith('/')) apiUrl = `${apiUrl}/`;

  return configSchema.parse({
    mode,
    slack: {
      ...(e.SLACK_BOT_TOKEN && { botToken: e.SLACK_BOT_TOKEN }),
      ...(e.SLACK_SIGNING_SECRET && { signingSecret: e.SLACK_SIGNING_SECRET }),
      ...(e.SLACK_APP_TOKEN && { appToken: e.SLACK_APP_TOKEN }),
      ...(apiUrl && { apiUrl }),
    },
    ...(oauth && {
      oauth: {
        clientId: e.SLACK_CLIENT_ID,
        clientSecret: e.SLACK_CLIENT_SECRET,
        stateSecret: e.SLACK_STATE_SECRET,
        ...(e.SLACK_REDIRECT_URI && { redirectUri: e.SLACK_REDIRECT_URI }),
      },
    }),
    port: e.PORT,
    ...(metricsPort !== undefined && { metricsPort }),
    // The playground has no authentication, so it listens on loopback only.
    host: e.HOST ?? (mode === 'playground' ? '127.0.0.1' : '0.0.0.0'),
    database,
    logLevel: (e.LOG_LEVEL as Config['logLevel'] | undefined) ?? 'info',
    conversationsDir: e.CONVERSATIONS_DIR ?? 'conversations',
    idleDays: e.ASSESSMENT_IDLE_DAYS,
    ...(e.ENCRYPTION_KEY && {
      encryption: new Keyring(
        parseKey(e.ENCRYPTION_KEY) as Buffer,
        keyList(e.ENCRYPTION_KEYS_OLD ?? '').map((k) => parseKey(k) as Buffer),
      ),
    }),
    ...(e.RETENTION_DAYS !== undefined && { retentionDays: e.RETENTION_DAYS }),
    ...(e.ADMISSION_MAX_IN_FLIGHT !== undefined && { maxInFlight: e.ADMISSION_MAX_IN_FLIGHT }),
    ...(e.OUTBOX_CONCURRENCY !== undefined && { outboxConcurrency: e.OUTBOX_CONCURRENCY }),
  });
}
