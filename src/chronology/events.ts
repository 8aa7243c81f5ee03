// Events are what happened in a child's life or case; the chronology is a query over them.
// Domain operations write their event in the same transaction as the change it describes.
import type { Queryable } from '../platform/db/pool.ts';

export const EVENT_TYPES = ['concern', 'amendment', 'assessment', 'decision', 'task', 'significant_event', 'record'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  childId: string;
  organisationId: string;
  type: EventType;
  occurredAt: Date;
  recordedBy: string | null;
  /** one line for the chronology, e.g. "Concern raised by Amira Hassan (Riverside Primary School)" */
  summary: string;
  detail?: Record<string, unknown>;
  sourceType?: string;
  sourceId?: string;
  significant?: boolean;
  restricted?: boolean;
}

export async function recordEvent(db: Queryable, e: NewEvent): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO events (child_id, organisation_id, type, occurred_at, recorded_by, summary, detail, source_type, source_id, significant, restricted)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [e.childId, e.organisationId, e.type, e.occurredAt, e.recordedBy, e.summary, JSON.stringify(e.detail ?? {}),
      e.sourceType ?? null, e.sourceId ?? null, e.significant ?? false, e.restricted ?? false],
  );
  return rows[0]!.id;
}

/** Several events in one statement, for operations written in batches (recording concerns). */
export async function recordEvents(db: Queryable, events: NewEvent[]): Promise<void> {
  if (!events.length) return;
  await db.query(
    `INSERT INTO events (child_id, organisation_id, type, occurred_at, recorded_by, summary, detail, source_type, source_id, significant, restricted)
     SELECT "childId", "organisationId", type, "occurredAt", "recordedBy", summary, coalesce(detail, '{}'), "sourceType", "sourceId",
            coalesce(significant, false), coalesce(restricted, false)
       FROM jsonb_to_recordset($1::jsonb) AS e("childId" uuid, "organisationId" uuid, type text, "occurredAt" timestamptz, "recordedBy" uuid,
            summary text, detail jsonb, "sourceType" text, "sourceId" text, significant boolean, restricted boolean)`,
    [JSON.stringify(events)],
  );
}
