import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRetention } from '../../src/ops/retention.js';

const DAY = 86_400_000;
const log = () => ({ info: vi.fn(), error: vi.fn() });

afterEach(() => {
  vi.useRealTimers();
});

describe('the retention timer', () => {
  it('purges at start-up, then once a day, and logs what it deleted', async () => {
    vi.useFakeTimers();
    const purgeExpired = vi.fn(async () => ({
      assessments: 2,
      findings: 5,
      keys: 0,
      messageRefs: 3,
      deadCalls: 1,
      before: 0,
    }));
    const logger = log();
    const retention = startRetention({ purgeExpired }, logger as never);
    await retention.first;
    expect(purgeExpired).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      {
        assessments: 2,
        findings: 5,
        keys: 0,
        messageRefs: 3,
        deadCalls: 1,
        before: '1970-01-01T00:00:00.000Z',
      },
      'retention: purged old assessments',
    );
    await vi.advanceTimersByTimeAsync(DAY - 1);
    expect(purgeExpired).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(purgeExpired).toHaveBeenCalledTimes(2);
    await retention.stop();
    await vi.advanceTimersByTimeAsync(3 * DAY);
    expect(purgeExpired).toHaveBeenCalledTimes(2);
  });

  it('logs a failed purge and tries again the next day', async () => {
    vi.useFakeTimers();
    const purgeExpired = vi
      .fn()
      .mockRejectedValueOnce(new Error('database is locked'))
      .mockResolvedValue(undefined);
    const logger = log();
    const retention = startRetention({ purgeExpired }, logger as never);
    await retention.first;
    expect(logger.error).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(purgeExpired).toHaveBeenCalledTimes(2);
    expect(logger.info).not.toHaveBeenCalled();
    await retention.stop();
  });
});
