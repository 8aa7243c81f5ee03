// The "what level of need?" result as a PDF (see platform/pdf for how PDFs are made accessible).
import { createAccessiblePdf } from '../platform/pdf/document.ts';
import type { ResultView } from './explorer.ts';
import { londonDateTime } from '../platform/calendar/london-time.ts';


export interface AssessmentPdfInput {
  result: ResultView;
  /** The address of the result page, so a reader can find it again. */
  link?: string;
  generatedAt?: Date;
}

export function assessmentPdfTitle(result: ResultView): string {
  return `Suggested level of need: ${result.level.name} (${result.framework.name})`;
}

export function renderAssessmentPdf({ result, link, generatedAt = new Date() }: AssessmentPdfInput): Promise<Buffer> {
  const title = assessmentPdfTitle(result);
  const { heading, para, list, finish } = createAccessiblePdf({
    title,
    subject: `Suggested level of need under ${result.framework.name}, version ${result.framework.version}: ${result.level.name}`,
    keywords: 'threshold of need, safeguarding, level of need',
    generatedAt,
  });

  heading(1, 'Suggested level of need');
  para(`${result.framework.name}, version ${result.framework.version} (${result.framework.publisher})`);
  para(`Made on ${londonDateTime.format(generatedAt)}`, { small: true });

  if (result.immediateDanger) {
    heading(2, 'The child is in immediate danger');
    para(result.callNow, { bold: true });
    para(result.immediateDangerInstruction);
    para(`Source: ${result.immediateDangerCitation}`, { small: true });
  }

  heading(2, `Suggested level: ${result.level.name}`);
  para(result.judgement, { bold: true });
  para(`Child’s age: ${result.child}`);
  const skipped = result.youngChildRulesSkipped;
  if (skipped) para(`No age was given, so this framework’s rules for ${skipped.who} were not applied: ${skipped.titles}.`);

  heading(2, 'Why this level');
  if (result.raisedByRule) {
    para(`${result.indicatorCount > 0 ? `The indicators ticked are at ${result.indicatorLevel.name}. ` : ''}A rule in the framework raises the suggestion to ${result.level.name}.`);
  }
  for (const r of result.reasons) {
    heading(3, r.kind === 'rule' ? `Rule: ${r.title ?? r.id}` : `Indicator: ${r.text}`);
    if (r.kind === 'rule') para(r.text);
    const about = [r.levelName, r.domainName].filter(Boolean).join(' · ');
    if (about) para(about, { small: true });
    para(`Source: ${r.citation}`, { small: true });
  }
  if (result.reasons.length === 0) para('No indicators were selected.');

  if (result.advice.length > 0) {
    heading(2, 'Advice');
    list(result.advice);
  }

  heading(2, 'What to do at this level');
  para(result.response.summary);
  if (result.response.access) {
    heading(3, 'How to access support');
    para(result.response.access);
  }
  if (result.response.contacts.length > 0) {
    heading(3, 'Who to contact');
    list(result.response.contacts.map((c) => [c.name, c.phone && `phone ${c.phone}`, c.email && `email ${c.email}`, c.url, c.hours, c.notes].filter(Boolean).join(' – ')));
  }
  heading(3, 'Consent');
  para(result.response.consent.required ? 'Parental consent is needed at this level.' : 'Parental consent is not a strict requirement at this level.', { bold: true });
  if (result.response.consent.note) para(result.response.consent.note);

  if (link) para(`Online version: ${link}`, { small: true });

  return finish();
}
