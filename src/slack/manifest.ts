import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config.js';

/** The part of manifest.yml OAuth mode reads: the bot scopes Slack is asked for, listed nowhere else. */
const manifestSchema = z.object({
  oauth_config: z.object({
    scopes: z.object({
      bot: z.array(z.string().regex(/^[a-z]+(:[a-z.]+)*$/, 'a scope such as chat:write')).min(1),
    }),
  }),
});

/** The bot scopes of the app's manifest; a missing or malformed list stops start-up with the file and the field. */
export function botScopes(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); OAuth mode reads the bot scopes from the app manifest`,
    ]);
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new ConfigError([`${path}: not valid YAML (${(error as Error).message.split('\n')[0]})`]);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${path}: ${i.path.join('.') || 'the file'} ${i.message}`),
    );
  }
  return [...new Set(result.data.oauth_config.scopes.bot)];
}
