// Runs before `npm start` and `npm test`, so the README's two commands work on a fresh clone: installs the locked
// dependencies when node_modules is missing or was installed from a different package-lock.json. Compared by
// content, not by date: a formatter touching the lock file must not wipe and reinstall node_modules.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const lockHash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');
const installed = 'node_modules/.package-lock.json';
const marker = 'node_modules/.k8s-advisor-lock-sha256';
const stale =
  !existsSync(installed) || !existsSync(marker) || readFileSync(marker, 'utf8').trim() !== lockHash;

if (stale) {
  console.log('Installing dependencies (npm ci), once; this takes a minute or two on a fresh clone…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      'npm ci failed; see the output above. Node.js 24, or Node.js 20 from 20.19, and npm are required.',
    );
    process.exit(result.status ?? 1);
  }
  writeFileSync(marker, `${lockHash}\n`);
}
