import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The app imports src/evidence/index.ts; everything it reaches must stay pure (no Kubernetes client, no process
 * spawning, no file or network access), and the evidence code must not reach into the app's own layers.
 */
const SRC = join(process.cwd(), 'src');
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map(
    (m) => m[1] as string,
  );

function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    const specs = importsOf(file);
    seen.set(file, specs);
    for (const spec of specs)
      if (spec.startsWith('.') && spec.endsWith('.js'))
        todo.push(normalize(join(dirname(file), spec.replace(/\.js$/, '.ts'))));
  }
  return seen;
}

describe('evidence module boundaries', () => {
  it('the app-facing entry reaches only pure modules', () => {
    const graph = reach(join(SRC, 'evidence', 'index.ts'));
    const external = [...graph.values()].flat().filter((s) => !s.startsWith('.'));
    expect(new Set(external)).toEqual(new Set(['zod']));
    for (const file of graph.keys()) expect(file.startsWith(join(SRC, 'evidence'))).toBe(true);
  });

  it('the command side does not import the Slack app, the advisor core, the store or the playground', () => {
    const graph = reach(join(SRC, 'evidence', 'cli.ts'));
    for (const file of graph.keys()) expect(file.startsWith(join(SRC, 'evidence'))).toBe(true);
  });
});
