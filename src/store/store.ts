import type { Finding } from '../advisor/findings.js';
import type { Session, SessionKey } from '../advisor/session.js';
import { type FieldCodec, PLAINTEXT } from './cipher.js';

export type SaveResult =
  | { status: 'saved'; session: Session }
  | { status: 'conflict' }
  | { status: 'duplicate' };

/**
 * The persistence port. Both adapters (SQLite, PostgreSQL) pass one contract suite: tests/store/contract.ts.
 * Slack delivers at least once, so every state change may carry an idempotency key (an event_id, a click's
 * action_ts, a command's trigger_id); a key seen before turns the write into a no-op reported as 'duplicate'.
 */
export interface AssessmentStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Records a key once. False when it was recorded before. */
  claim(key: string): Promise<boolean>;
  /** Stores a new assessment; `duplicate` when the key was claimed before, `conflict` when the slot is taken. */
  insert(session: Session, idempotencyKey?: string): Promise<SaveResult>;
  get(key: SessionKey): Promise<Session | undefined>;
  getById(id: string): Promise<Session | undefined>;
  byThread(teamId: string, channelId: string, threadTs: string): Promise<Session[]>;
  /**
   * Saves `session` if the stored version still equals `session.version` (optimistic concurrency), then bumps it.
   * With a key, the key is claimed in the same transaction, so a retry never applies twice.
   * With `findings`, the assessment's stored findings are replaced by them in the same transaction.
   */
  save(session: Session, idempotencyKey?: string, findings?: Finding[]): Promise<SaveResult>;
  /**
   * Records whether the prompt of `version` reached the user (shown) or Slack refused it after every retry
   * (failed). Never moves backwards and never bumps the version, so it cannot race a save.
   */
  markDelivery(id: string, version: number, outcome: 'shown' | 'failed'): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Session fields as stored: one row per assessment, answers as JSON. */
export interface SessionRow {
  id: string;
  team_id: string;
  channel_id: string;
  thread_ts: string;
  user_id: string;
  questionnaire_id: string;
  questionnaire_version: number;
  status: string;
  outcome: string | null;
  answers: string;
  answer_order: string;
  restarts: number;
  version: number;
  shown_version: number;
  failed_version: number;
  created_at: number | string;
  updated_at: number | string;
  completed_at: number | string | null;
}

/**
 * Answers are the sensitive part of an assessment (a team's security posture): the codec encrypts them at rest
 * when a key is configured. Each value is bound to its column and row, so ciphertexts cannot be swapped.
 */
/** What each encrypted column's value is bound to: its column and its assessment. */
export const sealContext = {
  answers: (id: string) => `answers of assessment ${id}`,
  answer_order: (id: string) => `answer order of assessment ${id}`,
};

export function toRow(s: Session, codec: FieldCodec = PLAINTEXT): SessionRow {
  return {
    id: s.id,
    team_id: s.teamId,
    channel_id: s.channelId,
    thread_ts: s.threadTs,
    user_id: s.userId,
    questionnaire_id: s.questionnaireId,
    questionnaire_version: s.questionnaireVersion,
    status: s.status,
    outcome: s.outcome,
    answers: codec.seal(JSON.stringify(s.answers), sealContext.answers(s.id)),
    answer_order: codec.seal(JSON.stringify(s.order), sealContext.answer_order(s.id)),
    restarts: s.restarts,
    version: s.version,
    shown_version: s.shownVersion,
    failed_version: s.failedVersion,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    completed_at: s.completedAt,
  };
}

export function fromRow(r: SessionRow, codec: FieldCodec = PLAINTEXT): Session {
  return {
    id: r.id,
    teamId: r.team_id,
    channelId: r.channel_id,
    threadTs: r.thread_ts,
    userId: r.user_id,
    questionnaireId: r.questionnaire_id,
    questionnaireVersion: Number(r.questionnaire_version),
    status: r.status as Session['status'],
    outcome: r.outcome as Session['outcome'],
    answers: JSON.parse(codec.open(r.answers, sealContext.answers(r.id))),
    order: JSON.parse(codec.open(r.answer_order, sealContext.answer_order(r.id))),
    restarts: Number(r.restarts),
    version: Number(r.version),
    shownVersion: Number(r.shown_version),
    failedVersion: Number(r.failed_version),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    completedAt: r.completed_at === null ? null : Number(r.completed_at),
  };
}

/** Columns in insert order, shared by both adapters so they cannot drift apart. */
export const COLUMNS = [
  'id',
  'team_id',
  'channel_id',
  'thread_ts',
  'user_id',
  'questionnaire_id',
  'questionnaire_version',
  'status',
  'outcome',
  'answers',
  'answer_order',
  'restarts',
  'version',
  'shown_version',
  'failed_version',
  'created_at',
  'updated_at',
  'completed_at',
] as const satisfies readonly (keyof SessionRow)[];

/** Columns a save may change; the others identify the assessment or are set once (version is bumped apart). */
export const MUTABLE_COLUMNS = [
  'questionnaire_version',
  'status',
  'outcome',
  'answers',
  'answer_order',
  'restarts',
  'updated_at',
  'completed_at',
] as const satisfies readonly (typeof COLUMNS)[number][];

/** Thrown inside a write transaction to roll it back; reported as `{ status: 'conflict' }` by conflictOr. */
export class Conflict extends Error {}

/** A rolled-back write: Conflict becomes its result, anything else is a real failure and propagates. */
export function conflictOr(error: unknown): SaveResult {
  if (error instanceof Conflict) return { status: 'conflict' };
  throw error;
}
