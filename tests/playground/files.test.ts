// The playground's files on disk: written as the app uploads them, read back at start, damaged ones skipped.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { filesDir, keepFiles, loadFiles } from '../../src/playground/files.js';
import { type SlackStandin, startSlackStandin } from '../../src/standin/server.js';
import { clientFor } from '../standin/helpers.js';

const dirs: string[] = [];
const standins: SlackStandin[] = [];
afterEach(async () => {
  for (const s of standins.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-files-'));
  dirs.push(dir);
  return join(dir, 'files');
};

describe('filesDir', () => {
  it('sits beside the channel history, under the data directory', () => {
    expect(filesDir('data/k8s-advisor.playground.json')).toBe('data/k8s-advisor.playground-files');
  });
});

describe('keepFiles and loadFiles', () => {
  it('keep what the app uploads, bytes and all, and give it back', async () => {
    const dir = tempDir();
    const standin = await startSlackStandin();
    standins.push(standin);
    const stop = keepFiles(standin, dir);
    const web = clientFor(standin.url);
    await web.files.uploadV2({
      channel_id: 'C1',
      filename: 'record.md',
      title: 'Record',
      content: '# One\n',
    });
    await web.files.uploadV2({ channel_id: 'C1', filename: 'data.bin', file: Buffer.from([0, 255, 1]) });
    stop();
    const loaded = loadFiles(dir);
    expect(loaded.map((f) => [f.name, f.title, f.channel])).toEqual([
      ['record.md', 'Record', 'C1'],
      ['data.bin', 'data.bin', 'C1'],
    ]);
    expect(loaded.map((f) => [...f.content])).toEqual([[...Buffer.from('# One\n')], [0, 255, 1]]);
    expect(loaded).toEqual(standin.files());
  });

  it('skip a damaged or foreign record with a warning, and read nothing from a missing directory', () => {
    const dir = tempDir();
    expect(loadFiles(dir)).toEqual([]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'F1.json'), '{"id":"F1",');
      writeFileSync(
        join(dir, 'F2.json'),
        JSON.stringify({ id: '../../etc/passwd', name: 'x', mimetype: 'text/plain' }),
      );
      writeFileSync(
        join(dir, 'F3.json'),
        JSON.stringify({ id: 'F3', name: 'gone.txt', mimetype: 'text/plain' }),
      );
      expect(loadFiles(dir)).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(3);
      expect(readdirSync(dir).sort()).toEqual(['F1.json', 'F2.json', 'F3.json']);
    } finally {
      warn.mockRestore();
    }
  });
});
