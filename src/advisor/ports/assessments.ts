import type { Finding } from '../findings.js';
import type { Session, SessionKey } from '../session.js';
import type { Envelope } from './outbox.js';

export type SaveResult =
  | { status: 'saved'; session: Session }
  | { status: 'conflict' }
  | { status: 'duplicate' };

/**
 * Where assessments live. The core owns this port; src/store/ implements it for SQLite and PostgreSQL, and both
 * adapters pass one contract suite (tests/store/contract.ts).
 * Slack delivers at least once, so every state change may carry an idempotency key (an event_id, a click's
 * action_ts, a command's trigger_id); a key seen before turns the write into a no-op reported as 'duplicate'.
 */
export interface AssessmentStore {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Records a key once in a workspace. False when it was recorded there before. insert and save claim theirs in
   * the session's workspace, so every key belongs to one and goes with it on an uninstall.
   */
  claim(key: string, teamId: string, outbox?: Envelope[]): Promise<boolean>;
  /** Stores a new assessment; `duplicate` when the key was claimed before, `conflict` when the slot is taken. */
  insert(session: Session, idempotencyKey?: string, outbox?: Envelope[]): Promise<SaveResult>;
  /** The live assessment of a person in a thread (not one archived by a restart). */
  get(key: SessionKey): Promise<Session | undefined>;
  /** By the assessment's own id (a uuid the app made): no request carries one, so it is for tests and tools. */
  getById(id: string): Promise<Session | undefined>;
  /** The live assessments of a thread, oldest first. */
  byThread(teamId: string, channelId: string, threadTs: string): Promise<Session[]>;
  /**
   * Saves `session` if the stored version still equals `session.version` (optimistic concurrency), then bumps it.
   * With a key, the key is claimed in the same transaction, so a retry never applies twice.
   * With `findings`, the assessment's stored findings are replaced by them in the same transaction.
   * Every write that takes `outbox` adds those Slack calls in its transaction (ports/outbox.ts), and a claim adds
   * them only when the key is new, so the calls a change implies are committed with it or not at all.
   */
  save(
    session: Session,
    idempotencyKey?: string,
    findings?: Finding[],
    outbox?: Envelope[],
  ): Promise<SaveResult>;
  /**
   * A restart of a finished assessment: keeps `previous` as history (archived at `next.createdAt`, no longer
   * what get and byThread find) and inserts `next`, a new assessment in the same thread, in one transaction with
   * the key and the calls. `conflict` when `previous` changed meanwhile (its version moved, or it was archived).
   */
  archive(
    previous: Session,
    next: Session,
    idempotencyKey?: string,
    outbox?: Envelope[],
  ): Promise<SaveResult>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
