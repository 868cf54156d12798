import type { WebClientOptions } from '@slack/web-api';
import { countingFetch, type Metrics } from '../ops/metrics.js';

/** Every Web API client of the app: Bolt's, the installer's, a workspace's for scheduled work. */
export function webClientOptions(apiUrl: string | undefined, metrics: Metrics): WebClientOptions {
  return {
    ...(apiUrl && { slackApiUrl: apiUrl }),
    fetch: countingFetch(metrics) as never,
    // Inside the outbox's lease (6 s), so a slow call is not made again by another replica meanwhile.
    timeout: 4_000,
    // Tried once: calls that follow a change are retried by the outbox (after Retry-After, with backoff), and a
    // read a request needs fails the request, which Slack retries. No retry loops of the SDK's own.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
}
