import type { Envelope } from '../advisor/ports/outbox.js';
import type { UserDataService } from '../advisor/user-data.js';
import { homeView } from './blocks/home.js';
import type { ApiCall } from './chat-client.js';
import type { Task } from './outbox-handler.js';
import { type PermalinkClient, threadLinks } from './permalinks.js';
import { requestOrg } from './workspace.js';

interface HomePayload {
  userId: string;
  page: number;
}

/** A person's Home publishes are one lane, so a later one never lands before an earlier one. */
export const homeLane = (teamId: string, userId: string) => `home:${teamId}:${userId}`;

/** Publishing a person's App Home, as an outbox item: the view is drawn from the store when it is sent. */
export const homeCall = (
  who: { teamId: string; userId: string },
  page = 1,
  lane = homeLane(who.teamId, who.userId),
): Envelope => ({
  teamId: who.teamId,
  lane,
  kind: 'home',
  payload: { userId: who.userId, page, ...requestOrg() },
});

/** Permalinks through the sender's own Web API calls. */
export const permalinkClient = (call: ApiCall): PermalinkClient => ({
  chat: { getPermalink: ((args: Record<string, unknown>) => call('chat.getPermalink', args)) as never },
});

/** The sender's side: one page of the person's assessments, with links to their threads, published. */
export function homeTask(
  userData: Pick<UserDataService, 'page' | 'questionnaire'>,
  call: ApiCall,
  opts: { idleMs: number; now?: () => number },
): Task {
  return async (item) => {
    const { userId, page } = item.payload as HomePayload;
    const shown = await userData.page(item.teamId, userId, page);
    const links = await threadLinks(permalinkClient(call), shown.sessions, shown.sessions.length);
    const view = homeView(userData.questionnaire, shown, {
      links,
      now: (opts.now ?? Date.now)(),
      idleMs: opts.idleMs,
    });
    await call('views.publish', { user_id: userId, view });
    return undefined;
  };
}
