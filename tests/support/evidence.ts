// Evidence files made from the fixture clusters of tests/fixtures/evidence, through the command's own analysis and
// CLI readers fed the recorded answers of each fixture's cli.json: what `k8s-advisor-evidence --aws/--gcloud/--az`
// would write for those clusters. Used by the app-side tests (core mapping, listener, end to end, playground).

import type { AssessmentEvidence } from '../../src/advisor/evidence.js';
import { analyse } from '../../src/evidence/analyse.js';
import { readEks } from '../../src/evidence/readers/aws.js';
import { readAks } from '../../src/evidence/readers/az.js';
import type { CliRunner } from '../../src/evidence/readers/exec.js';
import { readGke } from '../../src/evidence/readers/gcloud.js';
import type { Evidence, Gap } from '../../src/evidence/schema.js';
import type { Snapshot } from '../../src/evidence/snapshot.js';
import { summariseEvidence } from '../../src/evidence/summary.js';
import { type FixtureProvider, fixtureSnapshot, loadCliFixture } from '../evidence/support/fixtures.js';

export const COLLECTED_AT = '2026-12-03T09:00:00Z';

/** The recorded CLI answers of a fixture, as the readers' runner (the same lookups as fake-cli.mjs). */
function recorded(provider: FixtureProvider): CliRunner {
  const cli = loadCliFixture(provider);
  const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1] as string;
  return async (tool, args) => {
    if (tool === 'aws') {
      const cmd = args[1] as string;
      const keyed = cmd === 'describe-access-entry' || cmd === 'list-associated-access-policies';
      return { ok: true, json: keyed ? cli[cmd][after(args, '--principal-arn')] : cli[cmd] };
    }
    if (tool === 'gcloud') return { ok: true, json: cli.describe };
    if (args[0] === 'aks') return { ok: true, json: cli.show };
    return { ok: true, json: cli['diagnostic-settings'] };
  };
}

/**
 * The evidence file for a fixture cluster. `withCli` (default true) adds what the provider's CLI shows, as the
 * command's --aws, --gcloud and --az flags do; kubeadm has no CLI. `name` renames the cluster.
 */
export async function fixtureEvidence(
  provider: FixtureProvider,
  { withCli = true, name = `${provider}-pilot`, at = COLLECTED_AT } = {},
): Promise<Evidence> {
  const gaps: Gap[] = [];
  const view: Snapshot['providerView'] = { eks: null, gke: null, aks: null };
  if (withCli && provider === 'eks') view.eks = await readEks(recorded('eks'), { name: 'pilot' }, gaps);
  if (withCli && provider === 'gke') view.gke = await readGke(recorded('gke'), { name: 'pilot' }, gaps);
  if (withCli && provider === 'aks')
    view.aks = await readAks(recorded('aks'), { name: 'pilot', resourceGroup: 'rg' }, gaps);
  const snapshot = fixtureSnapshot(provider, { clusterName: name, providerView: view, gaps });
  return analyse(snapshot, {
    collectedAt: new Date(at),
    toolName: 'k8s-advisor-evidence',
    toolVersion: '0.1.0',
  });
}

/** The same evidence as the core stores it: the summary a card shows, and when it was attached. */
export async function fixtureFacts(
  provider: FixtureProvider,
  opts: Parameters<typeof fixtureEvidence>[1] = {},
): Promise<AssessmentEvidence> {
  return {
    ...summariseEvidence(await fixtureEvidence(provider, opts)),
    attachedAt: Date.parse(COLLECTED_AT),
  };
}

/** The evidence file as the bytes a person uploads. */
export const evidenceBytes = (e: Evidence) => Buffer.from(`${JSON.stringify(e, null, 2)}\n`);

/**
 * Evidence as the core stores it, with names an attacker would choose: mrkdwn, a mention, a link, a channel ping
 * and an HTML tag. The validator lets all of them through (they are printable), so every renderer must not.
 */
export function hostileFacts(over: Partial<AssessmentEvidence> = {}): AssessmentEvidence {
  return {
    cluster: 'prod *bold* <@U0ADMIN> <!channel> `tick`',
    collectedAt: COLLECTED_AT,
    provider: 'eks',
    providerLabel: 'Amazon EKS',
    kubernetesVersion: 'v1.31.2-eks-7f9249a',
    clusterAdminSubjects: 5,
    customerSubjects: 2,
    providerSubjects: ['eks:addon-manager', '<https://evil.example|click me>', '_under_ ~strike~ <!here>'],
    providerSubjectCount: 3,
    creatorAdmin: 'yes',
    localAccounts: 'no',
    auditLogs: 'no',
    gaps: 1,
    truncated: false,
    attachedAt: Date.parse(COLLECTED_AT),
    ...over,
  };
}
