import { App, type CustomRoute, LogLevel } from '@slack/bolt';
import type { AdvisorService } from '../advisor/service.js';
import type { Config } from '../config.js';
import { registerActions } from './listeners/actions.js';
import { registerCommands } from './listeners/commands.js';
import { registerMessages } from './listeners/messages.js';

const LEVELS: Record<Config['logLevel'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export interface SlackAppOptions {
  config: Config;
  service: AdvisorService;
  customRoutes?: CustomRoute[];
}

/** The Bolt app with every listener registered; the same in HTTP mode, Socket Mode and the playground. */
export function createSlackApp({ config, service, customRoutes = [] }: SlackAppOptions): App {
  const { slack } = config;
  const app = new App({
    token: slack.botToken,
    ...(config.mode === 'socket'
      ? { socketMode: true, appToken: slack.appToken }
      : { signingSecret: slack.signingSecret, customRoutes }),
    logLevel: LEVELS[config.logLevel],
    clientOptions: {
      ...(slack.apiUrl && { slackApiUrl: slack.apiUrl }),
      // Bounded: a user waits in the thread, so a few quick retries beat the SDK's half-hour default.
      retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    },
  });
  registerCommands(app, service);
  registerMessages(app, service);
  registerActions(app, service);
  app.error(async (error) => {
    app.logger.error(`listener failed: ${error.message}`);
  });
  return app;
}
