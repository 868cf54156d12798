// Builds what production runs: src/ bundled into dist/ as plain JavaScript, one file per entry point (plus
// chunks loaded on demand), with source maps. Node then starts without a TypeScript loader, which halves
// start-up time and saves the memory of tsx's loader thread (bench/RESULTS.md). Packages stay external:
// node_modules is installed beside dist/.
//
//   node scripts/build.mjs [outdir]      (default dist; `npm start` runs it first)
import { cpSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** How every bundle of the app is made; the benchmark bundles its app processes the same way. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Code only some deployments need (the PostgreSQL adapter and pg, the playground) stays in chunks.
  splitting: true,
  sourcemap: true,
  logLevel: 'warning',
};

export async function buildApp(outdir = 'dist') {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...BUNDLE_OPTIONS,
    entryPoints: { main: 'src/main.ts', reencrypt: 'src/ops/reencrypt.ts', evidence: 'src/evidence/cli.ts' },
    outdir,
  });
  // The playground's page is served from files next to the code (src/playground/static.ts).
  cpSync('src/playground/page', `${outdir}/page`, { recursive: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await buildApp(process.argv[2]);
