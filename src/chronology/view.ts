// How an event's detail reads on the chronology page and in the PDF. Pure.
import type { EventRow } from './store.ts';

const LABELS: Array<[key: string, label: string]> = [
  ['text', 'Detail'],
  ['rationale', 'Rationale'],
  ['reasonsNotReferring', 'Why not referring'],
  ['chosenLevel', 'Level decided'],
  ['overrideReason', 'Reason for a different level'],
  ['outcome', 'Outcome'],
];

export function eventDetailLines(e: Pick<EventRow, 'type' | 'detail'>): { label: string; text: string }[] {
  const d = e.detail ?? {};
  const lines: { label: string; text: string }[] = [];
  for (const [key, label] of LABELS) {
    const v = d[key];
    // A decision's outcome is already in its summary as words; its code is not shown again.
    if (key === 'outcome' && e.type === 'decision') continue;
    if (typeof v === 'string' && v.trim() !== '') lines.push({ label, text: v });
  }
  if (e.type === 'decision' && Array.isArray(d.tasks) && d.tasks.length) {
    const tasks = (d.tasks as { title?: unknown; dueDate?: unknown }[]).map((t) => `${String(t.title ?? '')} (due ${String(t.dueDate ?? '')})`);
    lines.push({ label: 'Follow-up tasks', text: tasks.join('; ') });
  }
  return lines;
}

/** Where an event's source record can be opened, for those who may. */
export function eventLink(e: Pick<EventRow, 'source_type' | 'source_id'>, canTriage: boolean): string | null {
  if (!e.source_id) return null;
  if (e.source_type === 'decision') return `/decisions/${e.source_id}`;
  if (e.source_type === 'concern' && canTriage) return `/triage/${e.source_id}`;
  return null;
}
