import { LogLevel, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { ConfigError } from '../config.js';
import { slackErrorCode } from './errors.js';

export interface BotIdentity {
  botUserId?: string;
  botId?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks Slack who the bot is (auth.test) before the app starts. Bolt would otherwise ask in the background, and a
 * Slack it could not reach for a second or two crashed the process with an unhandled rejection, while a refused
 * token surfaced as a stack trace. Unreachable: retried with backoff for about 15 s. Refused: a clear error.
 */
export async function whoAmI(
  token: string,
  apiUrl: string | undefined,
  log: Logger,
  { attempts = 6, firstDelayMs = 500 } = {},
): Promise<BotIdentity> {
  const base = apiUrl ?? 'https://slack.com/api/';
  const client = new WebClient(token, {
    slackApiUrl: base,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    timeout: 10_000,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      const me = await client.auth.test();
      return { ...(me.user_id && { botUserId: me.user_id }), ...(me.bot_id && { botId: me.bot_id }) };
    } catch (error) {
      const code = slackErrorCode(error);
      if (code) {
        throw new ConfigError([
          `SLACK_BOT_TOKEN was refused by Slack (${code}): use the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page`,
        ]);
      }
      const reason = (error as Error).message;
      if (attempt >= attempts) {
        throw new ConfigError([
          `cannot reach Slack's Web API at ${base} (${reason}) after ${attempts} attempts: check the network (HTTPS to slack.com) and SLACK_API_URL if set`,
        ]);
      }
      const wait = firstDelayMs * 2 ** (attempt - 1);
      log.warn(`cannot reach Slack's Web API (${reason}); trying again in ${wait} ms`);
      await sleep(wait);
    }
  }
}
