import { parseArgs } from 'node:util';

/** The command line of k8s-advisor-evidence, parsed strictly: an unknown flag is an error, not ignored. */
export interface EvidenceArgs {
  help: boolean;
  version: boolean;
  context?: string;
  kubeconfig?: string;
  out?: string;
  markdown?: string;
  aws: boolean;
  gcloud: boolean;
  az: boolean;
  clusterName?: string;
  region?: string;
  project?: string;
  location?: string;
  resourceGroup?: string;
  subscription?: string;
  timeoutSeconds: number;
}

export class ArgsError extends Error {}

export const USAGE = `k8s-advisor-evidence: read-only evidence of who holds cluster-admin power in a Kubernetes cluster.

Usage:
  k8s-advisor-evidence --context NAME --out evidence.json [options]
  npm run evidence -- --context NAME --out evidence.json [options]

It only gets and lists: ClusterRoles, ClusterRoleBindings, Roles, RoleBindings, the server version, nodes'
provider ids and the kube-system/aws-auth ConfigMap. It never reads Secrets and never writes to the cluster.

Options:
  --context NAME          kubeconfig context to read (default: the current context)
  --kubeconfig PATH       kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
  --out FILE              where to write the evidence JSON (required)
  --markdown FILE         also write a Markdown summary for people
  --aws                   also read the EKS view with the aws CLI (access mode, access entries, audit logging)
  --gcloud                also read the GKE view with gcloud (legacy ABAC, client certificates, basic auth)
  --az                    also read the AKS view with az (local accounts, Entra ID, audit diagnostic settings)
  --cluster-name NAME     the provider's name for the cluster, when the kubeconfig does not tell it
  --region REGION         AWS region (with --aws)
  --project ID            Google Cloud project (with --gcloud)
  --location LOCATION     GKE zone or region (with --gcloud)
  --resource-group NAME   Azure resource group (with --az)
  --subscription ID       Azure subscription (with --az)
  --timeout SECONDS       per request (default 20)
  --version               print the version
  --help                  print this help

Whatever cannot be read (a 403, a missing CLI) is listed as a gap in the file instead of stopping the command.
Then upload evidence.json in the thread of your assessment in Slack.`;

export function parseEvidenceArgs(argv: string[]): EvidenceArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        context: { type: 'string' },
        kubeconfig: { type: 'string' },
        out: { type: 'string', short: 'o' },
        markdown: { type: 'string' },
        aws: { type: 'boolean' },
        gcloud: { type: 'boolean' },
        az: { type: 'boolean' },
        'cluster-name': { type: 'string' },
        region: { type: 'string' },
        project: { type: 'string' },
        location: { type: 'string' },
        'resource-group': { type: 'string' },
        subscription: { type: 'string' },
        timeout: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new ArgsError(
      `${(error as Error).message.split('\n')[0]?.replace(/\.$/, '')}. Run with --help for the options.`,
    );
  }
  const s = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const timeout = s('timeout') === undefined ? 20 : Number(s('timeout'));
  if (!Number.isFinite(timeout) || timeout < 1 || timeout > 600)
    throw new ArgsError('--timeout takes a number of seconds between 1 and 600.');
  const args: EvidenceArgs = {
    help: values.help === true,
    version: values.version === true,
    context: s('context'),
    kubeconfig: s('kubeconfig'),
    out: s('out'),
    markdown: s('markdown'),
    aws: values.aws === true,
    gcloud: values.gcloud === true,
    az: values.az === true,
    clusterName: s('cluster-name'),
    region: s('region'),
    project: s('project'),
    location: s('location'),
    resourceGroup: s('resource-group'),
    subscription: s('subscription'),
    timeoutSeconds: timeout,
  };
  if (!args.help && !args.version && !args.out)
    throw new ArgsError(
      '--out FILE is required: where to write the evidence JSON. Run with --help for the options.',
    );
  return args;
}
