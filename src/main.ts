import { pathToFileURL } from 'node:url';
import { QuestionnaireError } from './advisor/questionnaire.js';
import { type RunningApp, startSlackApp } from './compose.js';
import { type Config, ConfigError, loadConfig } from './config.js';

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

async function main() {
  try {
    const running = await startApp(loadConfig());
    const shutdown = () => void running.stop().then(() => process.exit(0));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof QuestionnaireError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
