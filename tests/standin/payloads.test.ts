import { describe, expect, it } from 'vitest';
import { appHomeOpened, blockAction, messageEvent, slashCommand } from '../../src/standin/payloads.js';

const base = { teamId: 'T0ACME', channelId: 'C0PLATFORM', userId: 'U0ALICE' };

describe('payload builders', () => {
  it('builds slash command form fields with fresh trigger ids', () => {
    const a = slashCommand({ ...base, text: 'compare eks gke' });
    const b = slashCommand({ ...base, text: 'again', responseUrl: 'http://127.0.0.1:1/respond/x/y' });
    expect(a).toMatchObject({
      team_id: 'T0ACME',
      channel_id: 'C0PLATFORM',
      channel_name: 'c0platform',
      user_id: 'U0ALICE',
      command: '/k8s-advisor',
      text: 'compare eks gke',
    });
    for (const key of ['team_domain', 'user_name', 'api_app_id', 'response_url', 'trigger_id']) {
      expect(a[key]).toEqual(expect.any(String));
    }
    expect(a.trigger_id).not.toBe(b.trigger_id);
    expect(b.response_url).toBe('http://127.0.0.1:1/respond/x/y');
    // The default response_url must never reach the internet.
    expect(a.response_url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('builds a message event_callback envelope', () => {
    const e = messageEvent({ ...base, text: 'hi', threadTs: '1767225600.000100', botUserId: 'U0ADVISOR' });
    expect(e).toMatchObject({
      type: 'event_callback',
      team_id: 'T0ACME',
      event: {
        type: 'message',
        channel: 'C0PLATFORM',
        user: 'U0ALICE',
        text: 'hi',
        thread_ts: '1767225600.000100',
        channel_type: 'channel',
      },
      authorizations: [{ team_id: 'T0ACME', user_id: 'U0ADVISOR', is_bot: true }],
    });
    expect(e.event.event_ts).toBe(e.event.ts);
    const other = messageEvent({ ...base, text: 'hi' });
    expect(other.event_id).not.toBe(e.event_id);
    expect(Number(other.event.ts)).toBeGreaterThan(Number(e.event.ts));
    const bot = messageEvent({ ...base, text: 'x', subtype: 'bot_message', botId: 'B0X' });
    expect(bot.event).toMatchObject({ subtype: 'bot_message', bot_id: 'B0X' });
  });

  it('builds a block_actions payload from a stored message', () => {
    const message = {
      type: 'message',
      channel: 'C0PLATFORM',
      ts: '1767225600.000200',
      thread_ts: '1767225600.000100',
      text: 'pick',
      blocks: [
        {
          type: 'actions',
          block_id: 'choices',
          elements: [
            {
              type: 'button',
              action_id: 'accept',
              text: { type: 'plain_text', text: 'Accept' },
              value: 'eks',
            },
            {
              type: 'static_select',
              action_id: 'pick',
              placeholder: { type: 'plain_text', text: 'Pick' },
              options: [],
            },
          ],
        },
      ],
    };
    const click = JSON.parse(
      blockAction({ ...base, message, actionId: 'accept', blockId: 'choices' }).payload,
    );
    expect(click).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', team_id: 'T0ACME' },
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: 'C0PLATFORM',
        is_ephemeral: false,
        thread_ts: message.thread_ts,
      },
      team: { id: 'T0ACME' },
      channel: { id: 'C0PLATFORM' },
      message: { ts: message.ts, text: 'pick', blocks: message.blocks },
      actions: [
        { type: 'button', action_id: 'accept', block_id: 'choices', value: 'eks', text: { text: 'Accept' } },
      ],
    });
    expect(click.message).not.toHaveProperty('channel');
    const selectedOption = { text: { type: 'plain_text' as const, text: 'GKE' }, value: 'gke' };
    const pick = JSON.parse(
      blockAction({ ...base, message, actionId: 'pick', blockId: 'choices', selectedOption }).payload,
    );
    expect(pick.actions[0]).toMatchObject({ type: 'static_select', selected_option: selectedOption });
    expect(pick.trigger_id).not.toBe(click.trigger_id);
    expect(pick.actions[0].action_ts).not.toBe(click.actions[0].action_ts);
  });

  it('builds app_home_opened', () => {
    const e = appHomeOpened({ teamId: 'T0ACME', userId: 'U0ALICE' });
    expect(e).toMatchObject({
      type: 'event_callback',
      event: { type: 'app_home_opened', user: 'U0ALICE', tab: 'home' },
    });
  });
});
