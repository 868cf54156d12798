import { decideWith } from './evidence.js';
import { explain } from './explain.js';
import { findingsOf } from './findings.js';
import { uuidv7 } from './ids.js';
import type { AssessmentStore, SaveResult } from './ports/assessments.js';
import { type Outcome, type Question, type Questionnaire, questionById } from './questionnaire.js';
import { type Recommendation, recommend } from './recommend.js';
import { parseCommand, parseReply } from './reply.js';
import {
  type Answer,
  answerQuestion,
  currentQuestion,
  describeAnswer,
  goBack,
  newSession,
  progress,
  type Result,
  reopen,
  restart,
  type Session,
  type SessionKey,
} from './session.js';
import { type Answered, type Step, showStep, type Thread } from './steps.js';
import { DEFAULT_IDLE_MS, msToDays } from './time.js';
import { upgradeSession } from './upgrade.js';

export interface AdvisorService {
  readonly questionnaire: Questionnaire;
  /** Records an idempotency key once in a workspace; false when it was recorded there before. */
  claim(key: string, teamId: string): Promise<boolean>;
  start(key: SessionKey, idempotencyKey?: string): Promise<Step>;
  answer(at: Thread, questionId: string, optionId: string, idempotencyKey?: string): Promise<Step>;
  reply(at: Thread, text: string, idempotencyKey?: string): Promise<Step>;
  back(at: Thread, idempotencyKey?: string): Promise<Step>;
  restart(at: Thread, idempotencyKey?: string): Promise<Step>;
  reopen(at: Thread, questionId: string, idempotencyKey?: string): Promise<Step>;
  /** The current state of the caller's assessment in this thread, as a step to re-show. */
  view(at: Thread): Promise<Step>;
  /** Records whether the step's question or card reached the user. */
  delivered(session: Session, outcome: 'shown' | 'failed'): Promise<void>;
  recommend(session: Session): Recommendation;
}

/** Told when assessments start and finish, for metrics; the core stays free of any metrics library. */
export interface ServiceObserver {
  started(): void;
  completed(outcome: Outcome): void;
}

export interface ServiceOptions {
  store: AssessmentStore;
  questionnaire: Questionnaire;
  now?: () => number;
  newId?: () => string;
  /** An active assessment untouched this long has expired; its owner is offered a restart. Default 14 days. */
  idleMs?: number;
  observer?: ServiceObserver;
}

const MAX_ATTEMPTS = 3;
/** Longer than the Web API client's timeout and retries together. */
const DELIVERY_GRACE_MS = 60_000;
const REDELIVERED =
  'Slack did not deliver this question when it was first sent, so here it is. Your last message was not taken as an answer.';

type Applied = Result<{ session: Session; answered?: Answered }> | Step;

/** The assessment use cases: load, apply a pure session change, save, and say what to show next. */
export function createAdvisorService({
  store,
  questionnaire: q,
  now = Date.now,
  newId = uuidv7,
  idleMs = DEFAULT_IDLE_MS,
  observer,
}: ServiceOptions): AdvisorService {
  const outcomeOf = (s: Session) => decideWith(q, s.answers, s.evidence).outcome;

  /** Finds the caller's assessment in a thread, or says whose it is. */
  const locate = async (at: Thread): Promise<Session | Step> => {
    // Most often it is the caller's own: one lookup by the full key, without listing the thread.
    const own = await store.get(at);
    if (own) return upgradeSession(q, own);
    const owner = (await store.byThread(at.teamId, at.channelId, at.threadTs))[0];
    return owner ? { kind: 'not_owner', ownerId: owner.userId } : { kind: 'not_ours' };
  };

  /**
   * The question or card of the current version never reached the user: Slack refused it after every retry, or
   * nothing was heard of it for longer than any retry takes (the replica posting it died). A prompt merely still
   * in flight is neither, so a quick second click does not post it twice.
   */
  const undelivered = (s: Session) =>
    s.shownVersion < s.version && (s.failedVersion === s.version || now() - s.updatedAt > DELIVERY_GRACE_MS);

  /**
   * Load, apply, save with optimistic concurrency; on a lost race reload and apply again, so a change made
   * meanwhile (another replica, a double click) is seen rather than overwritten.
   */
  const transition = async (
    at: Thread,
    key: string | undefined,
    apply: (s: Session) => Applied,
    { fresh = false } = {},
  ): Promise<Step> => {
    // A step that changes nothing still claims its key, so a retried delivery does not say it twice.
    const once = async (step: Step): Promise<Step> =>
      key && step.kind !== 'not_ours' && !(await store.claim(key, at.teamId)) ? { kind: 'duplicate' } : step;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const found = await locate(at);
      if ('kind' in found) return once(found);
      // A restart starts afresh: neither expiry nor an undelivered question stands in its way.
      if (!fresh && found.status === 'active' && now() - found.updatedAt > idleMs) {
        return once({ kind: 'expired', session: found, idleDays: msToDays(idleMs) });
      }
      if (!fresh && undelivered(found)) return once(showStep(q, found, undefined, REDELIVERED));
      const applied = apply(found);
      if ('kind' in applied) return once(applied);
      if (!applied.ok) return once(explain(q, found, applied.error));
      const next = applied.value.session;
      // Findings change only when an assessment completes or leaves completion (restart, back, reopen).
      const findings =
        found.status === 'active' && next.status === 'active' ? undefined : findingsOf(q, next);
      const saved: SaveResult = await store.save(next, key, findings);
      if (saved.status === 'duplicate') return { kind: 'duplicate' };
      if (saved.status === 'saved') {
        if (found.status === 'active' && saved.session.outcome) observer?.completed(saved.session.outcome);
        return showStep(q, saved.session, applied.value.answered);
      }
    }
    return {
      kind: 'rejected',
      session: (await locate(at)) as Session,
      message: 'Too many changes at once; try again.',
    };
  };

  const applyAnswer = (s: Session, questionId: string, answer: Answer): Applied => {
    const result = answerQuestion(q, s, questionId, answer, now(), outcomeOf);
    if (!result.ok) return result;
    const question = questionById(q, questionId);
    const answered = question && { question, label: describeAnswer(question, answer) };
    return { ok: true, value: { session: result.value, ...(answered && { answered }) } };
  };

  const back = (s: Session) => wrap(goBack(q, s, now(), outcomeOf));

  const restartAt = (at: Thread, key?: string) =>
    transition(at, key, (s) => ({ ok: true, value: { session: restart(s, now()) } }), { fresh: true });

  return {
    questionnaire: q,
    recommend: (s) => recommend(q, s),
    claim: (key, teamId) => store.claim(key, teamId),

    async start(key, idempotencyKey) {
      const session = newSession(key, q, newId(), now());
      const saved = await store.insert(session, idempotencyKey);
      if (saved.status === 'duplicate') return { kind: 'duplicate' };
      if (saved.status === 'conflict') {
        const existing = await store.get(key);
        return existing ? showStep(q, existing) : { kind: 'duplicate' };
      }
      observer?.started();
      return showStep(q, saved.session);
    },

    answer(at, questionId, optionId, idempotencyKey) {
      return transition(at, idempotencyKey, (s) => {
        const question = questionById(q, questionId);
        if (!question) return explain(q, s, { code: 'unknown_question', questionId });
        return applyAnswer(s, questionId, clickedAnswer(question, optionId));
      });
    },

    reply(at, text, idempotencyKey) {
      const command = parseCommand(text);
      // Restart must work on an expired assessment too: it is the way out that the expiry notice offers.
      if (command === 'restart') return restartAt(at, idempotencyKey);
      return transition(at, idempotencyKey, (s) => {
        if (command === 'back') return back(s);
        const question = currentQuestion(q, s);
        // Once the card is out only commands make sense; chatter in the thread is left alone.
        if (!question) return { kind: 'ignored' };
        const reply = parseReply(question, text);
        if (reply.kind === 'answer') return applyAnswer(s, question.id, reply.answer);
        if (reply.kind === 'invalid') {
          return { kind: 'invalid', session: s, question, progress: progress(q, s), message: reply.message };
        }
        // parseReply knows the same commands as parseCommand, so these were taken above.
        return reply.kind === 'back' ? back(s) : { ok: true, value: { session: restart(s, now()) } };
      });
    },

    back(at, idempotencyKey) {
      return transition(at, idempotencyKey, back);
    },

    restart: restartAt,

    reopen(at, questionId, idempotencyKey) {
      return transition(at, idempotencyKey, (s) => wrap(reopen(q, s, questionId, now(), outcomeOf)));
    },

    delivered: (s, outcome) => store.markDelivery(s.id, s.version, outcome),

    async view(at) {
      const found = await locate(at);
      return 'kind' in found ? found : showStep(q, found);
    },
  };
}

/** A button's value as an answer; a preset button keeps the preset's words. */
function clickedAnswer(question: Question, value: string): Answer {
  if (value === 'skip') return { kind: 'skipped' };
  if (question.type !== 'number') return { kind: 'option', optionId: value };
  const number = Number(value);
  const preset = question.presets.find((p) => p.value === number);
  return { kind: 'number', value: number, ...(preset && { label: preset.label }) };
}

const wrap = (r: Result<Session>): Result<{ session: Session }> =>
  r.ok ? { ok: true, value: { session: r.value } } : r;
