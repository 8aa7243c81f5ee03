// SQL for decisions and their follow-up tasks.
import type { Queryable } from '../platform/db/pool.ts';
import type { Outcome } from './outcomes.ts';

export interface OrgUser {
  id: string;
  name: string;
  role: string;
}

/** Active users of an organisation with one of the roles given (the caller decides which roles may own a task). */
export async function organisationUsers(db: Queryable, organisationId: string, roles: readonly string[]): Promise<OrgUser[]> {
  const { rows } = await db.query<OrgUser>(
    `SELECT id, name, role FROM users WHERE organisation_id = $1 AND active AND role = ANY($2) ORDER BY name, id`,
    [organisationId, roles],
  );
  return rows;
}

export interface NewDecision {
  concernId: string;
  childId: string;
  organisationId: string;
  outcome: Outcome;
  rationale: string;
  reasonsNotReferring: string | null;
  assessmentId: string | null;
  decidedBy: string;
  restricted: boolean;
}

export async function insertDecision(db: Queryable, d: NewDecision): Promise<{ id: string; decided_at: Date }> {
  const { rows } = await db.query<{ id: string; decided_at: Date }>(
    `INSERT INTO decisions (concern_id, child_id, organisation_id, outcome, rationale, reasons_not_referring, assessment_id, decided_by, restricted)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, decided_at`,
    [d.concernId, d.childId, d.organisationId, d.outcome, d.rationale, d.reasonsNotReferring, d.assessmentId, d.decidedBy, d.restricted],
  );
  return rows[0]!;
}

/**
 * Concern decided; a restricted outcome also restricts the concern, what the chronology already says of it and
 * the tasks already made from it. Consent, sharing and amendment events name their concern in their detail;
 * clocks name it, or one of its sharing decisions, as their subject.
 */
export async function closeConcern(db: Queryable, concernId: string, restricted: boolean, assessmentIds: string[]): Promise<void> {
  await db.query(`UPDATE concerns SET status = 'decided', restricted = restricted OR $2 WHERE id = $1`, [concernId, restricted]);
  if (restricted) {
    await db.query(
      `UPDATE events SET restricted = true
        WHERE child_id = (SELECT child_id FROM concerns WHERE id = $1) AND NOT restricted
          AND ((source_type = 'concern' AND source_id = $1::text) OR (source_type = 'assessment' AND source_id = ANY($2::text[]))
               OR detail->>'concernId' = $1::text
               OR (source_type = 'clock' AND source_id IN (
                     SELECT k.id::text FROM clocks k
                      WHERE (k.subject_type = 'concern' AND k.subject_id = $1::text)
                         OR (k.subject_type = 'sharing-decision'
                             AND k.subject_id IN (SELECT s.id::text FROM sharing_decisions s WHERE s.concern_id = $1)))))`,
      [concernId, assessmentIds],
    );
    await db.query('UPDATE tasks SET restricted = true WHERE concern_id = $1 AND NOT restricted', [concernId]);
  }
}

export async function assessmentIdsOf(db: Queryable, concernId: string): Promise<{ id: string }[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM assessments WHERE concern_id = $1 ORDER BY assessed_at DESC', [concernId]);
  return rows;
}

export interface NewTask {
  childId: string;
  concernId: string;
  decisionId: string;
  organisationId: string;
  title: string;
  ownerId: string;
  dueDate: string;
  createdBy: string;
  restricted: boolean;
}

export async function insertTask(db: Queryable, t: NewTask): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO tasks (child_id, concern_id, decision_id, organisation_id, title, owner_id, due_date, created_by, restricted)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [t.childId, t.concernId, t.decisionId, t.organisationId, t.title, t.ownerId, t.dueDate, t.createdBy, t.restricted],
  );
  return rows[0]!.id;
}

export interface TaskRow {
  id: string;
  child_id: string;
  child_name: string;
  concern_id: string | null;
  decision_id: string | null;
  organisation_id: string;
  title: string;
  owner_id: string;
  owner_name: string;
  due_date: string;
  status: 'open' | 'done' | 'cancelled';
  outcome: string | null;
  completed_at: Date | null;
  restricted: boolean;
  concern_raised_by: string | null;
}

const TASK_SELECT = `SELECT t.id, t.child_id, trim(ch.first_name || ' ' || ch.last_name) AS child_name, t.concern_id, t.decision_id, t.organisation_id,
       t.title, t.owner_id, u.name AS owner_name, t.due_date, t.status, t.outcome, t.completed_at, t.restricted, c.raised_by AS concern_raised_by
  FROM tasks t JOIN children ch ON ch.id = t.child_id JOIN users u ON u.id = t.owner_id LEFT JOIN concerns c ON c.id = t.concern_id`;

export async function openTasksOf(db: Queryable, ownerId: string, limit: number): Promise<TaskRow[]> {
  const { rows } = await db.query<TaskRow>(`${TASK_SELECT} WHERE t.owner_id = $1 AND t.status = 'open' ORDER BY t.due_date, t.created_at LIMIT $2`, [ownerId, limit]);
  return rows;
}

export async function getTask(db: Queryable, taskId: string): Promise<TaskRow | null> {
  const { rows } = await db.query<TaskRow>(`${TASK_SELECT} WHERE t.id = $1`, [taskId]);
  return rows[0] ?? null;
}

export async function tasksOfDecision(db: Queryable, decisionId: string): Promise<TaskRow[]> {
  const { rows } = await db.query<TaskRow>(`${TASK_SELECT} WHERE t.decision_id = $1 ORDER BY t.due_date, t.created_at`, [decisionId]);
  return rows;
}

export async function markTaskDone(db: Queryable, taskId: string, userId: string, outcome: string): Promise<Date | null> {
  const { rows } = await db.query<{ completed_at: Date }>(
    `UPDATE tasks SET status = 'done', outcome = $3, completed_by = $2, completed_at = now() WHERE id = $1 AND status = 'open' RETURNING completed_at`,
    [taskId, userId, outcome],
  );
  return rows[0]?.completed_at ?? null;
}

export interface DecisionRow {
  id: string;
  concern_id: string;
  concern_reference: number;
  concern_raised_by: string;
  child_id: string;
  child_name: string;
  organisation_id: string;
  outcome: Outcome;
  rationale: string;
  reasons_not_referring: string | null;
  decided_by_name: string;
  decided_at: Date;
  restricted: boolean;
  concern_restricted: boolean;
}

export async function getDecision(db: Queryable, decisionId: string): Promise<DecisionRow | null> {
  const { rows } = await db.query<DecisionRow>(
    `SELECT d.id, d.concern_id, c.reference AS concern_reference, c.raised_by AS concern_raised_by, d.child_id,
            trim(ch.first_name || ' ' || ch.last_name) AS child_name, d.organisation_id, d.outcome, d.rationale, d.reasons_not_referring,
            u.name AS decided_by_name, d.decided_at, d.restricted, c.restricted AS concern_restricted
       FROM decisions d JOIN concerns c ON c.id = d.concern_id JOIN children ch ON ch.id = d.child_id JOIN users u ON u.id = d.decided_by
      WHERE d.id = $1`,
    [decisionId],
  );
  return rows[0] ?? null;
}

export interface AllegationRow {
  decision_id: string;
  decided_at: Date;
  decided_by_name: string;
  concern_id: string;
  concern_reference: number;
  child_id: string;
  child_name: string;
  open_tasks: number;
  next_due: string | null;
}

/** The organisation's decisions routed to the LADO, newest first, with how much follow-up is still open. */
export async function listAllegations(db: Queryable, organisationId: string, limit: number): Promise<AllegationRow[]> {
  const { rows } = await db.query<AllegationRow>(
    `SELECT d.id AS decision_id, d.decided_at, u.name AS decided_by_name, c.id AS concern_id, c.reference AS concern_reference,
            d.child_id, trim(ch.first_name || ' ' || ch.last_name) AS child_name, t.open_tasks, t.next_due
       FROM decisions d JOIN concerns c ON c.id = d.concern_id JOIN children ch ON ch.id = d.child_id JOIN users u ON u.id = d.decided_by
       CROSS JOIN LATERAL (SELECT count(*)::int AS open_tasks, min(due_date)::text AS next_due FROM tasks WHERE decision_id = d.id AND status = 'open') t
      WHERE d.organisation_id = $1 AND d.outcome = 'lado'
      ORDER BY d.decided_at DESC, d.id LIMIT $2`,
    [organisationId, limit],
  );
  return rows.map((r) => ({ ...r, concern_reference: Number(r.concern_reference) }));
}
