import { join } from 'node:path';

/** Where the global setup (build.ts) puts the bundle under test; git-ignored like all test output. */
export const BUILT_DIR = join(process.cwd(), 'test-results', 'dist');

/** Node arguments that start one of the built entry points: `main` (the app), `reencrypt` or `evidence`. */
export const built = (entry: 'main' | 'reencrypt' | 'evidence') => [
  '--enable-source-maps',
  join(BUILT_DIR, `${entry}.js`),
];
