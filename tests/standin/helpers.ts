import { type Logger, LogLevel, WebClient } from '@slack/web-api';

/** Keeps expected Slack errors (refusals, injected faults) out of the test output. */
export const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export function clientFor(url: string, token = 'xoxb-test-token'): WebClient {
  return new WebClient(token, { slackApiUrl: url, retryConfig: { retries: 0 }, logger: quietLogger });
}
