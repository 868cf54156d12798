import { describe, expect, it } from 'vitest';
import { adrMarkdown } from '../../src/advisor/adr.js';
import { createAdvisorService } from '../../src/advisor/service.js';
import { newSession, type Session } from '../../src/advisor/session.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { answers, opt, questionnaire as q, skipped } from '../support/questionnaire.js';

const service = createAdvisorService({ store: openSqliteStore(':memory:'), questionnaire: q });
const key = { teamId: 'T1', channelId: 'C1', threadTs: '1.1', userId: 'U1' };
const record = (a: Session['answers']) => {
  const s: Session = { ...newSession(key, q, 'a-42', 0), status: 'completed', answers: a, completedAt: 0 };
  return adrMarkdown(q, s, service.recommend(s), {
    ownerName: 'Alex Doe',
    date: '2026-11-29',
    link: 'https://x/p1',
  });
};

describe('the decision record', () => {
  it('follows MADR: title, metadata, context, drivers, options, outcome, consequences, risks, answers', () => {
    const md = record(answers({ provider_access: opt('with_controls'), access_lockdown: skipped }));
    const order = [
      '# Managed Kubernetes, with safeguards for our Kubernetes clusters',
      '- Deciders: Alex Doe',
      '- Date: 2026-11-29',
      '- Discussion: https://x/p1',
      '## Context and problem statement',
      '## Decision drivers',
      '## Considered options',
      '- Managed Kubernetes, with safeguards (chosen)',
      '## Decision outcome',
      'Chosen option: "Managed Kubernetes, with safeguards", because',
      '### Consequences',
      'Good: the provider takes on',
      '## Risk questions about trusting the provider',
      "- [ ] How far can the provider's access roles be locked down without breaking the service? (open)",
      '## Answers given',
      '| Question | Answer |',
    ];
    let at = -1;
    for (const line of order) {
      const next = md.indexOf(line, at + 1);
      expect(next, line).toBeGreaterThan(at);
      at = next;
    }
  });

  it('records what self-hosting takes on, and the warning for a small team', () => {
    const md = record(answers({ team: opt('small'), provider_access: opt('no') }));
    expect(md).toContain('Good: no provider holds admin access inside the clusters');
    expect(md).toContain('## Risks of running it ourselves');
    expect(md).not.toContain('trusting the provider');
    expect(md).toContain('### Hardened distributions to start from');
    expect(md).toContain('Bad: we take on etcd backups, and rehearsed restores');
    expect(md).toContain('> Warning: Running Kubernetes with a small or new team');
  });

  it('says plainly that the same cloud still holds the infrastructure when self-hosting there', () => {
    const md = record(answers({ provider_access: opt('no'), self_host_site: opt('same_cloud') }));
    expect(md).not.toContain('Good: no provider holds');
    expect(md).toMatch(/Mixed: no provider holds admin access inside the clusters, but .*hypervisor/);
  });

  it('lists the provider checklist with sources, and what to find out first', () => {
    const md = record(answers({ team: opt('small'), provider: opt('eks'), access_lockdown: opt('unknown') }));
    expect(md).toContain('### To find out before we commit');
    expect(md).toMatch(
      /### Amazon EKS controls to switch on before we commit\n\n- .*\(\[source\]\(https:\/\/docs\.aws\.amazon\.com\//,
    );
    expect(md).toContain('questionnaire version 2');
  });

  it('keeps the answers table intact when text holds a pipe', () => {
    const custom = structuredClone(q);
    const team = custom.questions[0];
    if (team) team.prompt = 'Team | size';
    const s: Session = {
      ...newSession(key, custom, 'a', 0),
      status: 'completed',
      answers: answers(),
      completedAt: 0,
    };
    const md = adrMarkdown(custom, s, service.recommend(s), { ownerName: 'A', date: '2026-01-01' });
    expect(md).toContain('| Team \\| size |');
  });
});
