import type { AssessmentStore, SaveResult } from '../store/store.js';
import { decide } from './decide.js';
import { findingsOf } from './findings.js';
import { uuidv7 } from './ids.js';
import { type Outcome, type Question, type Questionnaire, questionById } from './questionnaire.js';
import { type Recommendation, recommend as recommendAnswers } from './recommend.js';
import { parseReply } from './reply.js';
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
  type SessionError,
  type SessionKey,
} from './session.js';
import { upgradeSession } from './upgrade.js';

export type { Recommendation } from './recommend.js';

export interface Progress {
  index: number;
  total: number;
}

/** What just happened to the previous question, so the question message can show the answer. */
export interface Answered {
  question: Question;
  label: string;
}

/** The result of every use case: what the caller should show. The Slack layer turns it into messages. */
export type Step =
  | {
      kind: 'ask';
      session: Session;
      question: Question;
      progress: Progress;
      answered?: Answered;
      note?: string;
    }
  | { kind: 'done'; session: Session; recommendation: Recommendation; answered?: Answered }
  | { kind: 'invalid'; session: Session; question: Question; progress: Progress; message: string }
  | { kind: 'rejected'; session: Session; message: string }
  | { kind: 'not_owner'; ownerId: string }
  | { kind: 'not_ours' }
  | { kind: 'expired'; session: Session; idleDays: number }
  | { kind: 'ignored' }
  | { kind: 'duplicate' };

export interface Thread {
  teamId: string;
  channelId: string;
  threadTs: string;
  userId: string;
}

export interface AdvisorService {
  readonly questionnaire: Questionnaire;
  claim(key: string): Promise<boolean>;
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

export const DEFAULT_IDLE_MS = 14 * 24 * 60 * 60 * 1000;

const MAX_ATTEMPTS = 3;
/** Longer than the Web API client's timeout and retries together. */
const DELIVERY_GRACE_MS = 60_000;
const REDELIVERED =
  'Slack did not deliver this question when it was first sent, so here it is. Your last message was not taken as an answer.';

export function createAdvisorService({
  store,
  questionnaire: q,
  now = Date.now,
  newId = uuidv7,
  idleMs = DEFAULT_IDLE_MS,
  observer,
}: ServiceOptions): AdvisorService {
  const outcomeOf = (s: Session) => decide(q, s.answers).outcome;

  const recommend = (s: Session): Recommendation => recommendAnswers(q, s.answers);

  const show = (s: Session, answered?: Answered, note?: string): Step => {
    const question = currentQuestion(q, s);
    if (!question)
      return { kind: 'done', session: s, recommendation: recommend(s), ...(answered && { answered }) };
    return {
      kind: 'ask',
      session: s,
      question,
      progress: progress(q, s),
      ...(answered && { answered }),
      ...(note && { note }),
    };
  };

  /** Finds the caller's assessment in a thread, or says whose it is. */
  const locate = async (at: Thread): Promise<Session | Step> => {
    // Most often it is the caller's own: one lookup by the full key, without listing the thread.
    const own = await store.get(at);
    if (own) return upgradeSession(q, own);
    const owner = (await store.byThread(at.teamId, at.channelId, at.threadTs))[0];
    return owner ? { kind: 'not_owner', ownerId: owner.userId } : { kind: 'not_ours' };
  };

  /**
   * Load, apply, save with optimistic concurrency; on a lost race reload and apply again, so a change made
   * meanwhile (another replica, a double click) is seen rather than overwritten.
   */
  /**
   * The question or card of the current version never reached the user: Slack refused it after every retry, or
   * nothing was heard of it for longer than any retry takes (the replica posting it died). A prompt merely still
   * in flight is neither, so a quick second click does not post it twice.
   */
  const undelivered = (s: Session) =>
    s.shownVersion < s.version && (s.failedVersion === s.version || now() - s.updatedAt > DELIVERY_GRACE_MS);

  const transition = async (
    at: Thread,
    key: string | undefined,
    apply: (s: Session) => Result<{ session: Session; answered?: Answered }> | Step,
    { fresh = false } = {},
  ): Promise<Step> => {
    // A step that changes nothing still claims its key, so a retried delivery does not say it twice.
    const once = async (step: Step): Promise<Step> =>
      key && step.kind !== 'not_ours' && !(await store.claim(key)) ? { kind: 'duplicate' } : step;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const found = await locate(at);
      if ('kind' in found) return once(found);
      // A restart starts afresh: neither expiry nor an undelivered question stands in its way.
      if (!fresh && found.status === 'active' && now() - found.updatedAt > idleMs) {
        return once({ kind: 'expired', session: found, idleDays: Math.round(idleMs / 86_400_000) });
      }
      if (!fresh && undelivered(found)) {
        return once(show(found, undefined, REDELIVERED));
      }
      const applied = apply(found);
      if ('kind' in applied) return once(applied);
      if (!applied.ok) return once(explain(found, applied.error));
      const next = applied.value.session;
      // Findings change only when an assessment completes or leaves completion (restart, back, reopen).
      const findings =
        found.status === 'active' && next.status === 'active' ? undefined : findingsOf(q, next);
      const saved: SaveResult = await store.save(next, key, findings);
      if (saved.status === 'duplicate') return { kind: 'duplicate' };
      if (saved.status === 'saved') {
        if (found.status === 'active' && saved.session.outcome) observer?.completed(saved.session.outcome);
        return show(saved.session, applied.value.answered);
      }
    }
    return {
      kind: 'rejected',
      session: (await locate(at)) as Session,
      message: 'Too many changes at once; try again.',
    };
  };

  const explain = (s: Session, error: SessionError): Step => {
    switch (error.code) {
      case 'invalid_answer': {
        const question = currentQuestion(q, s);
        return question
          ? { kind: 'invalid', session: s, question, progress: progress(q, s), message: error.message }
          : { kind: 'rejected', session: s, message: error.message };
      }
      case 'completed':
        return {
          kind: 'rejected',
          session: s,
          message: 'This assessment is finished. Use *Change an answer* or *Restart* on the recommendation.',
        };
      case 'not_current': {
        const answered = error.questionId in s.answers;
        return {
          kind: 'rejected',
          session: s,
          message: answered
            ? 'That question is already answered. Reply `back` to change the last answer.'
            : 'That question is not the one waiting for an answer.',
        };
      }
      case 'nothing_to_undo':
        return { kind: 'rejected', session: s, message: 'There is no earlier question to go back to.' };
      case 'unknown_question':
        return { kind: 'rejected', session: s, message: 'That question is not part of this assessment.' };
    }
  };

  const answered = (questionId: string, answer: Answer): Answered | undefined => {
    const question = q.questions.find((x) => x.id === questionId);
    return question && { question, label: describeAnswer(question, answer) };
  };

  const applyAnswer = (s: Session, questionId: string, answer: Answer) => {
    const result = answerQuestion(q, s, questionId, answer, now(), outcomeOf);
    if (!result.ok) return result;
    return { ok: true as const, value: { session: result.value, answered: answered(questionId, answer) } };
  };

  const restartAt = (at: Thread, key?: string) =>
    transition(at, key, (s) => ({ ok: true, value: { session: restart(s, now()) } }), {
      fresh: true,
    });

  return {
    questionnaire: q,
    recommend,
    claim: (key) => store.claim(key),

    async start(key, idempotencyKey) {
      const session = newSession(key, q, newId(), now());
      const saved = await store.insert(session, idempotencyKey);
      if (saved.status === 'duplicate') return { kind: 'duplicate' };
      if (saved.status === 'conflict') {
        const existing = await store.get(key);
        return existing ? show(existing) : { kind: 'duplicate' };
      }
      observer?.started();
      return show(saved.session);
    },

    answer(at, questionId, optionId, idempotencyKey) {
      return transition(at, idempotencyKey, (s) => {
        const question = questionById(q, questionId);
        if (!question) return explain(s, { code: 'unknown_question', questionId });
        return applyAnswer(s, questionId, clickedAnswer(question, optionId));
      });
    },

    reply(at, text, idempotencyKey) {
      // Restart must work on an expired assessment too: it is the way out that the expiry notice offers.
      if (/^\s*(restart|start over)[.!]?\s*$/i.test(text)) return restartAt(at, idempotencyKey);
      return transition(at, idempotencyKey, (s) => {
        const question = currentQuestion(q, s);
        if (!question) {
          // Only commands make sense once the card is out; chatter in the thread is left alone.
          const command = text.trim().toLowerCase();
          if (command === 'restart' || command === 'start over')
            return { ok: true, value: { session: restart(s, now()) } };
          if (command === 'back') return wrap(goBack(q, s, now(), outcomeOf));
          return { kind: 'ignored' };
        }
        const reply = parseReply(question, text);
        switch (reply.kind) {
          case 'answer':
            return applyAnswer(s, question.id, reply.answer);
          case 'back':
            return wrap(goBack(q, s, now(), outcomeOf));
          case 'restart':
            return { ok: true, value: { session: restart(s, now()) } };
          case 'invalid':
            return {
              kind: 'invalid',
              session: s,
              question,
              progress: progress(q, s),
              message: reply.message,
            };
        }
      });
    },

    back(at, idempotencyKey) {
      return transition(at, idempotencyKey, (s) => wrap(goBack(q, s, now(), outcomeOf)));
    },

    restart: restartAt,

    reopen(at, questionId, idempotencyKey) {
      return transition(at, idempotencyKey, (s) => wrap(reopen(q, s, questionId, now(), outcomeOf)));
    },

    delivered: (s, outcome) => store.markDelivery(s.id, s.version, outcome),

    async view(at) {
      const found = await locate(at);
      return 'kind' in found ? found : show(found);
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
