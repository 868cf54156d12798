import { describe, expect, it, vi } from 'vitest';
import { ActionRoutes } from '../../../src/slack/listeners/action-routes.js';

describe('action routes', () => {
  const a = vi.fn(async () => {});
  const b = vi.fn(async () => {});
  const c = vi.fn(async () => {});
  const routes = new ActionRoutes()
    .on('card:share', a)
    .on({ prefix: 'answer:' }, b)
    .on({ prefix: 'card:' }, c);

  it('finds the handler by exact action_id first, then by prefix', () => {
    expect(routes.handlerFor('card:share')).toBe(a);
    expect(routes.handlerFor('answer:team:small')).toBe(b);
    expect(routes.handlerFor('card:other')).toBe(c);
    expect(routes.handlerFor('answers:team')).toBeUndefined();
    expect(routes.handlerFor('')).toBeUndefined();
  });

  it('registers one Bolt listener that runs the handler, and acknowledges actions it has none for', async () => {
    let listener: ((args: unknown) => Promise<void>) | undefined;
    const app = { action: vi.fn((_c: unknown, l: typeof listener) => void (listener = l)) };
    routes.register(app as never);
    expect(app.action).toHaveBeenCalledTimes(1);
    expect(app.action.mock.calls[0]?.[0]).toEqual({ type: 'block_actions' });

    const ack = vi.fn(async () => {});
    await listener?.({ action: { action_id: 'answer:team:small' }, ack });
    expect(b).toHaveBeenCalledTimes(1);
    expect(ack).not.toHaveBeenCalled();

    await listener?.({ action: { action_id: 'docs:link' }, ack });
    expect(ack).toHaveBeenCalledTimes(1);
  });
});
