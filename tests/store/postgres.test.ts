import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src/advisor/ports/outbox.js';
import { postgresMigrations } from '../../src/store/migrations/postgres.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { VACUUM_EVERY } from '../../src/store/postgres-outbox.js';
import { pgUrl as url, withPostgres } from '../support/postgres.js';
import { freshSession } from '../support/session.js';
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

  describe('postgres outbox upkeep', () => {
    it('vacuums its own queue after every VACUUM_EVERY settled items, so leases stop stepping over them', async () => {
      const fresh = freshSchema();
      const store = await openPostgresStore(url, { schema: fresh, poolSize: 4 });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const vacuums = async () =>
        Number(
          (
            await client.query(
              `SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'outbox'`,
              [fresh],
            )
          ).rows[0]?.vacuum_count ?? 0,
        );
      try {
        const lane = (i: number) => `T1:C1:${i}`;
        const items = Array.from({ length: VACUUM_EVERY }, (_, i) => ({
          teamId: 'T1',
          lane: lane(i),
          kind: 'chat.postMessage',
          payload: { args: { text: `item ${i}` } },
        }));
        await store.enqueue(items);
        const leased = await store.lease('A', VACUUM_EVERY, 60_000);
        expect(leased).toHaveLength(VACUUM_EVERY);
        await Promise.all(leased.slice(0, -1).map((item) => store.sent(item)));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await vacuums()).toBe(0);
        await store.sent(leased.at(-1) as OutboxItem);
        // The vacuum runs beside the settlement; the statistics see it once it has finished.
        const deadline = Date.now() + 10_000;
        while ((await vacuums()) === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(await vacuums()).toBe(1);
      } finally {
        await client.end();
        await store.close();
      }
    });
  });

  describe('postgres migrations', () => {
    it('upgrade to 11 keeps the rows and allows one live assessment per thread and person', async () => {
      const fresh = freshSchema();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const old = freshSession({ createdAt: 1_750_000_000_000 });
      try {
        await client.query(`CREATE SCHEMA "${fresh}"; SET search_path = "${fresh}"`);
        await client.query(
          'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
        );
        for (const [i, sql] of postgresMigrations.slice(0, 10).entries()) {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 0)', [i + 1]);
        }
        await client.query(
          `INSERT INTO assessments (id, team_id, channel_id, thread_ts, user_id, questionnaire_id, status, answers,
             answer_order, restarts, version, created_at, updated_at, questionnaire_version)
           VALUES ($1, $2, $3, $4, $5, $6, 'active', '{}', '[]', 0, 0, $7, $8, 2)`,
          [
            old.id,
            old.teamId,
            old.channelId,
            old.threadTs,
            old.userId,
            old.questionnaireId,
            old.createdAt,
            old.updatedAt,
          ],
        );
        const store = await openPostgresStore(url, { schema: fresh, poolSize: 2 });
        try {
          expect(await store.get(old)).toEqual(old);
          const { teamId, channelId, threadTs, userId } = old;
          const twin = { ...freshSession(), teamId, channelId, threadTs, userId };
          expect(await store.insert(twin)).toEqual({ status: 'conflict' });
        } finally {
          await store.close();
        }
        const { rows } = await client.query(
          `SELECT conname FROM pg_constraint WHERE conrelid = '"${fresh}".assessments'::regclass AND contype = 'u'`,
        );
        expect(rows).toEqual([]);
      } finally {
        await client.end();
      }
    });

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
