import { type Questionnaire, questionById } from './questionnaire.js';
import type { Recommendation } from './recommend.js';
import { describeAnswer, type Session } from './session.js';

export interface AdrOptions {
  /** How the deciders are named in the record (a Slack mention is no use in a Markdown file). */
  ownerName: string;
  /** ISO date of the decision. */
  date: string;
  /** Where the discussion lives, e.g. a permalink to the thread. */
  link?: string;
}

const bullet = (lines: string[]) => lines.map((l) => `- ${l}`).join('\n');
/** Markdown table cells must not break the row. */
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * An architecture decision record of a completed assessment, in the MADR layout: context, decision drivers,
 * considered options, outcome with reasons, consequences, and the open risk questions about the provider.
 */
export function adrMarkdown(
  q: Questionnaire,
  session: Session,
  rec: Recommendation,
  opts: AdrOptions,
): string {
  const { decision, outcome, responsibility: resp, risks } = rec;
  const managed = decision.outcome === 'managed' || decision.outcome === 'managed_with_safeguards';
  const answered = q.questions.filter((x) => x.id in session.answers);
  const options = (
    ['managed', 'managed_with_safeguards', 'self_hosted', 'self_hosted_required'] as const
  ).map((id) => `${q.outcomes[id].title}${id === decision.outcome ? ' (chosen)' : ''}`);

  const sections = [
    `# ${outcome.title} for our Kubernetes clusters`,
    '',
    bullet([
      'Status: proposed',
      `Deciders: ${opts.ownerName}`,
      `Date: ${opts.date}`,
      ...(opts.link ? [`Discussion: ${opts.link}`] : []),
      `Assessment: ${session.id} (${q.id})`,
    ]),
    '',
    '## Context and problem statement',
    '',
    'We need to decide whether to run Kubernetes on a managed provider or to host it ourselves, judged with ' +
      'security first. A managed provider runs the control plane for us, but keeps privileged access to our ' +
      'clusters in order to do so.',
    '',
    '## Decision drivers',
    '',
    bullet(decision.reasons.map((r) => r.text)),
    '',
    '## Considered options',
    '',
    bullet(options),
    '',
    '## Decision outcome',
    '',
    `Chosen option: "${outcome.title}", because ${outcome.summary.charAt(0).toLowerCase()}${outcome.summary.slice(1)}`,
    ...(decision.smallTeamWarning ? ['', `> Warning: ${q.small_team_warning}`] : []),
    '',
    '### Consequences',
    '',
    managed
      ? bullet([
          ...resp.providerTakes.map(
            (t) => `Good: the provider takes on ${t.charAt(0).toLowerCase()}${t.slice(1)}`,
          ),
          ...resp.staysYours.map((t) => `Still ours: ${t.charAt(0).toLowerCase()}${t.slice(1)}`),
          'Bad: the provider holds privileged access to the clusters; see the open questions below',
        ])
      : bullet([
          'Good: no provider holds privileged access to the clusters',
          ...resp.youTakeOn.map((t) => `Bad: we take on ${t.charAt(0).toLowerCase()}${t.slice(1)}`),
          ...resp.staysYours.map((t) => `Still ours: ${t.charAt(0).toLowerCase()}${t.slice(1)}`),
        ]),
    '',
    ...(rec.whatIf.length > 0
      ? [
          '### What would change this decision',
          '',
          bullet(
            rec.whatIf.map((f) => {
              const question = questionById(q, f.questionId);
              return `If ${question?.short ?? f.questionId} were "${f.label}": ${q.outcomes[f.outcome].title}`;
            }),
          ),
          '',
        ]
      : []),
    '## Risk questions about trusting the provider',
    '',
    risks
      .map((r) => {
        const box = r.status === 'open' ? '[ ]' : '[x]';
        const answer =
          r.status === 'open' ? 'open' : `${r.status === 'concern' ? 'concern' : 'answered'}: ${r.answer}`;
        return `- ${box} ${r.question} (${answer})${r.note ? `\n  ${r.note}` : ''}`;
      })
      .join('\n'),
    '',
    '## Answers given',
    '',
    '| Question | Answer |',
    '| --- | --- |',
    ...answered.map((x) => `| ${cell(x.prompt)} | ${cell(describeAnswer(x, session.answers[x.id]))} |`),
    '',
  ];
  return sections.join('\n');
}
