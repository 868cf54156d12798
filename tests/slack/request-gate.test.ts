import { describe, expect, it } from 'vitest';
import { judgeRequest, MAX_SKEW_SECONDS } from '../../src/slack/request-gate.js';

const NOW = 1_800_000_000;
const json = { 'content-type': 'application/json', 'x-slack-request-timestamp': String(NOW) };
const form = {
  'content-type': 'application/x-www-form-urlencoded',
  'x-slack-request-timestamp': String(NOW),
};
const judge = (headers: Record<string, string>, body: string) =>
  judgeRequest(headers, Buffer.from(body), NOW);

describe('judgeRequest', () => {
  it('passes what Slack sends: event objects, command forms, interaction payloads, the certificate check', () => {
    expect(judge(json, '{"type":"event_callback","event":{}}')).toEqual({ ok: true });
    expect(judge(form, 'command=%2Fk8s-advisor&text=')).toEqual({ ok: true });
    expect(judge(form, `payload=${encodeURIComponent('{"type":"block_actions"}')}`)).toEqual({ ok: true });
    expect(judge({ 'content-type': 'application/x-www-form-urlencoded' }, 'ssl_check=1&token=x')).toEqual({
      ok: true,
    });
  });

  it('refuses a timestamp more than five minutes away, in the past or in the future', () => {
    for (const offset of [MAX_SKEW_SECONDS + 1, -(MAX_SKEW_SECONDS + 1), 10 * 365 * 86_400]) {
      const headers = { ...json, 'x-slack-request-timestamp': String(NOW + offset) };
      expect(judge(headers, '{}')).toMatchObject({ ok: false, status: 401 });
    }
    expect(judge({ 'content-type': 'application/json' }, '{}')).toMatchObject({ ok: false, status: 401 });
    expect(judge({ ...json, 'x-slack-request-timestamp': 'soon' }, '{}')).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(judge({ ...json, 'x-slack-request-timestamp': String(NOW + MAX_SKEW_SECONDS) }, '{}')).toEqual({
      ok: true,
    });
  });

  it('refuses bodies that verify but are not objects, with a 400', () => {
    for (const body of ['null', '[]', '"text"', '42', '{', '']) {
      expect(judge(json, body)).toMatchObject({ ok: false, status: 400 });
    }
    for (const payload of ['null', '[1]', 'not json']) {
      expect(judge(form, `payload=${encodeURIComponent(payload)}`)).toMatchObject({ ok: false, status: 400 });
    }
    expect(judge({ ...json, 'content-type': 'text/plain' }, '{}')).toMatchObject({ ok: false, status: 400 });
  });
});
