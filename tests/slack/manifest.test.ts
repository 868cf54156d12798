import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../../src/config.js';
import { botScopes } from '../../src/slack/manifest.js';

const problemsOf = (path: string) => {
  try {
    botScopes(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('the bot scopes OAuth mode asks for', () => {
  it('are manifest.yml’s, the one list of them', () => {
    expect(botScopes('manifest.yml')).toEqual(
      parse(readFileSync('manifest.yml', 'utf8')).oauth_config.scopes.bot,
    );
  });

  it('stop start-up naming the file and the field when the manifest is missing or wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    expect(problemsOf(join(dir, 'none.yml'))).toEqual([
      `${join(dir, 'none.yml')}: cannot be read (ENOENT); OAuth mode reads the bot scopes from the app manifest`,
    ]);
    const empty = join(dir, 'empty.yml');
    writeFileSync(empty, 'oauth_config:\n  scopes:\n    bot: []\n');
    expect(problemsOf(empty)).toEqual([expect.stringMatching(/empty\.yml: oauth_config\.scopes\.bot /)]);
    const odd = join(dir, 'odd.yml');
    writeFileSync(odd, 'oauth_config:\n  scopes:\n    bot: ["chat:write", "not a scope"]\n');
    expect(problemsOf(odd)).toEqual([`${odd}: oauth_config.scopes.bot.1 a scope such as chat:write`]);
  });
});
