import { REASONS, type Reason } from './schema.js';
import type { ClusterRole, LabelSelector, PolicyRule } from './snapshot.js';

/**
 * The RBAC rules that make a grant cluster-admin-equivalent, matched the way the API server's RBAC authorizer
 * matches them (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac: VerbMatches, APIGroupMatches,
 * ResourceMatches). Which powers count follows the Kubernetes "RBAC good practices" page on privilege
 * escalation (https://kubernetes.io/docs/concepts/security/rbac-good-practices/, checked 2026-12-03).
 */

const RBAC_GROUP = 'rbac.authorization.k8s.io';

const has = (list: string[] | undefined, value: string) =>
  !!list && (list.includes(value) || list.includes('*'));

/** `*`, an exact `resource/subresource`, or `*\/subresource` (the forms RBAC accepts). */
function resourceMatches(list: string[] | undefined, resource: string): boolean {
  if (!list) return false;
  const slash = resource.indexOf('/');
  const sub = slash === -1 ? '' : resource.slice(slash + 1);
  return list.some((r) => r === '*' || r === resource || (sub !== '' && r === `*/${sub}`));
}

/** Does the rule allow one of the verbs on one of the resources in the group, for every object (no names)? */
function allows(rule: PolicyRule, verbs: string[], group: string, resources: string[]): boolean {
  if (rule.resourceNames && rule.resourceNames.length > 0) return false;
  return (
    verbs.some((v) => has(rule.verbs, v)) &&
    has(rule.apiGroups, group) &&
    resources.some((r) => resourceMatches(rule.resources, r))
  );
}

const CHECKS: Record<Reason, (rule: PolicyRule) => boolean> = {
  // Literal wildcards: every verb on every resource, in every group or the core one.
  wildcard: (r) =>
    !!r.verbs?.includes('*') &&
    !!r.resources?.includes('*') &&
    !!r.apiGroups &&
    (r.apiGroups.includes('*') || r.apiGroups.includes('')) &&
    !(r.resourceNames && r.resourceNames.length > 0),
  escalate: (r) => allows(r, ['escalate'], RBAC_GROUP, ['clusterroles', 'roles']),
  bind: (r) => allows(r, ['bind'], RBAC_GROUP, ['clusterroles', 'roles']),
  impersonate: (r) => allows(r, ['impersonate'], '', ['users', 'groups', 'serviceaccounts']),
  secrets: (r) => allows(r, ['get', 'list', 'watch'], '', ['secrets']),
  'nodes-proxy': (r) => allows(r, ['get', 'create'], '', ['nodes/proxy']),
  'pods-exec': (r) => allows(r, ['create'], '', ['pods/exec']),
};

/** Every reason the rules give, in the schema's order, each once. */
export function reasonsOf(rules: readonly PolicyRule[]): Reason[] {
  return REASONS.filter((reason) => rules.some((rule) => CHECKS[reason](rule)));
}

/** Kubernetes label selector semantics: all matchLabels and all matchExpressions must hold. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const { matchLabels = {}, matchExpressions = [] } = selector;
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return false;
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of matchExpressions) {
    const present = Object.hasOwn(labels, key);
    const value = labels[key];
    const ok =
      operator === 'In'
        ? present && values.includes(value as string)
        : operator === 'NotIn'
          ? !present || !values.includes(value as string)
          : operator === 'Exists'
            ? present
            : operator === 'DoesNotExist'
              ? !present
              : false;
    if (!ok) return false;
  }
  return true;
}

/**
 * The effective rules of each ClusterRole: its own plus, for an aggregated role, those of every ClusterRole its
 * selectors pick (recursively, as the aggregation controller ends up doing). A live cluster already has them
 * filled in; resolving here also covers a role the controller has not reached yet, and the fixtures.
 */
export function resolveClusterRoles(roles: readonly ClusterRole[]): Map<string, PolicyRule[]> {
  const byName = new Map(roles.map((r) => [r.name, r]));
  const resolved = new Map<string, PolicyRule[]>();
  const visiting = new Set<string>();

  const resolve = (role: ClusterRole): PolicyRule[] => {
    const done = resolved.get(role.name);
    if (done) return done;
    if (visiting.has(role.name)) return role.rules ?? []; // a selector cycle: stop at the role's own rules
    visiting.add(role.name);
    const rules = [...(role.rules ?? [])];
    const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
    if (selectors.length > 0) {
      for (const other of byName.values()) {
        if (other.name === role.name) continue;
        if (selectors.some((s) => selectorMatches(s, other.labels))) rules.push(...resolve(other));
      }
    }
    visiting.delete(role.name);
    resolved.set(role.name, rules);
    return rules;
  };

  for (const role of roles) resolve(role);
  return resolved;
}
