import { App, type CustomRoute } from '@slack/bolt';
import type { Logger } from 'pino';
import type { EvidenceService } from '../advisor/evidence-service.js';
import type { InstallationStore } from '../advisor/ports/installations.js';
import type { OutboxStore } from '../advisor/ports/outbox.js';
import type { AdvisorService } from '../advisor/service.js';
import type { UserDataService } from '../advisor/user-data.js';
import type { Config } from '../config.js';
import type { DigestService } from '../digest/service.js';
import { boltLogger } from '../ops/logger.js';
import { type Metrics, senderMetrics } from '../ops/metrics.js';
import { type CallAuth, createChatClient } from './chat-client.js';
import { webClientOptions } from './client-options.js';
import type { BotIdentity } from './identity.js';
import { registerActions } from './listeners/actions.js';
import { registerAdr } from './listeners/adr.js';
import { registerCommands } from './listeners/commands.js';
import { registerDigest } from './listeners/digest.js';
import { registerEvidence } from './listeners/evidence.js';
import { registerHome } from './listeners/home.js';
import { registerMessages } from './listeners/messages.js';
import { registerPrivacy } from './listeners/privacy.js';
import { Listeners, NOT_ACKNOWLEDGED, type Register } from './listeners/registry.js';
import { registerUninstall } from './listeners/uninstall.js';
import { type InFlight, registerRequestLog } from './middleware.js';
import type { OAuth } from './oauth/setup.js';
import { outboxHandler } from './outbox-handler.js';
import { type Sender, startSender } from './outbox-sender.js';
import { outboxTasks } from './outbox-tasks.js';
import { CommitFirstSocketReceiver } from './socket-receiver.js';
import { type BotAccess, currentRequest, registerWorkspaceScope, singleWorkspace } from './workspace.js';

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
  /** OAuth mode: the installer's authorize, install routes and workspaces' tokens; tokens come from installations. */
  oauth?: OAuth;
  /** OAuth mode: where installations live, so an uninstall removes one with its workspace's data. */
  installations?: InstallationStore;
  /** Where the Slack calls that follow a change wait until the sender delivers them. */
  outbox: OutboxStore;
}

export interface SlackApp {
  app: App;
  /** Delivers the outbox; stopped by the caller after the HTTP server, so acknowledged work is left queued. */
  sender: Sender;
  /** The bot of a workspace, for calls made outside a request. */
  access: BotAccess;
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
  registerUninstall,
];

/**
 * Who the lean chat client posts as in OAuth mode: the bot of the request being handled (the token Bolt just
 * authorized it with), in that request's workspace. Outside a request there is no workspace to act in.
 */
function requestAuth(access: BotAccess) {
  return async (): Promise<CallAuth> => {
    const request = currentRequest();
    if (!request) throw new Error('a chat call outside a Slack request names no workspace: use BotAccess');
    const token = request.botToken ?? (await access.botToken(request));
    return { token, ...(request.teamId && { teamId: request.teamId }) };
  };
}

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
  oauth,
  installations,
  outbox,
}: SlackAppOptions): SlackApp {
  const { slack } = config;
  if (!slack.botToken && !oauth) throw new Error('the Slack app needs a bot token, or OAuth to find one');
  const logger = boltLogger(log);
  const app = new App({
    // One workspace's token, or the installer's authorize finding each request's (OAuth mode).
    ...(oauth ? { authorize: oauth.authorize } : { token: slack.botToken, ...identity }),
    // The response (or the Socket Mode ack) leaves once the listener has committed, events included, which Bolt
    // would otherwise acknowledge before any listener runs: an acknowledged request is never lost.
    ...(config.mode === 'socket'
      ? {
          socketMode: true,
          receiver: new CommitFirstSocketReceiver({ appToken: slack.appToken as string, logger }),
        }
      : {
          signingSecret: slack.signingSecret,
          customRoutes: [...customRoutes, ...(oauth?.routes ?? [])],
          processBeforeResponse: true,
        }),
    logger,
    // State lives in our store; Bolt's conversation store would only cost a failed lookup per request.
    convoStore: false,
    clientOptions: webClientOptions(slack.apiUrl, metrics),
  });
  if (oauth) registerWorkspaceScope(app);
  registerRequestLog(app, log, metrics, inFlight);
  // Queued calls go out through the lean client, tried once each: the outbox retries, with the item's backoff.
  const chat = createChatClient({
    token: oauth ? requestAuth(oauth.access) : (slack.botToken as string),
    ...(slack.apiUrl && { apiUrl: slack.apiUrl }),
    metrics,
    // Well inside the sender's lease (6 s), so a slow call is not sent again by another replica meanwhile.
    timeoutMs: 4_000,
    retries: 0,
  });
  const access = oauth?.access ?? singleWorkspace(slack.botToken as string, app.client);
  let wake = () => {};
  const handle = outboxHandler(
    chat.call,
    outbox,
    outboxTasks({
      service,
      call: chat.call,
      outbox,
      // The sender runs each item in its workspace's scope, org included (OAuth mode's org-wide installs).
      clientFor: (ws) => access.client({ ...currentRequest(), ...ws }),
      wake: () => wake(),
      logger: boltLogger(log),
      idleMs,
      ...(digests && { digests }),
      ...(userData && { userData }),
      ...(evidence && { evidence }),
    }),
  );
  const sender = startSender({
    outbox,
    handle,
    log,
    metrics: senderMetrics(metrics),
    ...(config.outboxConcurrency !== undefined && { concurrency: config.outboxConcurrency }),
  });
  wake = sender.wake;
  const deps = {
    service,
    sender,
    outbox,
    idleMs,
    ...(digests && { digests }),
    ...(userData && { userData }),
    ...(evidence && { evidence }),
    ...(installations && { installations }),
  };
  const listeners = new Listeners();
  for (const register of LISTENERS) register(listeners, deps);
  listeners.attach(app);
  app.error(async (error) => {
    // A request from a workspace with no installation: Bolt acknowledged it and called nothing; nothing failed.
    if (error.code === 'slack_bolt_authorization_error') {
      log.warn(`ignored a request Slack sent for a workspace without an installation (${error.message})`);
      return;
    }
    // Nothing was committed (logged with its request by the request log): thrown on, so the receiver answers with
    // an error status and Slack retries the event or shows the person an error.
    if (error.code === NOT_ACKNOWLEDGED) throw error;
    log.error({ err: error }, 'listener failed');
  });
  return { app, sender, access };
}
