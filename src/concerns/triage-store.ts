// SQL for the DSL's triage queue, opening a concern, and level-of-need assessments.
import type { Queryable } from '../platform/db/pool.ts';

export interface QueueRow {
  id: string;
  reference: number;
  child_id: string;
  child_name: string;
  status: 'new' | 'in_triage';
  submitted_at: Date;
  immediate_danger: boolean;
  categories: string[];
  raised_by_name: string;
}

/**
 * The organisation's undecided concerns: immediate danger first, then oldest first, read in that order from
 * the queue's own index (migrations/014), with how many there are in all. The names are looked up for the
 * rows shown only; the count is worked out once, in the same statement, rather than in a round trip of its own,
 * and from the index alone (it carries each concern's `restricted` flag, migrations/020).
 */
export async function listQueue(db: Queryable, organisationId: string, opts: { includeRestricted: boolean; limit: number }): Promise<{ rows: QueueRow[]; total: number }> {
  // The rows come back as one JSON array: the driver then reads one value instead of nine a row, which
  // was a fifth of the service's time on each queue (the timestamps become Dates again below).
  const { rows: [answer] } = await db.query<{ rows: (Omit<QueueRow, 'submitted_at'> & { submitted_at: string })[]; total: number }>(
    `SELECT coalesce(json_agg(q ORDER BY q.immediate_danger DESC, q.submitted_at, q.reference), '[]') AS rows,
            (SELECT count(*)::int FROM concerns n
              WHERE n.organisation_id = $1 AND n.status IN ('new', 'in_triage') AND ($2 OR NOT n.restricted)) AS total
       FROM (SELECT c.id, c.reference, c.child_id, c.status, c.submitted_at, c.immediate_danger, c.categories,
                    (SELECT trim(ch.first_name || ' ' || ch.last_name) FROM children ch WHERE ch.id = c.child_id) AS child_name,
                    (SELECT u.name FROM users u WHERE u.id = c.raised_by) AS raised_by_name
               FROM concerns c
              WHERE c.organisation_id = $1 AND c.status IN ('new', 'in_triage') AND ($2 OR NOT c.restricted)
              ORDER BY c.immediate_danger DESC, c.submitted_at ASC, c.reference ASC
              LIMIT $3) q`,
    [organisationId, opts.includeRestricted, opts.limit],
  );
  const rows = answer!.rows.map((r) => Object.assign(r, { submitted_at: new Date(r.submitted_at) }) as QueueRow);
  return { rows, total: answer!.total };
}

export interface ConcernRow {
  id: string;
  reference: number;
  child_id: string;
  organisation_id: string;
  organisation_name: string;
  partnership_id: string;
  raised_by: string;
  raised_by_name: string;
  status: 'new' | 'in_triage' | 'decided';
  submitted_at: Date;
  what_happened: string;
  childs_words: string | null;
  occurred_at: Date | null;
  occurred_at_text: string | null;
  location: string | null;
  present: string | null;
  injuries: string | null;
  categories: string[];
  immediate_danger: boolean;
  called_999: boolean | null;
  told_dsl_in_person: boolean | null;
  restricted: boolean;
  child_first_name: string;
  child_last_name: string;
  child_known_as: string | null;
  child_date_of_birth: string | null;
  child_expected_due_date: string | null;
  framework_id: string;
}

export async function getConcern(db: Queryable, concernId: string): Promise<ConcernRow | null> {
  const { rows } = await db.query<ConcernRow>(
    `SELECT c.id, c.reference, c.child_id, c.organisation_id, o.name AS organisation_name, o.partnership_id, c.raised_by,
            u.name AS raised_by_name, c.status, c.submitted_at, c.what_happened, c.childs_words, c.occurred_at, c.occurred_at_text,
            c.location, c.present, c.injuries, c.categories, c.immediate_danger, c.called_999, c.told_dsl_in_person, c.restricted,
            ch.first_name AS child_first_name, ch.last_name AS child_last_name, ch.known_as AS child_known_as,
            ch.date_of_birth AS child_date_of_birth, ch.expected_due_date AS child_expected_due_date, p.framework_id
       FROM concerns c
       JOIN organisations o ON o.id = c.organisation_id
       JOIN partnerships p ON p.id = o.partnership_id
       JOIN users u ON u.id = c.raised_by
       JOIN children ch ON ch.id = c.child_id
      WHERE c.id = $1`,
    [concernId],
  );
  return rows[0] ?? null;
}

/** new → in_triage, only once: returns true when this call moved it. */
export async function markInTriage(db: Queryable, concernId: string): Promise<boolean> {
  const r = await db.query(`UPDATE concerns SET status = 'in_triage' WHERE id = $1 AND status = 'new'`, [concernId]);
  return (r.rowCount ?? 0) > 0;
}

/**
 * When each of the child's concerns known to this organisation was raised, since a date. Restricted (LADO)
 * concerns count only when `includeRestricted`: otherwise the count would reveal they exist.
 */
export async function childConcernDates(
  db: Queryable, childId: string, organisationId: string, since: Date, opts: { includeRestricted: boolean },
): Promise<Date[]> {
  const { rows } = await db.query<{ submitted_at: Date }>(
    `SELECT submitted_at FROM concerns
      WHERE child_id = $1 AND organisation_id = $2 AND submitted_at >= $3 AND ($4 OR NOT restricted)
      ORDER BY submitted_at DESC`,
    [childId, organisationId, since, opts.includeRestricted],
  );
  return rows.map((r) => r.submitted_at);
}

export interface RelatedChildConcerns {
  child_id: string;
  name: string;
  relationship: string;
  /** the link is recorded on the other child's record, and `relationship` is what it calls this child */
  reverse: boolean;
  dates: Date[];
}

/**
 * Other children linked to this one — recorded on either child's record, or sharing someone (an adult or
 * another child) in their households — with the dates of their concerns known to this organisation since a
 * date. A link recorded on this child's record is preferred, then one on theirs, then a shared member.
 * Restricted (LADO) concerns count only when `includeRestricted`, so a child with only those is not listed.
 * The links are people's listSiblingLinks and listIndirectLinks, read here with the concerns in one statement.
 */
export async function relatedChildrenConcerns(
  db: Queryable, childId: string, organisationId: string, since: Date, opts: { includeRestricted: boolean },
): Promise<RelatedChildConcerns[]> {
  const { rows } = await db.query<RelatedChildConcerns>(
    `WITH linked AS (
       SELECT hm.related_child_id AS child_id, hm.relationship, false AS reverse, 0 AS rank FROM household_members hm
        WHERE hm.child_id = $1 AND hm.related_child_id IS NOT NULL
       UNION
       SELECT hm.child_id, hm.relationship, true, 1 FROM household_members hm WHERE hm.related_child_id = $1
       UNION
       SELECT other.child_id, 'shares a household member: ' || mine.relationship, false, 2
         FROM household_members mine
         JOIN household_members other ON other.child_id <> mine.child_id
          AND (other.person_id = mine.person_id OR other.related_child_id = mine.related_child_id)
        WHERE mine.child_id = $1
       UNION
       -- Both listed in a third child's household (neither record lists the other).
       -- The third child is named only to an organisation that knows them.
       SELECT other.related_child_id, 'listed with this child in ' || CASE
                WHEN EXISTS (SELECT 1 FROM child_organisations co WHERE co.child_id = host.id AND co.organisation_id = $2)
                THEN trim(host.first_name || ' ' || host.last_name) || '’s household' ELSE 'another child’s household' END, false, 3
         FROM household_members mine
         JOIN household_members other ON other.child_id = mine.child_id AND other.related_child_id IS NOT NULL
         JOIN children host ON host.id = mine.child_id
        WHERE mine.related_child_id = $1
     ), one AS (
       SELECT DISTINCT ON (child_id) child_id, relationship, reverse FROM linked WHERE child_id <> $1 ORDER BY child_id, rank, relationship
     )
     SELECT one.child_id, trim(ch.first_name || ' ' || ch.last_name) AS name, one.relationship, one.reverse,
            array_agg(c.submitted_at ORDER BY c.submitted_at DESC) AS dates
       FROM one
       JOIN children ch ON ch.id = one.child_id
       JOIN concerns c ON c.child_id = one.child_id AND c.organisation_id = $2 AND c.submitted_at >= $3 AND ($4 OR NOT c.restricted)
      GROUP BY one.child_id, ch.first_name, ch.last_name, one.relationship, one.reverse
      ORDER BY name`,
    [childId, organisationId, since, opts.includeRestricted],
  );
  return rows;
}

/**
 * The concern's status, locked against a decision being recorded until this transaction ends: an assessment
 * checked against it cannot land after the decision (decide() locks the row FOR UPDATE).
 */
export async function lockConcernStatus(db: Queryable, concernId: string): Promise<ConcernRow['status'] | null> {
  const { rows } = await db.query<{ status: ConcernRow['status'] }>('SELECT status FROM concerns WHERE id = $1 FOR SHARE', [concernId]);
  return rows[0]?.status ?? null;
}

export async function childOrganisationIds(db: Queryable, childId: string): Promise<string[]> {
  const { rows } = await db.query<{ organisation_id: string }>('SELECT organisation_id FROM child_organisations WHERE child_id = $1', [childId]);
  return rows.map((r) => r.organisation_id);
}

export interface NewAssessment {
  childId: string;
  concernId: string;
  organisationId: string;
  frameworkId: string;
  frameworkVersion: string;
  indicators: string[];
  childAgeMonths: number | null;
  unborn: boolean;
  immediateDanger: boolean;
  suggestedLevel: string;
  chosenLevel: string;
  agreed: boolean;
  overrideReason: string | null;
  result: unknown;
  assessedBy: string;
}

export async function insertAssessment(db: Queryable, a: NewAssessment): Promise<{ id: string; assessed_at: Date }> {
  const { rows } = await db.query<{ id: string; assessed_at: Date }>(
    `INSERT INTO assessments (child_id, concern_id, organisation_id, framework_id, framework_version, indicators, child_age_months,
                              unborn, immediate_danger, suggested_level, chosen_level, agreed, override_reason, result, assessed_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id, assessed_at`,
    [a.childId, a.concernId, a.organisationId, a.frameworkId, a.frameworkVersion, a.indicators, a.childAgeMonths, a.unborn,
      a.immediateDanger, a.suggestedLevel, a.chosenLevel, a.agreed, a.overrideReason, JSON.stringify(a.result), a.assessedBy],
  );
  return rows[0]!;
}

export interface AssessmentRow {
  id: string;
  framework_id: string;
  framework_version: string;
  indicators: string[];
  suggested_level: string;
  chosen_level: string;
  agreed: boolean;
  override_reason: string | null;
  immediate_danger: boolean;
  result: { level?: { name?: string }; levels?: { id: string; name: string }[] };
  assessed_at: Date;
  assessed_by_name: string;
}

export async function latestAssessment(db: Queryable, concernId: string): Promise<AssessmentRow | null> {
  const { rows } = await db.query<AssessmentRow>(
    `SELECT a.id, a.framework_id, a.framework_version, a.indicators, a.suggested_level, a.chosen_level, a.agreed, a.override_reason,
            a.immediate_danger, a.result, a.assessed_at, u.name AS assessed_by_name
       FROM assessments a JOIN users u ON u.id = a.assessed_by
      WHERE a.concern_id = $1 ORDER BY a.assessed_at DESC LIMIT 1`,
    [concernId],
  );
  return rows[0] ?? null;
}
