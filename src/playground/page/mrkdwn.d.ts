// Types for mrkdwn.js (a plain browser module served as-is; allowJs is off, so TypeScript reads these).

export interface MrkdwnOptions {
  /** Display name for a user id in <@U123> mentions; return the id itself when unknown. */
  userName?: (id: string) => string;
  /** Display name for a channel id in <#C123> references; return the id itself when unknown. */
  channelName?: (id: string) => string;
}

export interface PlainOptions {
  /** Replace :shortcode: emoji from the common set (Block Kit plain_text "emoji" flag). */
  emoji?: boolean;
}

export function mrkdwnToHtml(text: string | null | undefined, options?: MrkdwnOptions): string;
export function plainToHtml(text: string | null | undefined, options?: PlainOptions): string;
/** Decoded plain text with emoji characters, not escaped (for option labels and aria-labels). */
export function plainToText(text: string | null | undefined, options?: PlainOptions): string;
export function escapeHtml(value: unknown): string;
export function safeUrl(url: unknown): string | null;
export function emojiFor(name: string): string | undefined;
export function emojiHtml(name: string, char: string): string;
