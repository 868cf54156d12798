import type { Session } from '../session.js';
import type { ChannelRef } from './digests.js';
import type { Envelope } from './outbox.js';

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
  /** Posted messages' recorded ts older than the cut-off: what they were kept for has ended with them. */
  messageRefs: number;
  /** Calls given up on (outbox_dead) before the cut-off. */
  deadCalls: number;
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
   * included), the findings digests count, the digest schedules they set, their click keys, and the Slack calls
   * still queued in the threads that are theirs alone. The outbox calls that `outbox` makes of what was deleted
   * (saying so) commit in the same transaction (ports/outbox.ts).
   */
  forgetUser(
    teamId: string,
    userId: string,
    outbox?: (forgotten: Forgotten) => Envelope[],
  ): Promise<Forgotten>;
  /**
   * Deletes completed assessments completed before `before` (epoch ms) with their findings, and the keys, recorded
   * message ts and given-up calls older than it, in one transaction.
   */
  purgeCompleted(before: number): Promise<Purged>;
  /**
   * Key rotation: rewrites the answers of every assessment (and every installation) stored in plaintext or under
   * an old key with the current key, a batch at a time; returns how many were rewritten. Each row is compared and set, so a save
   * racing it wins, and the version is not bumped (the content does not change).
   */
  resealAnswers(): Promise<number>;
  /**
   * The ids of the keys the most recently written answers (and the installations) are encrypted under, so
   * start-up can refuse a keyring missing one without reading the whole table.
   */
  keyIdsInUse(): Promise<string[]>;
}
