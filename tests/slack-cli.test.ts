// `slack run` with the Slack CLI: .slack/ is laid out as Slack's Bolt samples lay it out, and each hook
// command in .slack/hooks.json is run here the way the CLI runs it (a shell in the project directory).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Hooks {
  hooks: Record<string, string>;
  config?: {
    watch?: Record<string, { paths?: string[]; 'filter-regex'?: string }>;
    'protocol-version'?: string[];
    'sdk-managed-connection-enabled'?: boolean;
  };
  runtime?: string;
}

const read = (path: string) => readFileSync(path, 'utf8');
const hooksFile = () => JSON.parse(read('.slack/hooks.json')) as Hooks;
const runHook = (command: string) => execSync(command, { encoding: 'utf8', timeout: 15_000 });

describe('.slack/', () => {
  it('finds the SDK hooks through @slack/cli-hooks, pinned in devDependencies', () => {
    const { hooks } = hooksFile();
    expect(hooks['get-hooks']).toBe('npx -q --no-install -p @slack/cli-hooks slack-cli-get-hooks');
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies['@slack/cli-hooks'], 'an exact version').toMatch(/^\d+\.\d+\.\d+$/);
    const sdk = JSON.parse(runHook(hooks['get-hooks'] ?? '')) as Hooks;
    expect(sdk.runtime).toBe('node');
    expect(sdk.config?.['sdk-managed-connection-enabled']).toBe(true);
    // The hooks this project overrides are ones the SDK defines, so the CLI calls ours in their place.
    for (const name of Object.keys(hooks).filter((h) => h !== 'get-hooks')) {
      expect(sdk.hooks, name).toHaveProperty(name);
    }
  });

  it('gives the CLI manifest.yml as JSON, in either of the CLI protocols', () => {
    const { hooks } = hooksFile();
    const manifest = parse(read('manifest.yml')) as unknown;
    const command = hooks['get-manifest'] ?? '';
    expect(JSON.parse(runHook(command))).toEqual(manifest);
    const boundary = `b${Date.now()}`;
    const framed = runHook(`${command} --protocol=message-boundaries --boundary=${boundary}`);
    const inside = framed.split(boundary);
    expect(inside).toHaveLength(3);
    expect(JSON.parse(inside[1] ?? '')).toEqual(manifest);
  });

  it('starts the app with an npm script that exists, in Socket Mode, and keeps the CLI connection off', () => {
    const { hooks, config } = hooksFile();
    const script = /^npm run (\S+)$/.exec(hooks.start ?? '')?.[1];
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(script && pkg.scripts[script], `npm script for "${hooks.start}"`).toBeTruthy();
    // Bolt holds the Socket Mode connection with the tokens the CLI passes (SLACK_APP_TOKEN, SLACK_BOT_TOKEN).
    expect(config?.['sdk-managed-connection-enabled']).toBe(true);
    expect(
      (parse(read('manifest.yml')) as { settings: { socket_mode_enabled: boolean } }).settings,
    ).toMatchObject({
      socket_mode_enabled: true,
    });
  });

  it('watches the manifest and the sources that exist, and nothing the app writes', () => {
    const watch = hooksFile().config?.watch ?? {};
    expect(watch.manifest?.paths).toEqual(['manifest.yml']);
    const app = watch.app ?? {};
    expect(app.paths?.length).toBeGreaterThan(0);
    for (const path of [...(app.paths ?? []), ...(watch.manifest?.paths ?? [])]) {
      expect(existsSync(path), path).toBe(true);
      expect(path, 'no build output or data').not.toMatch(/^(\.|\.\/|dist|data|node_modules)\/?$/);
    }
    const filter = new RegExp(app['filter-regex'] ?? '^$');
    expect(filter.test('src/main.ts')).toBe(true);
    expect(filter.test('conversations/k8s-hosting.yml')).toBe(true);
  });

  it('keeps the CLI project config, and ignores what the CLI writes per developer', () => {
    expect(JSON.parse(read('.slack/config.json'))).toMatchObject({ manifest: { source: 'local' } });
    const ignored = read('.slack/.gitignore').split('\n').filter(Boolean);
    expect(ignored).toEqual(expect.arrayContaining(['apps.dev.json', 'cache/']));
  });
});
