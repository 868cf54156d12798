import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, it } from 'vitest';

/** The test database; CI runs on a machine that has it. */
export const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const redact = (raw: string) => {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable TEST_DATABASE_URL)';
  }
};

async function probe(connectionString: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs `suite` when PostgreSQL answers. Otherwise: outside CI, one visibly skipped test saying why;
 * with CI set, one failing test, since CI has a database and a missing one is a broken environment.
 */
export async function withPostgres(what: string, suite: (schemaFor: () => string) => void) {
  const unreachable = await probe(pgUrl);
  const shown = redact(pgUrl);
  if (unreachable && process.env.CI) {
    it(`PostgreSQL reachable at ${shown} for ${what} (required when CI is set)`, () => {
      throw new Error(`PostgreSQL not reachable at ${shown}: ${unreachable}`);
    });
    return;
  }
  if (unreachable) {
    console.warn(`PostgreSQL not reachable at ${shown}: ${what} skipped (${unreachable})`);
    it.skip(`PostgreSQL not reachable at ${shown}: ${what} skipped (${unreachable})`, () => {});
    return;
  }
  const schemas: string[] = [];
  afterAll(async () => {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    for (const name of schemas) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await client.end();
  });
  suite(() => {
    const name = `test_k8s_advisor_${process.pid}_${randomBytes(4).toString('hex')}`;
    schemas.push(name);
    return name;
  });
}

/** A DATABASE_URL for the app that puts its tables in `schema`. */
export const appDatabaseUrl = (schema: string) =>
  `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
