import type { WebClientOptions } from '@slack/web-api';
import { countingFetch, type Metrics } from '../ops/metrics.js';

/** Every Web API client of the app: Bolt's, the installer's, a workspace's for scheduled work. */
export function webClientOptions(apiUrl: string | undefined, metrics: Metrics): WebClientOptions {
  return {
    ...(apiUrl && { slackApiUrl: apiUrl }),
    fetch: countingFetch(metrics) as never,
    timeout: 10_000,
    // Bounded: a user waits in the thread, so a few quick retries beat the SDK's half-hour default.
    retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  };
}
