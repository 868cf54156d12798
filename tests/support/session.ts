import { randomUUID } from 'node:crypto';
import { newSession, type Session } from '../../src/advisor/session.js';
import { questionnaire } from './questionnaire.js';

/** A new session in a thread of its own (unique team, channel, thread and user), as the core makes them. */
export function freshSession(over: Partial<Session> = {}, now = 0): Session {
  const n = randomUUID().slice(0, 8);
  const key = { teamId: `T${n}`, channelId: `C${n}`, threadTs: `1750000000.${n}`, userId: `U${n}` };
  return { ...newSession(key, questionnaire, randomUUID(), now), ...over };
}
