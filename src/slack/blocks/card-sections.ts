import type { Reason } from '../../advisor/decide.js';
import type { Guidance } from '../../advisor/guidance.js';
import type { Fact, Questionnaire } from '../../advisor/questionnaire.js';
import type { Recommendation } from '../../advisor/recommend.js';
import { isManaged, type RiskItem } from '../../advisor/risks.js';
import { evidenceRiskStatus } from './card-evidence.js';
import { evidenceMark } from './evidence.js';
import { type Block, bulletSections, esc, section } from './text.js';

/** A fact with its source and the date it was checked, as every vendor claim on the card is shown. */
export function factText(f: Fact | { text: string }): string {
  if (!('source' in f)) return esc(f.text);
  return `${esc(f.text)} _(<${f.source.replaceAll('>', '%3E').replaceAll('|', '%7C')}|source>, checked ${f.checked})_`;
}

/** The two judgments, each with its level, and the line saying which one decided. */
export function judgmentBlocks(q: Questionnaire, rec: Recommendation): Block[] {
  const { decision } = rec;
  const j = q.judgments;
  const acc = decision.acceptability;
  const need = decision.need;
  const facts = rec.evidence?.facts;
  const reason = (r: Reason) =>
    r.fromEvidence && facts ? `${esc(r.text)} _(${evidenceMark(facts)})_` : esc(r.text);
  const mark = (by: 'need' | 'acceptability') =>
    decision.decidedBy === by || decision.decidedBy === 'both' ? ' :point_left: _decided it_' : '';
  const blocks: Block[] = [
    section(
      [
        `*${esc(j.acceptability.title)}* ${esc(j.acceptability.levels[acc.level])}${mark('acceptability')}`,
        `*${esc(j.need.title)}* ${esc(j.need.levels[need.level])}${mark('need')}`,
        esc(j.explanations[decision.explanation]),
      ].join('\n'),
      'judgments',
    ),
  ];
  if (acc.reasons.length > 0) {
    blocks.push(
      ...bulletSections(
        `*Why, on the provider* (${esc(j.acceptability.levels[acc.level])})`,
        acc.reasons.map(reason),
      ),
    );
  }
  if (need.reasons.length > 0) {
    blocks.push(
      ...bulletSections(
        `*Why, on your team and clusters* (${esc(j.need.levels[need.level])})`,
        need.reasons.map((r) => esc(r.text)),
      ),
    );
  }
  return blocks;
}

/** Unknowns first: what to find out before committing, with how to find it out on the named provider. */
export function findOutBlocks(g: Guidance): Block[] {
  if (g.findOut.length === 0) return [];
  return bulletSections(
    ':mag: *Answer these before you commit*',
    g.findOut.map(
      (f) =>
        `*${esc(f.short.charAt(0).toUpperCase() + f.short.slice(1))}:* ${f.steps.map(factText).join(' ')}`,
    ),
  );
}

export function guidanceBlocks(g: Guidance): Block[] {
  const blocks: Block[] = [];
  if (g.controls) {
    const who = g.controls.provider ? `${esc(g.controls.provider)} controls` : 'Provider controls';
    const title =
      g.controls.mode === 'switch_on' ? `*${who} to switch on before you commit*` : `*${who} to keep on*`;
    blocks.push(...bulletSections(title, g.controls.items.map(factText)));
  }
  if (g.middlePaths.length > 0) {
    blocks.push(
      ...bulletSections(
        '*Between a public managed service and doing it all yourselves*',
        g.middlePaths.map((m) => `*${esc(m.title)}:* ${esc(m.text)} ${m.examples.map(factText).join(' ')}`),
      ),
    );
  }
  if (g.siteNote) blocks.push(section(`:warning: *Where it runs:* ${esc(g.siteNote)}`));
  if (g.distributions.length > 0) {
    blocks.push(...bulletSections('*Hardened distributions to start from*', g.distributions.map(factText)));
  }
  return blocks;
}

export function responsibilityBlocks(rec: Recommendation): Block[] {
  const resp = rec.responsibility;
  const blocks: Block[] = [];
  if (resp.providerTakes.length > 0) {
    blocks.push(...bulletSections('*What the provider takes off your plate*', resp.providerTakes.map(esc)));
  }
  if (resp.youTakeOn.length > 0) {
    blocks.push(...bulletSections('*What you take on by running it yourselves*', resp.youTakeOn.map(esc)));
  }
  blocks.push(...bulletSections('*What stays yours*', resp.staysYours.map(esc)));
  if (resp.providerNotes.length > 0) {
    blocks.push(...bulletSections('*On this provider*', resp.providerNotes.map(factText)));
  }
  return blocks;
}

const RISK_MARK: Record<RiskItem['status'], string> = {
  answered: ':white_check_mark:',
  concern: ':warning:',
  open: ':grey_question:',
};

function riskLine(r: RiskItem, rec: Recommendation): string {
  const facts = rec.evidence?.facts;
  const marked = r.fromEvidence && facts && r.evidence === undefined ? ` (${evidenceMark(facts)})` : '';
  const status =
    evidenceRiskStatus(r, facts) ??
    (r.status === 'open'
      ? `*still open*${r.answer ? ` (you said _${esc(r.answer)}_)` : ''}`
      : `${r.status === 'concern' ? 'a concern: ' : 'answered: '}_${esc(r.answer ?? '')}_${marked}`);
  const note = r.note ? `\n      ${factText(r.note)}` : '';
  return `${RISK_MARK[r.status]} ${esc(r.question)} ${status}${note}`;
}

/** The register heading says which register it is: trusting the provider, or running it yourselves. */
export function riskTitle(rec: Recommendation): string {
  return isManaged(rec.decision.outcome)
    ? 'Risk questions about trusting the provider'
    : 'Risks of running it yourselves';
}

export function riskBlocks(rec: Recommendation): Block[] {
  const open = rec.risks.filter((r) => r.status === 'open').length;
  return bulletSections(
    `*${riskTitle(rec)}* (${open} of ${rec.risks.length} still open)`,
    rec.risks.map((r) => riskLine(r, rec)),
  );
}
