// SQL for recording concerns: the concern, its amendments, the child picker and the people to notify.
import type { Queryable } from '../platform/db/pool.ts';

export interface ConcernRow {
  id: string;
  reference: number;
  childId: string;
  childName: string;
  childDateOfBirth: string | null;
  organisationId: string;
  organisationName: string;
  raisedBy: string;
  raisedByName: string;
  status: 'new' | 'in_triage' | 'decided';
  submittedAt: Date;
  whatHappened: string;
  childsWords: string | null;
  occurredAt: Date | null;
  occurredAtText: string | null;
  location: string | null;
  present: string | null;
  injuries: string | null;
  categories: string[];
  immediateDanger: boolean;
  called999: boolean | null;
  toldDslInPerson: boolean | null;
  restricted: boolean;
}

const SELECT_CONCERN = `
  SELECT c.id, c.reference, c.child_id, trim(ch.first_name || ' ' || ch.last_name) AS child_name, ch.date_of_birth,
         c.organisation_id, o.name AS organisation_name, c.raised_by, u.name AS raised_by_name, c.status, c.submitted_at,
         c.what_happened, c.childs_words, c.occurred_at, c.occurred_at_text, c.location, c.present, c.injuries,
         c.categories, c.immediate_danger, c.called_999, c.told_dsl_in_person, c.restricted
    FROM concerns c
    JOIN children ch ON ch.id = c.child_id
    JOIN organisations o ON o.id = c.organisation_id
    JOIN users u ON u.id = c.raised_by`;

function toConcern(r: Record<string, any>): ConcernRow {
  return {
    id: r.id, reference: Number(r.reference), childId: r.child_id, childName: r.child_name, childDateOfBirth: r.date_of_birth,
    organisationId: r.organisation_id, organisationName: r.organisation_name, raisedBy: r.raised_by, raisedByName: r.raised_by_name,
    status: r.status, submittedAt: r.submitted_at, whatHappened: r.what_happened, childsWords: r.childs_words,
    occurredAt: r.occurred_at, occurredAtText: r.occurred_at_text, location: r.location, present: r.present, injuries: r.injuries,
    categories: r.categories, immediateDanger: r.immediate_danger, called999: r.called_999, toldDslInPerson: r.told_dsl_in_person,
    restricted: r.restricted,
  };
}

export async function getConcern(db: Queryable, id: string, forUpdate = false): Promise<ConcernRow | null> {
  const { rows } = await db.query(`${SELECT_CONCERN} WHERE c.id = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`, [id]);
  return rows[0] ? toConcern(rows[0]) : null;
}

export interface NewConcernRow {
  childId: string;
  organisationId: string;
  raisedBy: string;
  whatHappened: string;
  childsWords: string | null;
  occurredAt: Date | null;
  occurredAtText: string | null;
  location: string;
  present: string;
  injuries: string | null;
  categories: string[];
  immediateDanger: boolean;
  called999: boolean | null;
  toldDslInPerson: boolean;
}

/**
 * New concerns, several in one statement (see recordConcern's group commit), each with the id the caller
 * chose and the reference its recording context took from the sequence. Each raising organisation already
 * knows its child: the policy (canSeeChild) allows a concern only then.
 */
export async function insertConcerns(db: Queryable, concerns: (NewConcernRow & { id: string; reference: number })[]): Promise<void> {
  await db.query(
    `WITH x AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, reference bigint, "childId" uuid, "organisationId" uuid, "raisedBy" uuid,
         "whatHappened" text, "childsWords" text, "occurredAt" timestamptz, "occurredAtText" text, location text, present text,
         injuries text, categories text[], "immediateDanger" boolean, "called999" boolean, "toldDslInPerson" boolean))
     INSERT INTO concerns (id, reference, child_id, organisation_id, raised_by, what_happened, childs_words, occurred_at, occurred_at_text,
                           location, present, injuries, categories, immediate_danger, called_999, told_dsl_in_person)
     SELECT id, reference, "childId", "organisationId", "raisedBy", "whatHappened", "childsWords", "occurredAt", "occurredAtText", location, present,
            injuries, categories, "immediateDanger", "called999", "toldDslInPerson" FROM x`,
    [JSON.stringify(concerns)],
  );
}

/** Column names come from a fixed list (AMENDABLE_FIELDS), never from input. */
export async function updateConcernField(db: Queryable, id: string, column: string, value: string | null): Promise<void> {
  if (!/^[a-z_]+$/.test(column)) throw new Error('bad column');
  await db.query(`UPDATE concerns SET ${column} = $2 WHERE id = $1`, [id, value]);
}

export async function insertAmendment(db: Queryable, a: { concernId: string; amendedBy: string; reason: string; changes: Record<string, { from: unknown; to: unknown }> }) {
  const { rows } = await db.query<{ id: number; amended_at: Date }>(
    'INSERT INTO concern_amendments (concern_id, amended_by, reason, changes) VALUES ($1, $2, $3, $4) RETURNING id, amended_at',
    [a.concernId, a.amendedBy, a.reason, JSON.stringify(a.changes)],
  );
  return { id: Number(rows[0]!.id), amendedAt: rows[0]!.amended_at };
}

export interface AmendmentRow {
  id: number;
  amendedAt: Date;
  amendedBy: string;
  amendedByName: string;
  reason: string;
  changes: Record<string, { from: string | null; to: string | null }>;
}

export async function listAmendments(db: Queryable, concernId: string): Promise<AmendmentRow[]> {
  const { rows } = await db.query<{ id: number; amended_at: Date; amended_by: string; name: string; reason: string; changes: AmendmentRow['changes'] }>(
    `SELECT a.id, a.amended_at, a.amended_by, u.name, a.reason, a.changes FROM concern_amendments a JOIN users u ON u.id = a.amended_by
      WHERE a.concern_id = $1 ORDER BY a.amended_at, a.id`,
    [concernId],
  );
  return rows.map((r) => ({ id: Number(r.id), amendedAt: r.amended_at, amendedBy: r.amended_by, amendedByName: r.name, reason: r.reason, changes: r.changes }));
}

export interface RaisedRow { id: string; reference: number; childName: string; submittedAt: Date; status: string; immediateDanger: boolean }

export async function listRaisedBy(db: Queryable, userId: string, organisationId: string, limit = 200): Promise<RaisedRow[]> {
  const { rows } = await db.query<{ id: string; reference: number; child_name: string; submitted_at: Date; status: string; immediate_danger: boolean }>(
    `SELECT c.id, c.reference, trim(ch.first_name || ' ' || ch.last_name) AS child_name, c.submitted_at, c.status, c.immediate_danger
       FROM concerns c JOIN children ch ON ch.id = c.child_id
      WHERE c.raised_by = $1 AND c.organisation_id = $2 AND NOT c.restricted
      ORDER BY c.submitted_at DESC LIMIT $3`,
    [userId, organisationId, limit],
  );
  return rows.map((r) => ({ id: r.id, reference: Number(r.reference), childName: r.child_name, submittedAt: r.submitted_at, status: r.status, immediateDanger: r.immediate_danger }));
}

export interface RecordingContext {
  childOrganisationIds: string[]; userName: string; organisationName: string; safeguardingLeads: string[];
  /** the concern's reference, taken from its sequence now (a refused submission leaves a gap, as a rollback does) */
  reference: number;
  /** the transaction's start, which is also the concern's submitted_at */
  submittedAt: Date;
}

/**
 * What recording each concern needs to know, in one query for a batch: the organisations that know the
 * child (for the policy), the names used in the chronology and the notice, the organisation's safeguarding
 * leads, and the concern's reference. With the reference known before the concern is written, everything
 * else the submission writes can go to PostgreSQL with the concern's insert, in one round trip.
 */
export async function concernRecordingContexts(
  db: Queryable, items: { childId: string; userId: string; organisationId: string }[],
): Promise<RecordingContext[]> {
  const { rows } = await db.query<{ child_organisation_ids: string[]; user_name: string | null; organisation_name: string | null; leads: string[]; reference: string; submitted_at: Date }>(
    `SELECT coalesce((SELECT array_agg(organisation_id) FROM child_organisations WHERE child_id = i.child_id), '{}') AS child_organisation_ids,
            (SELECT name FROM users WHERE id = i.user_id) AS user_name,
            (SELECT name FROM organisations WHERE id = i.organisation_id) AS organisation_name,
            coalesce((SELECT array_agg(id ORDER BY role, name) FROM users
                       WHERE organisation_id = i.organisation_id AND active AND role IN ('dsl', 'deputy_dsl')), '{}') AS leads,
            nextval('concerns_reference_seq') AS reference, now() AS submitted_at
       FROM jsonb_to_recordset($1::jsonb) AS i(n int, child_id uuid, user_id uuid, organisation_id uuid)
      ORDER BY i.n`,
    // As JSON rather than arrays: PostgreSQL then plans the statement once (its estimate of unnest's rows
    // follows the arrays' lengths, so it would plan again for every batch).
    [JSON.stringify(items.map((i, n) => ({ n, child_id: i.childId, user_id: i.userId, organisation_id: i.organisationId })))],
  );
  return rows.map((r) => ({
    childOrganisationIds: r.child_organisation_ids, userName: r.user_name ?? 'Unknown', organisationName: r.organisation_name ?? 'Unknown', safeguardingLeads: r.leads,
    reference: Number(r.reference), submittedAt: r.submitted_at,
  }));
}

export async function childOrganisationIds(db: Queryable, childId: string): Promise<string[]> {
  const { rows } = await db.query<{ organisation_id: string }>('SELECT organisation_id FROM child_organisations WHERE child_id = $1', [childId]);
  return rows.map((r) => r.organisation_id);
}

export interface ChildSummary { id: string; name: string; dateOfBirth: string | null; expectedDueDate: string | null; postcode: string | null }

const toChild = (r: Record<string, any>): ChildSummary => ({ id: r.id, name: r.name, dateOfBirth: r.date_of_birth, expectedDueDate: r.expected_due_date, postcode: r.postcode });
const CHILD_COLUMNS = `c.id, trim(c.first_name || ' ' || c.last_name) AS name, c.date_of_birth, c.expected_due_date,
  (SELECT a.postcode FROM child_addresses a WHERE a.child_id = c.id ORDER BY a.to_date DESC NULLS FIRST, a.id DESC LIMIT 1) AS postcode`;

/** A child this organisation knows, or null. */
export async function getChildForOrganisation(db: Queryable, childId: string, organisationId: string): Promise<ChildSummary | null> {
  const { rows } = await db.query(
    `SELECT ${CHILD_COLUMNS} FROM children c JOIN child_organisations co ON co.child_id = c.id AND co.organisation_id = $2 WHERE c.id = $1`,
    [childId, organisationId],
  );
  return rows[0] ? toChild(rows[0]) : null;
}

/** The organisation's designated safeguarding lead and deputies: who is told about a new concern. */
export async function userAndOrganisationNames(db: Queryable, userId: string): Promise<{ userName: string; organisationName: string }> {
  const { rows } = await db.query<{ user_name: string; organisation_name: string }>(
    'SELECT u.name AS user_name, o.name AS organisation_name FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1',
    [userId],
  );
  return { userName: rows[0]?.user_name ?? 'Unknown', organisationName: rows[0]?.organisation_name ?? 'Unknown' };
}

export interface DraftRow { key: string; draftId: string; data: Record<string, unknown>; updatedAt: Date }

export async function listConcernDrafts(db: Queryable, userId: string): Promise<DraftRow[]> {
  const { rows } = await db.query<{ form_key: string; data: Record<string, unknown>; updated_at: Date }>(
    "SELECT form_key, data, updated_at FROM drafts WHERE user_id = $1 AND form_key LIKE 'concern:%' ORDER BY updated_at DESC",
    [userId],
  );
  return rows.map((r) => ({ key: r.form_key, draftId: r.form_key.slice('concern:'.length), data: r.data, updatedAt: r.updated_at }));
}

export async function childNames(db: Queryable, ids: string[], organisationId: string): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const { rows } = await db.query<{ id: string; name: string }>(
    `SELECT c.id, trim(c.first_name || ' ' || c.last_name) AS name FROM children c
       JOIN child_organisations co ON co.child_id = c.id AND co.organisation_id = $2 WHERE c.id = ANY($1::uuid[])`,
    [ids, organisationId],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
