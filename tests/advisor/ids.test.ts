import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/advisor/ids.js';

describe('uuidv7', () => {
  it('is a version 7 UUID carrying its millisecond timestamp', () => {
    const at = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time as text, and differs within one millisecond', () => {
    const ids = [1, 2, 3, 1000, 10 ** 12, 2 ** 47].map((t) => uuidv7(t));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => uuidv7(5)));
    expect(same.size).toBe(1000);
  });
});
