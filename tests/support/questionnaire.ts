import type { Questionnaire } from '../../src/advisor/questionnaire.js';
import { loadQuestionnaire } from '../../src/advisor/questionnaire.js';
import type { Answer } from '../../src/advisor/session.js';

export const questionnaire: Questionnaire = loadQuestionnaire('conversations/k8s-hosting.yml');

export const opt = (optionId: string): Answer => ({ kind: 'option', optionId });
export const num = (value: number, label?: string): Answer => ({
  kind: 'number',
  value,
  ...(label !== undefined && { label }),
});
export const skipped: Answer = { kind: 'skipped' };

/** A full set of answers with sensible defaults, overridable per test. */
export function answers(over: Record<string, Answer> = {}): Record<string, Answer> {
  return {
    team: opt('growing'),
    clusters: num(3),
    nodes: num(20),
    variability: opt('seasonal'),
    provider_access: opt('yes'),
    compliance: opt('none'),
    provider: opt('eks'),
    provider_trust: opt('high'),
    access_mitigations: opt('strong'),
    access_lockdown: opt('yes'),
    ...over,
  };
}
