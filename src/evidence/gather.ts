import type { EvidenceArgs } from './args.js';
import { collectCluster } from './collect.js';
import type { OpenedKubeconfig } from './kubeconfig.js';
import { readEks } from './readers/aws.js';
import { readAks } from './readers/az.js';
import { type CliRunner, cliRunner } from './readers/exec.js';
import { readGke } from './readers/gcloud.js';
import type { Gap } from './schema.js';
import type { Snapshot } from './snapshot.js';

/** Everything the command reads, in one snapshot: the cluster itself, then the provider CLIs the flags ask for. */
export async function gather(
  opened: OpenedKubeconfig,
  args: EvidenceArgs,
  run?: CliRunner,
): Promise<Snapshot> {
  const timeoutMs = args.timeoutSeconds * 1000;
  const reads = await collectCluster(opened.kc, { timeoutMs, maxItems: 5000 });
  const gaps: Gap[] = [...reads.gaps];
  const runner = run ?? cliRunner(Math.max(timeoutMs, 30_000));
  const h = opened.hints;
  const view: Snapshot['providerView'] = { eks: null, gke: null, aks: null };

  if (args.aws) {
    const name = args.clusterName ?? h.eks.name;
    if (!name)
      gaps.push({ what: 'EKS view (--aws)', why: 'the EKS cluster name is unknown; pass --cluster-name' });
    else view.eks = await readEks(runner, { name, region: args.region ?? h.eks.region }, gaps);
  }
  if (args.gcloud) {
    const name = args.clusterName ?? h.gke.name;
    if (!name)
      gaps.push({ what: 'GKE view (--gcloud)', why: 'the GKE cluster name is unknown; pass --cluster-name' });
    else
      view.gke = await readGke(
        runner,
        { name, location: args.location ?? h.gke.location, project: args.project ?? h.gke.project },
        gaps,
      );
  }
  if (args.az) {
    const name = args.clusterName ?? h.aks.name;
    const resourceGroup = args.resourceGroup ?? h.aks.resourceGroup;
    if (!name || !resourceGroup)
      gaps.push({
        what: 'AKS view (--az)',
        why: 'the AKS cluster name or resource group is unknown; pass --cluster-name and --resource-group',
      });
    else view.aks = await readAks(runner, { name, resourceGroup, subscription: args.subscription }, gaps);
  }

  return {
    context: opened.context,
    server: opened.server,
    credential: opened.credential,
    kubeconfigUser: opened.userName,
    clusterName: args.clusterName ?? h.eks.name ?? h.gke.name ?? h.aks.name ?? null,
    version: reads.version,
    providerIds: reads.providerIds,
    nodeCount: reads.nodeCount,
    clusterRoles: reads.clusterRoles,
    clusterRoleBindings: reads.clusterRoleBindings,
    roles: reads.roles,
    roleBindings: reads.roleBindings,
    awsAuth: reads.awsAuth,
    providerView: view,
    gaps,
    truncated: reads.truncated,
  };
}
