// Keeps `npm run bench` from rotting: runs it in its tiny mode and checks the summary it prints. Timings are
// not asserted (they are not tests); only that both apps completed every interaction without an error.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface AppFigures {
  completed: number;
  errors: number;
  throughput: number | null;
  ackP99: number | null;
  nextP99: number | null;
  peakRssMb: number | null;
}

function runSmoke(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'bench', 'run.ts'), '--smoke', '--out', join(dir, 'RESULTS.md')],
      { cwd: repoRoot, timeout: 38_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run bench -- --smoke', () => {
  it('loads both apps in every scenario and prints one JSON summary line', { timeout: 40_000 }, async () => {
    const { code, stdout, stderr } = await runSmoke();
    expect(code, stderr).toBe(0);
    const last = stdout.trim().split('\n').at(-1) ?? '';
    const summary = JSON.parse(last);

    expect(summary).toMatchObject({ mode: 'smoke', node: process.version, cores: expect.any(Number) });
    expect(summary.startup.oursSamplesMs).toHaveLength(1);
    expect(summary.startup.oursMs).toBeGreaterThan(0);
    expect(summary.budgets.map((b: { name: string }) => b.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/slash-command throughput/),
        expect.stringMatching(/Start-up/),
      ]),
    );
    for (const b of summary.budgets) expect(typeof b.pass === 'boolean' || b.pass === null).toBe(true);
    expect(summary.engines.postgres).toEqual({ skipped: 'smoke run' });

    for (const scenario of ['command', 'reply', 'click']) {
      const figures = summary.engines.sqlite[scenario];
      for (const app of [figures.ours, figures.bare] as AppFigures[]) {
        expect(app.completed, `${scenario}: completed`).toBeGreaterThan(0);
        expect(app.errors, `${scenario}: errors`).toBe(0);
        expect(app.throughput).toBeGreaterThan(0);
        expect(app.ackP99).toBeGreaterThan(0);
        expect(app.nextP99).toBeGreaterThan(0);
        expect(app.peakRssMb).toBeGreaterThan(0);
      }
      expect(figures.ratio.throughput).toBeGreaterThan(0);
    }
    expect(summary.errors).toEqual({ ours: 0, bare: 0, appLog: [] });

    // The Markdown went where it was told, not into bench/RESULTS.md.
    const md = readFileSync(join(dir, 'RESULTS.md'), 'utf8');
    expect(md).toContain('<!-- bench:results:begin -->');
    expect(md).toContain('| budget | measured | limit | verdict |');
  });
});
