import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { fetchSharedFile, mayCarryToken } from '../../src/slack/download.js';
import { type Call, useFakeSlack } from '../support/slack.js';

const HOST = 'http://slack.test';
const API = `${HOST}/api/`;
// A token-shaped string made at run time, never written down whole.
const TOKEN = ['xoxb', 'download', 'test'].join('-');
const LIMIT = 1024;

let info: Record<string, unknown> = {};
const slack = useFakeSlack(HOST, (call: Call) =>
  call.method === 'files.info' ? { ok: true, file: info } : undefined,
);

const file = (over: Record<string, unknown> = {}) => ({
  id: 'F1',
  name: 'evidence.json',
  size: 10,
  url_private_download: `${HOST}/files-pri/F1/download/evidence.json`,
  ...over,
});

const get = (opts: { timeoutMs?: number; fetch?: typeof fetch } = {}) =>
  fetchSharedFile(slack.client, 'F1', { token: TOKEN, apiUrl: API, maxBytes: LIMIT, ...opts });

describe('fetching a shared file with the bot token', () => {
  it('reads files.info, then downloads with the token as a Bearer header', async () => {
    info = file();
    nock(HOST)
      .get('/files-pri/F1/download/evidence.json')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, '{"ok":1}', { 'content-type': 'application/json' });
    const got = await get();
    expect(got).toEqual({ ok: true, name: 'evidence.json', bytes: Buffer.from('{"ok":1}') });
    expect(slack.posted('files.info')[0]?.body.file).toBe('F1');
  });

  it('refuses a file Slack says is too large without downloading a byte', async () => {
    info = file({ size: 900 * 1024 });
    const download = nock(HOST)
      .get(/files-pri/)
      .reply(200, 'x');
    const got = await get();
    expect(got).toMatchObject({ ok: false, reason: expect.stringContaining('900 KB') });
    expect(download.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('stops reading past the limit whatever size Slack reported', async () => {
    info = file({ size: 10 });
    nock(HOST)
      .get(/files-pri/)
      .reply(200, 'x'.repeat(LIMIT * 4));
    expect(await get()).toMatchObject({ ok: false, reason: expect.stringContaining('larger than') });
  });

  it('says why when Slack will not show the file, naming the scope when that is the cause', async () => {
    const failing = useless();
    expect(await failing('file_not_found')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('file_not_found'),
    });
    expect(await failing('missing_scope')).toMatchObject({ reason: expect.stringContaining('files:read') });
  });

  it('never sends the token to a host that is not Slack’s', async () => {
    for (const url of [
      'https://evil.example/f',
      'http://files.slack.com/f',
      'https://slack.com.evil.example/f',
    ]) {
      info = file({ url_private_download: url });
      expect(await get()).toMatchObject({ ok: false, reason: expect.stringContaining('download address') });
    }
    expect(mayCarryToken('https://files.slack.com/files-pri/T-F/download/x', API)).toBe(true);
    expect(mayCarryToken('https://files.slack-gov.com/x', API)).toBe(true);
    expect(mayCarryToken(`${HOST}/anything`, API)).toBe(true);
    expect(mayCarryToken('https://user:pw@files.slack.com/x', API)).toBe(false);
    expect(mayCarryToken('not a url', API)).toBe(false);
  });

  it('follows a redirect only to where the token may go', async () => {
    info = file();
    nock(HOST).get('/files-pri/F1/download/evidence.json').reply(302, '', { location: '/cdn/F1' });
    nock(HOST).get('/cdn/F1').reply(200, '{}', { 'content-type': 'application/json' });
    expect(await get()).toMatchObject({ ok: true, bytes: Buffer.from('{}') });
    nock(HOST)
      .get('/files-pri/F1/download/evidence.json')
      .reply(302, '', { location: 'https://evil.example/x' });
    expect(await get()).toMatchObject({ ok: false, reason: expect.stringContaining('download address') });
  });

  it('refuses a sign-in page or an error in place of the file', async () => {
    info = file();
    nock(HOST)
      .get(/files-pri/)
      .reply(200, '<html>', { 'content-type': 'text/html; charset=utf-8' });
    expect(await get()).toMatchObject({ ok: false, reason: expect.stringContaining('sign-in page') });
    nock(HOST)
      .get(/files-pri/)
      .reply(404, 'no');
    expect(await get()).toMatchObject({ ok: false, reason: expect.stringContaining('HTTP 404') });
  });

  it('gives up on a download that takes too long', async () => {
    info = file();
    // A server that never answers: the request waits until the timeout's signal aborts it.
    const never: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    expect(await get({ timeoutMs: 50, fetch: never })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('took longer than'),
    });
  });
});

/** files.info answered with an error code. */
function useless() {
  return async (code: string) => {
    nock.cleanAll();
    nock(HOST).post('/api/files.info').reply(200, { ok: false, error: code });
    return get();
  };
}
