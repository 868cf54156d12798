import type Database from 'better-sqlite3';
import type { InstallationRef, InstallationStore, TenantRemoval } from '../advisor/ports/installations.js';
import type { FieldCodec } from './cipher.js';
import {
  fromInstallationRow,
  type InstallationRow,
  installationId,
  installationParams,
  noRemoval,
  resealedInstallation,
  INSTALLATION_SQL as SQL,
  TENANT_TABLES,
} from './installation-sql.js';
import { teamKeyPrefix } from './keys.js';
import { RESEAL_BATCH } from './user-data-sql.js';

/** The installations half of the SQLite adapter, over the same database handle as the assessments. */
export function sqliteInstallations(db: Database.Database, codec: FieldCodec) {
  const stmt = Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as Record<keyof typeof SQL, Database.Statement>;

  const find = (id: string) => stmt.find.get({ id }) as InstallationRow | undefined;

  const removeTx = db.transaction((ref: InstallationRef): TenantRemoval => {
    const id = installationId(ref);
    const installation = stmt.delete.run({ id }).changes === 1;
    const workspaces = ref.orgWide
      ? (stmt.forgetOrg.all({ enterprise: ref.enterpriseId }) as { team_id: string }[]).map((r) => r.team_id)
      : [ref.teamId];
    const removed = noRemoval(installation, workspaces);
    for (const team of workspaces) {
      stmt.forgetNotes.run({ team });
      for (const [table, count] of TENANT_TABLES) {
        const { changes } = stmt[table].run({ team, prefix: teamKeyPrefix(team) });
        if (count) removed[count] += changes;
      }
    }
    return removed;
  });

  const store: InstallationStore = {
    saveInstallation: async (installation, now) => {
      stmt.upsert.run(installationParams(codec, installation, now));
    },
    findInstallation: async (ref) => {
      const own = find(installationId(ref));
      if (own || ref.orgWide) return own && fromInstallationRow(codec, own);
      const org =
        ref.enterpriseId ??
        (stmt.orgOf.get({ team: ref.teamId }) as { enterprise_id: string } | undefined)?.enterprise_id;
      const row = org === undefined ? undefined : find(installationId({ orgWide: true, enterpriseId: org }));
      return row && fromInstallationRow(codec, row);
    },
    deleteInstallation: async (ref) => stmt.delete.run({ id: installationId(ref) }).changes === 1,
    noteOrgWorkspace: async (enterprise, team, now) => {
      stmt.note.run({ enterprise, team, now });
    },
    removeTenant: async (ref) => removeTx(ref),
  };

  return {
    store,
    keyIdsInUse: () => (stmt.keyIdsInUse.all() as { key_id: string }[]).map((r) => r.key_id),
    reseal: () => {
      let count = 0;
      for (let after = ''; ; ) {
        const rows = stmt.sealedBatch.all({ after, limit: RESEAL_BATCH }) as {
          id: string;
          document: string;
        }[];
        for (const r of rows) {
          const next = resealedInstallation(codec, r);
          if (next) count += stmt.reseal.run(next).changes;
        }
        if (rows.length < RESEAL_BATCH) return count;
        after = (rows.at(-1) as { id: string }).id;
      }
    },
  };
}
