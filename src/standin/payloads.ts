// Builders for what Slack sends to an app's Request URL: slash commands, Events API callbacks and
// block_actions interactions. Send them with postSigned(); ids default to fresh unique values.

import { randomBytes } from 'node:crypto';
import { dmChannelId } from './dms.js';
import { STANDIN_DEFAULTS } from './types.js';

let counter = 0;
let lastTsMicros = 0;

const next = () => {
  counter += 1;
  return counter;
};
const rand = (bytes: number) => randomBytes(bytes).toString('hex');
const eventId = () => `Ev${next().toString(36).toUpperCase().padStart(6, '0')}${rand(3).toUpperCase()}`;
export const triggerId = () => `${next()}.${Date.now()}.${rand(16)}`;

/** Unique, increasing "seconds.micros" stamps for ts / event_ts / action_ts. */
export function freshTs(): string {
  lastTsMicros = Math.max(Date.now() * 1000, lastTsMicros + 1);
  return `${Math.floor(lastTsMicros / 1_000_000)}.${String(lastTsMicros % 1_000_000).padStart(6, '0')}`;
}

/** Unreachable on purpose: pass `standin.responseUrl(...)` when the handler calls respond(). */
const offlineResponseUrl = (teamId: string) => `http://127.0.0.1:9/commands/${teamId}/${next()}/${rand(8)}`;

/** The Enterprise Grid org of the workspace, and whether the app is installed org-wide there. */
interface Org {
  enterpriseId?: string;
  orgWide?: boolean;
}

/** Who acts where: the workspace, the conversation and the person, with the names Slack sends beside the ids. */
interface Actor extends Org {
  teamId: string;
  teamDomain?: string;
  channelId: string;
  channelName?: string;
  userId: string;
  userName?: string;
}

export interface SlashCommandInput extends Actor {
  command?: string;
  text: string;
  triggerId?: string;
  responseUrl?: string;
  appId?: string;
}

/** Form fields of a slash command POST. */
export function slashCommand(p: SlashCommandInput): Record<string, string> {
  return {
    token: STANDIN_DEFAULTS.verificationToken,
    team_id: p.teamId,
    team_domain: p.teamDomain ?? STANDIN_DEFAULTS.teamDomain,
    channel_id: p.channelId,
    channel_name: p.channelName ?? p.channelId.toLowerCase(),
    user_id: p.userId,
    user_name: p.userName ?? p.userId.toLowerCase(),
    command: p.command ?? '/k8s-advisor',
    text: p.text,
    api_app_id: p.appId ?? STANDIN_DEFAULTS.appId,
    ...(p.enterpriseId && { enterprise_id: p.enterpriseId, enterprise_name: p.enterpriseId }),
    is_enterprise_install: p.orgWide ? 'true' : 'false',
    response_url: p.responseUrl ?? offlineResponseUrl(p.teamId),
    trigger_id: p.triggerId ?? triggerId(),
  };
}

function envelope(
  teamId: string,
  botUserId: string | undefined,
  event: Record<string, unknown>,
  id?: string,
  org: Org = {},
) {
  return {
    token: STANDIN_DEFAULTS.verificationToken,
    team_id: teamId,
    ...(org.enterpriseId && { enterprise_id: org.enterpriseId }),
    context_team_id: teamId,
    api_app_id: STANDIN_DEFAULTS.appId,
    event,
    type: 'event_callback' as const,
    event_id: id ?? eventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: org.enterpriseId ?? null,
        // An org-wide installation is the org's, not one workspace's.
        team_id: org.orgWide ? null : teamId,
        user_id: botUserId ?? STANDIN_DEFAULTS.botUserId,
        is_bot: true,
        is_enterprise_install: org.orgWide === true,
      },
    ],
    is_ext_shared_channel: false,
  };
}

export interface MessageEventInput extends Org {
  teamId: string;
  channelId: string;
  userId: string;
  text: string;
  ts?: string;
  threadTs?: string;
  eventId?: string;
  subtype?: string;
  botId?: string;
  /** The app's bot user, reported in `authorizations`. */
  botUserId?: string;
  /** Slack says `im` for a direct message with the app. Default `channel`. */
  channelType?: 'channel' | 'im';
}

/** JSON body of an Events API `message` callback. */
export function messageEvent(p: MessageEventInput) {
  const ts = p.ts ?? freshTs();
  const event: Record<string, unknown> = {
    type: 'message',
    channel: p.channelId,
    user: p.userId,
    text: p.text,
    ts,
    team: p.teamId,
    channel_type: p.channelType ?? 'channel',
    event_ts: ts,
  };
  if (p.threadTs) event.thread_ts = p.threadTs;
  if (p.subtype) event.subtype = p.subtype;
  if (p.botId) event.bot_id = p.botId;
  if (!p.botId && !p.subtype) event.client_msg_id = `${rand(4)}-${rand(2)}-${rand(2)}-${rand(2)}-${rand(6)}`;
  return envelope(p.teamId, p.botUserId, event, p.eventId, p);
}

export interface FileShareEventInput extends Org {
  teamId: string;
  channelId: string;
  userId: string;
  /** The `file_share` message as stored (standin.recordUserFile), files included. */
  message: { ts: string; text: string; thread_ts?: string; files?: unknown[] };
  eventId?: string;
  botUserId?: string;
  channelType?: 'channel' | 'im';
}

/** JSON body of the Events API `message` callback for a file a person shared (subtype `file_share`). */
export function fileShareEvent(p: FileShareEventInput) {
  const event: Record<string, unknown> = {
    type: 'message',
    subtype: 'file_share',
    channel: p.channelId,
    user: p.userId,
    text: p.message.text,
    files: p.message.files ?? [],
    upload: true,
    display_as_bot: false,
    ts: p.message.ts,
    team: p.teamId,
    channel_type: p.channelType ?? 'channel',
    event_ts: p.message.ts,
    client_msg_id: `${rand(4)}-${rand(2)}-${rand(2)}-${rand(2)}-${rand(6)}`,
  };
  if (p.message.thread_ts) event.thread_ts = p.message.thread_ts;
  return envelope(p.teamId, p.botUserId, event, p.eventId, p);
}

export interface BlockActionInput extends Actor {
  /** The message the user clicked on, e.g. `standin.message(channel, ts)`. */
  message: {
    ts: string;
    thread_ts?: string;
    blocks?: unknown[];
    text?: string;
    channel?: string;
    is_ephemeral?: boolean;
    visible_to?: string;
  };
  actionId: string;
  blockId: string;
  value?: string;
  selectedOption?: { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string };
  actionTs?: string;
  triggerId?: string;
  responseUrl?: string;
}

type Obj = Record<string, unknown>;

/** Finds the interactive element with this action_id in a message's blocks. */
export function findElement(blocks: unknown[] | undefined, actionId: string): Obj | undefined {
  for (const b of (blocks ?? []) as Obj[]) {
    const candidates = [...((b.elements as Obj[] | undefined) ?? []), b.accessory, b.element] as (
      | Obj
      | undefined
    )[];
    const hit = candidates.find((el) => el?.action_id === actionId);
    if (hit) return hit;
  }
  return undefined;
}

/** Form fields (a single `payload` JSON) of a block_actions interaction on a message. */
export function blockAction(p: BlockActionInput): { payload: string } {
  const el = findElement(p.message.blocks, p.actionId);
  const type = (el?.type as string | undefined) ?? (p.selectedOption ? 'static_select' : 'button');
  const action: Obj = {
    type,
    action_id: p.actionId,
    block_id: p.blockId,
    action_ts: p.actionTs ?? freshTs(),
  };
  if (type === 'button') {
    action.text = el?.text ?? { type: 'plain_text', text: p.actionId };
    if (p.value !== undefined || el?.value !== undefined) action.value = p.value ?? el?.value;
  } else {
    action.selected_option = p.selectedOption;
    if (el?.placeholder) action.placeholder = el.placeholder;
  }
  const { channel: _c, is_ephemeral, visible_to: _v, ...message } = p.message;
  const container: Obj = {
    type: 'message',
    message_ts: p.message.ts,
    channel_id: p.channelId,
    is_ephemeral: is_ephemeral === true,
  };
  if (p.message.thread_ts) container.thread_ts = p.message.thread_ts;
  const payload = {
    type: 'block_actions',
    user: {
      id: p.userId,
      username: p.userName ?? p.userId.toLowerCase(),
      name: p.userName ?? p.userId.toLowerCase(),
      team_id: p.teamId,
    },
    api_app_id: STANDIN_DEFAULTS.appId,
    token: STANDIN_DEFAULTS.verificationToken,
    container,
    trigger_id: p.triggerId ?? triggerId(),
    // Org-wide installations get no team here, only the person's.
    team: p.orgWide ? null : { id: p.teamId, domain: p.teamDomain ?? STANDIN_DEFAULTS.teamDomain },
    enterprise: p.enterpriseId ? { id: p.enterpriseId, name: p.enterpriseId } : null,
    is_enterprise_install: p.orgWide === true,
    channel: { id: p.channelId, name: p.channelName ?? p.channelId.toLowerCase() },
    message: { type: 'message', ...message },
    state: { values: {} },
    response_url: p.responseUrl ?? offlineResponseUrl(p.teamId),
    actions: [action],
  };
  return { payload: JSON.stringify(payload) };
}

/** JSON body of an Events API `app_home_opened` callback (Home tab). */
export function appHomeOpened(
  p: { teamId: string; userId: string; eventId?: string; botUserId?: string } & Org,
) {
  const event = {
    type: 'app_home_opened',
    user: p.userId,
    channel: dmChannelId(p.userId),
    tab: 'home',
    event_ts: freshTs(),
  };
  return envelope(p.teamId, p.botUserId, event, p.eventId, p);
}

/**
 * JSON bodies of what Slack sends when the app is uninstalled from a workspace (or, org-wide, from an org):
 * `app_uninstalled`, and `tokens_revoked` naming the bot user, in either order.
 */
export function uninstallEvents(p: { teamId: string; botUserId?: string } & Org) {
  const bot = p.botUserId ?? STANDIN_DEFAULTS.botUserId;
  return [
    envelope(p.teamId, bot, { type: 'app_uninstalled', event_ts: freshTs() }, undefined, p),
    envelope(
      p.teamId,
      bot,
      { type: 'tokens_revoked', tokens: { oauth: [], bot: [bot] }, event_ts: freshTs() },
      undefined,
      p,
    ),
  ];
}
