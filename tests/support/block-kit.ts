// Raw Block Kit, written by hand as Slack documents it, for tests of the checks against Slack's limits.

export const plain = (text: string) => ({ type: 'plain_text', text });
export const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
export const section = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'section',
  text: mrkdwn(text),
  ...extra,
});
export const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: actionId,
  text: plain('Go'),
  ...extra,
});
export const option = (text: string, value: string) => ({ text: plain(text), value });
export const select = (options: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'static_select',
  action_id: 'pick',
  placeholder: plain('Choose'),
  options,
  ...extra,
});
/** A string of `n` characters. */
export const x = (n: number) => 'x'.repeat(n);
