import { describe, expect, it } from 'vitest';
import { batched } from '../../src/store/batched.js';

describe('batched', () => {
  it('writes the calls of one turn together, and each caller waits for that write', async () => {
    const writes: number[][] = [];
    let finish = () => {};
    const add = batched<number>(
      (items) =>
        new Promise((resolve) => {
          writes.push(items);
          finish = resolve;
        }),
    );
    let done = 0;
    const calls = [1, 2, 3].map((n) => add(n).then(() => done++));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([[1, 2, 3]]);
    expect(done).toBe(0);
    finish();
    await Promise.all(calls);
    expect(done).toBe(3);
    // A later turn makes a write of its own.
    const later = add(4);
    await new Promise((resolve) => setImmediate(resolve));
    finish();
    await later;
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('splits a turn into writes of at most max', async () => {
    const writes: number[][] = [];
    const add = batched<number>(async (items) => {
      writes.push(items);
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map(add));
    expect(writes).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every caller of a write that failed, and the next turn starts afresh', async () => {
    let fail = true;
    const add = batched<number>(async () => {
      if (fail) throw new Error('database gone');
    });
    const results = await Promise.allSettled([add(1), add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(add(3)).resolves.toBeUndefined();
  });
});
