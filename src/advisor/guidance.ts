import type { Answer } from './answer.js';
import { answersMatch } from './applicable.js';
import type { Decision } from './decide.js';
import { type Fact, type MiddlePath, optionOf, type Questionnaire, questionById } from './questionnaire.js';
import { isManaged, namedProvider } from './risks.js';

/** A question whose answer is not yet known, with how to settle it on the provider the team named. */
export interface FindOut {
  questionId: string;
  short: string;
  steps: (Fact | { text: string })[];
}

export interface Controls {
  /** The provider's name, or undefined for the generic list. */
  provider?: string;
  /** `switch_on` before committing (safeguards), or `keep_on` once acceptable. */
  mode: 'switch_on' | 'keep_on';
  items: (Fact | { text: string })[];
}

/** Everything beyond the verdict that tells a team what to do next. Pure, from the answers and the decision. */
export interface Guidance {
  findOut: FindOut[];
  controls?: Controls;
  middlePaths: MiddlePath[];
  /** Hardened distributions to start from: on every self-hosted verdict. */
  distributions: Fact[];
  /** What the chosen place to run it means, e.g. that the same cloud still holds the infrastructure. */
  siteNote?: string;
}

const SITE_QUESTION = 'self_host_site';

function findOut(q: Questionnaire, answers: Record<string, Answer>, decision: Decision): FindOut[] {
  const level = decision.acceptability.level;
  if (level === 'ruled_out' || level === 'unacceptable') return [];
  const provider = namedProvider(q, answers);
  return decision.acceptability.unknowns.flatMap((questionId) => {
    const question = questionById(q, questionId);
    if (!question?.find_out) return [];
    const vendor = provider ? question.find_out[provider] : undefined;
    const generic = question.find_out.generic;
    const steps = Array.isArray(vendor) ? vendor : [{ text: typeof generic === 'string' ? generic : '' }];
    return [{ questionId, short: question.short ?? questionId, steps }];
  });
}

function controls(
  q: Questionnaire,
  answers: Record<string, Answer>,
  decision: Decision,
): Controls | undefined {
  if (!isManaged(decision.outcome)) return undefined;
  const mode = decision.outcome === 'managed' ? 'keep_on' : 'switch_on';
  const id = namedProvider(q, answers);
  const provider = id ? q.providers[id] : undefined;
  if (provider) return { provider: provider.name, mode, items: provider.controls };
  return { mode, items: q.generic_controls.map((text) => ({ text })) };
}

function siteNote(q: Questionnaire, answers: Record<string, Answer>, decision: Decision): string | undefined {
  if (isManaged(decision.outcome)) return undefined;
  const question = questionById(q, SITE_QUESTION);
  const answer = answers[SITE_QUESTION];
  if (!question || answer?.kind !== 'option') return undefined;
  const option = optionOf(question, answer.optionId);
  if (decision.outcome === 'self_hosted_required' && option?.required_note) return option.required_note;
  return option?.note;
}

export function guidance(q: Questionnaire, answers: Record<string, Answer>, decision: Decision): Guidance {
  const note = siteNote(q, answers, decision);
  return {
    findOut: findOut(q, answers, decision),
    ...(isManaged(decision.outcome) && { controls: controls(q, answers, decision) }),
    middlePaths: q.middle_paths.filter((m) =>
      m.when_any.some((sets) => answersMatch(sets, answers, { unknownMatches: false })),
    ),
    distributions: isManaged(decision.outcome) ? [] : q.hardened_distributions,
    ...(note && { siteNote: note }),
  };
}
