import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type Logger, pino } from 'pino';

/** Fields that may hold a secret, wherever they appear in a logged object. */
const SECRET_FIELDS = [
  'token',
  'botToken',
  'appToken',
  'refreshToken',
  'refresh_token',
  'access_token',
  'signingSecret',
  'clientSecret',
  'client_secret',
  'stateSecret',
  'authorization',
];
const REDACT = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'headers.authorization',
  'headers["x-slack-signature"]',
];

/** Slack tokens have a recognisable shape; scrub them from free text too (error messages, URLs). */
const TOKEN = /xox[abpers]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g;
export const scrub = (text: string) => text.replace(TOKEN, '[redacted]');

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'k8s-advisor' },
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
}

/** Bolt's Logger interface on top of pino, so Bolt's own lines are JSON and scrubbed too. */
export function boltLogger(log: Logger): BoltLogger {
  let name = 'bolt';
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m)))
      .join(' ');
  return {
    debug: (...msg) => log.debug({ component: name }, text(msg)),
    info: (...msg) => log.info({ component: name }, text(msg)),
    warn: (...msg) => log.warn({ component: name }, text(msg)),
    error: (...msg) => log.error({ component: name }, text(msg)),
    // Bolt sets INFO on any logger it is given unless told otherwise; LOG_LEVEL, applied to pino, decides.
    setLevel: (_level: LogLevel) => {},
    getLevel: () => log.level as LogLevel,
    setName: (n: string) => {
      name = n;
    },
  };
}
