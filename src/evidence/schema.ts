import { z } from 'zod';

/**
 * The evidence file, version 1: what `k8s-advisor-evidence` writes and what the app accepts back. It holds the
 * analysis (who holds cluster-admin power and why), never the raw objects, so it stays small and carries no
 * secret values. A change that an older reader could misread bumps `schemaVersion`.
 */
export const EVIDENCE_SCHEMA_VERSION = 1;
export const EVIDENCE_KIND = 'k8s-advisor-evidence';

/** Caps on what a file may hold; the collector trims to them and the validator refuses anything past them. */
export const LIMITS = {
  fileBytes: 512 * 1024,
  depth: 10,
  text: 300,
  longText: 1000,
  subjects: 400,
  grantsPerSubject: 20,
  namespacedGrants: 400,
  gaps: 100,
  signals: 10,
  accessEntries: 200,
  groups: 20,
  listItems: 50,
} as const;

export const PROVIDERS = ['eks', 'gke', 'aks', 'kubeadm', 'other', 'unknown'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const REASONS = [
  'wildcard',
  'escalate',
  'bind',
  'impersonate',
  'secrets',
  'nodes-proxy',
  'pods-exec',
] as const;
/** Why a grant counts as cluster-admin-equivalent (see rbac.ts for the exact rule behind each). */
export type Reason = (typeof REASONS)[number];

export const OWNERS = ['provider', 'creator', 'local-admin', 'system', 'customer'] as const;
export type Owner = (typeof OWNERS)[number];

export const SUBJECT_KINDS = ['User', 'Group', 'ServiceAccount', 'IAMPrincipal'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const TRISTATE = ['yes', 'no', 'unknown'] as const;
export type Tristate = (typeof TRISTATE)[number];

const text = z.string().min(1).max(LIMITS.text);
const optionalText = z.string().max(LIMITS.text);
/**
 * A name from the cluster (subject, binding, role, namespace, context): Slack markup in it is refused. The
 * command writes look-alike characters instead (text.ts), so only a file made or edited by hand holds them.
 */
const NO_MARKUP = /^[^<>`*~|]*$/;
const markupMessage = 'holds Slack markup (<, >, `, *, ~ or |), which a name from a cluster never needs';
const name = text.regex(NO_MARKUP, markupMessage);
const optionalName = optionalText.regex(NO_MARKUP, markupMessage);
const longText = z.string().max(LIMITS.longText);
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max);

const grant = z.strictObject({
  via: z.enum(['ClusterRoleBinding', 'AccessPolicy', 'aws-auth', 'provider']),
  /** The binding, access entry or mapping that gives the power. */
  binding: name,
  /** The role, access policy or group that carries it. */
  role: name,
  reasons: list(z.enum(REASONS), REASONS.length).min(1),
});

const subject = z.strictObject({
  kind: z.enum(SUBJECT_KINDS),
  name,
  namespace: optionalName.optional(),
  owner: z.enum(OWNERS),
  /** The identity rule that classified the subject (identities.ts), null for the customer default. */
  rule: optionalText.nullable(),
  /** Where the rule's fact comes from (a vendor document), null when no rule matched. */
  source: longText.nullable(),
  grants: list(grant, LIMITS.grantsPerSubject).min(1),
});

const namespacedGrant = z.strictObject({
  kind: z.enum(SUBJECT_KINDS),
  name,
  namespace: optionalName.optional(),
  /** The namespace the RoleBinding lives in: the power stops there. */
  bindingNamespace: name,
  binding: name,
  roleKind: z.enum(['Role', 'ClusterRole']),
  role: name,
  reasons: list(z.enum(REASONS), REASONS.length).min(1),
});

const finding = z.strictObject({ value: z.enum(TRISTATE), basis: longText });

const gap = z.strictObject({ what: text, why: longText });

const count = z.number().int().min(0).max(1_000_000).nullable();

const eksView = z.strictObject({
  authenticationMode: optionalText.nullable(),
  bootstrapClusterCreatorAdminPermissions: z.boolean().nullable(),
  auditLogging: z.boolean().nullable(),
  accessEntries: list(
    z.strictObject({
      principalArn: name,
      type: optionalText.nullable(),
      username: optionalName.nullable(),
      kubernetesGroups: list(name, LIMITS.groups),
      policies: list(
        z.strictObject({
          policyArn: text,
          scope: z.enum(['cluster', 'namespace']),
          namespaces: list(name, 50),
        }),
        20,
      ),
    }),
    LIMITS.accessEntries,
  ).nullable(),
});

const gkeView = z.strictObject({
  legacyAbac: z.boolean().nullable(),
  clientCertificate: z.boolean().nullable(),
  basicAuth: z.boolean().nullable(),
  googleGroupsForRbac: z.boolean().nullable(),
});

const aksView = z.strictObject({
  disableLocalAccounts: z.boolean().nullable(),
  entraId: z.boolean().nullable(),
  azureRbac: z.boolean().nullable(),
  adminGroups: list(name, LIMITS.groups),
  auditLogging: z.boolean().nullable(),
});

export const evidenceSchema = z.strictObject({
  schemaVersion: z.literal(EVIDENCE_SCHEMA_VERSION),
  kind: z.literal(EVIDENCE_KIND),
  tool: z.strictObject({ name: text, version: text }),
  collectedAt: z.iso.datetime({ offset: true }),
  cluster: z.strictObject({
    /** The kubeconfig context the command ran against. */
    context: name,
    /** The API server's host (and port), never a path or credentials. */
    server: optionalName,
    /** The provider's name for the cluster, when known. */
    name: optionalName.nullable(),
    provider: z.enum(PROVIDERS),
    providerSignals: list(text, LIMITS.signals),
    kubernetesVersion: optionalText.nullable(),
    nodes: count,
  }),
  counts: z.strictObject({
    clusterRoles: count,
    clusterRoleBindings: count,
    roles: count,
    roleBindings: count,
  }),
  /** Subjects with cluster-admin-equivalent power cluster-wide; null when the bindings could not be read. */
  clusterAdmin: list(subject, LIMITS.subjects).nullable(),
  /** Powerful grants confined to one namespace (RoleBindings), kept apart from the cluster-wide ones. */
  namespaced: list(namespacedGrant, LIMITS.namespacedGrants).nullable(),
  providerView: z.strictObject({
    eks: eksView.nullable(),
    gke: gkeView.nullable(),
    aks: aksView.nullable(),
  }),
  findings: z.strictObject({
    creatorAdmin: finding,
    localAccounts: finding,
    auditLogs: finding,
  }),
  /** What could not be read or was cut short, and why. */
  gaps: list(gap, LIMITS.gaps),
  /** True when a list was cut to the caps above: the counts are then lower bounds. */
  truncated: z.boolean(),
});

export type Evidence = z.infer<typeof evidenceSchema>;
export type EvidenceSubject = z.infer<typeof subject>;
export type EvidenceGrant = z.infer<typeof grant>;
export type NamespacedGrant = z.infer<typeof namespacedGrant>;
export type Finding = z.infer<typeof finding>;
export type Gap = z.infer<typeof gap>;
export type EksView = z.infer<typeof eksView>;
export type GkeView = z.infer<typeof gkeView>;
export type AksView = z.infer<typeof aksView>;
