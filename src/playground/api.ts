// The page's JSON API: the workspace as it stands, the live change stream, and what a person does.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../standin/http-util.js';
import type { SlackStandin } from '../standin/server.js';
import { audienceOf } from './audience.js';
import type { Bridge, Outcome } from './bridge.js';
import type { EventStreams } from './events.js';

/** The playground installs one app with one command, as the manifest does. */
export const COMMANDS = ['/k8s-advisor'];

export interface WorkspaceInfo {
  users: { id: string; title: string }[];
  channels: { id: string; name: string; topic: string }[];
}

export interface ApiDeps {
  standin: SlackStandin;
  bridge: Bridge;
  streams: EventStreams;
  boot: string;
  workspace: WorkspaceInfo;
}

class BadRequest extends Error {}

const MAX_BODY = 64 * 1024;
/** A shared file travels base64-encoded in JSON: room for a file well past the app's own evidence limit. */
const MAX_UPLOAD_BODY = 3 * 1024 * 1024;
const MAX_FILE_NAME = 255;

async function jsonBody(req: IncomingMessage, max = MAX_BODY): Promise<Record<string, unknown>> {
  // Requiring JSON makes a cross-site form post impossible: the browser would have to ask first, and we never say yes.
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new BadRequest('send application/json');
  }
  const raw = await readBody(req);
  if (raw.length > max) throw new BadRequest('body too large');
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new BadRequest('body must be a JSON object');
}

function text(
  body: Record<string, unknown>,
  key: string,
  optional = false,
  max = 40_000,
): string | undefined {
  const v = body[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.length > max) throw new BadRequest(`${key} must be a string`);
  return v;
}

/** POST /api/upload's body: who shares which file where, its bytes as base64. */
function uploadOf(body: Record<string, unknown>) {
  const filename = required(body, 'filename').trim();
  if (filename === '' || filename.length > MAX_FILE_NAME)
    throw new BadRequest('filename must be 1 to 255 characters');
  const encoded = text(body, 'content_base64', false, MAX_UPLOAD_BODY) as string;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new BadRequest('content_base64 must be base64');
  const threadTs = text(body, 'thread_ts', true);
  return {
    channel: required(body, 'channel'),
    user: required(body, 'user'),
    filename,
    content: Buffer.from(encoded, 'base64'),
    ...(threadTs && { thread_ts: threadTs }),
  };
}

const required = (body: Record<string, unknown>, key: string) => text(body, key) as string;

/** The person the page acts as (?user=); without one, only what everyone sees. */
const userOf = (url: URL) => url.searchParams.get('user') ?? '';

/** The workspace as `user` sees it: channels, their DMs, ephemerals for them, their Home view. */
function state({ standin, boot, workspace }: ApiDeps, user: string) {
  const changes = standin.changes();
  const titles = new Map(workspace.users.map((u) => [u.id, u.title]));
  const topics = new Map(workspace.channels.map((c) => [c.id, c.topic]));
  const sees = audienceOf(standin, user);
  const home = user === '' ? undefined : standin.views().find((v) => v.user === user);
  return {
    boot,
    seq: changes.at(-1)?.seq ?? 0,
    team: { id: standin.teamId },
    botUserId: standin.botUserId,
    /** Links to files and threads start with this (the stand-in's public origin: this page). */
    publicOrigin: standin.publicOrigin,
    commands: COMMANDS,
    users: standin.users().map((u) => ({
      id: u.id,
      name: u.name,
      real_name: u.real_name,
      is_bot: u.is_bot,
      title: titles.get(u.id) ?? '',
    })),
    channels: standin
      .channels()
      .filter((c) => sees.channel(c.id))
      .map((c) => ({ ...c, topic: topics.get(c.id) ?? '' })),
    messages: standin.messages().filter(sees.message),
    refused: changes.filter((c) => c.kind === 'refused' && sees.change(c)),
    home: home ? { id: home.id, hash: home.hash, blocks: home.blocks } : null,
  };
}

/** Failures on the app's side are gateway errors; everything else is a bad request from the page. */
const ERROR_STATUS: Record<string, number> = { dispatch_failed: 502, operation_timeout: 504 };

const reply = (res: ServerResponse, outcome: Outcome) =>
  sendJson(res, outcome.ok ? 200 : (ERROR_STATUS[outcome.error] ?? 400), outcome);

/** Handles /api/*; returns false for any other path. */
export async function handleApi(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const route = `${req.method} ${url.pathname}`;
  try {
    switch (route) {
      case 'GET /api/state':
        sendJson(res, 200, state(deps, userOf(url)), { 'cache-control': 'no-store' });
        return true;
      case 'GET /api/events': {
        const sees = audienceOf(deps.standin, userOf(url));
        deps.streams.serve(req, res, url, sees.change);
        return true;
      }
      case 'POST /api/home': {
        // Opening the Home tab: Slack tells the app (app_home_opened), which publishes the view.
        const body = await jsonBody(req);
        reply(res, await deps.bridge.homeOpened(required(body, 'user')));
        return true;
      }
      case 'POST /api/view-action': {
        const body = await jsonBody(req);
        reply(
          res,
          await deps.bridge.viewAction({
            user: required(body, 'user'),
            action_id: required(body, 'action_id'),
            value: text(body, 'value', true),
          }),
        );
        return true;
      }
      case 'POST /api/command': {
        const body = await jsonBody(req);
        const line = required(body, 'text').trim();
        const [command = '', ...rest] = line.split(/\s+/);
        if (!COMMANDS.includes(command)) {
          reply(res, {
            ok: false,
            error: 'unknown_command',
            detail: `${command} is not a valid command. In this playground the app installs ${COMMANDS.join(', ')}.`,
          });
          return true;
        }
        const channel = required(body, 'channel');
        const user = required(body, 'user');
        reply(res, await deps.bridge.command({ channel, user, command, text: rest.join(' ') }));
        return true;
      }
      case 'POST /api/message': {
        const body = await jsonBody(req);
        const message = required(body, 'text');
        if (message.trim() === '') throw new BadRequest('text is empty');
        const input = { channel: required(body, 'channel'), user: required(body, 'user'), text: message };
        const threadTs = text(body, 'thread_ts', true);
        reply(res, await deps.bridge.message(threadTs ? { ...input, thread_ts: threadTs } : input));
        return true;
      }
      case 'POST /api/upload': {
        // A file the person attaches, as the Slack client would share it.
        reply(res, await deps.bridge.upload(uploadOf(await jsonBody(req, MAX_UPLOAD_BODY))));
        return true;
      }
      case 'POST /api/action': {
        const body = await jsonBody(req);
        const picked = body.selected_option;
        if (picked !== undefined && (typeof picked !== 'object' || picked === null)) {
          throw new BadRequest('selected_option must be an object');
        }
        const option = picked && {
          value: required(picked as Record<string, unknown>, 'value'),
          text: required(picked as Record<string, unknown>, 'text'),
        };
        reply(
          res,
          await deps.bridge.action({
            channel: required(body, 'channel'),
            user: required(body, 'user'),
            message_ts: required(body, 'message_ts'),
            action_id: required(body, 'action_id'),
            block_id: text(body, 'block_id', true),
            ...(option && { selected_option: option }),
          }),
        );
        return true;
      }
      default:
        if (!url.pathname.startsWith('/api/')) return false;
        sendJson(res, 404, { ok: false, error: 'not_found' });
        return true;
    }
  } catch (error) {
    if (!(error instanceof BadRequest)) throw error;
    sendJson(res, 400, { ok: false, error: 'invalid_request', detail: error.message });
    return true;
  }
}
