import type { Gap, GkeView } from '../schema.js';
import { at, bool, type CliRunner, str } from './exec.js';

/**
 * The GKE view, read with gcloud: legacy ABAC, whether a client certificate is issued or basic auth is set,
 * Google Groups for RBAC. `clusters describe` also prints the client key and basic-auth password of a cluster
 * that has them: only booleans are taken from masterAuth, never its values.
 */
export async function readGke(
  run: CliRunner,
  target: { name: string; location?: string; project?: string },
  gaps: Gap[],
): Promise<GkeView | null> {
  const args = ['container', 'clusters', 'describe', target.name, '--format', 'json'];
  if (target.location) args.push('--location', target.location);
  if (target.project) args.push('--project', target.project);
  const res = await run('gcloud', args);
  if (!res.ok) {
    gaps.push({ what: 'GKE cluster settings (gcloud container clusters describe)', why: res.why });
    return null;
  }
  const c = res.json;
  const issue = at(c, 'masterAuth', 'clientCertificateConfig', 'issueClientCertificate');
  return {
    legacyAbac: bool(at(c, 'legacyAbac', 'enabled')) ?? false,
    clientCertificate:
      typeof issue === 'boolean' ? issue : str(at(c, 'masterAuth', 'clientCertificate')) !== null,
    basicAuth: str(at(c, 'masterAuth', 'username')) !== null,
    googleGroupsForRbac: str(at(c, 'authenticatorGroupsConfig', 'securityGroup')) !== null,
  };
}
