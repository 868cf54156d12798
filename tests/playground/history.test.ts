// The playground's channel history file: where it lives, what it keeps, and what a restore gives back.

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { historyPath, keepHistory, loadHistory } from '../../src/playground/history.js';
import { type SlackStandin, startSlackStandin } from '../../src/standin/server.js';
import { clientFor } from '../standin/helpers.js';

const dirs: string[] = [];
const standins: SlackStandin[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-advisor-history-'));
  dirs.push(dir);
  return dir;
};
const standin = async (opts: { startTs?: number } = {}) => {
  const s = await startSlackStandin(opts);
  standins.push(s);
  s.addUser({ id: 'U0ALEX', name: 'alex' });
  s.addChannel({ id: 'C0PLATFORM', name: 'platform' });
  return s;
};

afterEach(async () => {
  for (const s of standins.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('historyPath', () => {
  it('sits next to the SQLite file, and is off for an in-memory database', () => {
    expect(historyPath({ engine: 'sqlite', path: './data/k8s-advisor.db' })).toBe(
      'data/k8s-advisor.playground.json',
    );
    expect(historyPath({ engine: 'sqlite', path: ':memory:' })).toBeUndefined();
    expect(historyPath({ engine: 'postgres', url: 'postgres://x@y/z' })).toBe('data/playground-history.json');
  });
});

describe('keepHistory and restore', () => {
  it('round-trips channels, threads and edits, drops ephemerals, and keeps ts growing', async () => {
    const file = join(tempDir(), 'history.json');
    const first = await standin({ startTs: 1_900_000_000 });
    const keeper = keepHistory(first, file, 1);
    const web = clientFor(first.url);
    const parent = await web.chat.postMessage({ channel: 'C0PLATFORM', text: 'parent' });
    first.recordUserMessage({ channel: 'C0PLATFORM', user: 'U0ALEX', text: 'reply', thread_ts: parent.ts });
    await web.chat.update({ channel: 'C0PLATFORM', ts: parent.ts as string, text: 'parent, edited' });
    await web.chat.postEphemeral({ channel: 'C0PLATFORM', user: 'U0ALEX', text: 'psst' });
    keeper.stop();
    const kept = first.messages().filter((m) => !m.is_ephemeral);

    // A wall-clock stand-in would hand out later ts anyway; a fixed early start proves the restore moves it on.
    const second = await standin({ startTs: 1_000_000_000 });
    const saved = loadHistory(file);
    if (!saved) throw new Error('no history saved');
    second.restore(saved);
    expect(second.messages()).toEqual(kept);
    expect(second.message('C0PLATFORM', parent.ts as string)).toMatchObject({ reply_count: 1 });
    const next = await clientFor(second.url).chat.postMessage({ channel: 'C0PLATFORM', text: 'later' });
    const newest = Math.max(...kept.map((m) => Number(m.ts)), Number(kept[0]?.edited?.ts));
    expect(Number(next.ts)).toBeGreaterThan(newest);
    // Restoring is quiet: followers start from the restored state, not from replayed changes.
    expect(second.changes().map((c) => c.ts)).toEqual([next.ts]);
  });

  it('sets a damaged file aside instead of failing or trusting it', () => {
    const dir = tempDir();
    const file = join(dir, 'history.json');
    writeFileSync(file, '{"version":1,"channels":');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(loadHistory(file)).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).some((f) => f.startsWith('history.json.unreadable-'))).toBe(true);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
