import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/evidence/analyse.js';
import { renderMarkdown } from '../../src/evidence/markdown.js';
import { readEks } from '../../src/evidence/readers/aws.js';
import type { Gap } from '../../src/evidence/schema.js';
import { summariseEvidence } from '../../src/evidence/summary.js';
import { parseEvidence } from '../../src/evidence/validate.js';
import { fixtureSnapshot, loadCliFixture } from './support/fixtures.js';

/**
 * docs/sample-evidence.json (and .md) is what the command writes for the EKS fixture cluster read with --aws: the
 * file the playground and the docs show. It is rebuilt here through the same analysis and reader; run with
 * UPDATE_SAMPLE=1 to rewrite it after a deliberate change.
 */
const JSON_PATH = join(process.cwd(), 'docs', 'sample-evidence.json');
const MD_PATH = join(process.cwd(), 'docs', 'sample-evidence.md');

async function buildSample() {
  const cli = loadCliFixture('eks');
  const gaps: Gap[] = [];
  const eks = await readEks(
    async (_command, args) => {
      const arn = args[args.indexOf('--principal-arn') + 1] as string;
      const answer =
        args[1] === 'describe-access-entry' || args[1] === 'list-associated-access-policies'
          ? cli[args[1]][arn]
          : cli[args[1] as string];
      return { ok: true, json: answer };
    },
    { name: 'pilot', region: 'us-east-1' },
    gaps,
  );
  const snapshot = fixtureSnapshot('eks', {
    context: 'arn:aws:eks:us-east-1:111122223333:cluster/pilot',
    server: '0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com',
    providerView: { eks, gke: null, aks: null },
    gaps,
  });
  return analyse(snapshot, {
    collectedAt: new Date('2026-12-03T09:00:00Z'),
    toolName: 'k8s-advisor-evidence',
    toolVersion: '0.1.0',
  });
}

describe('the sample evidence file', () => {
  it('is what the analysis gives for the EKS fixture, validates, and summarises as the card will show it', async () => {
    const evidence = await buildSample();
    const json = `${JSON.stringify(evidence, null, 2)}\n`;
    if (process.env.UPDATE_SAMPLE) {
      writeFileSync(JSON_PATH, json);
      writeFileSync(MD_PATH, renderMarkdown(evidence));
    }
    // Compared as data: the formatter may lay the JSON out differently from JSON.stringify.
    expect(JSON.parse(readFileSync(JSON_PATH, 'utf8'))).toEqual(evidence);
    expect(readFileSync(MD_PATH, 'utf8')).toBe(renderMarkdown(evidence));
    const parsed = parseEvidence(readFileSync(JSON_PATH));
    expect(parsed.ok).toBe(true);
    expect(summariseEvidence(evidence)).toEqual({
      cluster: 'pilot',
      collectedAt: '2026-12-03T09:00:00.000Z',
      provider: 'eks',
      providerLabel: 'Amazon EKS',
      kubernetesVersion: 'v1.31.2-eks-7f9249a',
      clusterAdminSubjects: evidence.clusterAdmin?.length,
      customerSubjects: 4,
      providerSubjects: ['eks:addon-manager'],
      providerSubjectCount: 1,
      creatorAdmin: 'unknown',
      localAccounts: 'no',
      auditLogs: 'no',
      gaps: 0,
      truncated: false,
    });
  });
});
