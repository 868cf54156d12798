import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND } from '../src/slack/blocks/help.js';

const manifest = parse(readFileSync('manifest.yml', 'utf8'));
const sources = ['commands', 'messages', 'actions']
  .map((f) => readFileSync(`src/slack/listeners/${f}.ts`, 'utf8'))
  .join('\n');

describe('manifest.yml', () => {
  it('declares the slash command the code registers', () => {
    expect(sources).toContain('app.command(COMMAND');
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([COMMAND]);
  });

  it('asks for the scopes the code needs, and no more', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    // commands: the slash command; chat:write: every post, update and ephemeral; history: thread replies;
    // files:write: the decision record upload; users:read: names in it, time zones for digests.
    expect([...scopes].sort()).toEqual([
      'channels:history',
      'chat:write',
      'commands',
      'files:write',
      'groups:history',
      'users:read',
    ]);
    const adr = readFileSync('src/slack/adr.ts', 'utf8');
    expect(adr).toContain('filesUploadV2');
    expect(adr).toContain('users.info');
  });

  it('subscribes to the message events the message listener handles', () => {
    expect(sources).toContain("app.event('message'");
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['message.channels', 'message.groups']);
  });

  it('turns interactivity on for the buttons and selects the action listener handles', () => {
    expect(sources).toMatch(/app\.action</);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('uses Socket Mode, the README’s development path, with one endpoint for HTTP mode', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
    ];
    expect(urls.every((u: string) => u.endsWith('/slack/events'))).toBe(true);
  });
});
