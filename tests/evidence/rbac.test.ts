import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterWideSubjects, namespacedGrants } from '../../src/evidence/grants.js';
import { reasonsOf, resolveClusterRoles, selectorMatches } from '../../src/evidence/rbac.js';
import type { ClusterRole, PolicyRule, RbacSubject, Snapshot } from '../../src/evidence/snapshot.js';
import { fixtureSnapshot } from './support/fixtures.js';

const rule = (
  apiGroups: string[],
  resources: string[],
  verbs: string[],
  resourceNames?: string[],
): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames && { resourceNames }),
});

const empty = (over: Partial<Snapshot>): Snapshot =>
  fixtureSnapshot('kubeadm', {
    clusterRoles: [],
    clusterRoleBindings: [],
    roles: [],
    roleBindings: [],
    awsAuth: null,
    ...over,
  });

describe('reasonsOf', () => {
  it('names each power the rules give, once, in order', () => {
    expect(reasonsOf([rule(['*'], ['*'], ['*'])])).toEqual([
      'wildcard',
      'escalate',
      'bind',
      'impersonate',
      'secrets',
      'nodes-proxy',
      'pods-exec',
    ]);
    expect(reasonsOf([rule([''], ['secrets'], ['list'])])).toEqual(['secrets']);
    expect(reasonsOf([rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate'])])).toEqual([
      'escalate',
    ]);
    expect(reasonsOf([rule(['rbac.authorization.k8s.io'], ['roles'], ['bind'])])).toEqual(['bind']);
    expect(reasonsOf([rule([''], ['users'], ['impersonate'])])).toEqual(['impersonate']);
    expect(reasonsOf([rule([''], ['nodes/proxy'], ['get'])])).toEqual(['nodes-proxy']);
    expect(reasonsOf([rule([''], ['pods/exec'], ['create'])])).toEqual(['pods-exec']);
  });

  it('matches subresources the way RBAC does (`*`, exact, `*/sub`) and no other way', () => {
    expect(reasonsOf([rule([''], ['*/exec'], ['create'])])).toEqual(['pods-exec']);
    expect(reasonsOf([rule([''], ['pods'], ['create'])])).toEqual([]);
    expect(reasonsOf([rule([''], ['pods/*'], ['create'])])).toEqual([]);
    expect(reasonsOf([rule([''], ['nodes'], ['proxy'])])).toEqual([]);
  });

  it('does not count a rule limited to named objects, a read of pods/exec, or another group', () => {
    expect(reasonsOf([rule([''], ['secrets'], ['get'], ['one-secret'])])).toEqual([]);
    expect(reasonsOf([rule([''], ['pods/exec'], ['get'])])).toEqual([]);
    expect(reasonsOf([rule(['apps'], ['secrets'], ['get'])])).toEqual([]);
    expect(reasonsOf([{ nonResourceURLs: ['*'], verbs: ['*'] }])).toEqual([]);
  });

  it('counts `*` verbs on `*` resources in the core group as a wildcard, but not `*` on one resource', () => {
    expect(reasonsOf([rule([''], ['*'], ['*'])])).toContain('wildcard');
    expect(reasonsOf([rule(['apps'], ['*'], ['*'])])).not.toContain('wildcard');
    expect(reasonsOf([rule(['*'], ['deployments'], ['*'])])).toEqual([]);
  });
});

describe('selectorMatches', () => {
  it('applies matchLabels and each matchExpressions operator', () => {
    const labels = { team: 'a', tier: 'web' };
    expect(selectorMatches({ matchLabels: { team: 'a' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { team: 'b' } }, labels)).toBe(false);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }] }, labels),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels),
    ).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(
      true,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({}, labels)).toBe(false);
  });
});

describe('resolveClusterRoles', () => {
  it('resolves the upstream admin/edit/view chain from labels', () => {
    const s = fixtureSnapshot('kubeadm');
    const rules = resolveClusterRoles(s.clusterRoles ?? []);
    expect(reasonsOf(rules.get('view') ?? [])).toEqual([]);
    expect(reasonsOf(rules.get('edit') ?? [])).toEqual(['impersonate', 'secrets', 'pods-exec']);
    expect(reasonsOf(rules.get('admin') ?? [])).toEqual(['impersonate', 'secrets', 'pods-exec']);
  });

  it('survives a selector cycle', () => {
    const roles: ClusterRole[] = [
      {
        name: 'a',
        labels: { x: '1' },
        rules: [rule([''], ['secrets'], ['get'])],
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { y: '1' } }] },
      },
      {
        name: 'b',
        labels: { y: '1' },
        rules: [],
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: '1' } }] },
      },
    ];
    const rules = resolveClusterRoles(roles);
    expect(reasonsOf(rules.get('b') ?? [])).toEqual(['secrets']);
  });
});

const subjectArb = fc.oneof(
  fc.record({ kind: fc.constant('User'), name: fc.stringMatching(/^[a-z][a-z0-9:@.-]{0,20}$/) }),
  fc.record({ kind: fc.constant('Group'), name: fc.stringMatching(/^[a-z][a-z0-9:.-]{0,20}$/) }),
  fc.record({
    kind: fc.constant('ServiceAccount'),
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    namespace: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  }),
) as fc.Arbitrary<RbacSubject>;

const ruleArb: fc.Arbitrary<PolicyRule> = fc.record({
  apiGroups: fc.subarray(['', 'apps', '*', 'rbac.authorization.k8s.io']),
  resources: fc.subarray(['pods', 'pods/exec', 'secrets', 'nodes/proxy', 'deployments', 'roles', '*']),
  verbs: fc.subarray(['get', 'list', 'create', 'bind', 'escalate', 'impersonate', '*']),
});

const key = (x: { kind: string; name: string; namespace?: string }) =>
  `${x.kind}/${x.namespace ?? ''}/${x.name}`;

describe('properties', () => {
  it('a ClusterRoleBinding to a role with `*` on `*` always flags its subjects, with the wildcard reason', () => {
    fc.assert(
      fc.property(
        fc.array(subjectArb, { minLength: 1, maxLength: 5 }),
        fc.array(ruleArb, { maxLength: 4 }),
        fc.constantFrom<string[]>(['*'], ['']),
        (subjects, extra, groups) => {
          const s = empty({
            clusterRoles: [{ name: 'r', rules: [...extra, rule(groups, ['*'], ['*'])] }],
            clusterRoleBindings: [{ name: 'b', roleRef: { kind: 'ClusterRole', name: 'r' }, subjects }],
          });
          const found = new Map((clusterWideSubjects(s) ?? []).map((x) => [key(x), x]));
          for (const subject of subjects) {
            const hit = found.get(key(subject));
            expect(hit?.grants.some((g) => g.reasons.includes('wildcard') && g.binding === 'b')).toBe(true);
          }
        },
      ),
    );
  });

  it('a RoleBinding, even to a ClusterRole like cluster-admin, never changes the cluster-wide list', () => {
    const bindingArb = fc.record({
      name: fc.stringMatching(/^[a-z]{1,8}$/),
      namespace: fc.stringMatching(/^[a-z]{1,8}$/),
      roleRef: fc.record({
        kind: fc.constantFrom('ClusterRole', 'Role'),
        name: fc.constantFrom('cluster-admin', 'edit', 'r0', 'r1'),
      }),
      subjects: fc.array(subjectArb, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(ruleArb, { maxLength: 3 }),
        fc.array(bindingArb, { maxLength: 6 }),
        fc.array(
          fc.record({
            role: fc.constantFrom('cluster-admin', 'r0', 'r1'),
            subjects: fc.array(subjectArb, { maxLength: 3 }),
          }),
          { maxLength: 4 },
        ),
        (rules, roleBindings, crbs) => {
          const base = fixtureSnapshot('kubeadm');
          const s = {
            ...base,
            clusterRoles: [
              ...(base.clusterRoles ?? []),
              { name: 'r0', rules },
              { name: 'r1', rules: [rule(['*'], ['*'], ['*'])] },
            ],
            roles: roleBindings.map((b) => ({
              name: b.roleRef.name,
              namespace: b.namespace,
              rules: [rule(['*'], ['*'], ['*'])],
            })),
            clusterRoleBindings: crbs.map((c, i) => ({
              name: `crb${i}`,
              roleRef: { kind: 'ClusterRole', name: c.role },
              subjects: c.subjects,
            })),
            roleBindings,
            awsAuth: null,
          };
          const withRb = clusterWideSubjects(s) ?? [];
          const without = clusterWideSubjects({ ...s, roleBindings: [] }) ?? [];
          expect(withRb).toEqual(without);
          // and every subject a RoleBinding makes powerful is in the namespaced list, in its binding's namespace
          const ns = namespacedGrants(s) ?? [];
          const powerful = (b: (typeof roleBindings)[number]) =>
            b.roleRef.kind === 'Role' || ['cluster-admin', 'edit', 'r1'].includes(b.roleRef.name);
          for (const b of roleBindings.filter(powerful))
            for (const subject of b.subjects)
              expect(
                ns.some(
                  (g) =>
                    g.name === subject.name && g.bindingNamespace === b.namespace && g.binding === b.name,
                ),
              ).toBe(true);
        },
      ),
    );
  });

  it('aggregated ClusterRoles are resolved: power flows in through a matching label, never through another', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9.-]{0,15}$/),
        fc.stringMatching(/^[a-z0-9]{1,8}$/),
        fc.stringMatching(/^[a-z0-9]{1,8}$/),
        fc.boolean(),
        (labelKey, value, other, useExpression) => {
          const selector = useExpression
            ? { matchExpressions: [{ key: labelKey, operator: 'In', values: [value] }] }
            : { matchLabels: { [labelKey]: value } };
          const make = (labelValue: string): Snapshot =>
            empty({
              clusterRoles: [
                { name: 'aggregated', rules: null, aggregationRule: { clusterRoleSelectors: [selector] } },
                { name: 'piece', labels: { [labelKey]: labelValue }, rules: [rule(['*'], ['*'], ['*'])] },
              ],
              clusterRoleBindings: [
                {
                  name: 'b',
                  roleRef: { kind: 'ClusterRole', name: 'aggregated' },
                  subjects: [{ kind: 'User', name: 'u' }],
                },
              ],
            });
          expect(clusterWideSubjects(make(value))?.[0]?.grants[0]?.reasons).toContain('wildcard');
          if (other !== value) expect(clusterWideSubjects(make(other))).toEqual([]);
        },
      ),
    );
  });
});
