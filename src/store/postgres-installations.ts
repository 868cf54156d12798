import type pg from 'pg';
import type { InstallationRef, InstallationStore, TenantRemoval } from '../advisor/ports/installations.js';
import type { FieldCodec } from './cipher.js';
import { positional } from './digest-sql.js';
import {
  fromInstallationRow,
  INSTALLATION_SQL,
  type InstallationRow,
  installationId,
  installationParams,
  noRemoval,
  resealedInstallation,
  TENANT_TABLES,
} from './installation-sql.js';
import { teamKeyPrefix } from './keys.js';
import { within } from './pg-transaction.js';
import { RESEAL_BATCH } from './user-data-sql.js';

type Db = pg.Pool | pg.PoolClient;

const SQL = Object.fromEntries(
  Object.entries(INSTALLATION_SQL).map(([k, sql]) => [k, positional(sql)]),
) as Record<keyof typeof INSTALLATION_SQL, { text: string; names: string[] }>;

const run = <R extends pg.QueryResultRow = Record<string, never>>(
  db: Db,
  name: keyof typeof SQL,
  params: Record<string, unknown>,
) => {
  const { text, names } = SQL[name];
  return db.query<R>(
    text,
    names.map((n) => params[n]),
  );
};

/** The installations half of the PostgreSQL adapter, over the same pool as the assessments. */
export function postgresInstallations(pool: pg.Pool, codec: FieldCodec) {
  const find = async (id: string) => (await run<InstallationRow>(pool, 'find', { id })).rows[0];

  const store: InstallationStore = {
    saveInstallation: async (installation, now) => {
      await run(pool, 'upsert', installationParams(codec, installation, now));
    },
    findInstallation: async (ref) => {
      const own = await find(installationId(ref));
      if (own || ref.orgWide) return own && fromInstallationRow(codec, own);
      const org =
        ref.enterpriseId ??
        (await run<{ enterprise_id: string }>(pool, 'orgOf', { team: ref.teamId })).rows[0]?.enterprise_id;
      const row =
        org === undefined ? undefined : await find(installationId({ orgWide: true, enterpriseId: org }));
      return row && fromInstallationRow(codec, row);
    },
    deleteInstallation: async (ref) =>
      ((await run(pool, 'delete', { id: installationId(ref) })).rowCount ?? 0) === 1,
    noteOrgWorkspace: async (enterprise, team, now) => {
      await run(pool, 'note', { enterprise, team, now });
    },
    removeTenant: (ref: InstallationRef) =>
      within(pool, async (c): Promise<TenantRemoval> => {
        const installation = ((await run(c, 'delete', { id: installationId(ref) })).rowCount ?? 0) === 1;
        const workspaces = ref.orgWide
          ? (await run<{ team_id: string }>(c, 'forgetOrg', { enterprise: ref.enterpriseId })).rows.map(
              (r) => r.team_id,
            )
          : [ref.teamId];
        const removed = noRemoval(installation, workspaces);
        for (const team of workspaces) {
          await run(c, 'forgetNotes', { team });
          for (const [table, count] of TENANT_TABLES) {
            const { rowCount } = await run(c, table, { team, prefix: teamKeyPrefix(team) });
            if (count) removed[count] += rowCount ?? 0;
          }
        }
        return removed;
      }),
  };

  return {
    store,
    keyIdsInUse: async () =>
      (await run<{ key_id: string }>(pool, 'keyIdsInUse', {})).rows.map((r) => r.key_id),
    reseal: async () => {
      let count = 0;
      for (let after = ''; ; ) {
        const { rows } = await run<{ id: string; document: string }>(pool, 'sealedBatch', {
          after,
          limit: RESEAL_BATCH,
        });
        for (const r of rows) {
          const next = resealedInstallation(codec, r);
          if (next) count += (await run(pool, 'reseal', next)).rowCount ?? 0;
        }
        if (rows.length < RESEAL_BATCH) return count;
        after = (rows.at(-1) as { id: string }).id;
      }
    },
  };
}
