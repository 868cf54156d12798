import type { DigestRun, RunStatus, Subscription } from '../advisor/ports/digests.js';

export interface SubscriptionRow {
  team_id: string;
  channel_id: string;
  user_id: string;
  cadence: string;
  weekday: number | null;
  hour: number;
  minute: number;
  tz: string;
  include_empty: number;
  version: number;
  created_at: number | string;
  scheduled_at: number | string;
  last_run_end?: number | string | null;
}

export const toSubscriptionRow = (s: Subscription): SubscriptionRow => ({
  team_id: s.teamId,
  channel_id: s.channelId,
  user_id: s.userId,
  cadence: s.cadence,
  weekday: s.weekday,
  hour: s.hour,
  minute: s.minute,
  tz: s.tz,
  include_empty: s.includeEmpty ? 1 : 0,
  version: s.version,
  created_at: s.createdAt,
  scheduled_at: s.scheduledAt,
});

export const fromSubscriptionRow = (r: SubscriptionRow): Subscription => ({
  teamId: r.team_id,
  channelId: r.channel_id,
  userId: r.user_id,
  cadence: r.cadence as Subscription['cadence'],
  weekday: r.weekday === null ? null : Number(r.weekday),
  hour: Number(r.hour),
  minute: Number(r.minute),
  tz: r.tz,
  includeEmpty: Number(r.include_empty) === 1,
  version: Number(r.version),
  createdAt: Number(r.created_at),
  scheduledAt: Number(r.scheduled_at),
});

export interface RunRow {
  team_id: string;
  channel_id: string;
  period_start: number | string;
  period_end: number | string;
  status: string;
  message_ts: string | null;
  error: string | null;
  claimed_at: number | string;
  finished_at: number | string | null;
}

export const fromRunRow = (r: RunRow): DigestRun => ({
  teamId: r.team_id,
  channelId: r.channel_id,
  periodStart: Number(r.period_start),
  periodEnd: Number(r.period_end),
  status: r.status as RunStatus,
  messageTs: r.message_ts,
  error: r.error,
  claimedAt: Number(r.claimed_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
});
