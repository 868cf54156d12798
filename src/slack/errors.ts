/**
 * Slack's Web API refuses a call with a code (`not_in_channel`, `channel_not_found`, …). The SDK's platform
 * errors and the chat client's SlackApiError both carry it as `data.error`; these read it without a cast.
 */
export function slackErrorCode(error: unknown): string | undefined {
  if (!isRecord(error) || !isRecord(error.data)) return undefined;
  const code = error.data.error;
  return typeof code === 'string' ? code : undefined;
}

/** What to tell a person or a log line about a failed call: Slack's code, else the error's message. */
export function describeError(error: unknown): string {
  const code = slackErrorCode(error);
  if (code) return code;
  return isRecord(error) && typeof error.message === 'string' ? error.message : String(error);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
