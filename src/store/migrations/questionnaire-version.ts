/**
 * The questionnaire version each assessment was answered under. Rows from before versions existed were answered
 * under version 1, the questionnaire as it stood then.
 */
export const QUESTIONNAIRE_VERSION_MIGRATION =
  'ALTER TABLE assessments ADD COLUMN questionnaire_version INTEGER NOT NULL DEFAULT 1;';
