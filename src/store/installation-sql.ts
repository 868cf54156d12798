import type { InstallationRef, StoredInstallation, TenantRemoval } from '../advisor/ports/installations.js';
import { CipherError, type FieldCodec } from './cipher.js';
import { KEY_HAS_PREFIX } from './keys.js';

/** An installation's row id: one per workspace, or one per org when installed org-wide. */
export const installationId = (ref: InstallationRef) =>
  ref.orgWide ? `enterprise:${ref.enterpriseId}` : `team:${ref.teamId}`;

/** What the sealed document is bound to: its row, so a copy in another row does not open. */
const context = (id: string) => `installation ${id}`;

/**
 * Shared by both engines, `@name` parameters as in digest-sql.ts. Every deletion of a tenant's rows is by its team
 * id, which leads the primary key or an index of each table (processed_keys is matched by prefix: a scan, but only
 * on an uninstall).
 */
export const INSTALLATION_SQL = {
  upsert: `INSERT INTO installations (id, team_id, enterprise_id, org_wide, document, installed_at, updated_at)
    VALUES (@id, @team_id, @enterprise_id, @org_wide, @document, @now, @now)
    ON CONFLICT (id) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
      org_wide = excluded.org_wide, document = excluded.document, updated_at = excluded.updated_at`,
  find: 'SELECT * FROM installations WHERE id = @id',
  orgOf: 'SELECT enterprise_id FROM org_workspaces WHERE team_id = @team ORDER BY noted_at DESC LIMIT 1',
  delete: 'DELETE FROM installations WHERE id = @id',
  note: `INSERT INTO org_workspaces (enterprise_id, team_id, noted_at) VALUES (@enterprise, @team, @now)
    ON CONFLICT DO NOTHING`,
  forgetOrg: 'DELETE FROM org_workspaces WHERE enterprise_id = @enterprise RETURNING team_id',
  forgetNotes: 'DELETE FROM org_workspaces WHERE team_id = @team',
  findings: `DELETE FROM assessment_findings
    WHERE assessment_id IN (SELECT id FROM assessments WHERE team_id = @team)`,
  assessments: 'DELETE FROM assessments WHERE team_id = @team',
  subscriptions: 'DELETE FROM digest_subscriptions WHERE team_id = @team',
  runs: 'DELETE FROM digest_runs WHERE team_id = @team',
  keys: `DELETE FROM processed_keys WHERE ${KEY_HAS_PREFIX}`,
  outbox: 'DELETE FROM outbox WHERE team_id = @team',
  outboxDead: 'DELETE FROM outbox_dead WHERE team_id = @team',
  messageRefs: 'DELETE FROM message_refs WHERE team_id = @team',
  keyIdsInUse: `SELECT DISTINCT substr(document, 8, 8) AS key_id FROM installations WHERE document LIKE 'enc:v1:%'`,
  sealedBatch: 'SELECT id, document FROM installations WHERE id > @after ORDER BY id LIMIT @limit',
  reseal: 'UPDATE installations SET document = @document WHERE id = @id AND document = @old_document',
} as const;

export interface InstallationRow {
  id: string;
  team_id: string | null;
  enterprise_id: string | null;
  org_wide: number | string;
  document: string;
  installed_at: number | string;
  updated_at: number | string;
}

/**
 * Installations hold every workspace's bot token: they are never written in the clear, whatever the codec.
 * Start-up refuses OAuth mode without ENCRYPTION_KEY; this is the store's own guard.
 */
export function sealInstallation(codec: FieldCodec, id: string, document: string): string {
  if (codec.encrypts !== true) {
    throw new CipherError('installations hold bot tokens and are only stored encrypted: set ENCRYPTION_KEY');
  }
  return codec.seal(document, context(id));
}

export const installationParams = (
  codec: FieldCodec,
  i: Omit<StoredInstallation, 'installedAt' | 'updatedAt'>,
  now: number,
) => {
  const ref: InstallationRef = i.orgWide
    ? { orgWide: true, enterpriseId: i.enterpriseId ?? '' }
    : { orgWide: false, teamId: i.teamId ?? '' };
  const id = installationId(ref);
  return {
    id,
    team_id: i.teamId,
    enterprise_id: i.enterpriseId,
    org_wide: i.orgWide ? 1 : 0,
    document: sealInstallation(codec, id, i.document),
    now,
  };
};

export const fromInstallationRow = (codec: FieldCodec, r: InstallationRow): StoredInstallation => ({
  teamId: r.team_id,
  enterpriseId: r.enterprise_id,
  orgWide: Number(r.org_wide) === 1,
  document: codec.open(r.document, context(r.id)),
  installedAt: Number(r.installed_at),
  updatedAt: Number(r.updated_at),
});

/** The new document of a row not sealed under the current key; undefined when it is. */
export function resealedInstallation(codec: FieldCodec, r: { id: string; document: string }) {
  if (codec.isStale?.(r.document) !== true) return undefined;
  return {
    id: r.id,
    document: sealInstallation(codec, r.id, codec.open(r.document, context(r.id))),
    old_document: r.document,
  };
}

type Counted = Exclude<keyof TenantRemoval, 'installation' | 'workspaces'>;

/**
 * The per-workspace deletions of a tenant removal, in order (findings before their assessments), each with the
 * count it adds to: queued and given-up Slack calls both count as `outbox`; the posted messages' ts (message_refs)
 * are bookkeeping, deleted uncounted.
 */
export const TENANT_TABLES = [
  ['findings', 'findings'],
  ['assessments', 'assessments'],
  ['subscriptions', 'subscriptions'],
  ['runs', 'runs'],
  ['keys', 'keys'],
  ['outbox', 'outbox'],
  ['outboxDead', 'outbox'],
  ['messageRefs', undefined],
] as const satisfies readonly (readonly [keyof typeof INSTALLATION_SQL, Counted | undefined])[];

/** A removal that has deleted nothing yet. */
export const noRemoval = (installation: boolean, workspaces: string[]): TenantRemoval => ({
  installation,
  workspaces,
  assessments: 0,
  findings: 0,
  subscriptions: 0,
  runs: 0,
  keys: 0,
  outbox: 0,
});
