// The "what level of need?" result as a PDF, made in-process. Tagged (headings, paragraphs, lists in a
// structure tree), with a title shown by the viewer and the document language set, so screen readers can
// follow it. The standard Helvetica font is not embedded, so the file is not claimed to be PDF/UA.
import PDFDocument from 'pdfkit';
import type { ResultView } from './explorer.ts';

const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true,
});

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
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: title,
      Author: 'Continuum',
      Creator: 'Continuum',
      Subject: `Suggested level of need under ${result.framework.name}, version ${result.framework.version}: ${result.level.name}`,
      Keywords: 'threshold of need, safeguarding, level of need',
      CreationDate: generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const heading = (level: 1 | 2 | 3, text: string) => {
    const size = level === 1 ? 20 : level === 2 ? 15 : 12;
    doc.moveDown(level === 1 ? 0 : 0.6);
    doc.font('Helvetica-Bold').fontSize(size).fillColor('#0b0c0c').text(text, { structParent: root, structType: `H${level}` });
    doc.moveDown(0.2);
  };
  const para = (text: string, opts: { bold?: boolean; small?: boolean } = {}) => {
    doc.font(opts.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(opts.small ? 9.5 : 11).fillColor(opts.small ? '#484949' : '#0b0c0c')
      .text(text, { structParent: root, structType: 'P' });
    doc.moveDown(0.35);
  };
  const list = (items: string[]) => {
    if (items.length === 0) return;
    const l = doc.struct('L');
    root.add(l);
    doc.font('Helvetica').fontSize(11).fillColor('#0b0c0c').list(items, { structParent: l, bulletRadius: 2 });
    l.end();
    doc.moveDown(0.35);
  };

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
  if (result.ageUnknown) para('No age was given, so rules about unborn children and babies under one were not applied.');

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

  if (link) {
    doc.moveDown(0.6);
    para(`Online version: ${link}`, { small: true });
  }

  root.end();
  doc.end();
  return done;
}
