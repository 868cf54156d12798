/**
 * Which installation a lookup or a removal means: one workspace's, or an Enterprise Grid org's when the app was
 * installed org-wide (then every workspace of the org is served by it).
 */
export type InstallationRef =
  | { orgWide: false; teamId: string; enterpriseId?: string }
  | { orgWide: true; enterpriseId: string };

/** An installation as stored. The app's tenants are workspaces; an org-wide one covers the org's workspaces. */
export interface StoredInstallation {
  /** The workspace; null for an org-wide installation. */
  teamId: string | null;
  /** The Enterprise Grid org, for org-wide installations and for workspaces that belong to one. */
  enterpriseId: string | null;
  orgWide: boolean;
  /**
   * What the OAuth exchange gave, tokens included, as JSON (the Slack edge's shape: the core does not read it).
   * Stored encrypted, always.
   */
  document: string;
  /** When it was first stored; kept through token refreshes and re-installs, reset by an uninstall. */
  installedAt: number;
  updatedAt: number;
}

/** What removing a tenant deleted: the installation and every row of the workspaces it covered. */
export interface TenantRemoval {
  installation: boolean;
  /** The workspaces whose data went: the one, or every workspace of an org seen under its org-wide install. */
  workspaces: string[];
  assessments: number;
  /** Digest findings of those assessments. */
  findings: number;
  subscriptions: number;
  runs: number;
  /** Idempotency keys claimed in those workspaces. */
  keys: number;
  /** Slack calls of those workspaces still waiting to be sent, or given up on (the outbox). */
  outbox: number;
}

/**
 * Where OAuth installations live, next to the other ports on both adapters (SQLite and PostgreSQL, one contract
 * suite). Owned by the core because removing a tenant removes the core's data with it, in one transaction.
 */
export interface InstallationStore {
  /**
   * Stores an installation, replacing the one of the same workspace (or org, when org-wide): a re-install or a
   * token refresh. Refuses to store it unencrypted.
   */
  saveInstallation(
    installation: Omit<StoredInstallation, 'installedAt' | 'updatedAt'>,
    now: number,
  ): Promise<void>;
  /**
   * The installation serving a workspace or org. A workspace without one of its own is served by its org's
   * org-wide installation: the one named by `enterpriseId`, or the org it was noted under.
   */
  findInstallation(ref: InstallationRef): Promise<StoredInstallation | undefined>;
  /** Deletes the installation only (the data stays); false when there was none. */
  deleteInstallation(ref: InstallationRef): Promise<boolean>;
  /**
   * Notes that a workspace was served by its org's org-wide installation, so an org-wide uninstall finds the
   * workspace's data, and a lookup by the workspace alone (a scheduled digest) finds the org's installation.
   */
  noteOrgWorkspace(enterpriseId: string, teamId: string, now: number): Promise<void>;
  /**
   * The app was uninstalled (or its bot token revoked): deletes, in one transaction, the installation and every
   * row of the workspaces it covered: assessments with their answers, evidence and findings, digest
   * subscriptions and runs, idempotency keys, and its Slack calls not yet sent (or given up on) with the ts of
   * the messages it posted.
   */
  removeTenant(ref: InstallationRef): Promise<TenantRemoval>;
}
