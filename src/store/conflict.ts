import type { SaveResult } from '../advisor/ports/assessments.js';

/** Thrown inside a write transaction to roll it back; reported as `{ status: 'conflict' }` by conflictOr. */
export class Conflict extends Error {}

/** A rolled-back write: Conflict becomes its result, anything else is a real failure and propagates. */
export function conflictOr(error: unknown): SaveResult {
  if (error instanceof Conflict) return { status: 'conflict' };
  throw error;
}
