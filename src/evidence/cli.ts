import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };
import { analyse } from './analyse.js';
import { ArgsError, parseEvidenceArgs, USAGE } from './args.js';
import { gather } from './gather.js';
import { KubeconfigError, openKubeconfig } from './kubeconfig.js';
import { renderMarkdown } from './markdown.js';
import { PROVIDER_LABELS } from './provider.js';
import { redactSecrets } from './secrets.js';
import { summariseEvidence } from './summary.js';
import { parseEvidence } from './validate.js';

/**
 * `k8s-advisor-evidence` (bin) and `npm run evidence`: the command's own composition root, so it alone reads the
 * environment (KUBECONFIG, HOME) and writes files. Exit codes: 0 written, 1 written but nothing about RBAC could
 * be read, 2 bad usage or kubeconfig (nothing written), 3 the evidence failed its own check (nothing written).
 */
export const TOOL_NAME = 'k8s-advisor-evidence';

const say = (line: string) => process.stdout.write(`${line}\n`);
const warn = (line: string) => process.stderr.write(`${line}\n`);

function kubeconfigFiles(): string[] {
  const fromEnv = process.env.KUBECONFIG;
  if (fromEnv) return fromEnv.split(delimiter).filter((p) => p !== '');
  return [join(homedir(), '.kube', 'config')];
}

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseEvidenceArgs>;
  try {
    args = parseEvidenceArgs(argv);
  } catch (error) {
    if (error instanceof ArgsError) {
      warn(error.message);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    say(USAGE);
    return 0;
  }
  if (args.version) {
    say(`${TOOL_NAME} ${pkg.version}`);
    return 0;
  }
  let opened: ReturnType<typeof openKubeconfig>;
  try {
    opened = openKubeconfig(args.kubeconfig, args.context, kubeconfigFiles());
  } catch (error) {
    if (error instanceof KubeconfigError) {
      warn(error.message);
      return 2;
    }
    throw error;
  }

  say(`Reading context ${opened.context} (${opened.server}), read-only…`);
  const snapshot = await gather(opened, args);
  const evidence = analyse(snapshot, {
    collectedAt: new Date(),
    toolName: TOOL_NAME,
    toolVersion: pkg.version,
  });
  const json = `${JSON.stringify(evidence, null, 2)}\n`;
  // The app will run this same check on upload; failing it here means a bug, and nothing is written.
  const check = parseEvidence(json);
  if (!check.ok) {
    warn(`The evidence did not pass its own check, so nothing was written: ${check.error}`);
    return 3;
  }
  const out = args.out as string;
  writeFileSync(out, json, { mode: 0o600 });
  if (args.markdown) writeFileSync(args.markdown, renderMarkdown(evidence), { mode: 0o600 });

  const s = summariseEvidence(evidence);
  say(`Wrote ${out}${args.markdown ? ` and ${args.markdown}` : ''}.`);
  say(
    `Provider: ${PROVIDER_LABELS[s.provider]}. Cluster-admin subjects: ${s.clusterAdminSubjects ?? 'unknown'}` +
      (s.providerSubjectCount ? `, of which the provider's own: ${s.providerSubjectCount}.` : '.'),
  );
  say(`Creator admin: ${s.creatorAdmin}. Local accounts: ${s.localAccounts}. Audit logs: ${s.auditLogs}.`);
  for (const gap of evidence.gaps) warn(`Not read: ${gap.what}: ${gap.why}`);
  if (evidence.clusterAdmin === null) {
    warn(
      'The cluster role bindings could not be read, so the file cannot say who holds cluster-admin power.',
    );
    return 1;
  }
  say('Upload the JSON file in the thread of your assessment in Slack.');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (error: unknown) => {
      warn(
        `k8s-advisor-evidence stopped on an unexpected error: ${redactSecrets(String((error as Error)?.message ?? error))}`,
      );
      process.exit(1);
    },
  );
}
