import { App, type CustomRoute } from '@slack/bolt';
import type { Logger } from 'pino';
import type { EvidenceService } from '../advisor/evidence-service.js';
import type { AdvisorService } from '../advisor/service.js';
import type { UserDataService } from '../advisor/user-data.js';
import type { Config } from '../config.js';
import type { DigestService } from '../digest/service.js';
import { boltLogger } from '../ops/logger.js';
import { countingFetch, type Metrics } from '../ops/metrics.js';
import { createChatClient } from './chat-client.js';
import type { BotIdentity } from './identity.js';
import { registerActions } from './listeners/actions.js';
import { registerAdr } from './listeners/adr.js';
import { registerCommands } from './listeners/commands.js';
import { registerDigest } from './listeners/digest.js';
import { registerEvidence } from './listeners/evidence.js';
import { registerHome } from './listeners/home.js';
import { registerMessages } from './listeners/messages.js';
import { registerPrivacy } from './listeners/privacy.js';
import { Listeners, type Register } from './listeners/registry.js';
import { type InFlight, registerRequestLog } from './middleware.js';

export interface SlackAppOptions {
  config: Config;
  service: AdvisorService;
  /** Channel digests: adds `/k8s-advisor digest …` when given. */
  digests?: DigestService;
  /** A person's own data: adds App Home, `adr`, `export` and `forget-me` when given. */
  userData?: UserDataService;
  /** Evidence from a cluster: reads files uploaded into an assessment's thread when given. */
  evidence?: EvidenceService;
  /** An assessment in progress idle this long has expired (ASSESSMENT_IDLE_DAYS). */
  idleMs: number;
  customRoutes?: CustomRoute[];
  /** Who the bot is (auth.test), so Bolt does not ask again in the background. */
  identity?: BotIdentity;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
}

/** Every listener module, each registering the words, buttons and events it answers. */
const LISTENERS: Register[] = [
  registerCommands,
  registerMessages,
  registerActions,
  registerAdr,
  registerDigest,
  registerHome,
  registerPrivacy,
  registerEvidence,
];

/** The Bolt app with every listener registered; the same in HTTP mode, Socket Mode and the playground. */
export function createSlackApp({
  config,
  service,
  digests,
  userData,
  evidence,
  idleMs,
  customRoutes = [],
  identity = {},
  log,
  metrics,
  inFlight,
}: SlackAppOptions): App {
  const { slack } = config;
  if (!slack.botToken) throw new Error('the Slack app needs a bot token');
  const app = new App({
    token: slack.botToken,
    ...identity,
    ...(config.mode === 'socket'
      ? { socketMode: true, appToken: slack.appToken }
      : { signingSecret: slack.signingSecret, customRoutes }),
    logger: boltLogger(log),
    // State lives in our store; Bolt's conversation store would only cost a failed lookup per request.
    convoStore: false,
    clientOptions: {
      ...(slack.apiUrl && { slackApiUrl: slack.apiUrl }),
      fetch: countingFetch(metrics) as never,
      timeout: 10_000,
      // Bounded: a user waits in the thread, so a few quick retries beat the SDK's half-hour default.
      retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    },
  });
  registerRequestLog(app, log, metrics, inFlight);
  // The calls every answer makes go through the lean client; Bolt's WebClient serves the rest.
  const chat = createChatClient({
    token: slack.botToken,
    ...(slack.apiUrl && { apiUrl: slack.apiUrl }),
    metrics,
    timeoutMs: 10_000,
  });
  const deps = {
    service,
    chat,
    idleMs,
    ...(digests && { digests }),
    ...(userData && { userData }),
    ...(evidence && { evidence }),
  };
  const listeners = new Listeners();
  for (const register of LISTENERS) register(listeners, deps);
  listeners.attach(app);
  app.error(async (error) => {
    log.error({ err: error }, 'listener failed');
  });
  return app;
}
