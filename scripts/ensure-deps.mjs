// Runs before `npm start` and `npm test`, so the README's two commands work on a fresh clone:
// installs the locked dependencies when node_modules is missing or older than package-lock.json.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = 'package-lock.json';
const installed = 'node_modules/.package-lock.json';
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;

if (stale) {
  console.log('Installing dependencies (npm ci), once; this takes a minute or two on a fresh clone…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      'npm ci failed; see the output above. Node.js 24, or Node.js 20 from 20.19, and npm are required.',
    );
    process.exit(result.status ?? 1);
  }
}
