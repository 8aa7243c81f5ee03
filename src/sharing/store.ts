// SQL for consent and the information-sharing log. Every table is append-only (migration 008).
import type { Queryable } from '../platform/db/pool.ts';
import type { ConsentMethod, ConsentStatus, NotSoughtReason, SharingOutcome } from './rules.ts';

export interface CaseRow {
  concern_id: string;
  reference: number;
  child_id: string;
  organisation_id: string;
  raised_by: string;
  restricted: boolean;
  child_first_name: string;
  child_last_name: string;
  child_date_of_birth: string | null;
  child_expected_due_date: string | null;
  decision_id: string | null;
  outcome: SharingOutcome | null;
  decided_by: string | null;
  decided_at: Date | null;
}

/** A concern with its child and its latest decision, if any. */
export async function getCase(db: Queryable, concernId: string): Promise<CaseRow | null> {
  const { rows } = await db.query<CaseRow>(
    `SELECT c.id AS concern_id, c.reference, c.child_id, c.organisation_id, c.raised_by, c.restricted,
            ch.first_name AS child_first_name, ch.last_name AS child_last_name,
            ch.date_of_birth AS child_date_of_birth, ch.expected_due_date AS child_expected_due_date,
            d.id AS decision_id, d.outcome, d.decided_by, d.decided_at
       FROM concerns c JOIN children ch ON ch.id = c.child_id
       LEFT JOIN LATERAL (SELECT * FROM decisions WHERE concern_id = c.id ORDER BY decided_at DESC, id LIMIT 1) d ON true
      WHERE c.id = $1`,
    [concernId],
  );
  return rows[0] ?? null;
}

export interface MemberRow {
  person_id: string | null;
  related_child_id: string | null;
  name: string;
  relationship: string;
  parental_responsibility: boolean;
}

export async function householdOf(db: Queryable, childId: string): Promise<MemberRow[]> {
  const { rows } = await db.query<MemberRow>(
    `SELECT hm.person_id, hm.related_child_id, hm.relationship, hm.parental_responsibility,
            trim(coalesce(p.first_name, rc.first_name, '') || ' ' || coalesce(p.last_name, rc.last_name, '')) AS name
       FROM household_members hm
       LEFT JOIN people p ON p.id = hm.person_id
       LEFT JOIN children rc ON rc.id = hm.related_child_id
      WHERE hm.child_id = $1 ORDER BY hm.parental_responsibility DESC, hm.id`,
    [childId],
  );
  return rows;
}

export interface JudgementRow {
  id: string;
  sufficient_understanding: boolean;
  reasons: string;
  judged_by_name: string;
  judged_at: Date;
}

export async function latestJudgement(db: Queryable, concernId: string): Promise<JudgementRow | null> {
  const { rows } = await db.query<JudgementRow>(
    `SELECT j.id, j.sufficient_understanding, j.reasons, u.name AS judged_by_name, j.judged_at
       FROM consent_understanding_judgements j JOIN users u ON u.id = j.judged_by
      WHERE j.concern_id = $1 ORDER BY j.judged_at DESC, j.id DESC LIMIT 1`,
    [concernId],
  );
  return rows[0] ?? null;
}

export async function insertJudgement(db: Queryable, j: { concernId: string; childId: string; organisationId: string; sufficient: boolean; reasons: string; judgedBy: string }) {
  const { rows } = await db.query<{ id: string; judged_at: Date }>(
    `INSERT INTO consent_understanding_judgements (concern_id, child_id, organisation_id, sufficient_understanding, reasons, judged_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, judged_at`,
    [j.concernId, j.childId, j.organisationId, j.sufficient, j.reasons, j.judgedBy],
  );
  return rows[0]!;
}

export interface ConsentRow {
  id: string;
  person_id: string | null;
  decision_id: string | null;
  status: ConsentStatus;
  status_date: string;
  method: ConsentMethod | null;
  sought_by: string | null;
  sought_by_name: string | null;
  not_sought_reason: NotSoughtReason | null;
  reason_text: string | null;
  childs_view: string | null;
  supersedes: string | null;
  recorded_by_name: string;
  recorded_at: Date;
}

/** Every consent record of a case, newest first: the first per person is the current one. */
export async function consentHistory(db: Queryable, concernId: string): Promise<ConsentRow[]> {
  const { rows } = await db.query<ConsentRow>(
    `SELECT r.id, r.person_id, r.decision_id, r.status, r.status_date, r.method, r.sought_by, s.name AS sought_by_name,
            r.not_sought_reason, r.reason_text, r.childs_view, r.supersedes, u.name AS recorded_by_name, r.recorded_at
       FROM consent_records r JOIN users u ON u.id = r.recorded_by LEFT JOIN users s ON s.id = r.sought_by
      WHERE r.concern_id = $1 ORDER BY r.recorded_at DESC, r.id DESC`,
    [concernId],
  );
  return rows;
}

export interface NewConsent {
  concernId: string;
  decisionId: string | null;
  childId: string;
  organisationId: string;
  personId: string | null;
  status: ConsentStatus;
  statusDate: string;
  method: ConsentMethod | null;
  soughtBy: string | null;
  notSoughtReason: NotSoughtReason | null;
  reasonText: string | null;
  childsView: string | null;
  supersedes: string | null;
  recordedBy: string;
}

export async function insertConsent(db: Queryable, c: NewConsent) {
  const { rows } = await db.query<{ id: string; recorded_at: Date }>(
    // clock_timestamp, not the transaction's start: taken under the case's consent lock, so it orders this record
    // against an approval (loadOverview compares them).
    `INSERT INTO consent_records (concern_id, decision_id, child_id, organisation_id, person_id, status, status_date, method, sought_by,
                                  not_sought_reason, reason_text, childs_view, supersedes, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, clock_timestamp()) RETURNING id, recorded_at`,
    [c.concernId, c.decisionId, c.childId, c.organisationId, c.personId, c.status, c.statusDate, c.method, c.soughtBy,
      c.notSoughtReason, c.reasonText, c.childsView, c.supersedes, c.recordedBy],
  );
  return rows[0]!;
}

export interface ApprovalRow {
  id: string;
  decision_id: string | null;
  approved_by: string;
  approved_by_name: string;
  approver_role: string;
  approved_at: Date;
  reasons: string;
  front_door_told: 'withheld' | 'not_sought';
  tell_parent_unsafe: boolean;
  unsafe_reason: string | null;
  referrer_id: string;
  task_id: string | null;
  task_due_date: string | null;
}

export async function latestApproval(db: Queryable, concernId: string): Promise<ApprovalRow | null> {
  const { rows } = await db.query<ApprovalRow>(
    `SELECT a.id, a.decision_id, a.approved_by, u.name AS approved_by_name, a.approver_role, a.approved_at, a.reasons, a.front_door_told,
            a.tell_parent_unsafe, a.unsafe_reason, a.referrer_id, a.task_id, t.due_date AS task_due_date
       FROM consent_approvals a JOIN users u ON u.id = a.approved_by LEFT JOIN tasks t ON t.id = a.task_id
      WHERE a.concern_id = $1 ORDER BY a.approved_at DESC, a.id DESC LIMIT 1`,
    [concernId],
  );
  return rows[0] ?? null;
}

export async function insertApproval(db: Queryable, a: {
  concernId: string; decisionId: string | null; childId: string; organisationId: string; approvedBy: string; approverRole: string;
  reasons: string; frontDoorTold: 'withheld' | 'not_sought'; tellParentUnsafe: boolean; unsafeReason: string | null; referrerId: string; taskId: string | null;
}) {
  const { rows } = await db.query<{ id: string; approved_at: Date }>(
    // clock_timestamp, as for consent records: ordered by the consent lock, not by when the transaction began.
    `INSERT INTO consent_approvals (concern_id, decision_id, child_id, organisation_id, approved_by, approver_role, reasons, front_door_told,
                                    tell_parent_unsafe, unsafe_reason, referrer_id, task_id, approved_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, clock_timestamp()) RETURNING id, approved_at`,
    [a.concernId, a.decisionId, a.childId, a.organisationId, a.approvedBy, a.approverRole, a.reasons, a.frontDoorTold,
      a.tellParentUnsafe, a.unsafeReason, a.referrerId, a.taskId],
  );
  return rows[0]!;
}

export async function insertTask(db: Queryable, t: {
  childId: string; concernId: string; decisionId: string | null; organisationId: string; title: string; ownerId: string; dueDate: string; createdBy: string; restricted: boolean;
}): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO tasks (child_id, concern_id, decision_id, organisation_id, title, owner_id, due_date, created_by, restricted)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [t.childId, t.concernId, t.decisionId, t.organisationId, t.title, t.ownerId, t.dueDate, t.createdBy, t.restricted],
  );
  return rows[0]!.id;
}

export async function userName(db: Queryable, userId: string): Promise<string> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [userId]);
  return rows[0]?.name ?? 'Unknown user';
}

// ---- the information-sharing log ----

export interface SharingRow {
  id: string;
  reference: number;
  concern_id: string;
  concern_reference: number;
  concern_raised_by: string;
  child_id: string;
  child_first_name: string;
  child_last_name: string;
  organisation_id: string;
  share: boolean;
  what: string;
  recipient: string;
  purpose: string;
  article6: string | null;
  article9: string[];
  consent_status: string;
  without_consent: boolean;
  reasons: string | null;
  decided_by: string;
  decided_by_name: string;
  decided_on: string;
  share_by: string | null;
  recorded_at: Date;
  restricted: boolean;
  countersigned_by_name: string | null;
  countersigner_role: string | null;
  countersigned_at: Date | null;
  countersign_note: string | null;
  shared_on: string | null;
  shared_how: string | null;
}

const SHARING_SELECT = `
  SELECT s.id, s.reference, s.concern_id, c.reference AS concern_reference, c.raised_by AS concern_raised_by, s.child_id,
         ch.first_name AS child_first_name, ch.last_name AS child_last_name, s.organisation_id, s.share, s.what, s.recipient,
         s.purpose, s.article6, s.article9, s.consent_status, s.without_consent, s.reasons, s.decided_by, du.name AS decided_by_name,
         s.decided_on, s.share_by, s.recorded_at, (s.restricted OR c.restricted) AS restricted,
         cu.name AS countersigned_by_name, cs.countersigner_role, cs.countersigned_at, cs.note AS countersign_note,
         sc.shared_on, sc.how AS shared_how
    FROM sharing_decisions s
    JOIN concerns c ON c.id = s.concern_id
    JOIN children ch ON ch.id = s.child_id
    JOIN users du ON du.id = s.decided_by
    LEFT JOIN sharing_countersignatures cs ON cs.sharing_id = s.id
    LEFT JOIN users cu ON cu.id = cs.countersigned_by
    LEFT JOIN sharing_completions sc ON sc.sharing_id = s.id`;

export async function sharingForConcern(db: Queryable, concernId: string): Promise<SharingRow[]> {
  const { rows } = await db.query<SharingRow>(`${SHARING_SELECT} WHERE s.concern_id = $1 ORDER BY s.decided_on DESC, s.reference DESC`, [concernId]);
  return rows;
}

export async function getSharing(db: Queryable, id: string, lock = false): Promise<SharingRow | null> {
  if (lock) await db.query('SELECT 1 FROM sharing_decisions WHERE id = $1 FOR UPDATE', [id]);
  const { rows } = await db.query<SharingRow>(`${SHARING_SELECT} WHERE s.id = $1`, [id]);
  return rows[0] ?? null;
}

export interface LogFilter {
  organisationId: string;
  includeRestricted: boolean;
  from?: string;
  to?: string;
  awaitingCountersignature?: boolean;
  overdueOn?: string;
  limit: number;
  offset: number;
}

export async function sharingLog(db: Queryable, f: LogFilter): Promise<{ rows: SharingRow[]; hasMore: boolean }> {
  const params: unknown[] = [f.organisationId];
  const where = ['s.organisation_id = $1'];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
  if (!f.includeRestricted) where.push('NOT (s.restricted OR c.restricted)');
  if (f.from) add('s.decided_on >= ?::date', f.from);
  if (f.to) add('s.decided_on <= ?::date', f.to);
  if (f.awaitingCountersignature) where.push('s.without_consent AND cs.sharing_id IS NULL');
  if (f.overdueOn) add('s.share AND sc.sharing_id IS NULL AND s.share_by < ?::date', f.overdueOn);
  params.push(f.limit + 1, f.offset);
  const { rows } = await db.query<SharingRow>(
    `${SHARING_SELECT} WHERE ${where.join(' AND ')} ORDER BY s.decided_on DESC, s.reference DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { rows: rows.slice(0, f.limit), hasMore: rows.length > f.limit };
}

export interface NewSharing {
  concernId: string; decisionId: string | null; childId: string; organisationId: string; share: boolean; what: string; recipient: string;
  purpose: string; article6: string | null; article9: string[]; consentStatus: string; withoutConsent: boolean; reasons: string | null;
  decidedBy: string; decidedOn: string; shareBy: string | null; restricted: boolean;
}

export async function insertSharing(db: Queryable, s: NewSharing) {
  const { rows } = await db.query<{ id: string; reference: number; recorded_at: Date }>(
    `INSERT INTO sharing_decisions (concern_id, decision_id, child_id, organisation_id, share, what, recipient, purpose, article6, article9,
                                    consent_status, without_consent, reasons, decided_by, decided_on, share_by, restricted)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id, reference, recorded_at`,
    [s.concernId, s.decisionId, s.childId, s.organisationId, s.share, s.what, s.recipient, s.purpose, s.article6, s.article9,
      s.consentStatus, s.withoutConsent, s.reasons, s.decidedBy, s.decidedOn, s.shareBy, s.restricted],
  );
  return rows[0]!;
}

export async function insertCountersignature(db: Queryable, c: { sharingId: string; userId: string; role: string; note: string | null }) {
  const { rows } = await db.query<{ countersigned_at: Date }>(
    'INSERT INTO sharing_countersignatures (sharing_id, countersigned_by, countersigner_role, note) VALUES ($1, $2, $3, $4) RETURNING countersigned_at',
    [c.sharingId, c.userId, c.role, c.note],
  );
  return rows[0]!;
}

export async function insertCompletion(db: Queryable, c: { sharingId: string; sharedOn: string; how: string; userId: string }) {
  await db.query('INSERT INTO sharing_completions (sharing_id, shared_on, how, recorded_by) VALUES ($1, $2, $3, $4)', [c.sharingId, c.sharedOn, c.how, c.userId]);
}
