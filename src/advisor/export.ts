import { adrMarkdown } from './adr.js';
import { evidenceMarkdownMark } from './evidence-text.js';
import type { Questionnaire } from './questionnaire.js';
import type { Recommendation } from './recommend.js';
import { type Answer, describeAnswer, progress, type Session } from './session.js';

/** What the export knows besides the assessments: who asked, and where each assessment's thread is. */
export interface ExportContext {
  teamId: string;
  userId: string;
  /** How the person is named in the Markdown (decision records name their deciders). */
  ownerName: string;
  exportedAt: number;
  /** Assessment id → link to its thread, where one could be found. */
  links: Record<string, string>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const rawValue = (a: Answer) => (a.kind === 'option' ? a.optionId : a.kind === 'number' ? a.value : null);

/** Everything stored about one assessment, in the words the person saw, plus the raw values. */
function assessmentRecord(
  q: Questionnaire,
  s: Session,
  rec: Recommendation | undefined,
  link: string | undefined,
) {
  const asked = q.questions.filter((x) => x.id in s.answers);
  return {
    id: s.id,
    questionnaire: s.questionnaireId,
    questionnaireVersion: s.questionnaireVersion,
    channel: s.channelId,
    thread: s.threadTs,
    ...(link && { link }),
    status: s.status === 'completed' ? 'completed' : 'in_progress',
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    completedAt: iso(s.completedAt),
    // A decision kept when its assessment was started again in the same thread.
    ...(s.archivedAt !== undefined && { restartedAt: iso(s.archivedAt) }),
    restarts: s.restarts,
    outcome: rec
      ? { id: rec.decision.outcome, title: rec.outcome.title, summary: rec.outcome.summary }
      : null,
    ...(!rec && { progress: progress(q, s) }),
    answers: asked.map((x) => {
      const a = s.answers[x.id] as Answer;
      return { questionId: x.id, question: x.prompt, answer: describeAnswer(x, a), value: rawValue(a) };
    }),
    reasons: rec?.decision.reasons.map((r) => r.text) ?? [],
    // The evidence summary stored with the assessment, and what it answered on the card (completed ones).
    evidence: s.evidence
      ? {
          ...s.evidence,
          attachedAt: iso(s.evidence.attachedAt),
          ...(rec?.evidence && {
            scope: rec.evidence.scope,
            answered: rec.evidence.answered.map(({ questionId, optionId, label }) => ({
              questionId,
              optionId,
              label,
            })),
          }),
        }
      : null,
    openRisks:
      rec?.risks.filter((r) => r.status === 'open').map((r) => ({ id: r.id, question: r.question })) ?? [],
  };
}

/** The machine-readable export: all of a person's assessments with answers, outcomes and open risks. */
export function exportJson(
  q: Questionnaire,
  sessions: Session[],
  recommend: (s: Session) => Recommendation,
  ctx: ExportContext,
): string {
  const doc = {
    exportedAt: iso(ctx.exportedAt),
    workspace: ctx.teamId,
    user: ctx.userId,
    questionnaire: { id: q.id, title: q.title },
    assessments: sessions.map((s) =>
      assessmentRecord(q, s, s.status === 'completed' ? recommend(s) : undefined, ctx.links[s.id]),
    ),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A short Markdown account of an assessment not finished yet: where it stands and what was answered. */
function inProgressMarkdown(q: Questionnaire, s: Session, link: string | undefined): string {
  const p = progress(q, s);
  const asked = q.questions.filter((x) => x.id in s.answers);
  return [
    `# Assessment in progress: question ${p.index} of ${p.total}`,
    '',
    `- Started: ${day(s.createdAt)}`,
    `- Last change: ${day(s.updatedAt)}`,
    ...(link ? [`- Thread: ${link}`] : []),
    `- Assessment: ${s.id} (${s.questionnaireId})`,
    ...(s.evidence ? [`- Evidence: ${evidenceMarkdownMark(s.evidence)}`] : []),
    '',
    ...(asked.length > 0 ? ['| Question | Answer |', '| --- | --- |'] : ['No question answered yet.']),
    ...asked.map((x) => `| ${cell(x.prompt)} | ${cell(describeAnswer(x, s.answers[x.id]))} |`),
    '',
  ].join('\n');
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The human-readable export: the decision record of each completed assessment, a summary of the others. */
export function exportMarkdown(
  q: Questionnaire,
  sessions: Session[],
  recommend: (s: Session) => Recommendation,
  ctx: ExportContext,
): string {
  const intro = [
    `<!-- k8s-advisor export of ${ctx.ownerName} (${ctx.userId}), ${iso(ctx.exportedAt)}: ${sessions.length} assessments -->`,
    '',
  ].join('\n');
  const parts = sessions.map((s) => {
    const link = ctx.links[s.id];
    if (s.status !== 'completed') return inProgressMarkdown(q, s, link);
    const date = day(s.completedAt ?? s.updatedAt);
    return adrMarkdown(q, s, recommend(s), { ownerName: ctx.ownerName, date, ...(link && { link }) });
  });
  return `${intro}\n${parts.join('\n---\n\n')}`;
}
