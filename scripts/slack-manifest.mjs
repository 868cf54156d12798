// The Slack CLI's get-manifest hook (.slack/hooks.json): prints manifest.yml as the JSON the CLI expects.
// @slack/cli-hooks' own hook reads only a manifest.json; the manifest stays in one place, manifest.yml.
import { readFileSync } from 'node:fs';
import { getProtocol } from '@slack/cli-hooks/src/protocols.js';
import { parse } from 'yaml';

// The CLI passes --protocol=message-boundaries --boundary=… when it can; the helper answers either way.
const protocol = getProtocol(process.argv.slice(1));
const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8'));
protocol.respond(JSON.stringify(manifest));
