// Files the app uploads in the playground (decision records, exports), kept on disk beside the channel history
// so their links survive a restart, and served on the playground's own port.
//
//   <dir>/<id>        the bytes
//   <dir>/<id>.json   what Slack knows of the file (name, type, where it was shared); written last

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileIdOf, sendFile } from '../standin/file-routes.js';
import type { SlackStandin, StoredFile } from '../standin/server.js';

/** data/k8s-advisor.playground.json → data/k8s-advisor.playground-files */
export const filesDir = (historyFile: string) => `${historyFile.replace(/\.json$/, '')}-files`;

/** Stand-in file ids only: nothing else ever becomes a path. */
const SAFE_ID = /^F[0-9A-Z]{1,20}$/;

function writeAtomically(path: string, data: string | Buffer) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function isFileMeta(v: unknown): v is Omit<StoredFile, 'content'> {
  const f = v as Partial<StoredFile> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.id === 'string' &&
    SAFE_ID.test(f.id) &&
    typeof f.name === 'string' &&
    typeof f.mimetype === 'string'
  );
}

/** The files kept in `dir`; one that cannot be read is skipped with a warning, not trusted. */
export function loadFiles(dir: string): StoredFile[] {
  if (!existsSync(dir)) return [];
  const files: StoredFile[] = [];
  for (const entry of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    try {
      const meta: unknown = JSON.parse(readFileSync(join(dir, entry), 'utf8'));
      if (!isFileMeta(meta)) throw new Error('not a playground file record');
      files.push({ ...meta, content: readFileSync(join(dir, meta.id)) });
    } catch (error) {
      console.warn(`playground: skipped ${join(dir, entry)}: ${(error as Error).message}`);
    }
  }
  return files;
}

/** Writes each file the app uploads, as it arrives. Returns the function that stops following. */
export function keepFiles(standin: SlackStandin, dir: string): () => void {
  return standin.onChange((change) => {
    if (change.kind !== 'file') return;
    for (const info of change.files ?? []) {
      const file = SAFE_ID.test(info.id) ? standin.file(info.id) : undefined;
      if (!file) continue;
      try {
        mkdirSync(dir, { recursive: true });
        const { content, ...meta } = file;
        writeAtomically(join(dir, file.id), content);
        writeAtomically(join(dir, `${file.id}.json`), JSON.stringify(meta));
      } catch (error) {
        console.warn(`playground: could not keep ${file.name} in ${dir}: ${(error as Error).message}`);
      }
    }
  });
}

/** GET /files/<id>/<name>: a file's bytes, as Slack's url_private gives them. False for other paths. */
export function serveFile(standin: SlackStandin, path: string, res: ServerResponse): boolean {
  const id = fileIdOf(path);
  if (id === undefined) return false;
  const file = standin.file(id);
  if (!file) return false;
  sendFile(res, file);
  return true;
}
