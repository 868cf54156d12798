import { createAdvisorService } from '../../src/advisor/service.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { questionnaire } from './questionnaire.js';

/** A real service over an in-memory SQLite store: listener tests exercise everything but Slack itself. */
export function memoryService() {
  const store = openSqliteStore(':memory:');
  let id = 0;
  const service = createAdvisorService({ store, questionnaire, newId: () => `a${++id}` });
  return { store, service };
}

export const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'info',
  setName() {},
} as never;
