// SQL for clocks. Callers pass a transaction where the change must go with its audit entry and event.
import type { Queryable } from '../platform/db/pool.ts';
import type { ClockStatus } from './clock.ts';
import type { ClockDefinition } from './schema.ts';

export interface Subject { type: string; id: string }

export interface ClockRow {
  id: string;
  partnershipId: string;
  organisationId: string;
  childId: string | null;
  subject: Subject;
  definitionSet: string;
  definitionId: string;
  definition: ClockDefinition;
  kind: 'deadline' | 'minimum';
  stage: number;
  startEvent: string;
  startedAt: Date;
  dueDate: string | null;
  dueAt: Date;
  dueSoonAt: Date;
  stoppedAt: Date | null;
  stopEvent: string | null;
  stopReason: string | null;
  status: ClockStatus;
  dueSoonRemindedAt: Date | null;
  overdueRemindedAt: Date | null;
}

interface DbClock {
  id: string; partnership_id: string; organisation_id: string; child_id: string | null; subject_type: string; subject_id: string;
  definition_set: string; definition_id: string; definition: ClockDefinition; kind: 'deadline' | 'minimum'; stage: number;
  start_event: string; started_at: Date; due_date: string | null; due_at: Date; due_soon_at: Date; stopped_at: Date | null;
  stop_event: string | null; stop_reason: string | null; status: ClockStatus; due_soon_reminded_at: Date | null; overdue_reminded_at: Date | null;
}

const COLUMNS = `c.id, c.partnership_id, c.organisation_id, c.child_id, c.subject_type, c.subject_id, c.definition_set, c.definition_id,
  c.definition, c.kind, c.stage, c.start_event, c.started_at, c.due_date, c.due_at, c.due_soon_at, c.stopped_at, c.stop_event,
  c.stop_reason, c.status, c.due_soon_reminded_at, c.overdue_reminded_at`;

const toRow = (r: DbClock): ClockRow => ({
  id: r.id, partnershipId: r.partnership_id, organisationId: r.organisation_id, childId: r.child_id,
  subject: { type: r.subject_type, id: r.subject_id }, definitionSet: r.definition_set, definitionId: r.definition_id,
  definition: r.definition, kind: r.kind, stage: r.stage, startEvent: r.start_event, startedAt: r.started_at, dueDate: r.due_date,
  dueAt: r.due_at, dueSoonAt: r.due_soon_at, stoppedAt: r.stopped_at, stopEvent: r.stop_event, stopReason: r.stop_reason,
  status: r.status, dueSoonRemindedAt: r.due_soon_reminded_at, overdueRemindedAt: r.overdue_reminded_at,
});

export interface PartnershipFacts { id: string; slug: string; frameworkId: string }

export async function partnershipOfOrganisation(db: Queryable, organisationId: string): Promise<PartnershipFacts | null> {
  const { rows } = await db.query<{ id: string; slug: string; framework_id: string }>(
    'SELECT p.id, p.slug, p.framework_id FROM organisations o JOIN partnerships p ON p.id = o.partnership_id WHERE o.id = $1',
    [organisationId],
  );
  const r = rows[0];
  return r ? { id: r.id, slug: r.slug, frameworkId: r.framework_id } : null;
}

export async function partnershipBySlug(db: Queryable, slug: string): Promise<PartnershipFacts | null> {
  const { rows } = await db.query<{ id: string; slug: string; framework_id: string }>('SELECT id, slug, framework_id FROM partnerships WHERE slug = $1', [slug]);
  const r = rows[0];
  return r ? { id: r.id, slug: r.slug, frameworkId: r.framework_id } : null;
}

/** The organisations that know a child (child_organisations), or null when there is no such child. */
export async function childOrganisations(db: Queryable, childId: string): Promise<string[] | null> {
  const { rows } = await db.query<{ exists: boolean; orgs: string[] | null }>(
    `SELECT EXISTS (SELECT 1 FROM children WHERE id = $1) AS exists,
            (SELECT array_agg(organisation_id::text) FROM child_organisations WHERE child_id = $1) AS orgs`,
    [childId],
  );
  return rows[0]?.exists ? rows[0].orgs ?? [] : null;
}

export interface NewClock {
  partnershipId: string;
  organisationId: string;
  childId: string | null;
  subject: Subject;
  definitionSet: string;
  definition: ClockDefinition;
  stage: number;
  startEvent: string;
  startedAt: Date;
  startedBy: string | null;
  dueDate: string | null;
  dueAt: Date;
  dueSoonAt: Date;
  status: ClockStatus;
}

/** Inserts the clock unless one of its definition is already running on the subject (then null). */
export async function insertClock(tx: Queryable, c: NewClock): Promise<ClockRow | null> {
  const { rows } = await tx.query<DbClock>(
    `INSERT INTO clocks AS c (partnership_id, organisation_id, child_id, subject_type, subject_id, definition_set, definition_id,
                         definition, kind, stage, start_event, started_at, started_by, due_date, due_at, due_soon_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (organisation_id, subject_type, subject_id, definition_id) WHERE stopped_at IS NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [c.partnershipId, c.organisationId, c.childId, c.subject.type, c.subject.id, c.definitionSet, c.definition.id,
      JSON.stringify(c.definition), c.definition.kind, c.stage, c.startEvent, c.startedAt, c.startedBy, c.dueDate, c.dueAt, c.dueSoonAt, c.status],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/** How many clocks of a definition the organisation has run on a subject: the next one's stage is this plus one. */
export async function countClocks(tx: Queryable, organisationId: string, subject: Subject, definitionId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM clocks WHERE organisation_id = $1 AND subject_type = $2 AND subject_id = $3 AND definition_id = $4',
    [organisationId, subject.type, subject.id, definitionId],
  );
  return rows[0]?.n ?? 0;
}

/** The organisation's running clocks on a subject, locked until the transaction ends. */
export async function lockRunningOnSubject(tx: Queryable, organisationId: string, subject: Subject): Promise<ClockRow[]> {
  const { rows } = await tx.query<DbClock>(
    `SELECT ${COLUMNS} FROM clocks c
      WHERE c.organisation_id = $1 AND c.subject_type = $2 AND c.subject_id = $3 AND c.stopped_at IS NULL
      ORDER BY c.started_at FOR UPDATE`,
    [organisationId, subject.type, subject.id],
  );
  return rows.map(toRow);
}

// A subject id as a uuid when it is one: compared as uuid the lookups below use the primary keys (compared as
// text they would read every concern for each clock).
const subjectUuid = (c: string) => `(CASE WHEN ${c}.subject_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN ${c}.subject_id::uuid END)`;

/**
 * Whether a clock (any row aliased `c` with subject_type and subject_id) is restricted: it is about an allegation
 * or LADO matter, or about a restricted (LADO) concern, decision or sharing decision. Only the DSL and the
 * workforce admin see such clocks.
 */
export const RESTRICTED_CLOCK = (c = 'c') => `(${c}.subject_type IN ('lado', 'allegation')
  OR (${c}.subject_type = 'concern' AND EXISTS (SELECT 1 FROM concerns x WHERE x.id = ${subjectUuid(c)} AND x.restricted))
  OR (${c}.subject_type = 'decision' AND EXISTS (SELECT 1 FROM decisions x WHERE x.id = ${subjectUuid(c)} AND x.restricted))
  OR (${c}.subject_type IN ('sharing-decision', 'information-sharing') AND EXISTS (
        SELECT 1 FROM sharing_decisions x JOIN concerns k ON k.id = x.concern_id WHERE x.id = ${subjectUuid(c)} AND (x.restricted OR k.restricted))))`;

/** Whether clocks on this subject are restricted (see RESTRICTED_CLOCK): their chronology entries are too. */
export async function subjectRestricted(tx: Queryable, subject: Subject): Promise<boolean> {
  const { rows } = await tx.query<{ restricted: boolean }>(
    `SELECT ${RESTRICTED_CLOCK('s')} AS restricted FROM (SELECT $1::text AS subject_type, $2::text AS subject_id) s`,
    [subject.type, subject.id],
  );
  return rows[0]?.restricted ?? false;
}

export async function markStopped(
  tx: Queryable,
  id: string,
  s: { stoppedAt: Date; stoppedBy: string | null; stopEvent: string; stopReason: string; status: ClockStatus },
): Promise<void> {
  await tx.query(
    `UPDATE clocks SET stopped_at = $2, stopped_by = $3, stop_event = $4, stop_reason = $5, status = $6 WHERE id = $1`,
    [id, s.stoppedAt, s.stoppedBy, s.stopEvent, s.stopReason, s.status],
  );
}

export interface ListedClock extends ClockRow {
  /** the child's name, only when the organisation knows the child (the route still applies the policy) */
  child: { firstName: string; lastName: string; knownToOrganisation: boolean } | null;
}

const withChild = (r: DbClock & { first_name: string | null; last_name: string | null; known: boolean | null }): ListedClock => ({
  ...toRow(r),
  child: r.child_id && r.first_name !== null ? { firstName: r.first_name, lastName: r.last_name ?? '', knownToOrganisation: !!r.known } : null,
});

const CHILD_JOIN = `LEFT JOIN LATERAL (
    SELECT ch.first_name, ch.last_name, true AS known FROM children ch
     WHERE ch.id = c.child_id AND EXISTS (SELECT 1 FROM child_organisations co WHERE co.child_id = ch.id AND co.organisation_id = c.organisation_id)
  ) ch ON true`;

/** The organisation's running clocks, soonest due first; restricted ones only when `includeRestricted`. */
export async function listRunning(db: Queryable, organisationId: string, includeRestricted: boolean, limit = 200): Promise<ListedClock[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS}, ch.first_name, ch.last_name, ch.known FROM clocks c ${CHILD_JOIN}
      WHERE c.organisation_id = $1 AND c.stopped_at IS NULL AND ($3 OR NOT ${RESTRICTED_CLOCK()}) ORDER BY c.due_at, c.id LIMIT $2`,
    [organisationId, limit, includeRestricted],
  );
  return rows.map(withChild);
}

/** The organisation's clocks stopped since `since`, newest first; restricted ones only when `includeRestricted`. */
export async function listRecentlyStopped(db: Queryable, organisationId: string, since: Date, includeRestricted: boolean, limit = 50): Promise<ListedClock[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS}, ch.first_name, ch.last_name, ch.known FROM clocks c ${CHILD_JOIN}
      WHERE c.organisation_id = $1 AND c.stopped_at IS NOT NULL AND c.stopped_at >= $2 AND ($4 OR NOT ${RESTRICTED_CLOCK()})
      ORDER BY c.stopped_at DESC, c.id LIMIT $3`,
    [organisationId, since, limit, includeRestricted],
  );
  return rows.map(withChild);
}

export interface ClockTally {
  /** every running clock's timing (not only the listed ones), to count by status now */
  running: { kind: 'deadline' | 'minimum'; dueAt: Date; dueSoonAt: Date }[];
  /** clocks stopped since the date asked for, by outcome */
  met: number;
  missed: number;
}

/** What the dashboard counts: all of the organisation's clocks, however many the lists show. */
export async function tallyClocks(db: Queryable, organisationId: string, since: Date, includeRestricted: boolean): Promise<ClockTally> {
  const [running, stopped] = await Promise.all([
    db.query<{ kind: 'deadline' | 'minimum'; due_at: Date; due_soon_at: Date }>(
      `SELECT c.kind, c.due_at, c.due_soon_at FROM clocks c WHERE c.organisation_id = $1 AND c.stopped_at IS NULL AND ($2 OR NOT ${RESTRICTED_CLOCK()})`,
      [organisationId, includeRestricted],
    ),
    db.query<{ met: number; missed: number }>(
      `SELECT count(*) FILTER (WHERE c.status = 'met')::int AS met, count(*) FILTER (WHERE c.status = 'missed')::int AS missed FROM clocks c
        WHERE c.organisation_id = $1 AND c.stopped_at IS NOT NULL AND c.stopped_at >= $2 AND ($3 OR NOT ${RESTRICTED_CLOCK()})`,
      [organisationId, since, includeRestricted],
    ),
  ]);
  return {
    running: running.rows.map((r) => ({ kind: r.kind, dueAt: r.due_at, dueSoonAt: r.due_soon_at })),
    met: stopped.rows[0]?.met ?? 0, missed: stopped.rows[0]?.missed ?? 0,
  };
}

/**
 * Clocks owed a reminder at `now`: due soon and not yet told, or overdue and not yet told. Locked with
 * SKIP LOCKED so a second worker takes other rows, never the same ones.
 */
export async function claimReminders(tx: Queryable, now: Date, limit: number): Promise<ClockRow[]> {
  const { rows } = await tx.query<DbClock>(
    `SELECT ${COLUMNS} FROM clocks c
      WHERE c.stopped_at IS NULL AND (
            (c.due_soon_reminded_at IS NULL AND c.due_soon_at <= $1 AND c.due_at >= $1)
         OR (c.overdue_reminded_at IS NULL AND c.kind = 'deadline' AND c.due_at < $1))
      ORDER BY c.due_at, c.id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows.map(toRow);
}

export async function markReminded(tx: Queryable, id: string, state: 'due-soon' | 'overdue', at: Date): Promise<void> {
  await tx.query(
    state === 'overdue'
      ? `UPDATE clocks SET overdue_reminded_at = $2, reminded_at = $2, status = 'overdue' WHERE id = $1`
      : `UPDATE clocks SET due_soon_reminded_at = $2, reminded_at = $2, status = 'due-soon' WHERE id = $1`,
    [id, at],
  );
}

/** The owning organisation's active users in the given roles. */
export async function usersInRoles(tx: Queryable, organisationId: string, roles: readonly string[]): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM users WHERE organisation_id = $1 AND role = ANY($2::text[]) AND active ORDER BY id',
    [organisationId, roles],
  );
  return rows.map((r) => r.id);
}
