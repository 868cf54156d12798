// File cards for messages that share files (files.uploadV2), as Slack shows them. Plain browser ES module.
//
// The link's text is the file's name, so a person (and a screen reader) finds it by name; its address comes
// from ctx.fileUrl (the playground serves files on its own port), else the file's url_private if it is http(s).

import { escapeHtml, safeUrl } from './mrkdwn.js';

const str = (value) => (typeof value === 'string' ? value : undefined);

/** 1536 → "1.5 KB" */
export function formatSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const KIND = { md: 'Markdown', json: 'JSON', csv: 'CSV', txt: 'Text', yaml: 'YAML', yml: 'YAML', pdf: 'PDF' };

function renderFile(file, ctx) {
  const name = str(file.name) ?? str(file.title) ?? 'file';
  const url = (ctx.fileUrl ? ctx.fileUrl(file) : undefined) ?? safeUrl(file.url_private);
  const type = str(file.filetype) ?? '';
  const kind = KIND[type] ?? (type ? type.toUpperCase() : 'File');
  const title = str(file.title);
  const meta = [title && title !== name ? title : undefined, kind, formatSize(file.size)].filter(Boolean);
  const link = url
    ? `<a class="msg-file-name" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(name)}</a>`
    : `<span class="msg-file-name">${escapeHtml(name)}</span>`;
  return (
    '<div class="msg-file"><span class="msg-file-icon" aria-hidden="true">📄</span>' +
    `<div class="msg-file-body">${link}<div class="msg-file-meta">${escapeHtml(meta.join(' · '))}</div></div></div>`
  );
}

/** HTML for a message's `files`, or '' when it has none. */
export function renderFiles(files, ctx = {}) {
  const list = Array.isArray(files) ? files.filter((f) => typeof f === 'object' && f !== null) : [];
  if (list.length === 0) return '';
  return `<div class="msg-files">${list.map((f) => renderFile(f, ctx ?? {})).join('')}</div>`;
}
