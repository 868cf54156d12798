import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresMigrations } from '../../src/store/migrations/postgres.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { pgUrl as url, withPostgres } from '../support/postgres.js';
import { storeContract } from './contract.js';
import { installationContract } from './installation-contract.js';
import { outboxContract } from './outbox-contract.js';

await withPostgres('the PostgreSQL store tests', (freshSchema) => {
  const schema = freshSchema();
  storeContract('postgres', () => openPostgresStore(url, { schema }));
  // A schema of its own: its last case rotates the key of everything in it.
  const installations = freshSchema();
  installationContract('postgres', (codec) =>
    openPostgresStore(url, { schema: installations, poolSize: 2, ...(codec && { codec }) }),
  );

  // A schema per test: a lease takes the heads of every lane in the schema.
  outboxContract('postgres', () => {
    const fresh = freshSchema();
    return {
      open: (codec) => openPostgresStore(url, { schema: fresh, poolSize: 4, ...(codec && { codec }) }),
      rows: async (table) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(`SELECT * FROM "${fresh}".${table}`)).rows;
        } finally {
          await client.end();
        }
      },
    };
  });

  describe('postgres migrations', () => {
    it('apply exactly once when two replicas open one fresh schema at once', async () => {
      const fresh = freshSchema();
      const stores = await Promise.all([
        openPostgresStore(url, { schema: fresh, poolSize: 2 }),
        openPostgresStore(url, { schema: fresh, poolSize: 2 }),
      ]);
      try {
        for (const store of stores) await store.ping();
        expect(await stores[0]?.claim('k', 'T1')).toBe(true);
        expect(await stores[1]?.claim('k', 'T1')).toBe(false);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const { rows } = await client
          .query(`SELECT version FROM "${fresh}".schema_migrations ORDER BY version`)
          .finally(() => client.end());
        expect(rows.map((r) => r.version)).toEqual(postgresMigrations.map((_, i) => i + 1));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });
});
