import { type Result, restart, type Session, successor } from './session.js';
import type { Step } from './steps.js';

/** Said when a restart's confirmation is clicked after the assessment has started again. */
export const ALREADY_RESTARTED =
  'This assessment has already started again: its first question is in the thread.';

/**
 * What a restart does to the caller's assessment. One in progress starts over in place. A finished one is not
 * thrown away by one click: unconfirmed, it asks first; confirmed, a new assessment (`replaces`) takes its place in
 * the thread and the finished one is kept as history. A confirmation that no longer applies restarts nothing.
 */
export function restartOf(
  s: Session,
  { confirmed, now, newId }: { confirmed: boolean; now: number; newId: () => string },
): Result<{ session: Session; replaces?: boolean }> | Step {
  if (s.status !== 'completed') {
    if (confirmed) return { kind: 'rejected', session: s, message: ALREADY_RESTARTED };
    return { ok: true, value: { session: restart(s, now) } };
  }
  if (!confirmed) return { kind: 'confirm_restart', session: s };
  return { ok: true, value: { session: successor(s, newId(), now), replaces: true } };
}
