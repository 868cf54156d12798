import type { Questionnaire } from './questionnaire.js';
import { currentQuestion, progress, type Session, type SessionError } from './session.js';
import type { Step } from './steps.js';

/** What to tell a person whose answer or command the session refused, in their terms. */
export function explain(q: Questionnaire, s: Session, error: SessionError): Step {
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
}
