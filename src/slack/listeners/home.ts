import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { UserDataService } from '../../advisor/user-data.js';
import { homeView } from '../blocks/home.js';
import { threadLinks } from '../permalinks.js';
import { startCalls } from '../start.js';
import { clickKey } from './actions.js';
import type { ActionArgs, EventArgs, ListenerDeps, Register } from './registry.js';

export type HomeDeps = Pick<ListenerDeps, 'idleMs' | 'now'> & { userData: UserDataService };

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

export function homeHandlers(deps: HomeDeps & Pick<ListenerDeps, 'service' | 'sender'>) {
  const { service, sender } = deps;
  return {
    opened: async ({ event, body, client, context }: EventArgs<'app_home_opened'>) => {
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
    start: async ({ ack, body, client }: ActionArgs) => {
      const who = { teamId: teamOf(body), userId: body.user.id };
      // The direct message's id is a lookup, not a change; the start itself commits before the ack.
      const { channel } = await client.conversations.open({ users: who.userId });
      if (!channel?.id) throw new Error('conversations.open returned no channel');
      const key = clickKey(body);
      const at = { ...who, channelId: channel.id, key };
      await service.claim(key, who.teamId, startCalls(service, at));
      await ack();
      sender.wake();
      await publishHome(client, deps, who);
    },
  };
}

export const registerHome: Register = (on, deps) => {
  const { userData } = deps;
  if (!userData) return;
  const home = homeHandlers({ ...deps, userData });
  on.event('app_home_opened', home.opened)
    .action('home:start', home.start)
    .action({ prefix: 'home:page:' }, home.page);
};
