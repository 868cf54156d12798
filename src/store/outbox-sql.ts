import type { Envelope, OutboxItem } from '../advisor/ports/outbox.js';
import type { FieldCodec } from './cipher.js';

/** An outbox row as both engines return it (PostgreSQL's BIGINT and BIGSERIAL come back as strings). */
export interface OutboxRow {
  id: number | string;
  team_id: string;
  lane: string;
  kind: string;
  payload: string;
  record: string | null;
  max_attempts: number | null;
  attempts: number;
  created_at: number | string;
  /** Who held the item's lease before this one (lease queries only): set when that lease lapsed unsettled. */
  previous?: string | null;
}

/**
 * A payload can hold a person's answers (the card, an echo of a reply), so it is sealed like the answers,
 * bound to its lane and kind. Items live seconds, so a key rotation has nothing to reseal here.
 */
const context = (e: { lane: string; kind: string }) => `outbox ${e.kind} in ${e.lane}`;

export const envelopeParams = (codec: FieldCodec, e: Envelope, now: number) => ({
  team_id: e.teamId,
  lane: e.lane,
  kind: e.kind,
  payload: codec.seal(JSON.stringify(e.payload ?? null), context(e)),
  record: e.record ?? null,
  max_attempts: e.maxAttempts ?? null,
  due_at: now,
  created_at: now,
});

export const ENVELOPE_COLUMNS = [
  'team_id',
  'lane',
  'kind',
  'payload',
  'record',
  'max_attempts',
  'due_at',
  'created_at',
] as const;

export const fromOutboxRow = (codec: FieldCodec, r: OutboxRow): OutboxItem => ({
  id: String(r.id),
  teamId: r.team_id,
  lane: r.lane,
  kind: r.kind,
  payload: JSON.parse(codec.open(r.payload, context(r))),
  ...(r.record !== null && { record: r.record }),
  ...(r.max_attempts !== null && { maxAttempts: Number(r.max_attempts) }),
  attempts: Number(r.attempts),
  createdAt: Number(r.created_at),
  // Settling clears the owner (retry, release) or removes the row: one still named lapsed mid-call.
  ...(r.previous != null && { takenOver: true }),
});

/** Errors are Slack's codes or a transport's message; kept short, and never with a token in them. */
export const clip = (error: string) => error.slice(0, 300);

/**
 * The due heads of lanes, oldest first: an item is due when its time has come and no lease on it is live, and it
 * is a head when no older item of its lane is waiting. Parameters: now, limit (named per engine by the caller).
 */
export const DUE_HEADS = (now: string, limit: string) => `SELECT o.id, o.lease_owner AS previous FROM outbox o
   WHERE o.due_at <= ${now} AND o.lease_until <= ${now}
     AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.id < o.id)
   ORDER BY o.id LIMIT ${limit}`;
