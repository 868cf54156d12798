import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresMigrations } from '../../src/store/migrations/postgres.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { storeContract } from './contract.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const shown = redact(url);
const unreachable = await probe(url);

if (unreachable && process.env.CI) {
  // CI has a database: a missing one is a broken environment, not a reason to pass quietly.
  it(`PostgreSQL reachable at ${shown} (required when CI is set)`, () => {
    throw new Error(`PostgreSQL not reachable at ${shown}: ${unreachable}`);
  });
} else if (unreachable) {
  // The default reporter hides skipped tests' names; say it on stderr as well.
  console.warn(`PostgreSQL not reachable at ${shown}: store tests skipped (${unreachable})`);
  it.skip(`PostgreSQL not reachable at ${shown}: skipped (${unreachable})`, () => {});
} else {
  // Each run gets schemas of its own, so parallel runs and other test files never meet.
  const schemas: string[] = [];
  const freshSchema = () => {
    const name = `test_k8s_advisor_${process.pid}_${randomBytes(4).toString('hex')}`;
    schemas.push(name);
    return name;
  };
  const withClient = async <T>(run: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };
  afterAll(() =>
    withClient(async (c) => {
      for (const name of schemas) await c.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    }),
  );

  const schema = freshSchema();
  storeContract('postgres', () => openPostgresStore(url, { schema }));

  describe('postgres migrations', () => {
    it('apply exactly once when two replicas open one fresh schema at once', async () => {
      const fresh = freshSchema();
      const stores = await Promise.all([
        openPostgresStore(url, { schema: fresh, poolSize: 2 }),
        openPostgresStore(url, { schema: fresh, poolSize: 2 }),
      ]);
      try {
        for (const store of stores) await store.ping();
        expect(await stores[0]?.claim('k')).toBe(true);
        expect(await stores[1]?.claim('k')).toBe(false);
        const { rows } = await withClient((c) =>
          c.query(`SELECT version FROM "${fresh}".schema_migrations ORDER BY version`),
        );
        expect(rows.map((r) => r.version)).toEqual(postgresMigrations.map((_, i) => i + 1));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
}

/** The reason PostgreSQL cannot be used, or undefined when it answers. */
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

function redact(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable TEST_DATABASE_URL)';
  }
}
