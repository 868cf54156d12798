// One rule for the Node.js versions the app supports, stated alike everywhere and true of every locked package:
// package.json's engines, the README, scripts/ensure-deps.mjs, the Dockerfile's base image and the Node.js 24 that
// .ci/run tests on. CI runs this file on each supported line, so the first test proves both.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(path, 'utf8');
const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
/** The lowest version of each line engines admits, such as 20.19.0 and 24.0.0. */
const floors = engines.split('||').map((part) => semver.minVersion(part.trim())?.version ?? 'none');

/** How the README and ensure-deps say the rule: "Node.js 24, or Node.js 20 from 20.19". */
function statedRule(): string {
  const [older, newer] = floors.map((v) => semver.parse(v));
  if (!older || !newer) throw new Error(`engines "${engines}" is not two lines`);
  return `Node.js ${newer.major}, or Node.js ${older.major} from ${older.major}.${older.minor}`;
}

describe('supported Node.js versions', () => {
  it('admit the Node.js running these tests', () => {
    expect(semver.satisfies(process.versions.node, engines), `${process.version} within "${engines}"`).toBe(
      true,
    );
  });

  it('are the 20 line from 20.19 and the 24 line (the image runtime), each from its floor', () => {
    expect(floors).toEqual(['20.19.0', '24.0.0']);
    for (const outside of ['20.18.1', '22.12.0', '26.0.0'])
      expect(semver.satisfies(outside, engines)).toBe(false);
  });

  it('are stated the same way in the README quick start and in ensure-deps, with no other version', () => {
    const rule = statedRule();
    for (const file of ['README.md', 'scripts/ensure-deps.mjs']) {
      const text = read(file).replace(/\s+/g, ' ');
      expect(text, file).toContain(rule);
      const mentioned = [...text.matchAll(/Node(?:\.js)? (\d+(?:\.\d+)*)/g)].map((m) => m[1]);
      for (const version of mentioned) {
        expect(['20', '24', '20.19'], `${file} mentions Node.js ${version}`).toContain(version);
      }
    }
  });

  it('suit every locked package, at the floor of each line', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const misfits: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = !entry.engines || Array.isArray(entry.engines) ? undefined : entry.engines.node;
      if (!path || !range) continue;
      for (const floor of floors) {
        if (!semver.satisfies(floor, range))
          misfits.push(`${path.replace(/^.*node_modules\//, '')} (${range})`);
      }
    }
    expect(misfits, 'packages whose engines exclude a supported floor').toEqual([]);
  });

  it('include the Node.js 24 of the Dockerfile base image, the same release CI tests on', () => {
    const image = /^ARG NODE_IMAGE=node:(\d+)[-.][^@\s]*@sha256:[0-9a-f]{64}$/m.exec(read('Dockerfile'));
    expect(image, 'the Dockerfile pins node:<major>… by digest in ARG NODE_IMAGE').not.toBeNull();
    const ci = /^NODE24_VERSION=(\d+\.\d+\.\d+)$/m.exec(read('.ci/run'))?.[1] ?? '';
    expect(semver.major(ci)).toBe(Number(image?.[1]));
    expect(semver.satisfies(ci, engines)).toBe(true);
  });

  it('load a better-sqlite3 built without the ObjectWrap cleanup hooks that abort it on Node 24.19+', () => {
    // Node 24.19's node_object_wrap.h registers environment cleanup hooks; better-sqlite3 12 compiled against it
    // aborts the process (hooks.cc:142) when V8 collects a statement outside a context. The addon then imports
    // RemoveEnvironmentCleanupHook, which better-sqlite3's own code never calls (see the Dockerfile).
    const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    const addon = readFileSync(join(dirname(pkg), 'build', 'Release', 'better_sqlite3.node'));
    expect(addon.includes('RemoveEnvironmentCleanupHook'), 'better_sqlite3.node imports the hook').toBe(
      false,
    );
  });
});
