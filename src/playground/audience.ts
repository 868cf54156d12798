// What one person in the playground may see: the workspace's channels, their own direct messages with the app,
// ephemeral messages meant for them and their own Home view. The server applies this to everything it sends the
// page, so switching person in the page never hands it someone else's DM.

import { canSee } from '../standin/dms.js';
import type { Change, SlackStandin, StandinChannel, StoredMessage } from '../standin/server.js';

export interface Audience {
  channel(id: string | undefined): boolean;
  message(m: StoredMessage): boolean;
  change(c: Change): boolean;
}

/** `user` '' is nobody in particular: channels only, no DMs, no ephemerals, no Home. */
export function audienceOf(standin: SlackStandin, user: string): Audience {
  // Looked up on each call: a DM opened after the page connected must be found.
  const find = (id: string): StandinChannel | undefined => standin.channels().find((c) => c.id === id);
  const channel = (id: string | undefined) => id !== undefined && canSee(find(id), user);
  const message = (m: StoredMessage) =>
    channel(m.channel) && (!m.is_ephemeral || (user !== '' && m.visible_to === user));
  return {
    channel,
    message,
    change(c) {
      switch (c.kind) {
        case 'message':
        case 'ephemeral':
        case 'update':
        case 'file': // a file not shared anywhere (no message) has no place on the page
          return c.message !== undefined && message(c.message);
        case 'delete':
          return channel(c.channel);
        case 'view':
          return user !== '' && c.user === user;
        case 'refused': {
          const owner = typeof c.args?.user_id === 'string' ? c.args.user_id : undefined;
          if (owner !== undefined) return owner === user;
          return c.channel === undefined || channel(c.channel);
        }
        default:
          return true;
      }
    },
  };
}
