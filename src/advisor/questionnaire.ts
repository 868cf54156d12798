import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';

export const OUTCOMES = [
  'self_hosted_required',
  'self_hosted',
  'managed_with_safeguards',
  'managed',
] as const;
/** Ordered from least to most managed: the order the engine's monotonicity is stated in. */
export type Outcome = (typeof OUTCOMES)[number];
const outcome = z.enum(OUTCOMES);

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case id of letters, digits and _');
const text = z.string().trim().min(1);

/** What an answer contributes to the verdict. Shared by options, number bands and skipped questions. */
const effect = {
  lean: z.number().default(0),
  trust: z.number().default(0),
  force: z.literal('self_hosted_required').optional(),
  cap: outcome.optional(),
  reason: text.optional(),
};

const option = z.strictObject({ id, label: text.max(75), ...effect });

const band = z.strictObject({ min: z.number().int().min(1), ...effect });

const skipped = z.strictObject(effect);

const askWhen = z.record(id, z.array(z.string()).min(1));

const base = {
  id,
  prompt: text.max(500),
  /** A few words naming the question in running text ("if <short> were …"); defaults to the id. */
  short: text.max(60).optional(),
  help: text.max(500).optional(),
  ask_when: askWhen.optional(),
  skipped: skipped.optional(),
};

const choiceQuestion = z.strictObject({
  ...base,
  type: z.literal('choice'),
  options: z.array(option).min(2).max(10),
});

const numberQuestion = z.strictObject({
  ...base,
  type: z.literal('number'),
  unit: text,
  presets: z
    .array(z.strictObject({ value: z.number().int().min(1), label: text.max(75) }))
    .max(6)
    .default([]),
  bands: z
    .array(band)
    .min(1)
    .refine((bands) => bands[0]?.min === 1, 'the first band must start at min: 1')
    .refine(
      (bands) => bands.every((b, i) => i === 0 || b.min > (bands[i - 1]?.min ?? 0)),
      'bands must rise by min',
    )
    .refine(
      (bands) => bands.every((b, i) => i === 0 || b.lean >= (bands[i - 1]?.lean ?? 0)),
      'a larger number must never lean less toward managed than a smaller one',
    ),
});

const question = z.discriminatedUnion('type', [choiceQuestion, numberQuestion]);

const risk = z.strictObject({
  id,
  question: text.max(300),
  answered_by: id.optional(),
  concern: z.array(z.string()).default([]),
  notes: z.record(z.string(), text.max(300)).default({}),
});

export const questionnaireSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case id of letters, digits and -'),
    title: text.max(150),
    intro: text.max(1000),
    questions: z.array(question).min(1).max(20),
    scoring: z.strictObject({
      managed_at: z.number(),
      full_trust_at: z.number(),
      rule_out_at: z.number(),
      top_reasons: z.number().int().min(1).max(8).default(4),
    }),
    outcomes: z.strictObject({
      managed: z.strictObject({ title: text, emoji: text, summary: text.max(300) }),
      managed_with_safeguards: z.strictObject({ title: text, emoji: text, summary: text.max(300) }),
      self_hosted: z.strictObject({ title: text, emoji: text, summary: text.max(300) }),
      self_hosted_required: z.strictObject({ title: text, emoji: text, summary: text.max(300) }),
    }),
    small_team_warning: text.max(1000),
    responsibility: z.strictObject({
      provider_takes: z.array(text.max(300)).min(1),
      stays_yours: z.array(text.max(300)).min(1),
      self_hosted_takes_on: z.array(text.max(300)).min(1),
    }),
    risks: z.array(risk).max(12),
  })
  .superRefine((q, ctx) => {
    const seen = new Map<string, (typeof q.questions)[number]>();
    q.questions.forEach((question, i) => {
      if (seen.has(question.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'id'],
          message: `duplicate question id "${question.id}"`,
        });
      }
      for (const [dep, values] of Object.entries(question.ask_when ?? {})) {
        const target = seen.get(dep);
        if (!target) {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'ask_when', dep],
            message: `ask_when must name an earlier question; "${dep}" is not one`,
          });
        } else if (target.type === 'choice') {
          for (const v of values.filter((v) => !target.options.some((o) => o.id === v))) {
            ctx.addIssue({
              code: 'custom',
              path: ['questions', i, 'ask_when', dep],
              message: `"${v}" is not an option of "${dep}" (options: ${target.options.map((o) => o.id).join(', ')})`,
            });
          }
        }
      }
      if (question.type === 'choice') {
        const ids = question.options.map((o) => o.id);
        ids.forEach((oid, j) => {
          if (oid === 'skip' || ids.indexOf(oid) !== j) {
            ctx.addIssue({
              code: 'custom',
              path: ['questions', i, 'options', j, 'id'],
              message: oid === 'skip' ? '"skip" is reserved for skipping' : `duplicate option id "${oid}"`,
            });
          }
        });
      }
      seen.set(question.id, question);
    });
    q.risks.forEach((r, i) => {
      if (r.answered_by && !seen.has(r.answered_by)) {
        ctx.addIssue({
          code: 'custom',
          path: ['risks', i, 'answered_by'],
          message: `"${r.answered_by}" is not a question id`,
        });
      }
    });
    const { full_trust_at, rule_out_at } = q.scoring;
    if (!(rule_out_at < full_trust_at)) {
      ctx.addIssue({
        code: 'custom',
        path: ['scoring', 'rule_out_at'],
        message: 'must be below full_trust_at',
      });
    }
    // The rule from the seed: trust answered at its worst everywhere must rule out both managed outcomes.
    const worst = q.questions
      .filter((x) => x.type === 'choice' && x.options.some((o) => o.trust !== 0))
      .reduce((sum, x) => sum + Math.min(...(x.type === 'choice' ? x.options.map((o) => o.trust) : [0])), 0);
    if (worst > rule_out_at) {
      ctx.addIssue({
        code: 'custom',
        path: ['scoring', 'rule_out_at'],
        message: `the worst trust answers add up to ${worst}, above rule_out_at ${rule_out_at}; they must rule out managed`,
      });
    }
  });

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type Question = Questionnaire['questions'][number];
export type ChoiceQuestion = Extract<Question, { type: 'choice' }>;
export type NumberQuestion = Extract<Question, { type: 'number' }>;
export type Option = ChoiceQuestion['options'][number];
export type Effect = z.infer<typeof skipped>;
export type Risk = Questionnaire['risks'][number];

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
