import type { Envelope } from './ports/outbox.js';
import type { Forgotten, Purged, UserDataStore } from './ports/user-data.js';
import type { Questionnaire } from './questionnaire.js';
import { type Recommendation, recommend } from './recommend.js';
import type { Session } from './session.js';
import { daysToMs } from './time.js';
import { upgradeSession } from './upgrade.js';

/** One page of a person's assessments, newest change first. Pages count from 1. */
export interface AssessmentPage {
  sessions: Session[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/**
 * A person's own data: their list (App Home), their latest decision (`adr`), everything (export), forgetting
 * them (forget-me), and the retention purge. Slack-free, like the assessment use cases.
 */
export interface UserDataService {
  readonly questionnaire: Questionnaire;
  recommend(session: Session): Recommendation;
  page(teamId: string, userId: string, page: number): Promise<AssessmentPage>;
  all(teamId: string, userId: string): Promise<Session[]>;
  latestCompleted(
    teamId: string,
    channelId: string,
    userId: string,
  ): Promise<{ session: Session; recommendation: Recommendation } | undefined>;
  /** Deletes everything about a person; the calls `outbox` makes of what went commit with the deletion. */
  forget(teamId: string, userId: string, outbox?: (forgotten: Forgotten) => Envelope[]): Promise<Forgotten>;
  /** Deletes completed assessments past RETENTION_DAYS; undefined when no retention is set. */
  purgeExpired(): Promise<(Purged & { before: number }) | undefined>;
}

export interface UserDataOptions {
  store: UserDataStore;
  questionnaire: Questionnaire;
  now?: () => number;
  /** Completed assessments older than this many days (by completion) are purged; unset keeps them. */
  retentionDays?: number;
  /** Assessments per App Home page (default 20): each needs a permalink lookup, and a view holds 100 blocks. */
  pageSize?: number;
}

export const HOME_PAGE_SIZE = 20;
/** The export reads a person's assessments in pages of this many. */
const EXPORT_BATCH = 200;

export function createUserDataService({
  store,
  questionnaire,
  now = Date.now,
  retentionDays,
  pageSize = HOME_PAGE_SIZE,
}: UserDataOptions): UserDataService {
  return {
    questionnaire,
    recommend: (session) => recommend(questionnaire, session),

    async page(teamId, userId, requested) {
      let page = Math.max(1, Math.floor(requested) || 1);
      let result = await store.listByUser(teamId, userId, { limit: pageSize, offset: (page - 1) * pageSize });
      const pages = Math.max(1, Math.ceil(result.total / pageSize));
      // Assessments deleted since the page buttons were drawn: show the last page there is instead of nothing.
      if (page > pages) {
        page = pages;
        result = await store.listByUser(teamId, userId, { limit: pageSize, offset: (page - 1) * pageSize });
      }
      return {
        ...result,
        sessions: result.sessions.map((x) => upgradeSession(questionnaire, x)),
        page,
        pages,
        pageSize,
      };
    },

    async all(teamId, userId) {
      const sessions: Session[] = [];
      for (let offset = 0; ; offset += EXPORT_BATCH) {
        const batch = await store.listByUser(teamId, userId, { limit: EXPORT_BATCH, offset });
        sessions.push(...batch.sessions.map((x) => upgradeSession(questionnaire, x)));
        if (batch.sessions.length < EXPORT_BATCH) return sessions;
      }
    },

    async latestCompleted(teamId, channelId, userId) {
      const found = await store.latestCompleted(teamId, channelId, userId);
      const session = found && upgradeSession(questionnaire, found);
      return session && { session, recommendation: recommend(questionnaire, session) };
    },

    forget: (teamId, userId, outbox) => store.forgetUser(teamId, userId, outbox),

    async purgeExpired() {
      if (retentionDays === undefined) return undefined;
      const before = now() - daysToMs(retentionDays);
      return { ...(await store.purgeCompleted(before)), before };
    },
  };
}
