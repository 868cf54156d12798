import type { FieldCodec } from './cipher.js';
import { describePostgres, explainOpenFailure } from './errors.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/**
 * A PostgreSQL URL may name a schema with `?schema=<name>` (default public), so several deployments or test runs
 * can share one database. The parameter is ours, not libpq's, so it is taken off before pg sees the URL.
 */
export function splitSchema(url: string): { url: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), ...(schema && { schema }) };
}

/** Which database DATABASE_URL names. */
export type DatabaseTarget =
  | { engine: 'sqlite'; path: string }
  | { engine: 'postgres'; url: string; poolSize?: number };

/** Picks the adapter from DATABASE_URL; with a codec (the ENCRYPTION_KEY keyring) answers are encrypted at rest. */
export async function openStore(database: DatabaseTarget, codec?: FieldCodec): Promise<Store> {
  if (database.engine === 'sqlite') {
    try {
      return openSqliteStore(database.path, codec ? { codec } : {});
    } catch (error) {
      throw explainOpenFailure(error, database.path);
    }
  }
  // Loaded on demand so a SQLite deployment never loads pg.
  const { openPostgresStore } = await import('./postgres.js');
  const { url, schema } = splitSchema(database.url);
  try {
    return await openPostgresStore(url, {
      ...(schema && { schema }),
      ...(database.poolSize && { poolSize: database.poolSize }),
      ...(codec && { codec }),
    });
  } catch (error) {
    throw explainOpenFailure(error, describePostgres(url));
  }
}
