import type { Config } from '../config.js';
import { openSqliteStore } from './sqlite.js';
import type { AssessmentStore } from './store.js';

/** Picks the adapter from DATABASE_URL. */
export async function openStore(database: Config['database']): Promise<AssessmentStore> {
  if (database.engine === 'sqlite') return openSqliteStore(database.path);
  // Loaded on demand so a SQLite deployment never loads pg.
  const { openPostgresStore } = await import('./postgres.js');
  return openPostgresStore(database.url);
}
