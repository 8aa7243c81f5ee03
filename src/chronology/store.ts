// SQL for a child's chronology: a query over events, newest first.
import type { Queryable } from '../platform/db/pool.ts';
import type { EventType } from './events.ts';

export interface EventRow {
  id: number;
  type: EventType;
  occurred_at: Date;
  recorded_at: Date;
  recorded_by_name: string | null;
  summary: string;
  detail: Record<string, unknown>;
  source_type: string | null;
  source_id: string | null;
  significant: boolean;
  restricted: boolean;
}

export interface EventFilter {
  organisationId: string;
  includeRestricted: boolean;
  types?: EventType[];
  /** England dates, inclusive */
  from?: string;
  to?: string;
  limit: number;
}

/**
 * The child's events recorded by this organisation, newest first (uses events_child_idx). Only the filters
 * given are written into the statement: with "($n IS NULL OR …)" for each, PostgreSQL found a plan for the
 * values at hand cheaper than its general plan and so planned the chronology again on every request.
 */
export async function listEvents(db: Queryable, childId: string, f: EventFilter): Promise<EventRow[]> {
  const params: unknown[] = [childId, f.organisationId];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const where = ['e.child_id = $1', 'e.organisation_id = $2'];
  if (!f.includeRestricted) where.push('NOT e.restricted');
  if (f.types?.length) where.push(`e.type = ANY(${p(f.types)}::text[])`);
  if (f.from) where.push(`e.occurred_at >= (${p(f.from)}::date::timestamp AT TIME ZONE 'Europe/London')`);
  if (f.to) where.push(`e.occurred_at < ((${p(f.to)}::date + 1)::timestamp AT TIME ZONE 'Europe/London')`);
  // The events come back as one JSON array: the driver then reads one value instead of eleven a row (the
  // timestamps become Dates again below).
  const { rows: [answer] } = await db.query<{ events: (Omit<EventRow, 'occurred_at' | 'recorded_at'> & { occurred_at: string; recorded_at: string })[] }>(
    `SELECT coalesce(json_agg(r ORDER BY r.occurred_at DESC, r.id DESC), '[]') AS events FROM (
     SELECT e.id, e.type, e.occurred_at, e.recorded_at, u.name AS recorded_by_name, e.summary, e.detail, e.source_type, e.source_id,
            e.significant, e.restricted
       FROM events e LEFT JOIN users u ON u.id = e.recorded_by
      WHERE ${where.join(' AND ')}
      ORDER BY e.occurred_at DESC, e.id DESC
      LIMIT ${p(f.limit)}) r`,
    params,
  );
  return answer!.events.map((e) => Object.assign(e, { occurred_at: new Date(e.occurred_at), recorded_at: new Date(e.recorded_at) }) as EventRow);
}

export interface ChildSummary {
  id: string;
  first_name: string;
  last_name: string;
  known_as: string | null;
  date_of_birth: string | null;
  expected_due_date: string | null;
  organisation_ids: string[];
}

export async function getChildSummary(db: Queryable, childId: string): Promise<ChildSummary | null> {
  const { rows } = await db.query<ChildSummary>(
    `SELECT ch.id, ch.first_name, ch.last_name, ch.known_as, ch.date_of_birth, ch.expected_due_date,
            coalesce(array(SELECT organisation_id::text FROM child_organisations co WHERE co.child_id = ch.id), '{}') AS organisation_ids
       FROM children ch WHERE ch.id = $1`,
    [childId],
  );
  return rows[0] ?? null;
}
