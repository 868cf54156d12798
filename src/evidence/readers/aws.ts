import { type EksView, type Gap, LIMITS } from '../schema.js';
import { at, bool, type CliRunner, str, strings } from './exec.js';

/**
 * The EKS view, read with the AWS CLI: the access configuration (authentication mode, whether the creator was
 * given an admin entry), control-plane logging, and each access entry with its access policies. Only those
 * fields are kept; the rest of describe-cluster (certificate authority, endpoints, tags) is dropped.
 * Commands: eks describe-cluster, list-access-entries, describe-access-entry, list-associated-access-policies.
 */
export async function readEks(
  run: CliRunner,
  target: { name: string; region?: string },
  gaps: Gap[],
): Promise<EksView | null> {
  const common = ['--output', 'json', ...(target.region ? ['--region', target.region] : [])];
  const described = await run('aws', ['eks', 'describe-cluster', '--name', target.name, ...common]);
  if (!described.ok) {
    gaps.push({ what: 'EKS cluster settings (aws eks describe-cluster)', why: described.why });
    return null;
  }
  const cluster = at(described.json, 'cluster');
  const logging = at(cluster, 'logging', 'clusterLogging');
  const auditLogging = Array.isArray(logging)
    ? logging.some((l) => at(l, 'enabled') === true && strings(at(l, 'types'), 10).includes('audit'))
    : null;
  const view: EksView = {
    authenticationMode: str(at(cluster, 'accessConfig', 'authenticationMode')),
    bootstrapClusterCreatorAdminPermissions: bool(
      at(cluster, 'accessConfig', 'bootstrapClusterCreatorAdminPermissions'),
    ),
    auditLogging,
    accessEntries: null,
  };
  if (view.authenticationMode === 'CONFIG_MAP') return view; // no access entries in this mode

  const listed = await run('aws', ['eks', 'list-access-entries', '--cluster-name', target.name, ...common]);
  if (!listed.ok) {
    gaps.push({ what: 'EKS access entries (aws eks list-access-entries)', why: listed.why });
    return view;
  }
  const arns = strings(at(listed.json, 'accessEntries'), LIMITS.accessEntries + 1);
  if (arns.length > LIMITS.accessEntries)
    gaps.push({
      what: 'EKS access entries',
      why: `more than ${LIMITS.accessEntries}; the first ones were read`,
    });
  const entries: NonNullable<EksView['accessEntries']> = [];
  for (const arn of arns.slice(0, LIMITS.accessEntries)) {
    const args = ['--cluster-name', target.name, '--principal-arn', arn, ...common];
    const [entry, policies] = await Promise.all([
      run('aws', ['eks', 'describe-access-entry', ...args]),
      run('aws', ['eks', 'list-associated-access-policies', ...args]),
    ]);
    if (!entry.ok || !policies.ok) {
      gaps.push({
        what: `EKS access entry ${arn}`,
        why: !entry.ok ? entry.why : !policies.ok ? policies.why : '',
      });
      continue;
    }
    const e = at(entry.json, 'accessEntry');
    const list = at(policies.json, 'associatedAccessPolicies');
    entries.push({
      principalArn: arn,
      type: str(at(e, 'type')),
      username: str(at(e, 'username')),
      kubernetesGroups: strings(at(e, 'kubernetesGroups'), LIMITS.groups),
      policies: (Array.isArray(list) ? list : []).slice(0, 20).flatMap((p) => {
        const policyArn = str(at(p, 'policyArn'));
        if (!policyArn) return [];
        const scope =
          at(p, 'accessScope', 'type') === 'namespace' ? ('namespace' as const) : ('cluster' as const);
        return [{ policyArn, scope, namespaces: strings(at(p, 'accessScope', 'namespaces'), 50) }];
      }),
    });
  }
  return { ...view, accessEntries: entries };
}
