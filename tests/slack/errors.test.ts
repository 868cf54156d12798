import { describe, expect, it } from 'vitest';
import { SlackApiError } from '../../src/slack/chat-client.js';
import { describeError, slackErrorCode } from '../../src/slack/errors.js';

describe('Slack error codes', () => {
  it('reads the code of a refusal from the chat client and from the SDK alike', () => {
    expect(slackErrorCode(new SlackApiError({ ok: false, error: 'not_in_channel' }))).toBe('not_in_channel');
    const sdk = Object.assign(new Error('An API error occurred: channel_not_found'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'channel_not_found' },
    });
    expect(slackErrorCode(sdk)).toBe('channel_not_found');
  });

  it('finds no code in anything else', () => {
    for (const error of [
      new Error('socket hang up'),
      'text',
      null,
      undefined,
      { data: 'x' },
      { data: { error: 3 } },
    ])
      expect(slackErrorCode(error)).toBeUndefined();
  });

  it('describes an error by its code, else its message, else as text', () => {
    expect(describeError(new SlackApiError({ ok: false, error: 'is_archived' }))).toBe('is_archived');
    expect(describeError(new Error('timed out'))).toBe('timed out');
    expect(describeError({ message: 'plain object' })).toBe('plain object');
    expect(describeError('just text')).toBe('just text');
  });
});
