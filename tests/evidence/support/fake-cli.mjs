#!/usr/bin/env node
// A stand-in for the aws, gcloud and az CLIs (linked under those names on a test's PATH). It answers the
// read-only commands the evidence command runs from tests/fixtures/evidence/<provider>/cli.json, logs each call
// to FAKE_CLI_LOG, and fails like the real CLI for anything else.
import { appendFileSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

const tool = basename(process.argv[1]);
const args = process.argv.slice(2);
if (process.env.FAKE_CLI_LOG)
  appendFileSync(process.env.FAKE_CLI_LOG, `${JSON.stringify([tool, ...args])}\n`);
const fixture = JSON.parse(readFileSync(process.env.FAKE_CLI_FIXTURE, 'utf8'));
const after = (flag) => args[args.indexOf(flag) + 1];
const out = (v) => process.stdout.write(JSON.stringify(v));
const fail = (msg) => {
  process.stderr.write(`${msg}\n`);
  process.exit(254);
};
if (process.env.FAKE_CLI_FAIL) fail(process.env.FAKE_CLI_FAIL);

if (tool === 'aws') {
  const [svc, cmd] = args;
  if (svc !== 'eks') fail('unknown service');
  if (cmd === 'describe-cluster') out(fixture['describe-cluster']);
  else if (cmd === 'list-access-entries') out(fixture['list-access-entries']);
  else if (cmd === 'describe-access-entry') out(fixture['describe-access-entry'][after('--principal-arn')]);
  else if (cmd === 'list-associated-access-policies')
    out(fixture['list-associated-access-policies'][after('--principal-arn')]);
  else fail(`aws: unknown command ${cmd}`);
} else if (tool === 'gcloud') {
  if (args[0] !== 'container' || args[1] !== 'clusters' || args[2] !== 'describe')
    fail('gcloud: unknown command');
  // Credentials an old cluster's describe output carries, built here so no credential sits in the repository.
  const describe = structuredClone(fixture.describe);
  describe.masterAuth.clientKey = ['-----BEGIN', 'RSA PRIVATE KEY-----', 'MIIE', 'fake'].join(' ');
  describe.masterAuth.clientCertificate = ['-----BEGIN', 'CERTIFICATE-----'].join(' ');
  describe.masterAuth.password = ['basic', 'auth', 'pw', String(process.pid)].join('-');
  out(describe);
} else if (tool === 'az') {
  if (args[0] === 'aks' && args[1] === 'show') out(fixture.show);
  else if (args[0] === 'monitor' && args[1] === 'diagnostic-settings' && args[2] === 'list')
    out(fixture['diagnostic-settings']);
  else fail('az: unknown command');
} else fail(`unknown tool ${tool}`);
