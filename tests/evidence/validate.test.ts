import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Evidence, LIMITS } from '../../src/evidence/schema.js';
import { summariseEvidence } from '../../src/evidence/summary.js';
import { mrkdwnLiteral } from '../../src/evidence/text.js';
import { jsonDepth, parseEvidence } from '../../src/evidence/validate.js';

/** The upload path's gate: every hostile file gets one clear, safe message and nothing else. */

const sample = (): Evidence =>
  JSON.parse(readFileSync(join(process.cwd(), 'docs', 'sample-evidence.json'), 'utf8'));
const refuse = (input: string | Uint8Array) => {
  const r = parseEvidence(input);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
};
/** Nothing a refusal says may ping, link or format in Slack. */
const expectSafe = (message: string) => {
  expect(message).not.toMatch(/[<>`*~]/);
  expect(message.length).toBeLessThan(600);
};

describe('parseEvidence', () => {
  it('accepts the sample file, as a string and as bytes', () => {
    const text = JSON.stringify(sample());
    expect(parseEvidence(text)).toEqual({ ok: true, evidence: sample() });
    expect(parseEvidence(new TextEncoder().encode(text)).ok).toBe(true);
  });

  it('refuses a huge file before reading it', () => {
    const huge = `{"kind":"k8s-advisor-evidence","pad":"${'x'.repeat(LIMITS.fileBytes)}"}`;
    const message = refuse(huge);
    expect(message).toContain('the limit is 512 KB');
    expectSafe(message);
  });

  it('refuses deep nesting without handing it to JSON.parse', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`.slice(0, LIMITS.fileBytes - 1);
    expect(refuse(deep)).toContain('nested deeper than 10 levels');
    expect(jsonDepth('{"a":"[[[[[[[[[[[[[[[["}', 5)).toBe(1);
  });

  it('refuses empty files, non-UTF-8 bytes, non-JSON and JSON that is not an evidence file', () => {
    expect(refuse('')).toBe('The evidence file is empty.');
    expect(refuse(new Uint8Array([0xff, 0xfe, 0x00]))).toContain('not UTF-8');
    expect(refuse('{"kind": ')).toContain('not valid JSON');
    expect(refuse('[1,2]')).toContain('not a JSON object');
    expect(refuse('{"hello":"world"}')).toContain('not an evidence file');
  });

  it('refuses a newer schema version with a message that says what to do', () => {
    expect(refuse(JSON.stringify({ ...sample(), schemaVersion: 2 }))).toContain(
      'schema version 2, newer than this app reads (1)',
    );
  });

  it('refuses wrong types and unknown fields, naming where, without echoing hostile field names', () => {
    const wrong = refuse(JSON.stringify({ ...sample(), clusterAdmin: 'everyone' }));
    expect(wrong).toContain('at clusterAdmin');
    const unknownField = refuse(
      JSON.stringify({ ...sample(), cluster: { ...sample().cluster, '<!channel>': 1 } }),
    );
    expect(unknownField).toContain('has a field this version does not know');
    expect(unknownField).not.toContain('channel>');
    expectSafe(unknownField);
    const badProvider = refuse(
      JSON.stringify({ ...sample(), cluster: { ...sample().cluster, provider: 'openshift' } }),
    );
    expect(badProvider).toContain('at cluster.provider');
    expectSafe(badProvider);
  });

  it('refuses control and bidirectional characters anywhere, keys included', () => {
    const e = sample();
    const subject = e.clusterAdmin?.[0];
    if (!subject) throw new Error('sample has no subjects');
    subject.name = 'admin\u202egpj.exe';
    expect(refuse(JSON.stringify(e))).toContain('control or invisible formatting characters');
    expect(refuse(JSON.stringify({ ...sample(), 'x\u0000': 1 }))).toContain('field name that is not allowed');
    expect(refuse(`{"kind":"k8s-advisor-evidence","a":"\\ud800"}`)).toContain('control or invisible');
  });

  it('refuses credential-shaped text (built at run time, never stored)', () => {
    const jwt = ['eyJ', 'hbGciOiJSUzI1NiJ9x', '.eyJ', 'zdWIiOiJzeXN0ZW06YWRtaW4ifQx', '.sig'].join('');
    const e = sample();
    e.gaps = [{ what: 'token', why: `Authorization: Bearer ${jwt}` }];
    const message = refuse(JSON.stringify(e));
    expect(message).toContain('a JSON Web Token');
    expect(message).not.toContain(jwt);
    const key = {
      ...sample(),
      cluster: { ...sample().cluster, name: ['-----BEGIN', 'PRIVATE KEY-----'].join(' ') },
    };
    expect(refuse(JSON.stringify(key))).toContain('PEM');
    const aws = {
      ...sample(),
      cluster: { ...sample().cluster, name: ['AKIA', 'IOSFODNN7EXAMPLE'].join('') },
    };
    expect(refuse(JSON.stringify(aws))).toContain('AWS access key');
  });

  it('refuses mentions and mrkdwn in names, without echoing them', () => {
    for (const hostile of [
      '<!channel>',
      '<@U123ABC>',
      '*boss*',
      '~y~',
      '`z`',
      '<https://evil.example|click>',
    ]) {
      const e = sample();
      const subject = e.clusterAdmin?.find((s) => s.owner === 'provider');
      if (!subject) throw new Error('sample has no provider subject');
      subject.name = `x ${hostile}`;
      const message = refuse(JSON.stringify(e));
      expect(message).toContain('Slack markup');
      expect(message).not.toContain(hostile);
    }
    const e = sample();
    e.cluster.name = '<!here> prod';
    expect(refuse(JSON.stringify(e))).toContain('at cluster.name');
  });

  it('keeps underscores and the look-alikes the command writes, and the summary renders names inert', () => {
    const e = sample();
    const subject = e.clusterAdmin?.find((s) => s.owner === 'provider');
    if (!subject) throw new Error('sample has no provider subject');
    subject.name = 'arn:aws:iam::111122223333:role/Admin_Role ‹!channel› ∗boss∗';
    e.cluster.name = 'prod_cluster';
    const r = parseEvidence(JSON.stringify(e));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = summariseEvidence(r.evidence);
    const shown = [mrkdwnLiteral(s.cluster), ...s.providerSubjects.map(mrkdwnLiteral)].join(' ');
    expect(shown).not.toMatch(/<[!@#]|<https?:/);
    for (const literal of [mrkdwnLiteral(s.cluster), ...s.providerSubjects.map(mrkdwnLiteral)]) {
      expect(literal.startsWith('`') && literal.endsWith('`')).toBe(true);
      expect(literal.slice(1, -1)).not.toContain('`');
    }
  });

  it('over-long strings and lists are refused by the schema', () => {
    const long = { ...sample(), cluster: { ...sample().cluster, context: 'c'.repeat(LIMITS.text + 1) } };
    expect(refuse(JSON.stringify(long))).toContain('at cluster.context');
    const gaps = Array.from({ length: LIMITS.gaps + 1 }, () => ({ what: 'x', why: 'y' }));
    expect(refuse(JSON.stringify({ ...sample(), gaps }))).toContain('at gaps');
  });

  it('never throws and always answers in bounded, safe text, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ kind: 'k8s-advisor-evidence', v })),
        ),
        (text) => {
          const r = parseEvidence(text);
          if (!r.ok) expectSafe(r.error);
        },
      ),
      { numRuns: 300 },
    );
  });
});
