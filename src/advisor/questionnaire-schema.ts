import { z } from 'zod';

export const OUTCOMES = [
  'self_hosted_required',
  'self_hosted',
  'managed_with_safeguards',
  'managed',
] as const;
/** Ordered from least to most managed: the order the engine's monotonicity is stated in. */
export type Outcome = (typeof OUTCOMES)[number];
export const outcomeSchema = z.enum(OUTCOMES);

export const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case id of letters, digits and _');
export const text = z.string().trim().min(1);

/**
 * A fact about a vendor or a project: worded by us, with the page it was checked against and when. A security
 * lead must be able to see where every claim about EKS, GKE, AKS or Kubernetes comes from and how fresh it is.
 */
export const fact = z.strictObject({
  /** A few words naming the fact, shown as the link to its source where space is short (the card). */
  title: text.max(60).optional(),
  text: text.max(400),
  source: z
    .string()
    .regex(/^https:\/\/[^\s/]+\.[^\s/]+\/\S*$/, 'an https URL of the page the fact was checked against'),
  checked: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'the date the fact was checked, as YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(d)), 'a real calendar date'),
});
export type Fact = z.infer<typeof fact>;

/** The two judgments the article makes apart: may a provider be trusted at all, and how much would it save. */
export const JUDGMENTS = ['need', 'acceptability', 'context'] as const;
export type Judgment = (typeof JUDGMENTS)[number];

/**
 * What an answer contributes. `need` feeds "how much would a provider take off the team"; the rest feed "is a
 * provider acceptable". Which of them a question may use is checked against its `judgment`.
 */
const effect = {
  need: z.number().min(0).default(0),
  /** A team a provider helps whatever the numbers say (the article: small or new teams lean managed). */
  favours_provider: z.boolean().default(false),
  trust: z.number().default(0),
  /** The answer leaves the provider's acceptability not yet known: a reason to find out, never a verdict. */
  unknown: z.boolean().default(false),
  /** Rules out any provider's privileged access: self-hosting is required. */
  rule_out: z.boolean().default(false),
  /** A provider is acceptable only once safeguards are in place. */
  safeguards: z.boolean().default(false),
  reason: text.max(300).optional(),
};
export const effectSchema = z.strictObject(effect);
export type Effect = z.infer<typeof effectSchema>;

const option = z.strictObject({
  id,
  label: text.max(75),
  /** Ids this option had in earlier questionnaire versions; stored answers using them read as this option. */
  formerly: z.array(id).default([]),
  /** Said on the card and in the ADR when this option is chosen (context questions). */
  note: text.max(600).optional(),
  /** Said instead of `note` when provider access is ruled out altogether. */
  required_note: text.max(600).optional(),
  ...effect,
});

const band = z.strictObject({ min: z.number().int().min(1), ...effect });

const askWhen = z.record(id, z.array(z.string()).min(1));

/** How to settle an unknown answer: a generic step, and vendor-specific ones with their sources. */
const findOut = z
  .record(id, z.union([text.max(400), z.array(fact).min(1).max(4)]))
  .refine((f) => typeof f.generic === 'string', 'needs a generic step (text) besides any provider steps')
  .refine(
    (f) => Object.entries(f).every(([k, v]) => (k === 'generic') === (typeof v === 'string')),
    'generic is text; each provider key holds a list of facts',
  );

const base = {
  id,
  judgment: z.enum(JUDGMENTS),
  prompt: text.max(500),
  /** A few words naming the question in running text ("if <short> were …"); defaults to the id. */
  short: text.max(60).optional(),
  help: text.max(500).optional(),
  ask_when: askWhen.optional(),
  /** Asked only when the verdict without this question is one of these (context questions only). */
  ask_when_outcome: z.array(outcomeSchema).min(1).optional(),
  skipped: effectSchema.optional(),
  find_out: findOut.optional(),
};

export const choiceQuestion = z.strictObject({
  ...base,
  type: z.literal('choice'),
  options: z.array(option).min(2).max(10),
});

export const numberQuestion = z.strictObject({
  ...base,
  type: z.literal('number'),
  unit: text,
  /** The singular of `unit` ("cluster"), for "1 cluster". */
  unit_one: text.optional(),
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
      (bands) => bands.every((b, i) => i === 0 || b.need >= (bands[i - 1]?.need ?? 0)),
      'a larger number must never mean less need for a provider than a smaller one',
    ),
});

export const questionSchema = z.discriminatedUnion('type', [choiceQuestion, numberQuestion]);

const risk = z.strictObject({
  id,
  /** A few words naming the risk on the card; the full question is in the decision record. */
  short: text.max(60),
  question: text.max(300),
  answered_by: id.optional(),
  /** Options of `answered_by` that make the risk a concern. */
  concern: z.array(z.string()).default([]),
  /** Shown only when these answers were given (same form as ask_when). */
  when: askWhen.optional(),
  /** What the named provider offers (or lacks) on this question, with its source. */
  notes: z.record(id, fact).default({}),
  /** What settles the question when no provider is named (a fact with its source where it makes a claim). */
  hint: z.union([fact, text.max(300)]).optional(),
});

const provider = z.strictObject({
  name: text.max(60),
  /** What to switch on or remove to contain the provider's access and the creator's admin rights. */
  controls: z.array(fact).min(1).max(12),
  /** Provider-specific lines of the shared-responsibility split: SLAs, node patching, backups, version skew. */
  responsibility: z.array(fact).max(8).default([]),
});

const middlePath = z.strictObject({
  id,
  title: text.max(100),
  text: text.max(500),
  /** Shown when any one of these answer sets matches (each in ask_when's form). */
  when_any: z.array(askWhen).min(1),
  examples: z.array(fact).min(1).max(6),
});

const labels = <K extends string>(keys: readonly K[], max: number) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, text.max(max)])) as Record<K, typeof text>);

export const ACCEPTABILITY = [
  'ruled_out',
  'unacceptable',
  'not_yet_known',
  'acceptable_with_safeguards',
  'acceptable',
] as const;
export type Acceptability = (typeof ACCEPTABILITY)[number];
export const NEED = ['low', 'moderate', 'high'] as const;
export type NeedLevel = (typeof NEED)[number];
export const EXPLANATIONS = [
  'ruled_out',
  'unacceptable',
  'little_need_doubtful_provider',
  'not_yet_known',
  'safeguards',
  'acceptable',
  'acceptable_little_need',
] as const;
export type Explanation = (typeof EXPLANATIONS)[number];

const outcomeText = z.strictObject({ title: text, emoji: text, summary: text.max(300) });

export const questionnaireShape = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case id of letters, digits and -'),
  /** Bumped whenever questions, options or scoring change; each assessment records the version it used. */
  version: z.number().int().min(1),
  title: text.max(150),
  intro: text.max(1000),
  questions: z.array(questionSchema).min(1).max(20),
  scoring: z.strictObject({
    /** Need at or above this: a provider takes real work off the team. */
    need_favours_at: z.number(),
    /** Need at or above this: a provider takes a great deal off the team. */
    need_high_at: z.number(),
    /** Trust at or below this: the provider's access is unacceptable. */
    unacceptable_at: z.number(),
    /**
     * Trust below this (unknowns counting as middling answers) is doubt: with little for a provider to take off,
     * doubt tips the verdict to running it yourselves.
     */
    doubtful_below: z.number(),
    /** Trust at or above this, with nothing unknown: acceptable without reservations. */
    acceptable_at: z.number(),
    top_reasons: z.number().int().min(1).max(8).default(4),
  }),
  judgments: z.strictObject({
    acceptability: z.strictObject({ title: text.max(80), levels: labels(ACCEPTABILITY, 80) }),
    need: z.strictObject({ title: text.max(80), levels: labels(NEED, 80) }),
    /** Why the verdict came out as it did, one line per situation. */
    explanations: labels(EXPLANATIONS, 400),
  }),
  outcomes: z.strictObject({
    managed: outcomeText,
    managed_with_safeguards: outcomeText,
    self_hosted: outcomeText,
    self_hosted_required: outcomeText,
  }),
  small_team_warning: text.max(1000),
  /** The generic checklist, when no provider is named. */
  generic_controls: z.array(text.max(300)).min(1).max(10),
  providers: z.record(id, provider),
  middle_paths: z.array(middlePath).max(8).default([]),
  hardened_distributions: z.array(fact).min(1).max(8),
  responsibility: z.strictObject({
    managed: z.strictObject({
      provider_takes: z.array(text.max(300)).min(1),
      stays_yours: z.array(text.max(300)).min(1),
    }),
    self_hosted: z.strictObject({
      you_take_on: z.array(text.max(300)).min(1),
      stays_yours: z.array(text.max(300)).min(1),
    }),
  }),
  risks: z.strictObject({
    /** Questions about trusting the provider: the register of managed verdicts. */
    provider: z.array(risk).max(12),
    /** Risks of running it yourselves: the register of self-hosted verdicts. */
    self_hosted: z.array(risk).max(12),
  }),
});
