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

/** The child's events recorded by this organisation, newest first (uses events_child_idx). */
export async function listEvents(db: Queryable, childId: string, f: EventFilter): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT e.id, e.type, e.occurred_at, e.recorded_at, u.name AS recorded_by_name, e.summary, e.detail, e.source_type, e.source_id,
            e.significant, e.restricted
       FROM events e LEFT JOIN users u ON u.id = e.recorded_by
      WHERE e.child_id = $1 AND e.organisation_id = $2 AND ($3 OR NOT e.restricted)
        AND ($4::text[] IS NULL OR e.type = ANY($4))
        AND ($5::date IS NULL OR e.occurred_at >= ($5::date::timestamp AT TIME ZONE 'Europe/London'))
        AND ($6::date IS NULL OR e.occurred_at < (($6::date + 1)::timestamp AT TIME ZONE 'Europe/London'))
      ORDER BY e.occurred_at DESC, e.id DESC
      LIMIT $7`,
    [childId, f.organisationId, f.includeRestricted, f.types && f.types.length ? f.types : null, f.from ?? null, f.to ?? null, f.limit],
  );
  return rows;
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
