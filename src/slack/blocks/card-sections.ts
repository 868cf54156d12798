import type { Reason } from '../../advisor/decide.js';
import type { Guidance } from '../../advisor/guidance.js';
import type { Fact, Questionnaire } from '../../advisor/questionnaire.js';
import type { Recommendation } from '../../advisor/recommend.js';
import { isManaged, type RiskItem } from '../../advisor/risks.js';
import { evidenceRiskStatus } from './card-evidence.js';
import { evidenceMark } from './evidence.js';
import { type Block, bulletSections, context, esc, section } from './text.js';

/**
 * The card is read in a thread pane, so it says each thing once and briefly: vendor facts appear as links named
 * by their title, to the page each was checked against, with the check date said once below; the full wording of
 * every fact, note and question is in the decision record.
 */

type Sourced = Fact | { text: string };

const href = (url: string) => url.replaceAll('>', '%3E').replaceAll('|', '%7C');

/** A fact as a link to its source, named by its title (or its text); plain text when it has no source. */
export function factLink(f: Sourced): string {
  if (!('source' in f)) return esc(f.text);
  return `<${href(f.source)}|${esc(f.title ?? f.text)}>`;
}

/** A fact in full, with its source and check date: where there is room for one (the steps to settle unknowns). */
export function factText(f: Sourced): string {
  if (!('source' in f)) return esc(f.text);
  return `${esc(f.text)} _(<${href(f.source)}|source>, checked ${f.checked})_`;
}

const lines = (title: string, items: string[]) => [title, ...items.map((l) => `• ${l}`)].join('\n');

/** The two judgments, each with its level, the line saying which one decided, and the strongest reasons. */
export function judgmentBlocks(q: Questionnaire, rec: Recommendation): Block[] {
  const { decision } = rec;
  const j = q.judgments;
  const facts = rec.evidence?.facts;
  const reason = (r: Reason) =>
    r.fromEvidence && facts ? `${esc(r.text)} _(${evidenceMark(facts)})_` : esc(r.text);
  const mark = (by: 'need' | 'acceptability') =>
    decision.decidedBy === by || decision.decidedBy === 'both' ? ' :point_left: _decided it_' : '';
  const blocks: Block[] = [
    section(
      [
        `*${esc(j.acceptability.title)}* ${esc(j.acceptability.levels[decision.acceptability.level])}${mark('acceptability')}`,
        `*${esc(j.need.title)}* ${esc(j.need.levels[decision.need.level])}${mark('need')}`,
        esc(j.explanations[decision.explanation]),
      ].join('\n'),
      'judgments',
    ),
  ];
  if (decision.reasons.length > 0) {
    blocks.push(section(lines('*Why, from your answers*', decision.reasons.map(reason)), 'why'));
  }
  return blocks;
}

/** Unknowns first: what to find out before committing, with how to find it out on the named provider. */
export function findOutBlocks(g: Guidance): Block[] {
  if (g.findOut.length === 0) return [];
  const items = g.findOut.map(
    (f) => `*${esc(f.short.charAt(0).toUpperCase() + f.short.slice(1))}:* ${f.steps.map(factText).join(' ')}`,
  );
  // Split over sections when long: each step is a vendor fact in full, with its source.
  return bulletSections(':mag: *Answer these before you commit*', items);
}

/** The provider's controls, the middle paths, the site warning and the distributions, each briefly. */
export function guidanceBlocks(g: Guidance): Block[] {
  const blocks: Block[] = [];
  if (g.controls) {
    const who = g.controls.provider ? `${esc(g.controls.provider)} controls` : 'Provider controls';
    const title =
      g.controls.mode === 'switch_on' ? `*${who} to switch on before you commit*` : `*${who} to keep on*`;
    blocks.push(section(lines(title, g.controls.items.map(factLink)), 'controls'));
  }
  if (g.middlePaths.length > 0) {
    const items = g.middlePaths.map((m) => `*${esc(m.title)}:* ${m.examples.map(factLink).join(' · ')}`);
    blocks.push(
      section(lines('*Between public managed and doing it all yourselves*', items), 'middle-paths'),
    );
  }
  if (g.siteNote) blocks.push(section(`:warning: *Where it runs:* ${esc(g.siteNote)}`, 'site'));
  if (g.distributions.length > 0) {
    blocks.push(
      section(
        `*Start from a hardened distribution:* ${g.distributions.map(factLink).join(' · ')}`,
        'distributions',
      ),
    );
  }
  return blocks;
}

export function responsibilityBlocks(rec: Recommendation): Block[] {
  const resp = rec.responsibility;
  const parts: string[] = [];
  if (resp.providerTakes.length > 0)
    parts.push(lines('*What the provider takes off your plate*', resp.providerTakes.map(esc)));
  if (resp.youTakeOn.length > 0)
    parts.push(lines('*What you take on by running it yourselves*', resp.youTakeOn.map(esc)));
  parts.push(lines('*What stays yours*', resp.staysYours.map(esc)));
  if (resp.providerNotes.length > 0)
    parts.push(`*On this provider:* ${resp.providerNotes.map(factLink).join(' · ')}`);
  return [section(parts.join('\n\n'), 'responsibility')];
}

const RISK_MARK: Record<RiskItem['status'], string> = {
  answered: ':white_check_mark:',
  concern: ':warning:',
  open: ':grey_question:',
};

/** One line a risk: its question, where it stands, and a link to what to check on the named provider. */
function riskLine(r: RiskItem, rec: Recommendation): string {
  const facts = rec.evidence?.facts;
  const marked = r.fromEvidence && facts && r.evidence === undefined ? ` (${evidenceMark(facts)})` : '';
  const status =
    evidenceRiskStatus(r, facts) ??
    (r.status === 'open'
      ? `*still open*${r.answer ? ` (you said _${esc(r.answer)}_)` : ''}`
      : `${r.status === 'concern' ? 'a concern: ' : 'answered: '}_${esc(r.answer ?? '')}_${marked}`);
  const note = r.note && 'source' in r.note ? ` · ${factLink({ ...r.note, title: 'what to check' })}` : '';
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
  // Split over sections when long: evidence can add a line to several risks.
  return bulletSections(
    `*${riskTitle(rec)}* (${open} of ${rec.risks.length} still open)`,
    rec.risks.map((r) => riskLine(r, rec)),
  );
}

/** When the vendor facts on the card were checked: said once, or per date when they differ. */
export function checkedLine(rec: Recommendation): Block[] {
  const g = rec.guidance;
  const facts = [
    ...(g.controls?.items ?? []),
    ...g.middlePaths.flatMap((m) => m.examples),
    ...g.distributions,
    ...rec.responsibility.providerNotes,
    ...rec.risks.flatMap((r) => (r.note ? [r.note] : [])),
  ].filter((f): f is Fact => 'source' in f);
  const dates = [...new Set(facts.map((f) => f.checked))].sort();
  if (dates.length === 0) return [];
  return [
    context(
      `Vendor facts link to the pages they were checked against on ${dates.join(', ')}; the decision record has them in full.`,
    ),
  ];
}
