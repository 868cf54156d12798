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
import { observeAcks, opsRoutes, probeRoutes, serveOps } from './ops/http.js';
import { boltLogger, createLogger } from './ops/logger.js';
import { createMetrics, observeAdmission, observeOutbox, timed } from './ops/metrics.js';
import { startRetention } from './ops/retention.js';
import { Admission } from './slack/admission.js';
import { createSlackApp } from './slack/app.js';
import { webClientOptions } from './slack/client-options.js';
import { planner, refs, threadLane } from './slack/envelopes.js';
import { whoAmI } from './slack/identity.js';
import { botScopes } from './slack/manifest.js';
import { InFlight } from './slack/middleware.js';
import { createOAuth } from './slack/oauth/setup.js';
import { digestCall } from './slack/publish-digest.js';
import { gateSlackRequests } from './slack/request-gate.js';
import { keyringProblem } from './store/cipher.js';
import { openStore } from './store/open.js';

export interface RunningApp {
  /** The port HTTP mode listens on; undefined in Socket Mode. */
  port?: number;
  /** The port /metrics is served on (METRICS_PORT); undefined when there is no metrics server. */
  metricsPort?: number;
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
  // A rejection no handler caught (inside a library, say) is logged; it must never end the process and, with it,
  // the work of every other request.
  const onUnhandled = (reason: unknown) => log.error({ err: reason }, 'unhandled rejection; carrying on');
  process.on('unhandledRejection', onUnhandled);
  const metrics = createMetrics();
  const questionnaire = loadQuestionnaire(join(config.conversationsDir, 'k8s-hosting.yml'));
  // OAuth mode asks Slack for the manifest's bot scopes: read before anything is opened, so a bad file stops here.
  const scopes = config.oauth ? botScopes(config.oauth.manifestPath ?? 'manifest.yml') : [];
  if (config.oauth && config.oauth.stateSecret.length < 32) {
    log.warn('SLACK_STATE_SECRET is short: use at least 32 random characters (openssl rand -hex 32)');
  }
  const store = timed(await openStore(config.database, config.encryption), metrics.storeLatency);
  const keyProblem = keyringProblem(await store.keyIdsInUse(), config.encryption);
  if (keyProblem) {
    await store.close();
    throw new ConfigError([keyProblem]);
  }
  let stopping = false;
  const readiness = { check: () => store.ping() };
  const isStopping = () => stopping;
  const routes = probeRoutes(readiness, isStopping);
  // Metrics get a server of their own, started before Slack is asked anything, so a taken port stops
  // start-up at once with the variable to change.
  const metricsServer =
    config.metricsPort === undefined
      ? undefined
      : await listenOrExplain(
          () => serveOps(opsRoutes(metrics, readiness, isStopping), config.host, config.metricsPort ?? 0),
          'METRICS_PORT',
          config.metricsPort,
        ).catch(async (error: unknown) => {
          await store.close();
          throw error;
        });
  // One idle time for all: an assessment's expiry, App Home's "expired" and what a digest counts as abandoned.
  const idleMs = idleMsFor(config.idleDays);
  observeOutbox(metrics, () => store.stats());
  const service = createAdvisorService({
    store,
    questionnaire,
    idleMs,
    plan: planner(questionnaire),
    unseen: (s, questionId) =>
      store.unsent(threadLane(s.teamId, s.channelId, s.threadTs), refs.question(s.id, questionId)),
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
        metricsServer?.close();
        await store.close();
        throw error;
      })
    : {};
  const inFlight = new InFlight();
  const clientOptions = webClientOptions(config.slack.apiUrl, metrics);
  const oauth =
    config.oauth &&
    createOAuth({
      ...config.oauth,
      scopes,
      apiUrl: config.slack.apiUrl ?? 'https://slack.com/api/',
      installations: store,
      // An OAuth state belongs to no workspace yet.
      claimOnce: (key) => store.claim(key, ''),
      clientOptions,
      logger: boltLogger(log),
    });
  const { app, sender } = createSlackApp({
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
    outbox: store,
    ...(oauth && { oauth, installations: store }),
  });

  let server: Server;
  if (config.mode === 'socket') {
    await app.start();
    // Socket Mode has no HTTP server of its own; the probes still need one.
    server = await listenOrExplain(() => serveOps(routes, config.host, config.port), 'PORT', config.port);
    log.info('connected to Slack in Socket Mode');
  } else {
    server = (await app.start({ port: config.port, host: config.host })) as Server;
    // At most maxInFlight requests in process at once (a few while the outbox sender is behind, so acknowledged work
    // gets finished before more is taken); the rest wait briefly, bodies unread, or get a 503.
    const admission: Admission = new Admission({
      ...(config.maxInFlight !== undefined && { maxInFlight: config.maxInFlight }),
      observer: observeAdmission(metrics, () => admission),
      behind: sender.behind,
    });
    gateSlackRequests(server, {
      admission,
      onRefused: (reason) => log.warn({ reason }, 'refused a Slack request'),
    });
    observeAcks(server, metrics);
  }
  // Scheduled channel digests: croner jobs in this process, exactly once across replicas through the store; each
  // digest is queued with its run's claim and posted by the outbox sender.
  const scheduler = createDigestScheduler({
    digests,
    plan: (job) => [digestCall(job)],
    wake: sender.wake,
    logger: log,
  });
  await scheduler.start();
  // RETENTION_DAYS: completed assessments past it are deleted now and then daily.
  const retention = startRetention(userData, log);
  const port = portOf(server) ?? config.port;
  const metricsPort = metricsServer && portOf(metricsServer);
  log.info(
    { port, metricsPort },
    config.mode === 'socket' ? 'serving /healthz and /readyz' : 'listening for Slack on /slack/events',
  );
  return {
    port,
    ...(metricsPort !== undefined && { metricsPort }),
    settled: async () => {
      await inFlight.drained(10_000);
      await Promise.race([sender.idle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
    },
    /**
     * Graceful: refuse new requests, let those being handled commit, then stop the sender, leaving what is still
     * queued in the outbox for the next replica or start, rather than racing a timer to send it all.
     */
    stop: async () => {
      stopping = true;
      await scheduler.stop();
      await retention.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.drained(10_000);
      if (config.mode === 'socket') await app.stop();
      else await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      await sender.stop(3_000);
      if (metricsServer) {
        // Prometheus keeps its connection open; it is the last to go, once the work is drained.
        const metricsClosed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        metricsServer.closeAllConnections();
        await metricsClosed;
      }
      await store.close();
      process.off('unhandledRejection', onUnhandled);
      log.info('stopped');
    },
  };
}

function portOf(server: Server): number | undefined {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : undefined;
}

/** A port already taken is a configuration problem: say which variable to change. */
async function listenOrExplain(listen: () => Promise<Server>, variable: string, port: number) {
  try {
    return await listen();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new ConfigError([
      `${variable} ${port} is already in use; stop the other program or set ${variable} to a free port`,
    ]);
  }
}
