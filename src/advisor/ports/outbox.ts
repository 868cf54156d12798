/**
 * The transactional outbox: a Slack call (or a short chain of them) that a state change implies, written in the
 * same transaction as the change, so an acknowledged request never loses the message it owes. A sender delivers
 * the items afterwards, in order per lane, with retries; pending work waits here, in the database, not in memory.
 *
 * The core treats the call as opaque: `kind` names what the sender does and `payload` is its argument, so Slack's
 * shapes stay in src/slack/.
 */
export interface Envelope {
  teamId: string;
  /** Items of one lane are delivered one at a time, oldest first (a thread's messages arrive in order). */
  lane: string;
  /** What the sender does: a Web API method (`chat.postMessage`) or a task of several calls (`start`, `adr`). */
  kind: string;
  payload: unknown;
  /** Records the `ts` of the message this item posts under this name, so later items can update that message. */
  record?: string;
  /** The most an item may be tried before it is given up on (dead); the sender's default otherwise. */
  maxAttempts?: number;
}

/** An envelope as stored and claimed by a sender. */
export interface OutboxItem extends Envelope {
  id: string;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: number;
  /**
   * Taken over from a sender whose lease lapsed before it settled the item (it died or stalled mid-call): the
   * call may have been made already, so a post looks for itself before posting again.
   */
  takenOver?: boolean;
}

export interface OutboxStats {
  /** Items waiting or being sent. */
  depth: number;
  /** Age of the oldest of those, 0 when there are none. */
  oldestAgeMs: number;
  /** Items given up on and kept for inspection. */
  dead: number;
}

/** Where the sender finds and settles its work. Both adapters implement it over the app's own database. */
export interface OutboxStore {
  /** Adds items outside any state change (a Home view, a digest), claiming `key` with them when given: false if seen. */
  enqueue(envelopes: Envelope[], key?: { key: string; teamId: string }): Promise<boolean>;
  /**
   * Leases up to `limit` due items, each the oldest unsettled item of its lane, for `leaseMs`: a sender that dies
   * mid-send loses its lease and another (or the next start) takes the item over.
   */
  lease(owner: string, limit: number, leaseMs: number): Promise<OutboxItem[]>;
  /**
   * Extends the leases `owner` still holds on these items to `leaseMs` from now, so a task of several calls on a
   * slow Slack keeps its item; an item settled meanwhile or taken over by another owner is left alone.
   */
  renew(owner: string, ids: string[], leaseMs: number): Promise<void>;
  /** Done: removes the item, recording `ts` under the item's `record` name when both are given. */
  sent(item: OutboxItem, ts?: string): Promise<void>;
  /** Not this time: tried again at `dueAt`. */
  retry(item: OutboxItem, dueAt: number, error: string): Promise<void>;
  /** Given up on: kept aside for inspection; the lane moves on. */
  dead(item: OutboxItem, error: string): Promise<void>;
  /** Gives back the leases `owner` still holds (a clean shutdown), so others need not wait for them to lapse. */
  release(owner: string): Promise<void>;
  /**
   * Whether the item of `lane` that records under `record` is still waiting, not even on its way: the message it
   * posts cannot have been seen yet. One being sent counts as on its way.
   */
  unsent(lane: string, record: string): Promise<boolean>;
  /** The `ts` a sent item recorded under `name` in a workspace. */
  recorded(teamId: string, name: string): Promise<string | undefined>;
  stats(): Promise<OutboxStats>;
}
