import { type Digest, digestPayload } from '../../digest/build.js';
import { formatInZone } from '../../digest/period.js';
import { type Block, clip, context, esc, header, type SlackMessage, section } from './text.js';

export const DIGEST_EVENT = 'k8s_advisor_digest';

/** Items shown per list before "and N more". */
const SHOWN = 5;
/** Reasons and questions are clipped to this inside a list line. */
const TEXT_MAX = 400;
const SECTION_MAX = 3000;

/** A date Slack shows in each reader's own time zone; the fallback is in the subscription's zone. */
export const slackDate = (ms: number, tz: string) =>
  `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${formatInZone(ms, tz)}>`;

export const periodText = (d: Digest) =>
  `${formatInZone(d.period.start, d.period.tz)} – ${formatInZone(d.period.end, d.period.tz)}`;

/** A fixed-width bar for a share of a total: `███░░░░░░░`. Anything above zero shows at least one block. */
export function bar(count: number, total: number, width = 10): string {
  const filled = total <= 0 || count <= 0 ? 0 : Math.max(1, Math.round((count / total) * width));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

const percent = (count: number, total: number) =>
  total > 0 ? `${Math.round((count / total) * 100)}%` : '0%';

/**
 * A titled list in one section, within Slack's 3000 characters: lines that do not fit, and `more` that were
 * never fetched, are summed up as "…and N more". Lines are whole (a cut link would garble the message), so
 * callers clip the free text inside them.
 */
export function listSection(title: string, lines: string[], more = 0, shown = SHOWN): Block {
  const items = lines.map((line) => `• ${line}`);
  const rest = (kept: number) => lines.length - kept + more;
  const tail = (n: number) => (n > 0 ? `\n_…and ${n} more_` : '');
  const kept: string[] = [];
  for (const item of items.slice(0, shown)) {
    const candidate = [title, ...kept, item].join('\n') + tail(rest(kept.length + 1));
    if (candidate.length > SECTION_MAX) break;
    kept.push(item);
  }
  return section([title, ...kept].join('\n') + tail(rest(kept.length)));
}

const title = (d: Digest) =>
  d.trigger === 'manual'
    ? 'Digest so far: Kubernetes hosting assessments'
    : `${d.cadence === 'weekly' ? 'Weekly' : 'Daily'} digest: Kubernetes hosting assessments`;

function countsBlock(d: Digest): Block {
  const c = d.counts;
  const field = (name: string, value: string) => ({ type: 'mrkdwn', text: `*${name}*\n${value}` });
  return {
    type: 'section',
    block_id: 'digest:counts',
    fields: [
      field('Started', String(c.started)),
      field('Completed', String(c.completed)),
      field('Still in progress', `${c.inProgress} of those started`),
      field('Abandoned', `${c.abandoned} (no answer for ${d.idleDays} days)`),
      field('Restarted', String(c.restarted)),
      field('Skipped a question', `${c.withSkips} of those completed`),
      field('Backed by evidence', `${c.withEvidence} of those completed, from a cluster`),
    ],
  };
}

function verdictsBlock(d: Digest): Block {
  const total = d.counts.completed;
  const lines = d.outcomes.map(
    (o) => `\`${bar(o.count, total)}\` *${o.count}* ${o.emoji} ${esc(o.title)} (${percent(o.count, total)})`,
  );
  return section([`*Verdicts* of the ${total} completed`, ...lines].join('\n'), 'digest:verdicts');
}

function completedLines(d: Digest, links: Record<string, string>): string[] {
  const outcome = (id: string) => d.outcomes.find((o) => o.outcome === id);
  return d.completedList.map((a) => {
    const o = outcome(a.outcome);
    const name = o ? `${o.emoji} ${esc(o.title)}` : esc(a.outcome);
    const link = links[a.threadTs];
    const shown = link ? `<${link}|${name}>` : name;
    return `${shown} for <@${a.userId}>, ${slackDate(a.completedAt, d.period.tz)}`;
  });
}

/** The digest message: Block Kit, a plain-text fallback and metadata with the counts. */
export function digestMessage(d: Digest, links: Record<string, string> = {}): SlackMessage {
  const c = d.counts;
  const when = `<#${d.channelId}> · ${slackDate(d.period.start, d.period.tz)} to ${slackDate(d.period.end, d.period.tz)}`;
  const blocks: Block[] = [header(`:bar_chart: ${title(d)}`), context(when)];
  if (d.empty) {
    blocks.push(section('Nothing new: no assessment was started, completed or abandoned in this period.'));
  } else {
    blocks.push(countsBlock(d));
    if (c.completed > 0) {
      blocks.push(verdictsBlock(d));
      if (d.reasons.length > 0)
        blocks.push(
          listSection(
            '*Most common reasons*',
            d.reasons.map((r) => `*${r.count}×* ${esc(clip(r.text, TEXT_MAX))}`),
          ),
        );
      if (d.openRisks.length > 0)
        blocks.push(
          listSection(
            '*Risk questions left open*',
            d.openRisks.map((r) => `*${r.count} of ${c.completed}* ${esc(clip(r.text, TEXT_MAX))}`),
          ),
        );
      if (d.skipped.length > 0)
        blocks.push(
          context(
            clip(
              `Skipped most often: ${d.skipped
                .slice(0, SHOWN)
                .map((s) => `_${esc(s.text)}_ (${s.count})`)
                .join(' · ')}`,
              SECTION_MAX,
            ),
          ),
        );
      blocks.push(
        listSection(
          '*Completed assessments*',
          completedLines(d, links),
          c.completed - d.completedList.length,
          10,
        ),
      );
    }
  }
  blocks.push(context('Change or stop this digest with `/k8s-advisor digest status`.'));
  return {
    text: fallback(d),
    blocks,
    metadata: { event_type: DIGEST_EVENT, event_payload: digestPayload(d) },
  };
}

function fallback(d: Digest): string {
  const c = d.counts;
  const head = `${title(d)} for <#${d.channelId}>, ${periodText(d)} (${d.period.tz})`;
  if (d.empty) return `${head}: nothing new.`;
  const split = d.outcomes
    .filter((o) => o.count > 0)
    .map((o) => `${o.count} ${o.title}`)
    .join(', ');
  const parts = [
    `${c.started} started`,
    `${c.completed} completed${split ? ` (${split})` : ''}`,
    ...(c.inProgress > 0 ? [`${c.inProgress} still in progress`] : []),
    ...(c.abandoned > 0 ? [`${c.abandoned} abandoned`] : []),
    ...(c.restarted > 0 ? [`${c.restarted} restarted`] : []),
    ...(c.withEvidence > 0 ? [`${c.withEvidence} backed by evidence from a cluster`] : []),
  ];
  const top = d.reasons[0] ? ` Most common reason: ${d.reasons[0].text}` : '';
  return clip(`${head}: ${parts.join(', ')}.${top}`, 3000);
}
