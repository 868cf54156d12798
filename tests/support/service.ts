import type { WebClient } from '@slack/web-api';
import { type AdvisorService, createAdvisorService } from '../../src/advisor/service.js';
import type { Thread } from '../../src/advisor/steps.js';
import { DEFAULT_IDLE_MS } from '../../src/advisor/time.js';
import { planner } from '../../src/slack/envelopes.js';
import type { ListenerDeps } from '../../src/slack/listeners/registry.js';
import type { Task } from '../../src/slack/outbox-handler.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { drain, testHandler } from './outbox.js';
import { questionnaire } from './questionnaire.js';

/** A real service over an in-memory SQLite store: listener tests exercise everything but Slack itself. */
export function memoryService() {
  const store = openSqliteStore(':memory:');
  let id = 0;
  const service = createAdvisorService({ store, questionnaire, newId: () => `a${++id}` });
  return { store, service };
}

/** A real service over an in-memory SQLite store that plans its Slack calls into the outbox, as the app's does. */
export function plannedService() {
  const store = openSqliteStore(':memory:');
  let id = 0;
  const service = createAdvisorService({
    store,
    questionnaire,
    newId: () => `a${++id}`,
    plan: planner(questionnaire),
  });
  return { store, service };
}

/**
 * What every listener needs, over a planned service; `settle` delivers what the listeners committed through the
 * fake Slack's client, as the app's sender would (tests/support/outbox.ts).
 */
export function listenerDeps(
  client: WebClient,
  extra: Partial<ListenerDeps> = {},
  tasks: Record<string, Task> = {},
) {
  const { store, service } = plannedService();
  const deps: ListenerDeps = {
    service,
    sender: { wake: () => {} },
    outbox: store,
    idleMs: DEFAULT_IDLE_MS,
    ...extra,
  };
  const handle = testHandler(client, service, store, tasks);
  return { store, service, deps, settle: () => drain(store, handle) };
}

/**
 * Six answers that finish an assessment: provider access ruled out ends it early (self_hosted_required), once it
 * is said where the clusters would run.
 */
export const SHORT_PATH = [
  ['team', 'small'],
  ['clusters', '3'],
  ['nodes', '30'],
  ['variability', 'steady'],
  ['provider_access', 'no'],
  ['self_host_site', 'own_datacenter'],
] as const;

/** Runs an assessment in `at` through the service to its card. */
export async function finishAssessment(service: AdvisorService, at: Thread) {
  await service.start(at);
  for (const [q, o] of SHORT_PATH) await service.answer(at, q, o);
}
