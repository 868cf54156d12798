import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/digest/build.js';
import { bar, DIGEST_EVENT, digestMessage, listSection } from '../../../src/slack/blocks/digest.js';
import { validateMessage } from '../../../src/slack/blocks/limits.js';
import { stats } from '../../support/digest.js';
import { questionnaire as q } from '../../support/questionnaire.js';

const ctx = {
  teamId: 'T1',
  channelId: 'C1',
  trigger: 'scheduled' as const,
  cadence: 'daily' as const,
  period: { start: Date.parse('2025-06-02T07:00:00Z'), end: Date.parse('2025-06-03T07:00:00Z') },
  tz: 'Europe/Berlin',
  idleMs: 14 * 86_400_000,
};
const text = (m: { blocks: unknown[] }) => JSON.stringify(m.blocks);

describe('digest message', () => {
  it('says the period, the counts, the verdicts with bars, reasons, open risks and links to threads', () => {
    const d = buildDigest(q, stats(), ctx);
    const links = { '1750000000.000001': 'https://slack.test/archives/C1/p1750000000000001' };
    const m = digestMessage(d, links);
    expect(validateMessage(m)).toEqual([]);
    const all = text(m);
    expect(all).toContain('Daily digest: Kubernetes hosting assessments');
    expect(all).toContain('<!date^1748847600^{date_short_pretty} {time}|Mon 2 Jun, 09:00>');
    expect(all).toContain('`█████░░░░░` *2* :cloud: Managed Kubernetes (50%)');
    expect(all).toContain('`░░░░░░░░░░` *0* :house: Self-hosted Kubernetes (0%)');
    expect(all).toContain('*3×* A small or Kubernetes-new team');
    expect(all).toContain('*4 of 4* Which provider access bypasses');
    expect(all).toContain(
      '<https://slack.test/archives/C1/p1750000000000001|:cloud: Managed Kubernetes> for <@U1>',
    );
    expect(all).toContain(':shield: Managed Kubernetes, with safeguards for <@U3>');
    expect(all).toContain('*Backed by evidence*\\n2 of those completed, from a cluster');
    expect(m.metadata).toMatchObject({
      event_type: DIGEST_EVENT,
      event_payload: {
        started: 5,
        completed: 4,
        with_evidence: 2,
        outcomes: { managed: 2, self_hosted_required: 1 },
      },
    });
  });

  it('has a plain-text fallback with the period and the split', () => {
    const m = digestMessage(buildDigest(q, stats(), ctx));
    expect(m.text).toBe(
      'Daily digest: Kubernetes hosting assessments for <#C1>, Mon 2 Jun, 09:00 – Tue 3 Jun, 09:00 (Europe/Berlin): ' +
        '5 started, 4 completed (2 Managed Kubernetes, 1 Managed Kubernetes, with safeguards, 1 Self-hosted Kubernetes (required)), ' +
        '1 still in progress, 1 abandoned, 1 restarted, 2 backed by evidence from a cluster. Most common reason: A small or Kubernetes-new team gains the most from handing the control plane to someone else.',
    );
  });

  it('says so when nothing happened', () => {
    const quiet = stats({
      started: 0,
      completed: 0,
      abandoned: 0,
      inProgress: 0,
      outcomes: {},
      completedList: [],
    });
    const m = digestMessage(buildDigest(q, quiet, { ...ctx, trigger: 'manual', cadence: null }));
    expect(validateMessage(m)).toEqual([]);
    expect(text(m)).toContain('Nothing new');
    expect(text(m)).toContain('Digest so far');
    expect(m.text).toMatch(/: nothing new\.$/);
  });

  it('stays within Slack’s limits on a huge period, cutting lists with "and N more"', () => {
    const long = 'x'.repeat(900);
    const many = stats({
      completed: 1234,
      reasons: Array.from({ length: 40 }, (_, i) => ({ itemId: `team:${i}`, count: 40 - i })),
      openRisks: Array.from({ length: 12 }, (_, i) => ({ itemId: `risk${i}`, count: 12 - i })),
      completedList: Array.from({ length: 10 }, (_, i) => ({
        id: `a${i}`,
        userId: `U${i}`,
        threadTs: `1750000000.${i}`,
        outcome: 'managed',
        completedAt: 1_750_000_000_000,
      })),
    });
    const d = buildDigest(q, many, ctx);
    d.reasons = d.reasons.map((r) => ({ ...r, text: long }));
    const links = Object.fromEntries(
      d.completedList.map((a) => [a.threadTs, `https://x.test/${'p'.repeat(300)}`]),
    );
    const m = digestMessage(d, links);
    expect(validateMessage(m)).toEqual([]);
    const all = text(m);
    expect(all).toContain('…and 35 more');
    expect(all).toContain('…and 7 more');
    const listed = m.blocks.at(-2) as unknown as { text: { text: string } };
    const shown = listed.text.text.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(shown).toBeGreaterThan(0);
    expect(listed.text.text).toContain(`…and ${1234 - shown} more`);
    // Whole lines only: every link and date that starts also ends.
    expect(listed.text.text.split('<').length).toBe(listed.text.text.split('>').length);
  });
});

describe('pieces', () => {
  it('draws bars with at least one block for anything above zero', () => {
    expect(bar(0, 10)).toBe('░░░░░░░░░░');
    expect(bar(1, 100)).toBe('█░░░░░░░░░');
    expect(bar(10, 10)).toBe('██████████');
    expect(bar(3, 0)).toBe('░░░░░░░░░░');
  });

  it('cuts a list to 3000 characters, counting what it dropped', () => {
    const block = listSection(
      '*T*',
      Array.from({ length: 20 }, () => 'y'.repeat(390)),
      3,
      20,
    );
    const t = (block.text as { text: string }).text;
    expect(t.length).toBeLessThanOrEqual(3000);
    const kept = t.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(t).toMatch(new RegExp(`_…and ${20 - kept + 3} more_$`));
  });
});
