import { describeAnswer } from './answer.js';
import { evidenceLines, evidenceMarkdownMark } from './evidence-text.js';
import { type Fact, type Questionnaire, questionById } from './questionnaire.js';
import type { Recommendation } from './recommend.js';
import { isManaged } from './risks.js';
import type { Session } from './session.js';
import { flipCondition } from './what-if.js';

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
const lower = (t: string) => `${t.charAt(0).toLowerCase()}${t.slice(1)}`;
const fact = (f: Fact | { text: string }) =>
  'source' in f ? `${f.text} ([source](${f.source}), checked ${f.checked})` : f.text;

/** A titled list, left out when empty. */
const part = (title: string, lines: string[]) => (lines.length > 0 ? [title, '', bullet(lines), ''] : []);

function consequences(rec: Recommendation): string[] {
  const { responsibility: resp, guidance } = rec;
  if (isManaged(rec.decision.outcome)) {
    return [
      ...resp.providerTakes.map((t) => `Good: the provider takes on ${lower(t)}`),
      ...resp.staysYours.map((t) => `Still ours: ${lower(t)}`),
      ...resp.providerNotes.map((f) => `On this provider: ${fact(f)}`),
      'Bad: the provider holds privileged access to the clusters; see the controls and open questions below',
    ];
  }
  return [
    guidance.siteNote
      ? `Mixed: no provider holds admin access inside the clusters, but ${lower(guidance.siteNote)}`
      : 'Good: no provider holds admin access inside the clusters',
    ...resp.youTakeOn.map((t) => `Bad: we take on ${lower(t)}`),
    ...resp.staysYours.map((t) => `Still ours: ${lower(t)}`),
  ];
}

/**
 * An architecture decision record of a completed assessment, in the MADR layout: context, decision drivers (the
 * two judgments), considered options, outcome, consequences, what to find out and switch on, and the register of
 * risks that fits the verdict.
 */
export function adrMarkdown(
  q: Questionnaire,
  session: Session,
  rec: Recommendation,
  opts: AdrOptions,
): string {
  const { decision, outcome, risks, guidance } = rec;
  const j = q.judgments;
  const answered = q.questions.filter(
    (x) => x.id in session.answers || rec.evidence?.answered.some((a) => a.questionId === x.id),
  );
  const options = (
    ['managed', 'managed_with_safeguards', 'self_hosted', 'self_hosted_required'] as const
  ).map((id) => `${q.outcomes[id].title}${id === decision.outcome ? ' (chosen)' : ''}`);
  const controls = guidance.controls;
  const controlsTitle = controls
    ? `### ${controls.provider ?? 'Provider'} controls ${controls.mode === 'switch_on' ? 'to switch on before we commit' : 'to keep on'}`
    : '';
  const registerTitle = isManaged(decision.outcome)
    ? 'Risk questions about trusting the provider'
    : 'Risks of running it ourselves';
  const view = rec.evidence;
  const mark = view ? ` (${evidenceMarkdownMark(view.facts)})` : '';
  const driver = (r: { text: string; fromEvidence?: boolean }) =>
    `  - ${r.text}${r.fromEvidence ? mark : ''}`;
  const backed = new Map(view?.answered.map((a) => [a.questionId, a.label]));
  const answerCell = (id: string) => {
    const question = questionById(q, id);
    const own = question && id in session.answers ? describeAnswer(question, session.answers[id]) : undefined;
    const evidence = backed.get(id);
    if (evidence === undefined) return cell(own ?? '');
    return cell(`${evidence}${mark}${own ? `; we said: ${own}` : ''}`);
  };

  const sections = [
    `# ${outcome.title} for our Kubernetes clusters`,
    '',
    bullet([
      'Status: proposed',
      `Deciders: ${opts.ownerName}`,
      `Date: ${opts.date}`,
      ...(opts.link ? [`Discussion: ${opts.link}`] : []),
      `Assessment: ${session.id} (${q.id}, questionnaire version ${rec.questionnaireVersion})`,
    ]),
    '',
    '## Context and problem statement',
    '',
    'We need to decide whether to run Kubernetes on a managed provider or to host it ourselves, judged with ' +
      'security first. A managed provider runs the control plane for us, but keeps privileged access to our ' +
      'clusters in order to do so. Two questions decide it: whether a provider is acceptable at all, and how ' +
      'much it would take off our team.',
    '',
    '## Decision drivers',
    '',
    `- ${j.acceptability.title} **${j.acceptability.levels[decision.acceptability.level]}**`,
    ...decision.acceptability.reasons.map(driver),
    `- ${j.need.title} **${j.need.levels[decision.need.level]}**`,
    ...decision.need.reasons.map(driver),
    '',
    ...(view ? ['### Evidence from the cluster', '', bullet(evidenceLines(q, view)), ''] : []),
    '## Considered options',
    '',
    bullet(options),
    '',
    '## Decision outcome',
    '',
    `Chosen option: "${outcome.title}", because ${lower(outcome.summary)}`,
    '',
    j.explanations[decision.explanation],
    ...(decision.smallTeamWarning ? ['', `> Warning: ${q.small_team_warning}`] : []),
    '',
    '### Consequences',
    '',
    bullet(consequences(rec)),
    '',
    ...part(
      '### To find out before we commit',
      guidance.findOut.map((f) => `${f.short}: ${f.steps.map(fact).join(' ')}`),
    ),
    ...(controls ? part(controlsTitle, controls.items.map(fact)) : []),
    ...part(
      '### Options between a public managed service and doing it all ourselves',
      guidance.middlePaths.map((m) => `${m.title}: ${m.text} ${m.examples.map(fact).join(' ')}`),
    ),
    ...part('### Hardened distributions to start from', guidance.distributions.map(fact)),
    ...part(
      '### What would change this decision',
      rec.whatIf.map(
        (f) => `${flipCondition(q, f, (label) => `"${label}"`)}: ${q.outcomes[f.outcome].title}`,
      ),
    ),
    `## ${registerTitle}`,
    '',
    risks
      .map((r) => {
        const box = r.status === 'open' ? '[ ]' : '[x]';
        const answer =
          r.evidence !== undefined && view
            ? `${r.status === 'open' ? 'open; the cluster shows' : r.status === 'concern' ? 'concern' : 'answered'}: ${r.evidence}${mark}`
            : r.status === 'open'
              ? 'open'
              : `${r.status === 'concern' ? 'concern' : 'answered'}: ${r.answer}${r.fromEvidence ? mark : ''}`;
        return `- ${box} ${r.question} (${answer})${r.note ? `\n  ${fact(r.note)}` : ''}`;
      })
      .join('\n'),
    '',
    '## Answers given',
    '',
    '| Question | Answer |',
    '| --- | --- |',
    ...answered.map((x) => `| ${cell(x.prompt)} | ${answerCell(x.id)} |`),
    '',
  ];
  return sections.join('\n');
}
