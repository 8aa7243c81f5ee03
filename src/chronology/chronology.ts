// Reading a child's chronology and adding a significant event by hand. Each operation runs in one
// transaction with its audit entry. The caller has already checked canSeeChild and the permission.
import { canSeeChild, canSeeRestricted, type Principal } from '../platform/access/policy.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { isValidIsoDate } from '../platform/calendar/iso-date.ts';
import { londonToInstant } from '../platform/calendar/london-time.ts';
import { withReadScope, withTransaction, type Db } from '../platform/db/pool.ts';
import { EVENT_TYPES, recordEvent, type EventType } from './events.ts';
import { getChildSummary, listEvents, type ChildSummary, type EventRow } from './store.ts';

export const EVENT_TYPE_LABELS: Record<EventType, string> = {
  concern: 'Concern',
  amendment: 'Amendment',
  assessment: 'Assessment',
  decision: 'Decision',
  task: 'Task outcome',
  significant_event: 'Significant event',
  record: 'Record change',
};

export interface ChronologyQuery {
  types: EventType[];
  from?: string;
  to?: string;
}

/** Reads ?type=&from=&to= leniently into a filter; problems are returned for the error summary. */
export function readChronologyQuery(query: unknown): { query: ChronologyQuery; values: { types: string[]; from: string; to: string }; problems: { field: string; text: string }[] } {
  const q = (query ?? {}) as Record<string, unknown>;
  const asList = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')
    .flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const asText = (v: unknown) => (typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '');
  const types = asList(q.type);
  const from = asText(q.from);
  const to = asText(q.to);
  const problems: { field: string; text: string }[] = [];
  const known = types.filter((t): t is EventType => (EVENT_TYPES as readonly string[]).includes(t));
  if (known.length !== types.length) problems.push({ field: 'type', text: 'Select a type of entry from the list' });
  if (from && !isValidIsoDate(from)) problems.push({ field: 'from', text: 'The from date must be a real date in the format YYYY-MM-DD, like 2026-03-27' });
  if (to && !isValidIsoDate(to)) problems.push({ field: 'to', text: 'The to date must be a real date in the format YYYY-MM-DD, like 2026-03-27' });
  if (from && to && isValidIsoDate(from) && isValidIsoDate(to) && from > to) problems.push({ field: 'to', text: 'The to date must be the same as or after the from date' });
  return {
    query: { types: known, ...(from && isValidIsoDate(from) ? { from } : {}), ...(to && isValidIsoDate(to) ? { to } : {}) },
    values: { types, from, to },
    problems,
  };
}

export type ChronologyResult =
  | { ok: true; child: ChildSummary; events: EventRow[]; hasMore: boolean }
  | { ok: false; reason: 'not-found' };

/** The child's chronology as this principal may see it: their organisation's events, restricted ones only if allowed. */
export async function viewChronology(
  db: Db, principal: Principal, ctx: AuditContext, childId: string, q: ChronologyQuery, opts: { limit: number; action: 'chronology.view' | 'chronology.pdf' | 'triage.chronology' },
): Promise<ChronologyResult> {
  return withReadScope(db, async (tx) => {
    // Both reads go to PostgreSQL together (the connection pipelines them): one round trip, not two. The
    // events are the principal's own organisation's, and none leaves here unless the policy lets them see the child.
    const [child, events] = await Promise.all([
      getChildSummary(tx, childId),
      listEvents(tx, childId, {
        organisationId: principal.organisationId,
        includeRestricted: canSeeRestricted(principal, principal.organisationId),
        types: q.types, from: q.from, to: q.to, limit: opts.limit + 1,
      }),
    ]);
    if (!child || !canSeeChild(principal, child.organisation_ids)) return { ok: false, reason: 'not-found' } as const;
    await recordAudit(tx, ctx, {
      action: opts.action, recordType: 'child', recordId: childId,
      details: { entries: Math.min(events.length, opts.limit), types: q.types.join(',') || null, from: q.from ?? null, to: q.to ?? null },
    });
    return { ok: true, child, events: events.slice(0, opts.limit), hasMore: events.length > opts.limit } as const;
  });
}

export interface SignificantEventInput {
  date: string;
  summary: string;
  detail: string;
}

export async function addSignificantEvent(
  db: Db, principal: Principal, ctx: AuditContext, childId: string, input: SignificantEventInput,
): Promise<{ ok: true; eventId: number } | { ok: false; reason: 'not-found' }> {
  return withTransaction(db, async (tx) => {
    const child = await getChildSummary(tx, childId);
    if (!child || !canSeeChild(principal, child.organisation_ids)) return { ok: false, reason: 'not-found' } as const;
    // Midday in England (BST in summer), so the date never shifts a day and shows as 12:00 pm all year.
    const [year, month, day] = input.date.split('-').map(Number);
    const occurredAt = londonToInstant(year!, month!, day!, 12 * 60);
    const eventId = await recordEvent(tx, {
      childId, organisationId: principal.organisationId, type: 'significant_event', occurredAt, recordedBy: principal.userId,
      summary: input.summary, detail: input.detail ? { text: input.detail } : {}, significant: true,
    });
    await recordAudit(tx, ctx, { action: 'chronology.add-event', recordType: 'child', recordId: childId, details: { eventId } });
    return { ok: true, eventId } as const;
  });
}
