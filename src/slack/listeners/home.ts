import type { AllMiddlewareArgs, App, BlockAction, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AdvisorService } from '../../advisor/service.js';
import type { UserDataService } from '../../advisor/user-data.js';
import { homeView } from '../blocks/home.js';
import { threadLinks } from '../links.js';
import { startInThread } from '../start.js';
import type { ActionRoutes } from './action-routes.js';
import { type ActionArgs, clickKey } from './actions.js';

export type HomeOpenedArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

export interface HomeDeps {
  userData: UserDataService;
  /** An assessment in progress idle this long is shown as expired. */
  idleMs: number;
  now?: () => number;
}

/** Draws one page of the person's App Home and publishes it. */
export async function publishHome(
  client: WebClient,
  deps: HomeDeps,
  who: { teamId: string; userId: string },
  page = 1,
): Promise<void> {
  const shown = await deps.userData.page(who.teamId, who.userId, page);
  const links = await threadLinks(client, shown.sessions, shown.sessions.length);
  const view = homeView(deps.userData.questionnaire, shown, {
    links,
    now: (deps.now ?? Date.now)(),
    idleMs: deps.idleMs,
  });
  await client.views.publish({ user_id: who.userId, view: view as never });
}

const teamOf = (body: BlockAction) => body.team?.id ?? body.user.team_id ?? '';

export function homeHandlers(service: AdvisorService, deps: HomeDeps) {
  return {
    opened: async ({ event, body, client, context }: HomeOpenedArgs) => {
      if (event.tab !== undefined && event.tab !== 'home') return;
      const teamId = (body as { team_id?: string }).team_id ?? context.teamId ?? '';
      await publishHome(client, deps, { teamId, userId: event.user });
    },

    page: async ({ ack, body, action, client }: ActionArgs) => {
      await ack();
      const page = Number((action as { value?: string }).value) || 1;
      await publishHome(client, deps, { teamId: teamOf(body), userId: body.user.id }, page);
    },

    /** "Start a new assessment": in a thread of the person's direct messages with the bot. */
    start: async ({ ack, body, client, logger }: ActionArgs) => {
      await ack();
      if (!(await service.claim(clickKey(body)))) return;
      const who = { teamId: teamOf(body), userId: body.user.id };
      const { channel } = await client.conversations.open({ users: who.userId });
      if (!channel?.id) throw new Error('conversations.open returned no channel');
      const started = await startInThread(
        service,
        { chat: client.chat, logger },
        { ...who, channelId: channel.id },
      );
      if (!started.ok) logger.warn(`could not start an assessment in a direct message: ${started.code}`);
      await publishHome(client, deps, who);
    },
  };
}

export function registerHome(app: App, routes: ActionRoutes, service: AdvisorService, deps: HomeDeps) {
  const home = homeHandlers(service, deps);
  app.event('app_home_opened', home.opened);
  routes.on('home:start', home.start).on({ prefix: 'home:page:' }, home.page);
}
