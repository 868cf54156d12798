import { EVIDENCE_KIND, EVIDENCE_SCHEMA_VERSION, type Evidence, evidenceSchema, LIMITS } from './schema.js';
import { secretShape } from './secrets.js';
import { clip, hasHostileChars, safeFragment } from './text.js';

/**
 * The one gate for an evidence file, wherever it comes from (an upload in Slack, the playground, the CLI checking
 * what it is about to write). Pure: bytes in, a typed value or one plain-text message out. The message never
 * echoes the file's text beyond letters, digits and a few separators, so it is safe to post as is.
 * Order matters: size before decoding, nesting before JSON.parse (whose recursion a deep file could exhaust).
 */
export type EvidenceResult = { ok: true; evidence: Evidence } | { ok: false; error: string };

/** The command people run to make a file, as the app should quote it (help text, refusals). */
export const EVIDENCE_COMMAND = 'npx k8s-advisor-evidence --context NAME --out evidence.json';
const COMMAND = EVIDENCE_COMMAND;
const fail = (error: string): EvidenceResult => ({ ok: false, error });

/** Deepest nesting of arrays and objects, found by one linear scan that skips string contents. */
export function jsonDepth(text: string, stopAt: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
      if (max > stopAt) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** The first string (key or value) that is hostile or credential-shaped, with a readable path to it. */
function findBadString(value: unknown, path: string): string | null {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, p] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (hasHostileChars(v)) return `${p} holds control or invisible formatting characters`;
      const shape = secretShape(v);
      if (shape) return `${p} looks like it holds ${shape}; evidence files must never carry credentials`;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        stack.push([item, `${p}[${i}]`]);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (hasHostileChars(k) || secretShape(k)) return `${p} has a field name that is not allowed`;
        stack.push([item, `${p}.${safeFragment(k)}`]);
      }
    }
  }
  return null;
}

/** Zod's issues as one line; field names and messages pass through a filter, since a key can be hostile. */
function describeIssues(issues: readonly { path: PropertyKey[]; message: string; code: string }[]): string {
  const shown = issues.slice(0, 3).map((i) => {
    const path = i.path
      .map((k) => (typeof k === 'number' ? `[${k}]` : `.${safeFragment(String(k))}`))
      .join('');
    const what =
      i.code === 'unrecognized_keys'
        ? 'has a field this version does not know'
        : clip(i.message.replace(/[^ -~]|[<>&*_`~]/g, '?'), 120);
    return `${path ? `at ${path.slice(1)}` : 'at the top'}: ${what}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

export function parseEvidence(input: string | Uint8Array): EvidenceResult {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (bytes === 0) return fail('The evidence file is empty.');
  if (bytes > LIMITS.fileBytes)
    return fail(
      `The evidence file is ${Math.ceil(bytes / 1024)} KB; the limit is ${LIMITS.fileBytes / 1024} KB. ` +
        `Upload the file ${COMMAND} writes, unedited.`,
    );
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return fail('The evidence file is not UTF-8 text. Upload the JSON file the command wrote.');
  }
  if (jsonDepth(text, LIMITS.depth) > LIMITS.depth)
    return fail(
      `The evidence file is nested deeper than ${LIMITS.depth} levels; it is not an evidence file.`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail(`The evidence file is not valid JSON. Upload the file ${COMMAND} writes.`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    return fail('The evidence file is not a JSON object; it is not an evidence file.');
  const head = data as { kind?: unknown; schemaVersion?: unknown };
  if (head.kind !== EVIDENCE_KIND)
    return fail(`This JSON file is not an evidence file (its "kind" should be "${EVIDENCE_KIND}").`);
  if (typeof head.schemaVersion === 'number' && head.schemaVersion > EVIDENCE_SCHEMA_VERSION)
    return fail(
      `This evidence file uses schema version ${Math.floor(head.schemaVersion)}, newer than this app reads ` +
        `(${EVIDENCE_SCHEMA_VERSION}). Update the app, or produce the file with the version of the command it ships.`,
    );
  const bad = findBadString(data, 'file');
  if (bad) return fail(`The evidence file was refused: ${bad}.`);
  const parsed = evidenceSchema.safeParse(data);
  if (!parsed.success)
    return fail(
      `The evidence file does not match schema version ${EVIDENCE_SCHEMA_VERSION}: ${describeIssues(parsed.error.issues)}.`,
    );
  return { ok: true, evidence: parsed.data };
}
