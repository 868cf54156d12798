// Direct messages between the app and one person: how the stand-in names them and who may see them.

import type { StandinChannel, StandinUser } from './types.js';

/** The app's DM with a person: D + their id without the U, as the stand-in's app_home_opened reports it. */
export const dmChannelId = (userId: string) => `D${userId.replace(/^U/, '')}`;

/** The known person whose DM this id is, if it is one (ids that look like a DM but match nobody are channels). */
export function dmUserOf(channelId: string, users: ReadonlyMap<string, StandinUser>): string | undefined {
  if (!channelId.startsWith('D')) return undefined;
  for (const id of users.keys()) if (dmChannelId(id) === channelId) return id;
  return undefined;
}

/** Everyone in the workspace sees its channels; a DM is seen by its person only. */
export const canSee = (channel: StandinChannel | undefined, userId: string): boolean =>
  channel !== undefined && (!channel.is_im || channel.user === userId);
