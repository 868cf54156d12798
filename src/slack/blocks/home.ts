import type { Questionnaire } from '../../advisor/questionnaire.js';
import { progress, type Session } from '../../advisor/session.js';
import type { AssessmentPage } from '../../advisor/user-data.js';
import { type Block, button, context, divider, esc, header, section } from './text.js';

export interface HomeView {
  type: 'home';
  blocks: Block[];
  [key: string]: unknown;
}

export interface HomeOptions {
  /** Assessment id → link to its thread. */
  links: Record<string, string>;
  now: number;
  /** An assessment in progress idle this long has expired (as the service decides). */
  idleMs: number;
}

/** A date Slack shows in the reader's time zone, with the UTC day as the fallback. */
const when = (ms: number) =>
  `<!date^${Math.floor(ms / 1000)}^{date_short_pretty}|${new Date(ms).toISOString().slice(0, 10)}>`;

const where = (channelId: string) =>
  channelId.startsWith('D') ? 'in our direct messages' : `in <#${channelId}>`;

const linked = (url: string | undefined, text: string) => (url ? `<${url}|${text}>` : text);

function entry(q: Questionnaire, s: Session, opts: HomeOptions): Block {
  const link = opts.links[s.id];
  const started = `started ${when(s.createdAt)}`;
  if (s.status === 'completed' && s.outcome) {
    const o = q.outcomes[s.outcome];
    // A decision kept through a restart: still a decision, no longer the thread's current verdict.
    const restarted = s.archivedAt === undefined ? '' : ` · started again ${when(s.archivedAt)}`;
    return section(
      `${o.emoji} *${linked(link, esc(o.title))}*\nCompleted ${when(s.completedAt ?? s.updatedAt)} ${where(s.channelId)} · ${started}${restarted}`,
    );
  }
  const p = progress(q, s);
  if (opts.now - s.updatedAt > opts.idleMs) {
    return section(
      `:zzz: *${linked(link, `Expired at question ${p.index} of ${p.total}`)}*\nIdle since ${when(s.updatedAt)} ${where(s.channelId)} · reply \`restart\` in its thread to begin again`,
    );
  }
  return section(
    `:hourglass_flowing_sand: *${linked(link, `In progress — question ${p.index} of ${p.total}`)}*\nLast change ${when(s.updatedAt)} ${where(s.channelId)} · ${started}`,
  );
}

function pager(page: AssessmentPage): Block[] {
  if (page.pages <= 1) return [];
  const buttons = [
    ...(page.page > 1 ? [button('← Newer', 'home:page:prev', String(page.page - 1))] : []),
    ...(page.page < page.pages ? [button('Older →', 'home:page:next', String(page.page + 1))] : []),
  ];
  return [
    context(`Page ${page.page} of ${page.pages}`),
    { type: 'actions', block_id: 'home:pages', elements: buttons },
  ];
}

/**
 * The App Home tab: what the advisor is, a button to start an assessment, and the person's assessments, newest
 * change first, one page at a time. A page holds at most 20 (HOME_PAGE_SIZE): 28 blocks, far below the 100 a Home
 * view allows, and few permalinks to look up per open.
 */
export function homeView(q: Questionnaire, page: AssessmentPage, opts: HomeOptions): HomeView {
  const first = (page.page - 1) * page.pageSize + 1;
  const summary =
    page.total === 0
      ? [section('You have no assessments yet. Start one above; it takes a few minutes.')]
      : [
          context(
            `${page.total} assessment${page.total === 1 ? '' : 's'}` +
              (page.pages > 1 ? ` · ${first}–${first + page.sessions.length - 1} shown` : ''),
          ),
          ...page.sessions.map((s) => entry(q, s, opts)),
        ];
  return {
    type: 'home',
    blocks: [
      header(q.title),
      section(
        'A handful of questions about your team and clusters, and a recommendation: managed or self-hosted ' +
          'Kubernetes, security first, with the reasons and the open questions about trusting a provider.',
      ),
      {
        type: 'actions',
        block_id: 'home:actions',
        elements: [button('Start a new assessment', 'home:start', 'start', 'primary')],
      },
      context(
        'It runs in a thread of our direct messages. In a channel, type `/k8s-advisor` instead; ' +
          '`/k8s-advisor export` sends you everything stored about you, `/k8s-advisor forget-me` deletes it.',
      ),
      divider(),
      header('Your assessments'),
      ...summary,
      ...pager(page),
    ],
  };
}
