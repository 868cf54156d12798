import type { OutboxItem } from '../advisor/ports/outbox.js';
import { classify } from './outbox-sender.js';

/**
 * Tries of an item whose task tells someone when it is given up on (an upload, a digest): set on the item, so
 * the task knows which try is its last whatever the sender's default.
 */
export const TOLD_ATTEMPTS = 6;

/** Whether the sender gives up on `item` after this failure: refused for good, or its last try. */
export function givingUp(item: OutboxItem, error: unknown): boolean {
  return !classify(error).retry || item.attempts + 1 >= (item.maxAttempts ?? TOLD_ATTEMPTS);
}
