import type { ChatApi } from './chat-client.js';

/**
 * Answers only one person sees. A command or a click answers through its ack or respond() with `ephemeral`;
 * a thread reply, which has neither, through chat.postEphemeral with `whisper`.
 */
export const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, text });

export const whisper = (
  chat: ChatApi,
  at: { channelId: string; threadTs: string; userId: string },
  text: string,
) => chat.postEphemeral({ channel: at.channelId, thread_ts: at.threadTs, user: at.userId, text });
