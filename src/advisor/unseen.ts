import type { Questionnaire } from './questionnaire.js';
import { currentQuestion, type Session } from './session.js';
import type { Step } from './steps.js';

const NOT_YET =
  'The next question has not reached this thread yet (Slack is slow to take it), so your reply was not taken as an answer. Answer it once it shows.';

/**
 * A typed reply is held back while the question it would answer still waits to be posted: its author cannot have
 * seen it. `unseen` says whether a question of an assessment is in that state (the outbox knows).
 */
export const holdUnseen =
  (q: Questionnaire, unseen: (session: Session, questionId: string) => Promise<boolean>) =>
  async (s: Session): Promise<Step | undefined> => {
    const asked = currentQuestion(q, s);
    return asked && (await unseen(s, asked.id))
      ? { kind: 'rejected', session: s, message: NOT_YET }
      : undefined;
  };
