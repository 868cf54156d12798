/**
 * What the app uses of the evidence feature: pure functions only (no Kubernetes client, no child processes, no
 * files), so importing this from the Slack side or the playground pulls in none of the command's dependencies.
 *
 *   parseEvidence(bytes)      validate an uploaded file: a typed Evidence or one plain-text refusal
 *   summariseEvidence(e)      the values a card, an ADR or a digest shows
 *   renderMarkdown(e)         the human summary (the ADR can embed it)
 *   mrkdwnLiteral(text)       a name from a file, safe to put in Slack mrkdwn
 */
export { renderMarkdown } from './markdown.js';
export { PROVIDER_LABELS } from './provider.js';
export {
  EVIDENCE_KIND,
  EVIDENCE_SCHEMA_VERSION,
  type Evidence,
  type EvidenceSubject,
  type Finding,
  LIMITS as EVIDENCE_LIMITS,
  type Owner,
  type Provider,
  type Reason,
  type Tristate,
} from './schema.js';
export { type EvidenceSummary, PROVIDER_NAMES_SHOWN, subjectLabel, summariseEvidence } from './summary.js';
export { markdownLiteral, mrkdwnLiteral } from './text.js';
export { EVIDENCE_COMMAND, type EvidenceResult, parseEvidence } from './validate.js';
