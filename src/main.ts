import { QuestionnaireError } from './advisor/questionnaire.js';
import { type RunningApp, startSlackApp } from './compose.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { runAsProgram } from './program.js';
import { DatabaseUnavailable } from './store/errors.js';

export type { RunningApp } from './compose.js';

/**
 * The one entry: without Slack credentials the playground (which runs the Slack app against a local stand-in),
 * else the Slack app itself. Nothing else reads process.env.
 */
export async function startApp(config: Config): Promise<RunningApp> {
  if (config.mode !== 'playground') return startSlackApp(config);
  // Loaded on demand: a deployment never loads the playground or the stand-in.
  const { startPlayground } = await import('./playground/server.js');
  return startPlayground(config, startSlackApp);
}

runAsProgram(import.meta.url, async () => {
  const running = await startApp(loadConfig());
  const shutdown = () => void running.stop().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}, [ConfigError, QuestionnaireError, DatabaseUnavailable]);
