import { type AdvisorService, createAdvisorService } from '../../src/advisor/service.js';
import type { Thread } from '../../src/advisor/steps.js';
import { planner } from '../../src/slack/envelopes.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
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
