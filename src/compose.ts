import type { Server } from 'node:http';
import { join } from 'node:path';
import { createEvidenceService } from './advisor/evidence-service.js';
import { loadQuestionnaire } from './advisor/questionnaire.js';
import { createAdvisorService } from './advisor/service.js';
import { idleMsFor } from './advisor/time.js';
import { createUserDataService } from './advisor/user-data.js';
import { type Config, ConfigError } from './config.js';
import { createDigestScheduler } from './digest/schedule.js';
import { createDigestService } from './digest/service.js';
import { observeAcks, opsRoutes, serveOps } from './ops/http.js';
import { createLogger } from './ops/logger.js';
import { createMetrics, timed } from './ops/metrics.js';
import { startRetention } from './ops/retention.js';
import { createSlackApp } from './slack/app.js';
import { whoAmI } from './slack/identity.js';
import { InFlight } from './slack/middleware.js';
import { publishDigest } from './slack/publish-digest.js';
import { keyringProblem } from './store/cipher.js';
import { openStore } from './store/open.js';

export interface RunningApp {
  /** The port HTTP mode listens on; undefined in Socket Mode. */
  port?: number;
  /** Resolves once the work of every request acknowledged so far has finished (or after 10 s). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/** The app against Slack (HTTP or Socket Mode): config in, a running app out. The playground runs it too. */
export async function startSlackApp(config: Config): Promise<RunningApp> {
  const log = createLogger(config.logLevel);
  if (!config.encryption && !config.playground) {
    log.warn(
      'ENCRYPTION_KEY is not set: assessment answers, a security posture, are stored unencrypted. ' +
        'Set it to 32 random bytes (openssl rand -base64 32); see "Your data" in the README.',
    );
  }
  const metrics = createMetrics();
  const questionnaire = loadQuestionnaire(join(config.conversationsDir, 'k8s-hosting.yml'));
  const store = timed(await openStore(config.database, config.encryption), metrics.storeLatency);
  const keyProblem = keyringProblem(await store.keyIdsInUse(), config.encryption);
  if (keyProblem) {
    await store.close();
    throw new ConfigError([keyProblem]);
  }
  // One idle time for all: an assessment's expiry, App Home's "expired" and what a digest counts as abandoned.
  const idleMs = idleMsFor(config.idleDays);
  const service = createAdvisorService({
    store,
    questionnaire,
    idleMs,
    observer: {
      started: () => metrics.started.inc(),
      completed: (outcome) => metrics.completed.inc({ outcome }),
    },
  });
  const digests = createDigestService({ store, questionnaire, idleMs });
  const evidence = createEvidenceService({
    store,
    questionnaire,
    observer: { completed: (outcome) => metrics.completed.inc({ outcome }) },
  });
  const userData = createUserDataService({
    store,
    questionnaire,
    ...(config.retentionDays !== undefined && { retentionDays: config.retentionDays }),
  });
  // Before Bolt starts: it would ask in the background, and crash the process if Slack could not be reached.
  const identity = config.slack.botToken
    ? await whoAmI(config.slack.botToken, config.slack.apiUrl, log).catch(async (error: unknown) => {
        await store.close();
        throw error;
      })
    : {};
  const inFlight = new InFlight();
  let stopping = false;
  const routes = opsRoutes(metrics, { check: () => store.ping() }, () => stopping);
  const app = createSlackApp({
    config,
    service,
    digests,
    userData,
    evidence,
    idleMs,
    customRoutes: routes,
    identity,
    log,
    metrics,
    inFlight,
  });

  let server: Server;
  if (config.mode === 'socket') {
    await app.start();
    // Socket Mode has no HTTP server of its own; probes and metrics still need one.
    server = await serveOps(routes, config.host, config.port);
    log.info('connected to Slack in Socket Mode');
  } else {
    server = (await app.start({ port: config.port, host: config.host })) as Server;
    observeAcks(server, metrics);
  }
  // Scheduled channel digests: croner jobs in this process, exactly once across replicas through the store.
  const scheduler = createDigestScheduler({ digests, publish: publishDigest(app.client), logger: log });
  await scheduler.start();
  // RETENTION_DAYS: completed assessments past it are deleted now and then daily.
  const retention = startRetention(userData, log);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info(
    { port },
    config.mode === 'socket'
      ? 'serving /healthz, /readyz and /metrics'
      : 'listening for Slack on /slack/events',
  );
  return {
    port,
    settled: () => inFlight.drained(10_000),
    /** Graceful: refuse new work, let listeners finish what they acked, then close the store. */
    stop: async () => {
      stopping = true;
      await scheduler.stop();
      await retention.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.drained(10_000);
      if (config.mode === 'socket') await app.stop();
      else await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      await store.close();
      log.info('stopped');
    },
  };
}
