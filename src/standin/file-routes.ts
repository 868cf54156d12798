// The stand-in's file URLs: the upload_url of files.getUploadURLExternal, url_private downloads (the links people
// open), and url_private_download for apps, which like Slack's wants the app's token as a Bearer header.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, uploadedBytes } from './http-util.js';
import type { StandinStore } from './store.js';
import type { StoredFile } from './types.js';

/** Types a browser may show inline; anything else downloads. */
const INLINE = new Set([
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
  'application/yaml',
  'image/png',
  'image/jpeg',
]);

/**
 * Sends a file's bytes. Text is labelled UTF-8; nothing a file holds may run (a sandboxing policy, no
 * sniffing), since uploads come from the app and, through it, from what people typed.
 */
export function sendFile(res: ServerResponse, file: StoredFile): void {
  const inline = INLINE.has(file.mimetype);
  const type = file.mimetype.startsWith('text/') ? `${file.mimetype}; charset=utf-8` : file.mimetype;
  const name = encodeURIComponent(file.name);
  res.writeHead(200, {
    'content-type': inline ? type : 'application/octet-stream',
    'content-length': file.content.length,
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`,
    'content-security-policy': "sandbox; default-src 'none'",
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-cache',
  });
  res.end(file.content);
}

/** `/files-pri/<id>/download/<name>` → the file id, or undefined for any other path. */
export function downloadIdOf(path: string): string | undefined {
  const [, root, id, download] = path.split('/');
  return root === 'files-pri' && id && download === 'download' ? id : undefined;
}

/** Slack answers a download without a token with its sign-in page, not the file. */
function signInPage(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end('<!doctype html><title>Sign in</title><p>Sign in to see this file.</p>');
}

/** `/files/<id>/<name>` → the file id, or undefined for any other path. */
export function fileIdOf(path: string): string | undefined {
  const [, root, id] = path.split('/');
  return root === 'files' && id ? id : undefined;
}

/** Which workspaces' files a request may reach: every one (by id), or those a Bearer token acts in. */
export interface FileRouting {
  all(): StandinStore[];
  /** The stores a token may download from: its workspace's, its org's for an org-wide one, none if invalid. */
  forToken(token: string): StandinStore[];
}

/** Handles upload and download paths; returns false for any other request. */
export async function handleFileRoute(
  routing: FileRouting,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (req.method === 'POST' && path.startsWith('/upload/v1/')) {
    const fileId = path.slice('/upload/v1/'.length);
    const raw = await readBody(req);
    // File ids are unique across the stand-in's workspaces, so the upload finds its own.
    const store = routing.all().find((s) => s.pendingUploads.has(fileId));
    const pending = store?.pendingUploads.get(fileId);
    if (!store || !pending) {
      sendJson(res, 404, { ok: false, error: 'file_not_found' });
      return true;
    }
    pending.content = await uploadedBytes(req.headers['content-type'] ?? '', raw);
    store.recordCall({
      method: 'upload_url',
      args: { file_id: fileId },
      ok: true,
      status: 200,
      time: Date.now(),
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${pending.content.length}`);
    return true;
  }
  const forApp = req.method === 'GET' ? downloadIdOf(path) : undefined;
  if (forApp !== undefined) {
    const auth = req.headers.authorization ?? '';
    const bearer = auth.startsWith('Bearer ') && auth.length > 'Bearer '.length;
    // A token reaches only its own workspace's files.
    const stores = bearer ? routing.forToken(auth.slice('Bearer '.length)) : [];
    const store = stores.find((s) => s.files.has(forApp)) ?? stores[0] ?? routing.all()[0];
    const file = stores.length > 0 ? store?.files.get(forApp) : undefined;
    if (!bearer || stores.length === 0) signInPage(res);
    else if (file) sendFile(res, file);
    else sendJson(res, 404, { ok: false, error: 'file_not_found' });
    store?.recordCall({
      method: 'file_download',
      args: { file: forApp, authorized: auth.startsWith('Bearer ') },
      ok: file !== undefined && bearer,
      status: 200,
      time: Date.now(),
    });
    return true;
  }
  const id = req.method === 'GET' ? fileIdOf(path) : undefined;
  if (id === undefined) return false;
  const file = routing
    .all()
    .map((s) => s.files.get(id))
    .find((f) => f !== undefined);
  if (file) sendFile(res, file);
  else sendJson(res, 404, { ok: false, error: 'file_not_found' });
  return true;
}
