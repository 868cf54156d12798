import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  loadQuestionnaire,
  parseQuestionnaire,
  QuestionnaireError,
} from '../../src/advisor/questionnaire.js';
import { questionnaire } from '../support/questionnaire.js';

const source = readFileSync('conversations/k8s-hosting.yml', 'utf8');
const problems = (yaml: string) => {
  try {
    parseQuestionnaire(yaml, 'conversations/broken.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(QuestionnaireError);
    return (error as QuestionnaireError).message;
  }
  throw new Error('expected the questionnaire to be rejected');
};

describe('the shipped questionnaire', () => {
  it('holds the contract question and option ids in order', () => {
    const ids = questionnaire.questions.map((q) => q.id);
    const contract = [
      'team',
      'clusters',
      'nodes',
      'variability',
      'provider_access',
      'compliance',
      'provider_trust',
      'access_mitigations',
      'access_lockdown',
      'self_host_site',
    ];
    expect(ids.filter((id) => contract.includes(id))).toEqual(contract);
    const options = (id: string) => {
      const q = questionnaire.questions.find((x) => x.id === id);
      return q?.type === 'choice' ? q.options.map((o) => o.id) : q?.type;
    };
    expect(options('team')).toEqual(['small', 'growing', 'dedicated']);
    expect(options('clusters')).toBe('number');
    expect(options('nodes')).toBe('number');
    expect(options('variability')).toEqual(['steady', 'seasonal', 'elastic']);
    expect(options('provider_access')).toEqual(['yes', 'with_controls', 'no']);
    expect(options('provider_trust')).toEqual(['high', 'medium', 'low']);
    expect(options('access_mitigations')).toEqual(['strong', 'partial', 'none', 'unknown']);
    expect(options('access_lockdown')).toEqual(['yes', 'partly', 'no', 'unknown']);
    expect(options('compliance')).toEqual(['none', 'regulated', 'government', 'sovereignty', 'airgapped']);
    expect(options('self_host_site')).toEqual([
      'same_cloud',
      'own_datacenter',
      'sovereign_or_airgapped',
      'undecided',
    ]);
  });

  it('asks the trust questions only when provider access is not ruled out', () => {
    for (const id of ['provider_trust', 'access_mitigations', 'access_lockdown']) {
      const q = questionnaire.questions.find((x) => x.id === id);
      expect(q?.ask_when?.provider_access).not.toContain('no');
    }
  });

  it('loads from disk and names an unreadable file', () => {
    expect(loadQuestionnaire('conversations/k8s-hosting.yml').id).toBe('k8s-hosting');
    expect(() => loadQuestionnaire('conversations/missing.yml')).toThrow(
      /missing\.yml.*cannot read the file \(ENOENT\)/s,
    );
  });
});

describe('a broken questionnaire', () => {
  it('names the file, the field by question id and what was expected', () => {
    const message = problems(source.replace('type: number', 'type: numbr'));
    expect(message).toContain('conversations/broken.yml');
    expect(message).toMatch(/questions\[clusters\]\.type: .*'choice' \| 'number'/s);
  });

  it('reports a YAML syntax error with a hint', () => {
    expect(problems('questions: [\n  - id: x\n')).toMatch(/YAML syntax/);
  });

  it('rejects ask_when naming a later or unknown question or option', () => {
    const providerAskWhen =
      'ask_when: { provider_access: ["yes", with_controls], compliance: [none, regulated, government, sovereignty] }\n    options:\n      - { id: eks';
    const withAskWhen = (replacement: string) =>
      source.replace(
        providerAskWhen,
        providerAskWhen.replace('provider_access: ["yes", with_controls]', replacement),
      );
    expect(problems(withAskWhen('provider_access: [maybe]'))).toMatch(
      /questions\[provider\]\.ask_when\.provider_access: "maybe" is not an option/,
    );
    expect(problems(withAskWhen('nope: [x]'))).toMatch(/must name an earlier question/);
    expect(source).toContain(providerAskWhen);
  });

  it('rejects number bands that would mean less need as the number grows', () => {
    expect(problems(source.replace('min: 16\n        need: 3', 'min: 16\n        need: 0'))).toMatch(
      /questions\[clusters\]\.bands: a larger number must never mean less need/,
    );
  });

  it('rejects an unacceptable_at threshold that the worst trust answers would not reach', () => {
    expect(problems(source.replace('unacceptable_at: -2', 'unacceptable_at: -9'))).toMatch(
      /scoring\.unacceptable_at: the worst trust answers add up to -7/,
    );
  });

  it('keeps the two judgments apart in the data', () => {
    expect(
      problems(source.replace('need: 3\n        favours_provider: true', 'need: 3\n        trust: 2')),
    ).toMatch(/questions\[team\]\.options\[small\]\.trust: a need question may not set "trust"/);
    expect(
      problems(
        source.replace('trust: 2\n        reason: You already', 'need: 2\n        reason: You already'),
      ),
    ).toMatch(
      /questions\[provider_trust\]\.options\[high\]\.need: an acceptability question may not set "need"/,
    );
  });

  it('rejects a vendor fact without its source or the date it was checked', () => {
    const first = 'source: https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html\n';
    expect(source).toContain(first);
    expect(problems(source.replace(first, ''))).toMatch(/providers\.eks\.controls\[0\]\.source: /);
    expect(problems(source.replace('checked: "2026-12-03"', 'checked: "last week"'))).toMatch(
      /checked: the date the fact was checked, as YYYY-MM-DD/,
    );
  });

  it('rejects duplicate ids, the reserved "skip" option and unknown fields', () => {
    expect(problems(source.replace('- id: steady', '- id: skip'))).toMatch(/"skip" is reserved/);
    expect(problems(source.replace('- id: seasonal', '- id: steady'))).toMatch(
      /duplicate option id "steady"/,
    );
    expect(problems(source.replace('top_reasons: 4', 'top_reasons: 4\n  bonus: 1'))).toMatch(
      /scoring: Unrecognized key: "bonus"/,
    );
  });
});
