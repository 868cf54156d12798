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
      'provider_trust',
      'access_mitigations',
      'access_lockdown',
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
    expect(options('access_mitigations')).toEqual(['strong', 'partial', 'none_unknown']);
    expect(options('access_lockdown')).toEqual(['yes', 'partly', 'no_unknown']);
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
      'ask_when: { provider_access: ["yes", with_controls] }\n    options:\n      - { id: eks';
    const withAskWhen = (replacement: string) =>
      source.replace(
        providerAskWhen,
        providerAskWhen.replace('provider_access: ["yes", with_controls]', replacement),
      );
    expect(problems(withAskWhen('provider_access: [maybe]'))).toMatch(
      /questions\[provider\]\.ask_when\.provider_access: "maybe" is not an option/,
    );
    expect(problems(withAskWhen('nope: [x]'))).toMatch(/must name an earlier question/);
  });

  it('rejects number bands that would lean less toward managed as the number grows', () => {
    expect(problems(source.replace('min: 16\n        lean: 3', 'min: 16\n        lean: -1'))).toMatch(
      /questions\[clusters\]\.bands: a larger number must never lean less/,
    );
  });

  it('rejects a rule_out threshold that the worst trust answers would not reach', () => {
    expect(problems(source.replace('rule_out_at: -4', 'rule_out_at: -7'))).toMatch(
      /scoring\.rule_out_at: the worst trust answers/,
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
