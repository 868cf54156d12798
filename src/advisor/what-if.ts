import { type Answer, describeAnswer } from './answer.js';
import { decide, rank } from './decide.js';
import {
  type NumberQuestion,
  type Outcome,
  type Question,
  type Questionnaire,
  questionById,
} from './questionnaire.js';
import { applicableQuestions } from './session.js';

export interface Change {
  questionId: string;
  /** The changed answer, as the user would have given it. */
  answer: Answer;
  label: string;
}

/** A change of one answer, or of several together (`also`), and the verdict it would give. */
export interface Flip extends Change {
  also?: Change[];
  outcome: Outcome;
}

/** The most trusting honest answer to a question (never "we do not know"). */
function bestAnswer(question: Question): Answer | undefined {
  if (question.type !== 'choice') return undefined;
  const honest = question.options.filter((o) => !o.unknown);
  const best = honest.reduce<(typeof honest)[number] | undefined>(
    (a, o) => (!a || o.trust > a.trust ? o : a),
    undefined,
  );
  return best && { kind: 'option', optionId: best.id };
}

/**
 * When several answers are not known yet, no single change may lift the verdict, yet settling them together would:
 * that is the change worth naming first.
 */
function settlingUnknowns(
  q: Questionnaire,
  answers: Record<string, Answer>,
  base: Outcome,
): Flip | undefined {
  const { unknowns, level } = decide(q, answers).acceptability;
  if (level !== 'not_yet_known' || unknowns.length < 2) return undefined;
  const changes: Change[] = [];
  for (const id of unknowns) {
    const question = questionById(q, id);
    const answer = question && bestAnswer(question);
    if (!question || !answer) return undefined;
    changes.push({ questionId: id, answer, label: describeAnswer(question, answer) });
  }
  const settled = { ...answers, ...Object.fromEntries(changes.map((c) => [c.questionId, c.answer])) };
  const outcome = decide(q, settled).outcome;
  const [first, ...also] = changes;
  return first && rank(outcome) > rank(base) ? { ...first, also, outcome } : undefined;
}

/** A band's range in words ("6 to 15", "16 or more"), or the preset the questionnaire offers inside it. */
function bandAnswer(question: NumberQuestion, i: number): Answer {
  const min = question.bands[i]?.min ?? 1;
  const next = question.bands[i + 1]?.min;
  const preset = question.presets.find((p) => p.value >= min && (next === undefined || p.value < next));
  if (preset) return { kind: 'number', value: preset.value, label: preset.label };
  const label =
    next === undefined ? `${min} or more` : next - 1 === min ? String(min) : `${min} to ${next - 1}`;
  return { kind: 'number', value: min, label };
}

/** The answers worth trying instead of the given one: every other option, or one answer from each other band. */
function alternatives(question: Question, current: Answer | undefined): Answer[] {
  if (question.type === 'choice') {
    return question.options
      .filter((o) => !(current?.kind === 'option' && current.optionId === o.id))
      .map((o) => ({ kind: 'option', optionId: o.id }));
  }
  const value = current?.kind === 'number' ? current.value : undefined;
  const bandOf = (v: number) => question.bands.filter((b) => b.min <= v).length - 1;
  return question.bands
    .map((_, i) => i)
    .filter((i) => value === undefined || i !== bandOf(value))
    .map((i) => bandAnswer(question, i));
}

/**
 * Which single changed answer would flip the verdict. When doubts about the provider are what hold the verdict
 * back, changes to the trust and control answers come first: settling them is the team's next step. Pure, like
 * decide: it only re-runs the engine with one answer changed at a time.
 */
export function whatIf(q: Questionnaire, answers: Record<string, Answer>, limit = 3): Flip[] {
  const decision = decide(q, answers);
  const base = decision.outcome;
  const heldBack = base !== 'managed' && decision.acceptability.level !== 'acceptable';
  const flips: (Flip & { first: number; distance: number })[] = [];
  for (const question of applicableQuestions(q, answers)) {
    if (question.judgment === 'context') continue;
    for (const alt of alternatives(question, answers[question.id])) {
      const outcome = decide(q, { ...answers, [question.id]: alt }).outcome;
      if (outcome === base) continue;
      if (flips.some((f) => f.questionId === question.id && f.outcome === outcome)) continue;
      // One line per question and outcome: the first (nearest) alternative that gets there says enough.
      // Settling the provider's answers is the team's next step when they hold the verdict back: those first,
      // the ones that would lift the verdict before the ones that would lower it.
      const onProvider = heldBack && question.judgment === 'acceptability';
      flips.push({
        questionId: question.id,
        answer: alt,
        label: describeAnswer(question, alt),
        outcome,
        first: onProvider ? (rank(outcome) > rank(base) ? 0 : 1) : 2,
        distance: Math.abs(rank(outcome) - rank(base)),
      });
    }
  }
  const singles = flips
    .sort((a, b) => a.first - b.first || a.distance - b.distance)
    .map(({ first: _f, distance: _d, ...flip }) => flip);
  const together = settlingUnknowns(q, answers, base);
  const lifted = together && singles.some((f) => f.outcome === together.outcome);
  return (together && !lifted ? [together, ...singles] : singles).slice(0, limit);
}

/** "If A were x and B were y": the condition of a flip, each answer quoted as the caller renders it. */
export function flipCondition(q: Questionnaire, f: Flip, quote: (label: string) => string): string {
  const parts = [f, ...(f.also ?? [])].map(
    (c) => `${questionById(q, c.questionId)?.short ?? c.questionId} were ${quote(c.label)}`,
  );
  return `If ${parts.join(' and ')}`;
}
