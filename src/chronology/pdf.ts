// A child's chronology as a PDF, made in-process with pdfkit: tagged (headings and paragraphs in a structure
// tree), with a title the viewer shows and the document language set.
import PDFDocument from 'pdfkit';
import { EVENT_TYPE_LABELS, type ChronologyQuery } from './chronology.ts';
import type { ChildSummary, EventRow } from './store.ts';
import { eventDetailLines } from './view.ts';

const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true,
});

export interface ChronologyPdfInput {
  child: ChildSummary;
  events: EventRow[];
  query: ChronologyQuery;
  truncated: boolean;
  generatedAt?: Date;
  /** tests read the text directly */
  compress?: boolean;
}

export function renderChronologyPdf({ child, events, query, truncated, generatedAt = new Date(), compress = true }: ChronologyPdfInput): Promise<Buffer> {
  const name = `${child.first_name} ${child.last_name}`.trim();
  const title = `Chronology for ${name}`;
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 56, bottom: 56, left: 56, right: 56 }, pdfVersion: '1.7', tagged: true, lang: 'en-GB', displayTitle: true, compress,
    info: { Title: title, Author: 'Continuum', Creator: 'Continuum', Subject: 'Safeguarding chronology: OFFICIAL-SENSITIVE', CreationDate: generatedAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const heading = (level: 1 | 2, text: string) => {
    doc.moveDown(level === 1 ? 0 : 0.6);
    doc.font('Helvetica-Bold').fontSize(level === 1 ? 20 : 12).fillColor('#0b0c0c').text(text, { structParent: root, structType: `H${level}` });
    doc.moveDown(0.2);
  };
  const para = (text: string, opts: { bold?: boolean; small?: boolean } = {}) => {
    doc.font(opts.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(opts.small ? 9.5 : 11).fillColor(opts.small ? '#484949' : '#0b0c0c')
      .text(text, { structParent: root, structType: 'P' });
    doc.moveDown(0.3);
  };

  heading(1, title);
  para('OFFICIAL-SENSITIVE. Keep securely and share only in line with information sharing guidance.', { bold: true });
  const born = child.date_of_birth ? `Date of birth: ${child.date_of_birth}` : child.expected_due_date ? `Unborn, expected ${child.expected_due_date}` : 'Date of birth not recorded';
  para(born);
  const filters = [
    query.types.length ? `types: ${query.types.map((t) => EVENT_TYPE_LABELS[t]).join(', ')}` : '',
    query.from ? `from ${query.from}` : '', query.to ? `to ${query.to}` : '',
  ].filter(Boolean).join('; ');
  para(`Newest first. ${filters ? `Showing ${filters}.` : 'All entries.'} Made on ${londonDateTime.format(generatedAt)}.`, { small: true });
  if (events.length === 0) para('No entries match.');
  for (const e of events) {
    heading(2, `${londonDateTime.format(e.occurred_at)} · ${EVENT_TYPE_LABELS[e.type]}${e.significant ? ' · Significant' : ''}${e.restricted ? ' · Restricted' : ''}`);
    para(e.summary);
    for (const line of eventDetailLines(e)) para(`${line.label}: ${line.text}`);
    if (e.recorded_by_name) para(`Recorded by ${e.recorded_by_name}`, { small: true });
  }
  if (truncated) para('Only the most recent entries are included. Narrow the dates to see earlier ones.', { bold: true });
  root.end();
  doc.end();
  return done;
}
