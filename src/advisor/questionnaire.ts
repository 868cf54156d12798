import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Effect, type Judgment, questionnaireShape } from './questionnaire-schema.js';

export {
  ACCEPTABILITY,
  type Acceptability,
  type Effect,
  type Explanation,
  type Fact,
  type Judgment,
  NEED,
  type NeedLevel,
  OUTCOMES,
  type Outcome,
} from './questionnaire-schema.js';

/** The question whose answer names the provider; it tailors checklists and notes, never the verdict. */
export const PROVIDER_QUESTION = 'provider';

type Shape = z.infer<typeof questionnaireShape>;
type Ctx = z.RefinementCtx;
type AnyQuestion = Shape['questions'][number];

/** Which effect fields each judgment may use, so the two judgments cannot leak into each other through the data. */
const ALLOWED: Record<Judgment, (keyof Effect)[]> = {
  need: ['need', 'favours_provider'],
  acceptability: ['trust', 'unknown', 'rule_out', 'safeguards'],
  context: [],
};
const NEUTRAL_EFFECT: Effect = {
  need: 0,
  favours_provider: false,
  trust: 0,
  unknown: false,
  rule_out: false,
  safeguards: false,
};

function checkEffects(question: AnyQuestion, i: number, ctx: Ctx) {
  const effects: [PropertyKey[], Effect | undefined][] = [
    [['skipped'], question.skipped],
    ...(question.type === 'choice'
      ? question.options.map((o, j): [PropertyKey[], Effect] => [['options', j], o])
      : question.bands.map((b, j): [PropertyKey[], Effect] => [['bands', j], b])),
  ];
  const article = question.judgment === 'acceptability' ? 'an' : 'a';
  for (const [where, effect] of effects) {
    if (!effect) continue;
    for (const key of Object.keys(NEUTRAL_EFFECT) as (keyof Effect)[]) {
      if (effect[key] !== NEUTRAL_EFFECT[key] && !ALLOWED[question.judgment].includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, ...where, key],
          message: `${article} ${question.judgment} question may not set "${key}" (allowed: ${ALLOWED[question.judgment].join(', ') || 'none'})`,
        });
      }
    }
  }
  if (question.ask_when_outcome && question.judgment !== 'context') {
    ctx.addIssue({
      code: 'custom',
      path: ['questions', i, 'ask_when_outcome'],
      message: 'only a context question may depend on the verdict, or the verdict would depend on itself',
    });
  }
}

function checkAnswerSets(
  sets: Record<string, string[]>,
  seen: Map<string, AnyQuestion>,
  path: PropertyKey[],
  ctx: Ctx,
) {
  for (const [dep, values] of Object.entries(sets)) {
    const target = seen.get(dep);
    if (!target) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, dep],
        message: `must name an earlier question; "${dep}" is not one`,
      });
    } else if (target.type === 'choice') {
      for (const v of values.filter((v) => !target.options.some((o) => o.id === v))) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, dep],
          message: `"${v}" is not an option of "${dep}" (options: ${target.options.map((o) => o.id).join(', ')})`,
        });
      }
    }
  }
}

function checkQuestions(q: Shape, ctx: Ctx): Map<string, AnyQuestion> {
  const seen = new Map<string, AnyQuestion>();
  q.questions.forEach((question, i) => {
    if (seen.has(question.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['questions', i, 'id'],
        message: `duplicate question id "${question.id}"`,
      });
    }
    checkAnswerSets(question.ask_when ?? {}, seen, ['questions', i, 'ask_when'], ctx);
    checkEffects(question, i, ctx);
    if (question.type === 'choice') {
      const ids = question.options.flatMap((o) => [o.id, ...o.formerly]);
      ids.forEach((oid, j) => {
        if (oid === 'skip' || ids.indexOf(oid) !== j) {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'options'],
            message: oid === 'skip' ? '"skip" is reserved for skipping' : `duplicate option id "${oid}"`,
          });
        }
      });
    }
    for (const key of Object.keys(question.find_out ?? {}).filter((k) => k !== 'generic')) {
      if (!(key in q.providers)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'find_out', key],
          message: `"${key}" is not a provider listed under providers`,
        });
      }
    }
    seen.set(question.id, question);
  });
  return seen;
}

function checkRisks(q: Shape, seen: Map<string, AnyQuestion>, ctx: Ctx) {
  const ids = new Set<string>();
  for (const register of ['provider', 'self_hosted'] as const) {
    q.risks[register].forEach((r, i) => {
      const path = ['risks', register, i];
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path, message: `duplicate risk id "${r.id}"` });
      ids.add(r.id);
      if (r.answered_by && !seen.has(r.answered_by)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'answered_by'],
          message: `"${r.answered_by}" is not a question id`,
        });
      }
      if (r.answered_by) checkAnswerSets({ [r.answered_by]: r.concern }, seen, [...path, 'concern'], ctx);
      checkAnswerSets(r.when ?? {}, seen, [...path, 'when'], ctx);
      for (const key of Object.keys(r.notes).filter((k) => !(k in q.providers))) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'notes', key],
          message: `"${key}" is not a provider listed under providers`,
        });
      }
    });
  }
}

function checkScoring(q: Shape, ctx: Ctx) {
  const { unacceptable_at, doubtful_below, acceptable_at, need_favours_at, need_high_at } = q.scoring;
  if (!(unacceptable_at < doubtful_below && doubtful_below <= acceptable_at)) {
    ctx.addIssue({
      code: 'custom',
      path: ['scoring', 'doubtful_below'],
      message: 'must lie between unacceptable_at (exclusive) and acceptable_at (inclusive)',
    });
  }
  if (!(need_favours_at <= need_high_at)) {
    ctx.addIssue({
      code: 'custom',
      path: ['scoring', 'need_favours_at'],
      message: 'must not be above need_high_at',
    });
  }
  // The rule from the seed: trust answered at its worst everywhere must make a provider unacceptable.
  const worst = q.questions
    .filter((x) => x.type === 'choice' && x.judgment === 'acceptability')
    .reduce((sum, x) => sum + Math.min(0, ...(x.type === 'choice' ? x.options.map((o) => o.trust) : [0])), 0);
  if (worst > unacceptable_at) {
    ctx.addIssue({
      code: 'custom',
      path: ['scoring', 'unacceptable_at'],
      message: `the worst trust answers add up to ${worst}, above unacceptable_at ${unacceptable_at}; they must make a provider unacceptable`,
    });
  }
}

export const questionnaireSchema = questionnaireShape.superRefine((q, ctx) => {
  const seen = checkQuestions(q, ctx);
  checkRisks(q, seen, ctx);
  checkScoring(q, ctx);
  const providerQuestion = seen.get(PROVIDER_QUESTION);
  for (const key of Object.keys(q.providers)) {
    if (providerQuestion?.type !== 'choice' || !providerQuestion.options.some((o) => o.id === key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['providers', key],
        message: `"${key}" must be an option of the "${PROVIDER_QUESTION}" question`,
      });
    }
  }
  q.middle_paths.forEach((m, i) => {
    m.when_any.forEach((sets, j) => {
      checkAnswerSets(sets, seen, ['middle_paths', i, 'when_any', j], ctx);
    });
  });
});

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type Question = Questionnaire['questions'][number];
export type ChoiceQuestion = Extract<Question, { type: 'choice' }>;
export type NumberQuestion = Extract<Question, { type: 'number' }>;
export type Option = ChoiceQuestion['options'][number];
export type Risk = Questionnaire['risks']['provider'][number];
export type MiddlePath = Questionnaire['middle_paths'][number];

/** A questionnaire file that cannot be used, with every problem named by file, field path and expectation. */
export class QuestionnaireError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid questionnaire:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'QuestionnaireError';
  }
}

function formatPath(path: readonly PropertyKey[], doc: unknown): string {
  // Name questions by their id rather than their index: "questions[team].options[1].label" reads better.
  let node = doc as Record<PropertyKey, unknown> | undefined;
  return path.reduce<string>((acc, key) => {
    const child = node?.[key] as Record<string, unknown> | undefined;
    const named = typeof key === 'number' && typeof child?.id === 'string' ? `[${child.id}]` : undefined;
    node = child;
    if (typeof key === 'number') return `${acc}${named ?? `[${key}]`}`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

export function parseQuestionnaire(source: string, file: string): Questionnaire {
  const doc = parseDocument(source, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new QuestionnaireError(
      file,
      doc.errors.map(
        (e) => `YAML syntax: ${e.message.split('\n')[0]} (fix the indentation or quoting there)`,
      ),
    );
  }
  const data = doc.toJS();
  const parsed = questionnaireSchema.safeParse(data);
  if (!parsed.success) {
    throw new QuestionnaireError(
      file,
      parsed.error.issues.map((i) => `${formatPath(i.path, data) || '(top level)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

export function loadQuestionnaire(file: string): Questionnaire {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new QuestionnaireError(file, [`cannot read the file (${(error as NodeJS.ErrnoException).code})`]);
  }
  return parseQuestionnaire(source, file);
}

export function questionById(q: Questionnaire, questionId: string): Question | undefined {
  return q.questions.find((x) => x.id === questionId);
}

/** The option an answer names, by its current id or one it had in an earlier questionnaire version. */
export function optionOf(question: Question, optionId: string): Option | undefined {
  if (question.type !== 'choice') return undefined;
  return question.options.find((o) => o.id === optionId || o.formerly.includes(optionId));
}

export const NEUTRAL: Effect = NEUTRAL_EFFECT;
