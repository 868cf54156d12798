// Keeps `npm run bench` from rotting: runs each part in its tiny mode and checks the summary it prints. Timings
// are not asserted (they are not tests): only that both apps completed every interaction without an error, and
// that the overload and kill -9 parts produce real numbers.

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

interface OverloadFigures {
  app: string;
  sent: number;
  acked: number;
  acksPerSec: number | null;
  ackP99: number | null;
  otherNon200: Record<string, number>;
  finishedDuringLoad: number;
  neverArrived: number;
  drainMs: number | null;
  peakRssMb: number | null;
  rssSamples: number;
  rssQuartersMb: (number | null)[];
  rssGrowthPct: number | null;
  appExited: boolean;
}

function runSmoke(part: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'bench', 'run.ts'),
        '--smoke',
        '--only',
        part,
        '--out',
        join(dir, `RESULTS-${part}.md`),
      ],
      { cwd: repoRoot, timeout: 38_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The summary: the last line the bench printed, JSON. */
function summaryOf(stdout: string) {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
}

describe('npm run bench -- --smoke', () => {
  it('loads both apps in every scenario and prints one JSON summary line', { timeout: 40_000 }, async () => {
    const { code, stdout, stderr } = await runSmoke('load');
    expect(code, stderr).toBe(0);
    const summary = summaryOf(stdout);

    expect(summary).toMatchObject({
      mode: 'smoke',
      parts: ['load'],
      node: process.version,
      cores: expect.any(Number),
    });
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
    const md = readFileSync(join(dir, 'RESULTS-load.md'), 'utf8');
    expect(md).toContain('<!-- bench:results:begin -->');
    expect(md).toContain('| budget | measured | limit | verdict |');
  });

  it('overloads both apps and reports finished work, drain and memory', { timeout: 40_000 }, async () => {
    const { code, stdout, stderr } = await runSmoke('overload');
    expect(code, stderr).toBe(0);
    const summary = summaryOf(stdout);
    expect(summary.parts).toEqual(['overload']);
    expect(summary.engines).toBeUndefined();
    const { overload } = summary;
    expect(overload.config).toMatchObject({ channels: 4, seconds: 1 });
    expect(overload.postgres).toEqual({ skipped: 'smoke run' });
    for (const app of [overload.sqlite, overload.bare] as OverloadFigures[]) {
      expect(app.appExited, app.app).toBe(false);
      expect(app.sent).toBeGreaterThan(0);
      expect(app.acked).toBeGreaterThan(0);
      expect(app.acksPerSec).toBeGreaterThan(0);
      expect(app.ackP99).toBeGreaterThan(0);
      expect(app.otherNon200).toEqual({});
      // Every acknowledged command's first question arrived, during the load or in the drain.
      expect(app.neverArrived).toBe(0);
      expect(app.finishedDuringLoad + app.neverArrived).toBeLessThanOrEqual(app.acked);
      expect(app.drainMs).toBeGreaterThanOrEqual(0);
      expect(app.peakRssMb).toBeGreaterThan(0);
      expect(app.rssSamples).toBeGreaterThanOrEqual(4);
      expect(app.rssQuartersMb).toHaveLength(4);
      for (const q of app.rssQuartersMb) expect(q).toBeGreaterThan(0);
      expect(typeof app.rssGrowthPct).toBe('number');
    }
    // The bare app posts as it acks: its posts during the load are real numbers the ratio is taken against.
    expect(overload.bare.finishedDuringLoad).toBeGreaterThan(0);
    const names = summary.budgets.map((b: { name: string }) => b.name);
    expect(names).toEqual([
      expect.stringMatching(/^Overload \(SQLite\): first questions/),
      expect.stringMatching(/^Overload \(SQLite\): peak RSS/),
      expect.stringMatching(/^Overload \(SQLite\): RSS growth/),
    ]);
    for (const b of summary.budgets) expect(typeof b.value).toBe('number');
    expect(readFileSync(join(dir, 'RESULTS-overload.md'), 'utf8')).toContain('### Overload: finished work');
  });

  it('kills the app after acknowledged answers and checks the store after a restart', {
    timeout: 40_000,
  }, async () => {
    const { code, stdout, stderr } = await runSmoke('kill');
    expect(code, stderr).toBe(0);
    const summary = summaryOf(stdout);
    expect(summary.parts).toEqual(['kill']);
    const { kill } = summary;
    expect(kill.postgres).toEqual({ skipped: 'smoke run' });
    const k = kill.sqlite;
    expect(k).toMatchObject({
      threads: 4,
      answersSent: { reply: 2, click: 2 },
      killAfter: 2,
      killedOnTime: true,
    });
    expect(k.acknowledged).toBeGreaterThanOrEqual(2);
    // Exactly the acknowledged answers are listed, each checked against the store and the stand-in.
    expect(k.answers).toHaveLength(k.acknowledged);
    for (const a of k.answers) {
      expect(a.questionId).not.toBe('');
      expect(typeof a.stored).toBe('boolean');
      expect(['before restart', 'after restart', 'never']).toContain(a.next);
    }
    expect(k.lost).toBe(k.answers.filter((a: { stored: boolean }) => !a.stored).length);
    const next = k.nextQuestion;
    expect(next['before restart'] + next['after restart'] + next.never).toBe(k.acknowledged);
    expect(k.restartMs).toBeGreaterThan(0);
    expect(summary.budgets).toEqual([
      expect.objectContaining({ name: 'Kill -9 (SQLite): acknowledged answers lost', value: k.lost }),
    ]);
    expect(readFileSync(join(dir, 'RESULTS-kill.md'), 'utf8')).toContain('### kill -9 while answering');
  });
});
