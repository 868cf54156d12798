import type { AssessmentStore } from '../advisor/ports/assessments.js';
import type { DigestStore } from '../advisor/ports/digests.js';
import type { InstallationStore } from '../advisor/ports/installations.js';
import type { OutboxStore } from '../advisor/ports/outbox.js';
import type { UserDataStore } from '../advisor/ports/user-data.js';
import type { Session } from '../advisor/session.js';
import { type FieldCodec, PLAINTEXT } from './cipher.js';

/** What both adapters return: the core's assessment, digest, data-rights and installation ports over one connection. */
export type Store = AssessmentStore & DigestStore & UserDataStore & InstallationStore & OutboxStore;

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
  created_at: number | string;
  updated_at: number | string;
  completed_at: number | string | null;
  /** The cluster evidence's summary as JSON, encrypted like the answers; null without evidence. */
  evidence: string | null;
  /** When a restart archived this finished assessment (kept as history); null for live ones. */
  archived_at?: number | string | null;
}

/**
 * Answers are the sensitive part of an assessment (a team's security posture): the codec encrypts them at rest
 * when a key is configured. Each value is bound to its column and row, so ciphertexts cannot be swapped.
 */
/** What each encrypted column's value is bound to: its column and its assessment. */
export const sealContext = {
  answers: (id: string) => `answers of assessment ${id}`,
  answer_order: (id: string) => `answer order of assessment ${id}`,
  evidence: (id: string) => `evidence of assessment ${id}`,
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
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    completed_at: s.completedAt,
    evidence: s.evidence ? codec.seal(JSON.stringify(s.evidence), sealContext.evidence(s.id)) : null,
    archived_at: s.archivedAt ?? null,
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
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    completedAt: r.completed_at === null ? null : Number(r.completed_at),
    // Rows read by a query that does not select it, or written before evidence existed, have none.
    ...(typeof r.evidence === 'string' && {
      evidence: JSON.parse(codec.open(r.evidence, sealContext.evidence(r.id))),
    }),
    ...(r.archived_at !== null && r.archived_at !== undefined && { archivedAt: Number(r.archived_at) }),
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
  'created_at',
  'updated_at',
  'completed_at',
  'evidence',
  'archived_at',
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
  'evidence',
] as const satisfies readonly (typeof COLUMNS)[number][];
