import type { Session } from '../advisor/session.js';
import type { FieldCodec } from './cipher.js';
import type { ChannelRef } from './digest-store.js';
import { sealContext } from './store.js';

/** One page of a person's assessments, and how many they have in all. */
export interface UserPage {
  sessions: Session[];
  total: number;
}

/** What forgetting a person deleted. */
export interface Forgotten {
  assessments: number;
  /** Digest findings (reasons, open risks, skipped questions) of those assessments. */
  findings: number;
  /** Channel digest schedules the person had set, now stopped. */
  subscriptions: ChannelRef[];
  /** Idempotency keys of their clicks, which carry their user id. */
  keys: number;
}

/** What a retention purge deleted. */
export interface Purged {
  assessments: number;
  findings: number;
  /** Idempotency keys older than the cut-off: long past any retry Slack could send. */
  keys: number;
}

/**
 * The data-rights port, next to AssessmentStore and DigestStore on both adapters and in one contract suite:
 * a person's own assessments (App Home, export, `adr`), forgetting them, and the retention purge.
 */
export interface UserDataStore {
  /** A person's assessments in a workspace, most recently changed first, and their total. */
  listByUser(teamId: string, userId: string, page: { limit: number; offset: number }): Promise<UserPage>;
  /** The person's most recently completed assessment in a channel. */
  latestCompleted(teamId: string, channelId: string, userId: string): Promise<Session | undefined>;
  /**
   * Deletes, in one transaction, everything stored about a person in a workspace: their assessments (answers
   * included), the findings digests count, the digest schedules they set, and their click keys.
   */
  forgetUser(teamId: string, userId: string): Promise<Forgotten>;
  /** Deletes completed assessments completed before `before` (epoch ms) with their findings, in one transaction. */
  purgeCompleted(before: number): Promise<Purged>;
  /**
   * Key rotation: rewrites the answers of every assessment stored in plaintext or under an old key with the
   * current key, a batch at a time; returns how many were rewritten. Each row is compared and set, so a save
   * racing it wins, and the version is not bumped (the content does not change).
   */
  resealAnswers(): Promise<number>;
  /**
   * The ids of the keys the most recently written answers are encrypted under, so start-up can refuse a keyring
   * missing one without reading the whole table.
   */
  keyIdsInUse(): Promise<string[]>;
}

/** Matches the user's click keys, `action:<action_ts>:<user>` (see the action listeners). */
const USER_KEYS = `key LIKE 'action:%'
  AND substr(key, length(key) - length(CAST(@user AS TEXT))) = ':' || CAST(@user AS TEXT)`;
const USERS_ASSESSMENTS = 'SELECT id FROM assessments WHERE team_id = @team AND user_id = @user';
const EXPIRED = `SELECT id FROM assessments WHERE status = 'completed' AND completed_at < @before`;

/** Shared by both engines, `@name` parameters as in digest-sql.ts; indexes: assessments_user, _status_completed. */
/**
 * The key ids (8 characters after `enc:v1:`, see cipher.ts) of the most recently written rows only: a start-up
 * check must not scan the table, and a row elsewhere under a key no longer configured still fails clearly when it
 * is read. `recent` is what orders rows by recency: updated_at (indexed) on PostgreSQL, rowid on SQLite.
 */
export const keyIdsInUseSql = (
  recent: 'updated_at' | 'rowid',
) => `SELECT DISTINCT substr(answers, 8, 8) AS key_id
    FROM (SELECT answers FROM assessments ORDER BY ${recent} DESC LIMIT 1000) recent
    WHERE answers LIKE 'enc:v1:%'`;

export const USER_DATA_SQL = {
  listByUser: `SELECT * FROM assessments WHERE team_id = @team AND user_id = @user
    ORDER BY updated_at DESC, id DESC LIMIT @limit OFFSET @offset`,
  countByUser: 'SELECT COUNT(*) AS n FROM assessments WHERE team_id = @team AND user_id = @user',
  latestCompleted: `SELECT * FROM assessments
    WHERE team_id = @team AND channel_id = @channel AND user_id = @user AND status = 'completed'
    ORDER BY completed_at DESC, id DESC LIMIT 1`,
  forgetFindings: `DELETE FROM assessment_findings WHERE assessment_id IN (${USERS_ASSESSMENTS})`,
  forgetAssessments: 'DELETE FROM assessments WHERE team_id = @team AND user_id = @user',
  forgetSubscriptions: `DELETE FROM digest_subscriptions WHERE team_id = @team AND user_id = @user
    RETURNING team_id, channel_id`,
  forgetKeys: `DELETE FROM processed_keys WHERE ${USER_KEYS}`,
  purgeFindings: `DELETE FROM assessment_findings WHERE assessment_id IN (${EXPIRED})`,
  purgeAssessments: `DELETE FROM assessments WHERE status = 'completed' AND completed_at < @before`,
  purgeKeys: 'DELETE FROM processed_keys WHERE created_at < @before',
  keyIdsInUse: keyIdsInUseSql('updated_at'),
  sealedBatch: `SELECT id, answers, answer_order FROM assessments WHERE id > @after ORDER BY id LIMIT @limit`,
  reseal: `UPDATE assessments SET answers = @answers, answer_order = @answer_order
    WHERE id = @id AND answers = @old_answers AND answer_order = @old_order`,
} as const;

export const RESEAL_BATCH = 200;

export interface SealedRow {
  id: string;
  answers: string;
  answer_order: string;
}

/** The new values of a row whose answers are not under the current key; undefined when it is. */
export function resealed(codec: FieldCodec, r: SealedRow) {
  if (!codec.isStale?.(r.answers) && !codec.isStale?.(r.answer_order)) return undefined;
  const again = (column: 'answers' | 'answer_order') =>
    codec.seal(codec.open(r[column], sealContext[column](r.id)), sealContext[column](r.id));
  return {
    id: r.id,
    answers: again('answers'),
    answer_order: again('answer_order'),
    old_answers: r.answers,
    old_order: r.answer_order,
  };
}
