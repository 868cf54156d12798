// The files.uploadV2 flow of @slack/web-api (get an upload URL, POST the bytes there, complete the upload),
// files.info, and a person's own upload into a conversation (what the Slack client does when someone shares a file).

import { extname } from 'node:path';
import { str } from './http-util.js';
import {
  botMessage,
  checkMessage,
  fail,
  type Method,
  type MethodContext,
  resolveChannel,
  threadRoot,
} from './method-kit.js';
import type { FileInfo, StoredFile, StoredMessage } from './types.js';

const MIME: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  html: 'text/html',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
};

/** Where an app downloads a file's bytes: the stand-in itself, with the app's token (see file-routes.ts). */
export const downloadUrl = (origin: string, id: string, name: string) =>
  `${origin}/files-pri/${id}/download/${encodeURIComponent(name)}`;

/** A file as Slack describes it to apps: metadata only, never the bytes or the stand-in's bookkeeping. */
export function fileInfo(f: StoredFile): FileInfo {
  const { content: _c, channel: _ch, thread_ts: _t, initial_comment: _i, ...info } = f;
  return info;
}

/** files.info: one file's metadata, its download address included. Slack answers file_not_found for any other. */
const info: Method = (args, ctx) => {
  const id = str(args.file);
  const file = id ? ctx.store.files.get(id) : undefined;
  if (!file) return fail('file_not_found');
  return {
    ok: true,
    file: {
      ...fileInfo(file),
      url_private_download: downloadUrl(ctx.origin, file.id, file.name),
      channels: file.channel ? [file.channel] : [],
    },
    comments: [],
  };
};

const getUploadURLExternal: Method = (args, ctx) => {
  const filename = str(args.filename);
  const length = Number(str(args.length));
  if (!filename || !Number.isFinite(length)) return fail('invalid_arguments');
  const fileId = ctx.store.nextId('F');
  ctx.store.pendingUploads.set(fileId, { filename });
  return { ok: true, upload_url: `${ctx.origin}/upload/v1/${fileId}`, file_id: fileId };
};

const completeUploadExternal: Method = (args, ctx) => {
  const list = args.files;
  if (!Array.isArray(list) || list.length === 0) return fail('invalid_arguments');
  const channelId = str(args.channel_id);
  const channel = channelId ? resolveChannel(ctx, channelId) : undefined;
  if (channelId && !channel) return fail('channel_not_found');
  const comment = str(args.initial_comment);
  if (args.blocks !== undefined) {
    const refusal = checkMessage(comment, args.blocks);
    if (refusal) return refusal;
  }
  const entries: { id: string; title?: string; pending: { filename: string; content: Buffer } }[] = [];
  for (const f of list as { id?: unknown; title?: unknown }[]) {
    const id = str(f?.id) ?? '';
    const pending = ctx.store.pendingUploads.get(id);
    if (!pending?.content) return fail('file_not_found');
    entries.push({
      id,
      title: str(f.title),
      pending: { filename: pending.filename, content: pending.content },
    });
  }
  const threadTs = channel ? threadRoot(ctx, channel.id, str(args.thread_ts)) : undefined;
  const files: StoredFile[] = entries.map(({ id, title, pending }) => {
    ctx.store.pendingUploads.delete(id);
    const ext = extname(pending.filename).slice(1).toLowerCase();
    const file: StoredFile = {
      id,
      name: pending.filename,
      title: title ?? pending.filename,
      size: pending.content.length,
      mimetype: MIME[ext] ?? 'application/octet-stream',
      filetype: ext || 'binary',
      url_private: `${ctx.publicOrigin}/files/${id}/${encodeURIComponent(pending.filename)}`,
      url_private_download: downloadUrl(ctx.origin, id, pending.filename),
      created: Math.floor(Date.now() / 1000),
      user: ctx.botUserId,
      content: pending.content,
    };
    if (channel) file.channel = channel.id;
    if (threadTs) file.thread_ts = threadTs;
    if (comment) file.initial_comment = comment;
    ctx.store.files.set(id, file);
    return file;
  });
  const infos: FileInfo[] = files.map(fileInfo);
  let sharedTs = '';
  if (channel) {
    // Sharing posts one message carrying all files, with the initial comment as its text.
    const msg = botMessage(ctx, { channel: channel.id, text: comment ?? '', files: infos });
    if (args.blocks !== undefined) msg.blocks = args.blocks as unknown[];
    if (threadTs) msg.thread_ts = threadTs;
    ctx.store.insertMessage(msg, { kind: 'file', files: infos });
    sharedTs = msg.ts;
  } else {
    ctx.store.emit({ kind: 'file', files: infos });
  }
  const shares = (f: StoredFile) => (f.channel ? { public: { [f.channel]: [{ ts: sharedTs }] } } : {});
  return { ok: true, files: files.map((f, i) => ({ ...infos[i], shares: shares(f) })) };
};

export const FILE_METHODS: Record<string, Method> = {
  'files.info': info,
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
};

export interface PersonUpload {
  channel: string;
  user: string;
  filename: string;
  content: Buffer;
  thread_ts?: string;
  /** What the person typed with the file, if anything. */
  text?: string;
}

/**
 * A person shares a file in a conversation, as the Slack client does: the file is stored as theirs and a
 * `file_share` message carrying it is posted (in the thread when `thread_ts` is given).
 */
export function shareUserFile(ctx: MethodContext, u: PersonUpload): StoredMessage {
  const id = ctx.store.nextId('F');
  const ext = extname(u.filename).slice(1).toLowerCase();
  const threadTs = threadRoot(ctx, u.channel, u.thread_ts);
  const file: StoredFile = {
    id,
    name: u.filename,
    title: u.filename,
    size: u.content.length,
    mimetype: MIME[ext] ?? 'application/octet-stream',
    filetype: ext || 'binary',
    url_private: `${ctx.publicOrigin}/files/${id}/${encodeURIComponent(u.filename)}`,
    url_private_download: downloadUrl(ctx.origin, id, u.filename),
    created: Math.floor(Date.now() / 1000),
    user: u.user,
    content: u.content,
    channel: u.channel,
    ...(threadTs && { thread_ts: threadTs }),
  };
  ctx.store.files.set(id, file);
  const msg: StoredMessage = {
    type: 'message',
    subtype: 'file_share',
    channel: u.channel,
    ts: ctx.store.nextTs(),
    text: u.text ?? '',
    user: u.user,
    team: ctx.teamId,
    files: [fileInfo(file)],
    ...(threadTs && { thread_ts: threadTs }),
  };
  ctx.store.insertMessage(msg, { kind: 'file', files: msg.files });
  return structuredClone(msg);
}
