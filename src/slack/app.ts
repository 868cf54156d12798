import { App, type CustomRoute } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AdvisorService } from '../advisor/service.js';
import { DAY_MS, type UserDataService } from '../advisor/user-data.js';
import type { Config } from '../config.js';
import type { DigestService } from '../digest/service.js';
import { boltLogger } from '../ops/logger.js';
import { countingFetch, type Metrics } from '../ops/metrics.js';
import { createChatClient } from './chat-client.js';
import type { BotIdentity } from './identity.js';
import { ActionRoutes } from './listeners/action-routes.js';
import { routeActions } from './listeners/actions.js';
import { adrCommand } from './listeners/adr.js';
import { registerCommands, type Subcommand } from './listeners/commands.js';
import { digestCommand } from './listeners/digest.js';
import { registerHome } from './listeners/home.js';
import { registerMessages } from './listeners/messages.js';
import { exportCommand, forgetCommand, routePrivacy } from './listeners/privacy.js';
import { type InFlight, registerRequestLog } from './middleware.js';

export interface SlackAppOptions {
  config: Config;
  service: AdvisorService;
  /** Channel digests: adds `/k8s-advisor digest …` when given. */
  digests?: DigestService;
  /** A person's own data: adds App Home, `adr`, `export` and `forget-me` when given. */
  userData?: UserDataService;
  customRoutes?: CustomRoute[];
  /** Who the bot is (auth.test), so Bolt does not ask again in the background. */
  identity?: BotIdentity;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
}

/** The Bolt app with every listener registered; the same in HTTP mode, Socket Mode and the playground. */
export function createSlackApp({
  config,
  service,
  digests,
  userData,
  customRoutes = [],
  identity = {},
  log,
  metrics,
  inFlight,
}: SlackAppOptions): App {
  const { slack } = config;
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
  const claim = (key: string) => service.claim(key);
  const extra: Record<string, Subcommand> = {};
  if (digests) extra.digest = digestCommand(digests, { claim });
  if (userData) {
    extra.adr = adrCommand(userData, claim);
    extra.export = exportCommand(userData, claim);
    extra['forget-me'] = forgetCommand;
  }
  // The calls every answer makes go through the lean client; Bolt's WebClient serves the rest.
  const chat =
    slack.botToken === undefined
      ? undefined
      : createChatClient({
          token: slack.botToken,
          ...(slack.apiUrl && { apiUrl: slack.apiUrl }),
          metrics,
          timeoutMs: 10_000,
        });
  registerCommands(app, service, extra, chat);
  registerMessages(app, service, chat);
  const routes = new ActionRoutes();
  routeActions(routes, service, chat);
  if (userData) {
    const home = { userData, idleMs: (config.idleDays ?? 14) * DAY_MS };
    registerHome(app, routes, service, home);
    routePrivacy(routes, userData, home);
  }
  routes.register(app);
  app.error(async (error) => {
    log.error({ err: error }, 'listener failed');
  });
  return app;
}
