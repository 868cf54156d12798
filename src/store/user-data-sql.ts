import type { FieldCodec } from './cipher.js';
import { KEY_HAS_PREFIX, teamKeyPrefix } from './keys.js';
import { sealContext } from './store.js';

/**
 * Matches the user's click keys in one workspace, `<team>:action:<action_ts>:<user>` (keys.ts and the action
 * listeners); `@prefix` is userKeysPrefix(team).
 */
const USER_KEYS = `${KEY_HAS_PREFIX}
  AND substr(key, length(key) - length(CAST(@user AS TEXT))) = ':' || CAST(@user AS TEXT)`;

export const userKeysPrefix = (team: string) => `${teamKeyPrefix(team)}action:`;
const USERS_ASSESSMENTS = 'SELECT id FROM assessments WHERE team_id = @team AND user_id = @user';
/**
 * The lanes of the threads where only this person has assessments, as src/slack/envelopes.ts names a thread's
 * lane (`team:channel:thread_ts`). Calls still queued there carry their answers (a card, an echoed reply); a
 * thread shared with someone else keeps its queue, since its calls cannot be told apart without opening them.
 */
const OWN_THREAD_LANES = `SELECT a.team_id || ':' || a.channel_id || ':' || a.thread_ts FROM assessments a
  WHERE a.team_id = @team AND a.user_id = @user AND NOT EXISTS (SELECT 1 FROM assessments b
    WHERE b.team_id = a.team_id AND b.channel_id = a.channel_id AND b.thread_ts = a.thread_ts
      AND b.user_id <> a.user_id)`;
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
  forgetOutbox: `DELETE FROM outbox WHERE team_id = @team AND lane IN (${OWN_THREAD_LANES})`,
  forgetAssessments: 'DELETE FROM assessments WHERE team_id = @team AND user_id = @user',
  forgetSubscriptions: `DELETE FROM digest_subscriptions WHERE team_id = @team AND user_id = @user
    RETURNING team_id, channel_id`,
  forgetKeys: `DELETE FROM processed_keys WHERE ${USER_KEYS}`,
  purgeFindings: `DELETE FROM assessment_findings WHERE assessment_id IN (${EXPIRED})`,
  purgeAssessments: `DELETE FROM assessments WHERE status = 'completed' AND completed_at < @before`,
  purgeKeys: 'DELETE FROM processed_keys WHERE created_at < @before',
  purgeRefs: 'DELETE FROM message_refs WHERE created_at < @before',
  purgeDead: 'DELETE FROM outbox_dead WHERE died_at < @before',
  keyIdsInUse: keyIdsInUseSql('updated_at'),
  sealedBatch: `SELECT id, answers, answer_order, evidence FROM assessments WHERE id > @after ORDER BY id
    LIMIT @limit`,
  // Every save seals the answers afresh (a new IV each time), so unchanged answers mean no save came between.
  reseal: `UPDATE assessments SET answers = @answers, answer_order = @answer_order, evidence = @evidence
    WHERE id = @id AND answers = @old_answers AND answer_order = @old_order`,
} as const;

export const RESEAL_BATCH = 200;

export interface SealedRow {
  id: string;
  answers: string;
  answer_order: string;
  evidence: string | null;
}

/** The new values of a row whose sealed columns are not all under the current key; undefined when they are. */
export function resealed(codec: FieldCodec, r: SealedRow) {
  const stale = (v: string | null) => v !== null && codec.isStale?.(v) === true;
  if (!stale(r.answers) && !stale(r.answer_order) && !stale(r.evidence)) return undefined;
  const again = (column: 'answers' | 'answer_order' | 'evidence', value: string) =>
    codec.seal(codec.open(value, sealContext[column](r.id)), sealContext[column](r.id));
  return {
    id: r.id,
    answers: again('answers', r.answers),
    answer_order: again('answer_order', r.answer_order),
    evidence: r.evidence === null ? null : again('evidence', r.evidence),
    old_answers: r.answers,
    old_order: r.answer_order,
  };
}
