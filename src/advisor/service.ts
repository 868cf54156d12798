import { clickedAnswer } from './answer.js';
import { decideWith } from './evidence.js';
import { explain } from './explain.js';
import { findingsOf } from './findings.js';
import { uuidv7 } from './ids.js';
import type { AssessmentStore, SaveResult } from './ports/assessments.js';
import type { Envelope } from './ports/outbox.js';
import { type Outcome, type Questionnaire, questionById } from './questionnaire.js';
import { type Recommendation, recommend } from './recommend.js';
import { parseCommand, parseReply } from './reply.js';
import { restartOf } from './restarting.js';
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
import {
  type Answered,
  type Origin,
  type Planner,
  type Step,
  showStep,
  supersedes,
  superseding,
  type Thread,
} from './steps.js';
import { DEFAULT_IDLE_MS, msToDays } from './time.js';
import { holdUnseen } from './unseen.js';
import { upgradeSession } from './upgrade.js';

export interface AdvisorService {
  readonly questionnaire: Questionnaire;
  /**
   * Records an idempotency key once in a workspace, with the outbox calls it brings (committed only when the key
   * is new); false when it was recorded there before.
   */
  claim(key: string, teamId: string, outbox?: Envelope[]): Promise<boolean>;
  start(key: SessionKey, idempotencyKey?: string): Promise<Step>;
  answer(at: Origin, questionId: string, optionId: string, idempotencyKey?: string): Promise<Step>;
  reply(at: Origin, text: string, idempotencyKey?: string): Promise<Step>;
  back(at: Origin, idempotencyKey?: string): Promise<Step>;
  /**
   * Starts the caller's assessment in this thread over. A finished one asks first (a `confirm_restart` step);
   * `confirmed`, its decision is kept as history and a new assessment starts in the thread. A confirmation that
   * no longer applies (clicked twice, or the assessment already started again) restarts nothing and says so.
   */
  restart(at: Origin, idempotencyKey?: string, opts?: { confirmed?: boolean }): Promise<Step>;
  reopen(at: Origin, questionId: string, idempotencyKey?: string): Promise<Step>;
  /** The current state of the caller's assessment in this thread, as a step to re-show; changes nothing. */
  view(at: Thread): Promise<Step>;
  /**
   * Commits what showing `step` takes (its outbox calls) with `key` claimed: false when the key was seen before.
   * For steps that change no state, such as a card's button re-showing where an assessment stands.
   */
  show(step: Step, at: Origin, key: string): Promise<boolean>;
  recommend(session: Session): Recommendation;
  /** An assessment by its id with its recommendation, for work queued on its behalf (an ADR upload). */
  find(id: string): Promise<{ session: Session; recommendation: Recommendation } | undefined>;
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
  /** The calls each step needs; none without it (tests of the core alone). */
  plan?: Planner;
  /**
   * Whether the question an assessment waits on is still waiting to be posted. A typed reply that arrives while
   * it is is not taken as an answer: its author cannot have seen the question it would answer.
   */
  unseen?: (session: Session, questionId: string) => Promise<boolean>;
}

const MAX_ATTEMPTS = 3;

/**
 * A use case's change: the session as it will be saved, or a step when nothing is to be saved. `replaces` says
 * the session is a new assessment that takes the found one's place, which is kept as history (a restart of a
 * finished assessment).
 */
type Applied = Result<{ session: Session; answered?: Answered; note?: string; replaces?: boolean }> | Step;

/** The assessment use cases: load, apply a pure session change, save, and say what to show next. */
export function createAdvisorService({
  store,
  questionnaire: q,
  now = Date.now,
  newId = uuidv7,
  idleMs = DEFAULT_IDLE_MS,
  observer,
  plan = () => [],
  unseen,
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

  /** Claims `key` with the calls `step` needs; a step nothing is owed for (not ours, a duplicate) claims nothing. */
  const commit = async (step: Step, at: Origin, key: string | undefined): Promise<Step> => {
    if (step.kind === 'not_ours' || step.kind === 'duplicate' || step.kind === 'ignored') {
      // Still claimed, so a retried delivery of chatter is not looked at twice.
      return key && step.kind === 'ignored' && !(await store.claim(key, at.teamId))
        ? { kind: 'duplicate' }
        : step;
    }
    const calls = plan(step, at);
    if (!key && calls.length === 0) return step;
    // Without a key of its own the calls still need a transaction; a fresh id serves as a key no retry repeats.
    return (await store.claim(key ?? `once:${newId()}`, at.teamId, calls)) ? step : { kind: 'duplicate' };
  };

  /**
   * Load, apply, save with optimistic concurrency; on a lost race reload and apply again, so a change made
   * meanwhile (another replica, a double click) is seen rather than overwritten.
   */
  const transition = async (
    at: Origin,
    key: string | undefined,
    apply: (s: Session) => Applied,
    { fresh = false, hold }: { fresh?: boolean; hold?: (s: Session) => Promise<Step | undefined> } = {},
  ): Promise<Step> => {
    // A step that changes nothing still claims its key, so a retried delivery does not say it twice.
    const once = (step: Step) => commit(step, at, key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const found = await locate(at);
      if ('kind' in found) return once(found);
      // A restart starts afresh: expiry does not stand in its way.
      if (!fresh && found.status === 'active' && now() - found.updatedAt > idleMs) {
        return once({ kind: 'expired', session: found, idleDays: msToDays(idleMs) });
      }
      const held = hold && (await hold(found));
      if (held) return once(held);
      const applied = apply(found);
      if ('kind' in applied) return once(applied);
      if (!applied.ok) return once(explain(q, found, applied.error));
      const { session: next, replaces = false, answered, note } = applied.value;
      // Findings change only when an assessment completes or leaves completion (restart, back, reopen).
      const findings =
        found.status === 'active' && next.status === 'active' ? undefined : findingsOf(q, next);
      // The step as it will stand once saved (a save bumps the version, an insert does not), so its calls commit
      // with the change; it names the verdict it replaces, whose card is then marked superseded.
      const shown = showStep(q, replaces ? next : { ...next, version: next.version + 1 }, answered, note);
      const by = replaces ? 'restart' : 'change';
      const step = superseding(shown, supersedes(found, next, by, next.updatedAt));
      const calls = plan(step, at);
      const saved: SaveResult = replaces
        ? await store.archive(found, next, key, calls)
        : await store.save(next, key, findings, calls);
      if (saved.status === 'duplicate') return { kind: 'duplicate' };
      if (saved.status === 'saved') {
        if (replaces) observer?.started();
        else if (found.status === 'active' && saved.session.outcome)
          observer?.completed(saved.session.outcome);
        return step;
      }
    }
    return {
      kind: 'rejected',
      session: (await locate(at)) as Session,
      message: 'Too many changes at once; try again.',
    };
  };

  const applyAnswer = (s: Session, questionId: string, answer: Answer, readAs?: string): Applied => {
    const result = answerQuestion(q, s, questionId, answer, now(), outcomeOf);
    if (!result.ok) return result;
    const question = questionById(q, questionId);
    const answered = question && {
      question,
      label: describeAnswer(question, answer),
      ...(readAs && { readAs }),
    };
    return { ok: true, value: { session: result.value, ...(answered && { answered }) } };
  };

  const back = (s: Session) => wrap(goBack(q, s, now(), outcomeOf));

  const restartAt = (at: Origin, key?: string, { confirmed = false } = {}) =>
    transition(at, key, (s) => restartOf(s, { confirmed, now: now(), newId }), { fresh: true });

  return {
    questionnaire: q,
    recommend: (s) => recommend(q, s),
    async find(id) {
      const found = await store.getById(id);
      if (!found) return undefined;
      const session = upgradeSession(q, found);
      return { session, recommendation: recommend(q, session) };
    },
    claim: (key, teamId, outbox) => store.claim(key, teamId, outbox),

    async start(key, idempotencyKey) {
      const session = newSession(key, q, newId(), now());
      const at = { ...key, started: true };
      const step = showStep(q, session);
      const saved = await store.insert(session, idempotencyKey, plan(step, at));
      if (saved.status === 'duplicate') return { kind: 'duplicate' };
      if (saved.status === 'conflict') {
        const existing = await store.get(key);
        return existing ? commit(showStep(q, existing), key, idempotencyKey) : { kind: 'duplicate' };
      }
      observer?.started();
      return step;
    },

    answer(at, questionId, optionId, idempotencyKey) {
      return transition(at, idempotencyKey, (s) => {
        const question = questionById(q, questionId);
        if (!question) return explain(q, s, { code: 'unknown_question', questionId });
        return applyAnswer(s, questionId, clickedAnswer(question, optionId));
      });
    },

    async reply(at, text, idempotencyKey) {
      const command = parseCommand(text);
      // Restart must work on an expired assessment too: it is the way out that the expiry notice offers.
      if (command === 'restart') return restartAt(at, idempotencyKey);
      // On the assessment the transition loads anyway: a reply to a question still waiting to be posted is held.
      const hold = !command && unseen ? holdUnseen(q, unseen) : undefined;
      return transition(
        at,
        idempotencyKey,
        (s) => {
          if (command === 'back') return back(s);
          const question = currentQuestion(q, s);
          // Once the card is out only commands make sense; chatter in the thread is left alone.
          if (!question) return { kind: 'ignored' };
          const reply = parseReply(question, text);
          if (reply.kind === 'answer') return applyAnswer(s, question.id, reply.answer, reply.readAs);
          if (reply.kind === 'invalid') {
            return {
              kind: 'invalid',
              session: s,
              question,
              progress: progress(q, s),
              message: reply.message,
            };
          }
          // parseReply knows the same commands as parseCommand, so these were taken above.
          return reply.kind === 'back' ? back(s) : { ok: true, value: { session: restart(s, now()) } };
        },
        { hold },
      );
    },

    back(at, idempotencyKey) {
      return transition(at, idempotencyKey, back);
    },

    restart: restartAt,

    reopen(at, questionId, idempotencyKey) {
      return transition(at, idempotencyKey, (s) => {
        const reopened = wrap(reopen(q, s, questionId, now(), outcomeOf));
        const question = questionById(q, questionId);
        const was = s.answers[questionId];
        if (!reopened.ok || !question || !was) return reopened;
        // The question comes back with the answer it had, so changing one answer does not mean recalling it.
        const note = `Changing this answer. It is now: ${describeAnswer(question, was)}.`;
        return { ok: true, value: { ...reopened.value, note } };
      });
    },

    show: async (step, at, key) => (await commit(step, at, key)).kind !== 'duplicate',

    async view(at) {
      const found = await locate(at);
      return 'kind' in found ? found : showStep(q, found);
    },
  };
}

const wrap = (r: Result<Session>): Result<{ session: Session }> =>
  r.ok ? { ok: true, value: { session: r.value } } : r;
