import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Assessment ids are time-ordered so that a
 * new row lands at the end of the id index, on a page the last insert already wrote, instead of on a random one:
 * fewer pages per commit is what makes a durable write cheap (bench/RESULTS.md). The random bits come from
 * randomUUID, which draws on a pooled buffer of entropy; its variant bits are kept and its version replaced.
 */
export function uuidv7(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
