// Reads the .cpuprofile files that `npm run bench -- --profile` leaves in bench/profiles/ and lists where the
// time went: functions by self time, our own functions (src/) by total time, and time by origin (our src/,
// each package, Node, GC), both self and total. Positions in src/ are mapped back to the TypeScript source
// with the source maps the app process saved next to its profile (tsx compiles src/ on the fly).
//
//   npx tsx bench/profile.ts [--skip ms] [--top n] bench/profiles/ours-sqlite/*.cpuprofile

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { findSourceMap, SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled time after the skipped start. */
  totalMs: number;
  /** Time not idle. */
  busyMs: number;
  selfTop: { fn: string; where: string; ms: number; pct: number }[];
  /** Our own functions by total (inclusive) time: what a change in src/ could save. */
  srcTotal: { fn: string; where: string; ms: number; pct: number }[];
  byOrigin: { origin: string; selfMs: number; selfPct: number; totalMs: number; totalPct: number }[];
}

// The app processes run this file from a bundle elsewhere and say where the repository is.
const repoRoot = process.env.BENCH_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const SOURCE_MAPS = 'sourcemaps.json';

/**
 * Called in the profiled app process before it exits: saves the source maps of the code it ran, so positions
 * in the profile can be read as lines of the TypeScript source. `bundleDir` holds the bundle and its .map
 * files (whose sources are made absolute here); under tsx, Node knows the maps of the src/ modules it loaded.
 */
export function saveSourceMaps(dir: string, bundleDir: string) {
  const maps: Record<string, SourceMapPayload> = {};
  for (const name of readdirSync(bundleDir).filter((n) => n.endsWith('.js.map'))) {
    const payload = JSON.parse(readFileSync(join(bundleDir, name), 'utf8')) as SourceMapPayload;
    const base = pathToFileURL(join(bundleDir, name)).href;
    payload.sources = payload.sources.map((source) => new URL(source, base).href);
    maps[pathToFileURL(join(bundleDir, name.slice(0, -'.map'.length))).href] = payload;
  }
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const url = pathToFileURL(path).href;
        const map = findSourceMap(url);
        if (map) maps[url] = map.payload;
      }
    }
  };
  walk(join(repoRoot, 'src'));
  walk(join(repoRoot, 'bench'));
  writeFileSync(join(dir, SOURCE_MAPS), JSON.stringify(maps));
}

function loadSourceMaps(profileFile: string): Map<string, SourceMap> {
  const path = join(dirname(profileFile), SOURCE_MAPS);
  if (!existsSync(path)) return new Map();
  const payloads = JSON.parse(readFileSync(path, 'utf8')) as Record<string, SourceMapPayload>;
  return new Map(Object.entries(payloads).map(([url, payload]) => [url, new SourceMap(payload)]));
}

function origin(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  if (!url.startsWith('file://') && !url.startsWith('/')) return '(other)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1] as string;
  const rel = relative(repoRoot, path);
  if (rel.startsWith('src/')) return rel.split('/').length > 2 ? `src/${rel.split('/')[1]}` : rel;
  if (rel.startsWith('bench/')) return 'bench';
  return rel.startsWith('..') ? path : rel;
}

/** `skipMs`: leave out the first part of the profile (start-up), to see the steady state under load. */
export function summarise(file: string, { topN = 15, skipMs = 0 } = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const maps = loadSourceMaps(file);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // One key per function: its name and where it is, mapped to the TypeScript source when a map is known.
  const keyOf = new Map<number, { key: string; fn: string; where: string; origin: string; ours: boolean }>();
  const describe = (id: number) => {
    const known = keyOf.get(id);
    if (known) return known;
    const { functionName, url, lineNumber, columnNumber } = (nodes.get(id) as { callFrame: CallFrame })
      .callFrame;
    let where = '';
    let source = url;
    if (url) {
      const path = url.startsWith('file://') ? fileURLToPath(url) : url;
      const entry = maps.get(url)?.findEntry(lineNumber, columnNumber);
      if (entry && 'originalLine' in entry) {
        // A bundle's map names the original file; tsx's maps are the module's own.
        source = entry.originalSource.startsWith('file://') ? entry.originalSource : url;
        where = `${relative(repoRoot, fileURLToPath(source))}:${entry.originalLine + 1}`;
      } else {
        where = `${url.startsWith('node:') ? url : relative(repoRoot, path)}:${lineNumber + 1}`;
      }
    }
    const o = origin(source, functionName);
    const d = {
      key: `${functionName}@${where}`,
      fn: functionName || '(anonymous)',
      where,
      origin: o,
      ours: o.startsWith('src/'),
    };
    keyOf.set(id, d);
    return d;
  };

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const originSelf = new Map<string, number>();
  const originTotal = new Map<string, number>();
  let sampled = 0;
  let idle = 0;
  let clock = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    clock += ms;
    if (clock < skipMs) return;
    sampled += ms;
    const leaf = describe(id);
    if (leaf.fn === '(idle)') {
      idle += ms;
      return;
    }
    self.set(leaf.key, (self.get(leaf.key) ?? 0) + ms);
    originSelf.set(leaf.origin, (originSelf.get(leaf.origin) ?? 0) + ms);
    // Total time: each function and origin on the stack once, however often it recurs.
    const fns = new Set<string>();
    const origins = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const d = describe(at);
      if (d.fn === '(root)') continue;
      if (d.ours) fns.add(d.key);
      origins.add(d.origin);
    }
    for (const k of fns) total.set(k, (total.get(k) ?? 0) + ms);
    for (const o of origins) originTotal.set(o, (originTotal.get(o) ?? 0) + ms);
  });

  const busy = sampled - idle;
  const pct = (ms: number) => Math.round((1000 * ms) / Math.max(busy, 1)) / 10;
  const byKey = new Map([...keyOf.values()].map((d) => [d.key, d]));
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([key, ms]) => {
        const d = byKey.get(key) as { fn: string; where: string };
        return { fn: d.fn, where: d.where, ms: Math.round(ms), pct: pct(ms) };
      });
  return {
    file,
    totalMs: Math.round(sampled),
    busyMs: Math.round(busy),
    selfTop: rows(self),
    srcTotal: rows(total),
    byOrigin: [...originSelf.keys(), ...[...originTotal.keys()].filter((o) => !originSelf.has(o))]
      .map((o) => {
        const s = originSelf.get(o) ?? 0;
        const t = originTotal.get(o) ?? 0;
        return {
          origin: o,
          selfMs: Math.round(s),
          selfPct: pct(s),
          totalMs: Math.round(t),
          totalPct: pct(t),
        };
      })
      .filter((o) => !['(program)', '(root)'].includes(o.origin))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, topN),
  };
}

export function profileMarkdown(p: ProfileSummary, title = relative(repoRoot, p.file)): string {
  return [
    `#### ${title}: ${p.busyMs} ms busy of ${p.totalMs} ms sampled`,
    '',
    'Functions by self time:',
    '',
    '| self | of busy | function | where |',
    '| ---: | ---: | --- | --- |',
    ...p.selfTop.map((t) => `| ${t.ms} ms | ${t.pct} % | \`${t.fn}\` | ${t.where} |`),
    '',
    'Our functions (src/) by total time, callees included:',
    '',
    '| total | of busy | function | where |',
    '| ---: | ---: | --- | --- |',
    ...p.srcTotal.map((t) => `| ${t.ms} ms | ${t.pct} % | \`${t.fn}\` | ${t.where} |`),
    '',
    'By origin (total: a frame of that origin anywhere on the stack):',
    '',
    '| origin | self | of busy | total | of busy |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...p.byOrigin.map(
      (o) => `| ${o.origin} | ${o.selfMs} ms | ${o.selfPct} % | ${o.totalMs} ms | ${o.totalPct} % |`,
    ),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { skip: { type: 'string', default: '0' }, top: { type: 'string', default: '15' } },
  });
  for (const file of positionals) {
    const summary = summarise(file, { skipMs: Number(values.skip), topN: Number(values.top) });
    console.log(`${profileMarkdown(summary)}\n`);
  }
}
