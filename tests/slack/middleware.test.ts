import { describe, expect, it } from 'vitest';
import { InFlight, kindOfBody } from '../../src/slack/middleware.js';

describe('the request middleware', () => {
  it('names the kind of each Slack request', () => {
    expect(kindOfBody({ command: '/k8s-advisor' })).toBe('command');
    expect(kindOfBody({ event: { type: 'message' } })).toBe('event');
    expect(kindOfBody({ type: 'block_actions' })).toBe('action');
    expect(kindOfBody({ type: 'view_submission' })).toBe('other');
  });

  it('counts work in flight and says when it has drained', async () => {
    const work = new InFlight();
    await work.drained(10);
    work.enter();
    work.enter();
    expect(work.size).toBe(2);
    let drained = false;
    const done = work.drained(5_000).then(() => {
      drained = true;
    });
    work.leave();
    await Promise.resolve();
    expect(drained).toBe(false);
    work.leave();
    await done;
    expect(drained).toBe(true);
    expect(work.size).toBe(0);
  });

  it('stops waiting after its time limit', async () => {
    const work = new InFlight();
    work.enter();
    const started = Date.now();
    await work.drained(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(work.size).toBe(1);
  });
});
