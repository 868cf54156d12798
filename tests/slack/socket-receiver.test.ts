import type { App, ReceiverEvent } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import { CommitFirstSocketReceiver } from '../../src/slack/socket-receiver.js';
import { silentLogger } from '../support/slack.js';

/** A receiver whose app runs `process` for each envelope; nothing connects until start(), which is never called. */
function receiver(process: (event: ReceiverEvent) => Promise<void>) {
  const r = new CommitFirstSocketReceiver({ appToken: 'xapp-socket-test', logger: silentLogger });
  r.init({ processEvent: process } as unknown as App);
  return r;
}

/** Hands an envelope over as the Socket Mode client does; resolves once the receiver's handler has run. */
function deliver(r: CommitFirstSocketReceiver, body: Record<string, unknown> = { type: 'event_callback' }) {
  const ack = vi.fn(async (_response?: Record<string, unknown>) => {});
  const handlers = r.client.listeners('slack_event') as ((e: unknown) => Promise<void>)[];
  const done = Promise.all(handlers.map((h) => h({ body, ack, retry_num: 1, retry_reason: 'timeout' })));
  return { ack, done, handlers };
}

describe('Socket Mode, acknowledging after the commit', () => {
  it('sends the ack only once the listener has finished, with what it acked', async () => {
    let commit = () => {};
    const seen: ReceiverEvent[] = [];
    const r = receiver(async (event) => {
      seen.push(event);
      await event.ack({ text: 'saved' });
      await new Promise<void>((resolve) => {
        commit = resolve;
      });
    });
    const { ack, done, handlers } = deliver(r);
    // Bolt's own handler, which acks as it receives, is gone: one handler, ours.
    expect(handlers).toHaveLength(1);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(ack).not.toHaveBeenCalled();
    commit();
    await done;
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledWith({ text: 'saved' });
    expect(seen[0]).toMatchObject({ retryNum: 1, retryReason: 'timeout' });
  });

  it('acknowledges an event with an empty ack, once, however often the listener acked', async () => {
    const r = receiver(async (event) => {
      await event.ack();
      await event.ack({ text: 'ignored' });
    });
    const { ack, done } = deliver(r);
    await done;
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledWith(undefined);
  });

  it('acknowledges nothing when the listener fails (the commit did not happen), so Slack sends it again', async () => {
    const r = receiver(async (event) => {
      await event.ack();
      throw new Error('database gone');
    });
    const { ack, done } = deliver(r);
    await done;
    expect(ack).not.toHaveBeenCalled();
  });
});
