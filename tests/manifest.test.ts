import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND } from '../src/slack/blocks/help.js';

const manifest = parse(readFileSync('manifest.yml', 'utf8'));
const LISTENERS = 'src/slack/listeners';
const sources = readdirSync(LISTENERS)
  .map((f) => readFileSync(`${LISTENERS}/${f}`, 'utf8'))
  .join('\n');

describe('manifest.yml', () => {
  it('declares the slash command the code registers', () => {
    expect(sources).toContain('app.command(COMMAND');
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([COMMAND]);
  });

  it('asks for the scopes the code needs, and no more', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    // commands: the slash command; chat:write: every post, update and ephemeral; history: thread replies;
    // files:write: the decision record upload and the export; files:read: an evidence file uploaded into an
    // assessment's thread (files.info, then its url_private_download with the bot token); users:read: names in them, time zones for
    // digests; im:write: opening a direct message (App Home's start button, the export); im:history: replies in
    // a direct-message thread.
    expect([...scopes].sort()).toEqual([
      'channels:history',
      'chat:write',
      'commands',
      'files:read',
      'files:write',
      'groups:history',
      'im:history',
      'im:write',
      'users:read',
    ]);
    expect(sources).toContain('conversations.open');
    const download = readFileSync('src/slack/download.ts', 'utf8');
    expect(download).toContain('files.info');
    expect(download).toContain('Bearer');
    const adr = readFileSync('src/slack/adr.ts', 'utf8');
    expect(adr).toContain('filesUploadV2');
    expect(adr).toContain('users.info');
  });

  it('subscribes to the message events the message listener handles, and to App Home', () => {
    // Listener modules register their events with the registry, which attaches them to Bolt.
    expect(sources).toContain('app.event(type');
    expect(sources).toContain(".event('message'");
    expect(sources).toContain(".event('app_home_opened'");
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      'message.channels',
      'message.groups',
      'message.im',
      'app_home_opened',
      'app_uninstalled',
      'tokens_revoked',
    ]);
    // OAuth mode deletes an installation and its workspace's data on these two.
    const uninstall = readFileSync(`${LISTENERS}/uninstall.ts`, 'utf8');
    expect(uninstall).toContain(".event('app_uninstalled'");
    expect(uninstall).toContain(".event('tokens_revoked'");
  });

  it('turns the Home tab on, and the Messages tab for assessments started from it', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('names every subcommand in the usage hint', () => {
    const hint: string = manifest.features.slash_commands[0].usage_hint;
    for (const word of ['start', 'evidence', 'adr', 'export', 'forget-me', 'digest', 'help'])
      expect(hint).toContain(word);
  });

  it('turns interactivity on for the buttons and selects the action listener handles', () => {
    expect(sources).toMatch(/app\.action</);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('lists the OAuth redirect URL and allows org-wide installs, for distribution (OAuth mode)', () => {
    expect(manifest.oauth_config.redirect_urls).toEqual(['https://example.com/slack/oauth_redirect']);
    const setup = readFileSync('src/slack/oauth/setup.ts', 'utf8');
    expect(setup).toContain("REDIRECT_PATH = '/slack/oauth_redirect'");
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
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
