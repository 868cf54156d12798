// Vitest global setup: builds the app once, exactly as `npm start` does, so the tests that start processes
// run what production runs (dist/), not the TypeScript sources through a loader.
import { execFileSync } from 'node:child_process';
import { BUILT_DIR } from './built.js';

export default function setup() {
  execFileSync(process.execPath, ['scripts/build.mjs', BUILT_DIR], { stdio: 'inherit' });
}
