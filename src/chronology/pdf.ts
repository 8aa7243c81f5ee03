// A child's chronology as a PDF (see platform/pdf for how PDFs are made accessible).
import { createAccessiblePdf } from '../platform/pdf/document.ts';
import { EVENT_TYPE_LABELS, type ChronologyQuery } from './chronology.ts';
import type { ChildSummary, EventRow } from './store.ts';
import { eventDetailLines } from './view.ts';
import { londonDateTime } from '../platform/calendar/london-time.ts';


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
  const { heading, para, finish } = createAccessiblePdf({
    title, subject: 'Safeguarding chronology: OFFICIAL-SENSITIVE', generatedAt, compress,
  });

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
    heading(2, `${londonDateTime.format(e.occurred_at)} · ${EVENT_TYPE_LABELS[e.type]}${e.significant ? ' · Significant' : ''}${e.restricted ? ' · Restricted' : ''}`, { size: 12 });
    para(e.summary);
    for (const line of eventDetailLines(e)) para(`${line.label}: ${line.text}`);
    if (e.recorded_by_name) para(`Recorded by ${e.recorded_by_name}`, { small: true });
  }
  if (truncated) para('Only the most recent entries are included. Narrow the dates to see earlier ones.', { bold: true });
  return finish();
}
