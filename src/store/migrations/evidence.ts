/**
 * The cluster evidence attached to an assessment: the summary of the uploaded evidence file as JSON, sealed by
 * the field codec like the answers (so encrypted at rest with ENCRYPTION_KEY). Null for assessments without
 * evidence; digests count the others. Self-contained, so it can take whatever number comes next on each engine.
 */
export const EVIDENCE_MIGRATION = 'ALTER TABLE assessments ADD COLUMN evidence TEXT;';
