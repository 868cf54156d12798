#!/usr/bin/env node
// The `k8s-advisor-evidence` command (package bin; `npx k8s-advisor-evidence` from the repository). It runs the
// bundle `npm run build` makes; on a checkout that was never built it builds once first, quietly.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'evidence.js');
if (!existsSync(bundle)) {
  const { buildApp } = await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href);
  process.chdir(root);
  await buildApp();
}
const { main } = await import(pathToFileURL(bundle).href);
const code = await main(process.argv.slice(2));
process.stdout.write('', () => process.exit(code));
