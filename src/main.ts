import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadQuestionnaire, QuestionnaireError } from './advisor/questionnaire.js';
import { createAdvisorService } from './advisor/service.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createSlackApp } from './slack/app.js';
import { openStore } from './store/open.js';

export interface RunningApp {
  /** The port HTTP mode listens on; undefined in Socket Mode. */
  port?: number;
  stop(): Promise<void>;
}

/** The composition root: config in, a running app out. Nothing else reads process.env. */
export async function startApp(config: Config): Promise<RunningApp> {
  if (config.mode === 'playground') {
    // The playground runs this same function in HTTP mode against a local Slack stand-in.
    const { startPlayground } = await import('./playground/server.js');
    return startPlayground(config, startApp);
  }
  const questionnaire = loadQuestionnaire(join(config.conversationsDir, 'k8s-hosting.yml'));
  const store = await openStore(config.database);
  const service = createAdvisorService({ store, questionnaire });

  const app = createSlackApp({
    config,
    service,
    customRoutes: [
      { path: '/healthz', method: 'GET', handler: (_req, res) => void res.writeHead(200).end('ok') },
    ],
  });
  if (config.mode === 'socket') {
    await app.start();
    console.log('k8s-advisor is connected to Slack in Socket Mode.');
    return {
      stop: async () => {
        await app.stop();
        await store.close();
      },
    };
  }
  const server = (await app.start(config.port)) as Server;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`k8s-advisor is listening for Slack on http://${config.host}:${port}/slack/events`);
  return {
    port,
    stop: async () => {
      await app.stop();
      await store.close();
    },
  };
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
