import { describe, expect, it } from 'vitest';
import { adrMarkdown } from '../../../src/advisor/adr.js';
import type { AssessmentEvidence } from '../../../src/advisor/evidence.js';
import { exportJson } from '../../../src/advisor/export.js';
import { recommend } from '../../../src/advisor/recommend.js';
import { newSession, type Session } from '../../../src/advisor/session.js';
import { EVIDENCE_COMMAND } from '../../../src/evidence/index.js';
import { recommendationMessage } from '../../../src/slack/blocks/card.js';
import {
  evidenceAcceptedMessage,
  evidenceHelpText,
  evidenceNotOwnerText,
  evidenceRefusedMessage,
} from '../../../src/slack/blocks/evidence.js';
import { validateMessage } from '../../../src/slack/blocks/limits.js';
import { hostileFacts } from '../../support/evidence.js';
import { answers, opt, questionnaire as q, skipped } from '../../support/questionnaire.js';

const key = { teamId: 'T1', channelId: 'C1', threadTs: '1.0001', userId: 'U1' };

function completed(a: Session['answers'], evidence?: AssessmentEvidence): Session {
  const s: Session = { ...newSession(key, q, 'a1', 0), status: 'completed', answers: a, completedAt: 0 };
  return evidence ? { ...s, evidence, outcome: recommend(q, { answers: a, evidence }).decision.outcome } : s;
}

const card = (s: Session) => recommendationMessage(q, s, recommend(q, s));
const all = (m: { text: string; blocks: unknown[] }) => `${m.text}${JSON.stringify(m.blocks)}`;

/** Nothing from a hostile name may reach Slack as markup: no mention, ping, link, and every name literal. */
function expectInert(rendered: string) {
  for (const bad of ['<@U0ADMIN>', '<!channel>', '<!here>', '<https://evil', '`tick`'])
    expect(rendered).not.toContain(bad);
}

describe('the card with evidence from a cluster', () => {
  it('gains an Evidence section: provider, cluster-admin subjects, the provider’s own by name, the findings', () => {
    const m = card(completed(answers(), hostileFacts()));
    expect(validateMessage(m)).toEqual([]);
    const section = JSON.stringify(m.blocks.find((b) => b.block_id === 'evidence'));
    expect(section).toContain('Evidence from your cluster');
    expect(section).toContain('Amazon EKS');
    expect(section).toContain('5 subjects, 2 of them yours');
    expect(section).toContain('`eks:addon-manager`');
    expect(section).toContain('Creator still an admin: *yes*');
    expect(section).toContain('Local accounts work: *no*');
    expect(section).toContain('Control-plane audit logs on: *no*');
    expect(section).toContain('2026-12-03 09:00 UTC');
    expect(section).toContain('Partial: 1 thing could not be read');
    expectInert(all(m));
  });

  it('shows the evidence’s answer in place of the self-graded one, saying where it came from', () => {
    const m = card(completed(answers({ access_lockdown: opt('yes') }), hostileFacts()));
    const fields = JSON.stringify(m.blocks.find((b) => b.block_id === 'answers'));
    expect(fields).toContain(
      'No _(from evidence, `prod *bold* &lt;@U0ADMIN&gt; &lt;!channel&gt; ˋtickˋ`, 2026-12-03 09:00 UTC)_',
    );
    expect(fields).toContain('(you said _Yes_)');
    const why = JSON.stringify(m.blocks);
    expect(why).toContain("Your cluster shows the provider's access is not held in check");
    expect(why).toMatch(/a concern: _the identity that created the cluster is still an admin/);
  });

  it('lists the answer even when the evidence answered before the question was asked', () => {
    const a = answers();
    delete a.access_lockdown;
    const m = card(completed(a, hostileFacts({ creatorAdmin: 'no', auditLogs: 'yes' })));
    const fields = JSON.stringify(m.blocks.find((b) => b.block_id === 'answers'));
    expect(fields).toContain('Restricting the provider');
    expect(fields).toContain('Partly _(from evidence');
    expect(fields).not.toContain('you said');
  });

  it('says why evidence from another provider or a self-run cluster answers nothing', () => {
    const other = JSON.stringify(card(completed(answers({ provider: opt('gke') }), hostileFacts())).blocks);
    expect(other).toContain('This cluster runs on Amazon EKS, but you named Google GKE');
    const own = JSON.stringify(card(completed(answers(), hostileFacts({ provider: 'kubeadm' }))).blocks);
    expect(own).toContain('a cluster you run yourselves');
  });

  it('carries the evidence in the metadata as plain strings, numbers and booleans', () => {
    const m = card(completed(answers({ access_lockdown: skipped }), hostileFacts()));
    const payload = m.metadata?.event_payload as Record<string, unknown>;
    expect(payload).toMatchObject({
      outcome: 'managed_with_safeguards',
      evidence: true,
      evidence_cluster: 'prod *bold* <@U0ADMIN> <!channel> `tick`',
      evidence_at: '2026-12-03T09:00:00.000Z',
      evidence_provider: 'eks',
      evidence_scope: 'provider',
      evidence_answers: { access_lockdown: 'no' },
      evidence_cluster_admin_subjects: 5,
      evidence_provider_subjects: 3,
      evidence_creator_admin: 'yes',
      evidence_local_accounts: 'no',
      evidence_audit_logs: 'no',
      evidence_partial: true,
    });
    expect(String(payload.evidence_risks).split(',')).toEqual(
      expect.arrayContaining(['role_lockdown', 'creator_admin', 'break_glass', 'outsider_access']),
    );
    expect(String(payload.unknowns)).not.toContain('access_lockdown');
    for (const value of Object.values(payload)) expect(Array.isArray(value)).toBe(false);
    expect(card(completed(answers())).metadata?.event_payload).toMatchObject({ evidence: false });
  });

  it('stays within Block Kit limits with every name at its longest', () => {
    const long = (c: string) => c.repeat(300);
    const e = hostileFacts({
      cluster: long('<'),
      kubernetesVersion: long('v'),
      providerSubjects: Array.from({ length: 10 }, (_, i) => long(String(i))),
      providerSubjectCount: 400,
    });
    for (const a of [answers(), answers({ provider_access: opt('no'), team: opt('small') })]) {
      const m = card(completed(a, e));
      expect(validateMessage(m)).toEqual([]);
      expect(JSON.stringify(m.blocks)).toContain('and ');
    }
  });
});

describe('the replies to an upload', () => {
  it('refuses with the reason, the file name made literal, and that nothing changed', () => {
    const m = evidenceRefusedMessage('<@U0ADMIN> *evil*.json', 'The evidence file is not valid JSON.');
    expect(validateMessage(m)).toEqual([]);
    expect(all(m)).toContain('Nothing in this assessment changed');
    expect(all(m)).toContain(EVIDENCE_COMMAND);
    expect(all(m)).toContain('`&lt;@U0ADMIN&gt; *evil*.json`');
    expect(all(m)).not.toContain('<@U0ADMIN>');
    expect(all(evidenceRefusedMessage('x', '<!channel> & co'))).not.toContain('<!channel>');
  });

  it('tells someone else privately that their file changes nothing', () => {
    expect(evidenceNotOwnerText('U1')).toContain('belongs to <@U1>');
    expect(evidenceNotOwnerText('U1')).toContain('changes nothing');
  });

  it('accepts with what it answered and how the verdict moved', () => {
    const before = completed(answers());
    const after = completed(answers(), hostileFacts());
    const m = evidenceAcceptedMessage(q, {
      kind: 'attached',
      before: { ...before, outcome: 'managed' },
      askedBefore: null,
      step: { kind: 'done', session: after, recommendation: recommend(q, after) },
    });
    expect(validateMessage(m)).toEqual([]);
    expect(all(m)).toContain('is now part of this assessment');
    expect(all(m)).toContain('It answers _restricting the provider');
    expect(all(m)).toContain('The verdict changes to :shield: *Managed Kubernetes, with safeguards*');
    expectInert(all(m));
  });

  it('says which evidence it replaced, and when one more question comes before the card', () => {
    const before = completed(answers(), hostileFacts({ cluster: 'old-one' }));
    const after = { ...completed(answers()), status: 'active' as const, evidence: hostileFacts() };
    const m = evidenceAcceptedMessage(q, {
      kind: 'attached',
      before,
      askedBefore: null,
      step: {
        kind: 'ask',
        session: after,
        question: q.questions.find((x) => x.id === 'self_host_site') as never,
        progress: { index: 11, total: 11 },
      },
    });
    expect(all(m)).toContain('It replaces the evidence from `old-one`');
    expect(all(m)).toContain('one more question applies before the card');
  });

  it('explains, for `/k8s-advisor evidence`, the command line, what it reads and never reads, and where the file goes', () => {
    const help = evidenceHelpText();
    expect(help).toContain(EVIDENCE_COMMAND);
    expect(help).toContain('What it reads');
    expect(help).toContain('never reads');
    expect(help).toContain('Secrets');
    expect(help).toContain('thread');
    expect(help.length).toBeLessThan(3000);
  });
});

describe('evidence in the decision record and the export', () => {
  it('the ADR includes the evidence summary, names written literally, and marks what it answered', () => {
    const s = completed(answers(), hostileFacts());
    const md = adrMarkdown(q, s, recommend(q, s), { ownerName: 'Alex', date: '2026-12-04' });
    expect(md).toContain('### Evidence from the cluster');
    expect(md).toContain('Cluster: prod \\*bold\\* &lt;@U0ADMIN&gt; &lt;!channel&gt; \\`tick\\`');
    expect(md).toContain('&lt;https://evil.example\\|click me&gt;');
    expect(md).toContain('Creator still an admin: yes');
    expect(md).toContain('It answered "restricting the provider');
    expect(md).toMatch(/not held in check[^\n]*\(from evidence, prod/);
    expect(md).not.toContain('<@U0ADMIN>');
    expect(md).not.toContain('<https://');
  });

  it('the export carries the stored evidence with what it answered', () => {
    const s = completed(answers(), hostileFacts());
    const doc = JSON.parse(
      exportJson(q, [s, completed(answers())], (x) => recommend(q, x), {
        teamId: 'T1',
        userId: 'U1',
        ownerName: 'Alex',
        exportedAt: 0,
        links: {},
      }),
    );
    expect(doc.assessments[0].evidence).toMatchObject({
      cluster: 'prod *bold* <@U0ADMIN> <!channel> `tick`',
      provider: 'eks',
      creatorAdmin: 'yes',
      attachedAt: '2026-12-03T09:00:00.000Z',
      scope: 'provider',
      answered: [{ questionId: 'access_lockdown', optionId: 'no', label: 'No' }],
    });
    expect(doc.assessments[1].evidence).toBeNull();
  });
});
