import type { BlockAction } from '@slack/bolt';
import { homeCall } from '../home.js';
import { startCalls } from '../start.js';
import { withTimeout } from '../timeout.js';
import { clickKey } from './actions.js';
import type { ActionArgs, EventArgs, ListenerDeps, Register } from './registry.js';

type HomeDeps = Pick<ListenerDeps, 'service' | 'sender' | 'outbox'>;

const teamOf = (body: BlockAction) => body.team?.id ?? body.user.team_id ?? '';

/** How long the direct message's id may take before the click fails (Slack wants its answer within 3 s). */
const OPEN_TIMEOUT_MS = 2_000;

/**
 * App Home: every publish is an outbox item (the view drawn when it is sent), committed before the response
 * leaves; the sender delivers it in the person's Home lane.
 */
export function homeHandlers({ service, sender, outbox }: HomeDeps) {
  return {
    opened: async ({ event, body, context }: EventArgs<'app_home_opened'>) => {
      if (event.tab !== undefined && event.tab !== 'home') return;
      const { team_id, event_id } = body as { team_id?: string; event_id?: string };
      const teamId = team_id ?? context.teamId ?? '';
      // Keyed by the event, so Slack's retry of it publishes nothing twice.
      const key = event_id ? { key: `event:${event_id}`, teamId } : undefined;
      await outbox.enqueue([homeCall({ teamId, userId: event.user })], key);
      sender.wake();
    },

    page: async ({ ack, body, action }: ActionArgs) => {
      const page = Number((action as { value?: string }).value) || 1;
      const teamId = teamOf(body);
      await outbox.enqueue([homeCall({ teamId, userId: body.user.id }, page)], {
        key: clickKey(body),
        teamId,
      });
      await ack();
      sender.wake();
    },

    /** "Start a new assessment": in a thread of the person's direct messages with the bot. */
    start: async ({ ack, body, client }: ActionArgs) => {
      const who = { teamId: teamOf(body), userId: body.user.id };
      // The direct message's id is a lookup, not a change, and it names the lane and the parent's channel.
      const { channel } = await withTimeout(
        client.conversations.open({ users: who.userId }),
        OPEN_TIMEOUT_MS,
        'conversations.open',
      );
      if (!channel?.id) throw new Error('conversations.open returned no channel');
      const key = clickKey(body);
      const calls = startCalls(service, { ...who, channelId: channel.id, key });
      // The Home is drawn again after the start, in its lane, so it lists the new assessment.
      const lane = calls[0]?.lane;
      await service.claim(key, who.teamId, [...calls, homeCall(who, 1, lane)]);
      await ack();
      sender.wake();
    },
  };
}

export const registerHome: Register = (on, deps) => {
  if (!deps.userData) return;
  const home = homeHandlers(deps);
  on.event('app_home_opened', home.opened)
    .action('home:start', home.start)
    .action({ prefix: 'home:page:' }, home.page);
};
