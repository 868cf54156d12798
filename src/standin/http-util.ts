// Request parsing for the stand-in: the body encodings @slack/web-api and Bolt's respond() use.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Fields Slack accepts as JSON; over form encoding they arrive as JSON strings. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'files', 'unfurls']);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeJsonFields(args: Record<string, unknown>): Record<string, unknown> {
  for (const key of JSON_FIELDS) {
    const v = args[key];
    if (typeof v === 'string' && v.length > 0) {
      try {
        args[key] = JSON.parse(v);
      } catch {
        // Leave it a string: the method reports it as invalid, as Slack would.
      }
    }
  }
  return args;
}

/** Parses a Web API request body into plain args. Throws on malformed JSON. */
export async function parseArgs(contentType: string, raw: Buffer): Promise<Record<string, unknown>> {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return {};
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return decodeJsonFields(typeof parsed === 'object' && parsed !== null ? { ...parsed } : {});
  }
  if (type === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    const fields: [string, FormDataEntryValue][] = [];
    form.forEach((v, k) => {
      fields.push([k, v]);
    });
    const args: Record<string, unknown> = {};
    for (const [k, v] of fields) {
      args[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
    }
    return decodeJsonFields(args);
  }
  // Slack's default (and @slack/web-api's): application/x-www-form-urlencoded.
  return decodeJsonFields(Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
}

/** The file bytes of an upload_url POST: multipart (what @slack/web-api sends) or a raw body. */
export async function uploadedBytes(contentType: string, raw: Buffer): Promise<Buffer> {
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return raw;
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  const values: FormDataEntryValue[] = [];
  form.forEach((v) => {
    values.push(v);
  });
  const file = values.find((v): v is File => typeof v !== 'string');
  if (file) return Buffer.from(await file.arrayBuffer());
  return Buffer.from(String(values[0] ?? ''));
}

export function bearerToken(req: IncomingMessage, args: Record<string, unknown>): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && auth.length > 'Bearer '.length) return auth.slice('Bearer '.length);
  return typeof args.token === 'string' && args.token.length > 0 ? args.token : undefined;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

export const bool = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;
