import { execFile } from 'node:child_process';
import { redactSecrets } from '../secrets.js';
import { cleanText } from '../text.js';

/**
 * Runs a provider CLI (aws, gcloud, az) read-only and parses its JSON. execFile, never a shell, so no argument
 * is ever interpreted; a missing CLI, a failure or a timeout comes back as a reason, never a throw.
 */
export type CliResult = { ok: true; json: unknown } | { ok: false; why: string };

export type CliRunner = (command: string, args: string[]) => Promise<CliResult>;

const MAX_OUTPUT = 8 * 1024 * 1024;

export function cliRunner(timeoutMs: number): CliRunner {
  return (command, args) =>
    new Promise((resolve) => {
      execFile(
        command,
        args,
        { timeout: timeoutMs, maxBuffer: MAX_OUTPUT, windowsHide: true, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error) {
            const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
            if (e.code === 'ENOENT')
              return resolve({ ok: false, why: `the ${command} CLI is not installed (not on PATH)` });
            if (e.killed)
              return resolve({
                ok: false,
                why: `${command} gave no answer within ${Math.round(timeoutMs / 1000)} s`,
              });
            const first =
              String(stderr)
                .split('\n')
                .find((l) => l.trim() !== '') ?? `exit code ${String(e.code)}`;
            return resolve({
              ok: false,
              why: `${command} failed: ${cleanText(redactSecrets(first.trim()), 240)}`,
            });
          }
          try {
            resolve({ ok: true, json: JSON.parse(stdout) });
          } catch {
            resolve({ ok: false, why: `${command} did not print JSON` });
          }
        },
      );
    });
}

/** Reads a nested field without trusting the shape of a CLI's output. */
export function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
export const str = (v: unknown, max = 300): string | null =>
  typeof v === 'string' && v !== '' ? cleanText(v, max) : null;
export const strings = (v: unknown, maxItems: number, max = 300): string[] =>
  Array.isArray(v)
    ? v
        .filter((x): x is string => typeof x === 'string' && x !== '')
        .slice(0, maxItems)
        .map((x) => cleanText(x, max))
    : [];
