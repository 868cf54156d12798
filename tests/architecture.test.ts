import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Every file under `dir`, as a path from the repository's root. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );

describe('the architecture', () => {
  it('keeps the layers and has no import cycles (.dependency-cruiser.cjs, as `npm run lint` checks)', async () => {
    const cli = join('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const result = await run(process.execPath, [cli, 'src', '--config', '.dependency-cruiser.cjs'], {
      encoding: 'utf8',
    }).catch((error: { stdout?: string; code?: number }) => ({
      stdout: error.stdout ?? '',
      failed: error.code,
    }));
    expect(result.stdout).toContain('no dependency violations found');
    expect('failed' in result).toBe(false);
  });

  it('has no TypeScript file in src/ over 300 lines', () => {
    const long = filesUnder('src')
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 300);
    expect(long).toEqual([]);
  });
});
