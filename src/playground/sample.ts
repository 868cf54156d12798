// The sample evidence file (docs/sample-evidence.json, made from the EKS test fixture by the evidence command's
// own analysis), served to the page so "Try the sample evidence" can share it in a thread like any attached file.

import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { resolve } from 'node:path';

export const SAMPLE_PATH = '/sample-evidence.json';

/**
 * Relative to the working directory, as the questionnaire's directory is: the playground runs from a checkout
 * (`npm start`), where docs/ sits beside conversations/.
 */
export const SAMPLE_FILE = resolve('docs', 'sample-evidence.json');

/** GET /sample-evidence.json; false for other paths. A checkout without the file answers 404 with the reason. */
export async function serveSample(path: string, res: ServerResponse, file = SAMPLE_FILE): Promise<boolean> {
  if (path !== SAMPLE_PATH) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The sample evidence file (docs/sample-evidence.json) is not in this checkout.');
    return true;
  }
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
  return true;
}
