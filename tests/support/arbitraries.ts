// fast-check arbitraries shared by the core's property tests: any set of answers, any evidence summary.

import fc from 'fast-check';
import type { AssessmentEvidence, EvidenceProvider, Tristate } from '../../src/advisor/evidence.js';
import type { Answer } from '../../src/advisor/session.js';
import { num, opt, skipped } from './questionnaire.js';

export const choice = (...ids: string[]) => fc.oneof(fc.constantFrom(...ids).map(opt), fc.constant(skipped));
const count = fc.oneof(
  fc.integer({ min: 1, max: 5000 }).map((n) => num(n)),
  fc.constant(skipped),
);

/** Any complete or partial set of answers, skips included. */
export const anyAnswers = fc.record(
  {
    team: choice('small', 'growing', 'dedicated'),
    clusters: count,
    nodes: count,
    variability: choice('steady', 'seasonal', 'elastic'),
    provider_access: choice('yes', 'with_controls', 'no'),
    compliance: choice('none', 'regulated', 'government', 'sovereignty', 'airgapped'),
    provider: choice('eks', 'gke', 'aks', 'other', 'undecided'),
    provider_trust: choice('high', 'medium', 'low'),
    access_mitigations: choice('strong', 'partial', 'none', 'unknown'),
    access_lockdown: choice('yes', 'partly', 'no', 'unknown'),
    self_host_site: choice('same_cloud', 'own_datacenter', 'sovereign_or_airgapped', 'undecided'),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, Answer>>;

const tristate = fc.constantFrom<Tristate>('yes', 'no', 'unknown');

/** Any evidence summary the core could be handed, from any kind of cluster. */
export const anyEvidence: fc.Arbitrary<AssessmentEvidence> = fc
  .record({
    provider: fc.constantFrom<EvidenceProvider>('eks', 'gke', 'aks', 'kubeadm', 'other', 'unknown'),
    clusterAdminSubjects: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    providerSubjectCount: fc.integer({ min: 0, max: 20 }),
    creatorAdmin: tristate,
    localAccounts: tristate,
    auditLogs: tristate,
    gaps: fc.integer({ min: 0, max: 5 }),
    cluster: fc.string({ minLength: 1, maxLength: 40 }),
  })
  .map((r) => {
    const admins = r.clusterAdminSubjects === null ? null : r.clusterAdminSubjects + r.providerSubjectCount;
    return {
      ...r,
      clusterAdminSubjects: admins,
      providerSubjectCount: admins === null ? 0 : r.providerSubjectCount,
      customerSubjects: admins === null ? null : 0,
      providerSubjects:
        admins === null
          ? []
          : Array.from({ length: Math.min(r.providerSubjectCount, 10) }, (_, i) => `p${i}`),
      collectedAt: '2026-12-03T09:00:00Z',
      providerLabel: r.provider,
      kubernetesVersion: null,
      truncated: false,
      attachedAt: 0,
    };
  });
