// The kill -9 scenario in the summary: its budget (no acknowledged answer lost) and its Markdown.

import { logBullets } from './app-log.js';
import { atMost, type Budget, type NotRun, notRunNote } from './budgets.js';
import type { KillFigures, KillOptions } from './kill.js';

export interface KillSummary {
  config: { threads: number; killAfter: number; settleSeconds: number };
  sqlite: KillFigures | NotRun;
  postgres: KillFigures | NotRun;
}

export const killConfig = (o: KillOptions): KillSummary['config'] => ({
  threads: o.threads,
  killAfter: o.killAfter,
  settleSeconds: o.settleMs / 1000,
});

const ENGINE_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

export function killBudgets(s: KillSummary): Budget[] {
  return (['sqlite', 'postgres'] as const).flatMap((engine) => {
    const k = s[engine];
    if ('skipped' in k) return [];
    const name = `Kill -9 (${ENGINE_NAME[engine]}): acknowledged answers lost`;
    return [atMost(name, 'lost' in k ? k.lost : null, 0, notRunNote(k))];
  });
}

export function killMarkdown(s: KillSummary): string[] {
  const c = s.config;
  const lines = [
    '### kill -9 while answering',
    '',
    `${c.threads} assessments started and waiting at their first question, then answered all at once (half thread ` +
      `replies, half button clicks); the app is killed with SIGKILL the moment ${c.killAfter} answers have been ` +
      `acknowledged (HTTP 200), restarted on the same store, and given ${c.settleSeconds} s for the Slack calls it ` +
      'still owes. The store is then read through the app’s own adapter (`src/store/open.ts`).',
    '',
    '| store | acknowledged (200) | acknowledged, not stored (**lost**) | not acknowledged | not acknowledged, stored anyway | next question before the restart | after the restart | never | restart to ready |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const engine of ['sqlite', 'postgres'] as const) {
    const k = s[engine];
    if (!('lost' in k)) {
      lines.push(`| ${ENGINE_NAME[engine]} | ${notRunNote(k)} | | | | | | | |`);
      continue;
    }
    const notAcked = Object.entries(k.notAcknowledged)
      .map(([why, n]) => `${n} (${why})`)
      .join(', ');
    const late = k.killedOnTime ? '' : ` (fewer than ${k.killAfter}: killed after the last response)`;
    lines.push(
      `| ${ENGINE_NAME[engine]} | ${k.acknowledged}${late} | **${k.lost}** | ${notAcked || '0'} | ${k.unacknowledgedStored} | ${k.nextQuestion['before restart']} | ${k.nextQuestion['after restart']} | ${k.nextQuestion.never} | ${k.restartMs} ms |`,
    );
  }
  const errors = (['sqlite', 'postgres'] as const).flatMap((engine) => {
    const k = s[engine];
    return 'lost' in k ? logBullets(ENGINE_NAME[engine], k.appErrorLines, k.appErrors) : [];
  });
  if (errors.length)
    lines.push('', 'App log lines at level error (the killed process and the restarted one):', '', ...errors);
  return lines;
}
