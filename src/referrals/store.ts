// SQL for referrals (migration 009), and gathering the records a referral is built from.
import { latestAssessment, getConcern } from '../concerns/triage-store.ts';
import { getDecision } from '../decisions/store.ts';
import { householdOf } from '../people/operations.ts';
import { relationshipFromThisSide } from '../people/relationships.ts';
import { childSummaries, listProfessionals, loadChild } from '../people/store.ts';
import { canSeeChild, type Principal } from '../platform/access/policy.ts';
import { ROLE_LABELS, type Role } from '../platform/access/roles.ts';
import type { Queryable } from '../platform/db/pool.ts';
import { loadOverview } from '../sharing/consent.ts';
import { CASE_CONSENT_LABELS, NOT_SOUGHT_REASON_INFO } from '../sharing/rules.ts';
import type { CaseRow } from '../sharing/store.ts';
import { OUTCOME_LABELS, concernReference } from '../sharing/case.ts';
import type { MissingItem, ReferralAnalysis, ReferralDocument, ReferralKind, ReferralMethod, ReferralRecords, ReferralStatus } from './model.ts';

const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());
const addressText = (a: { line1: string; line2: string | null; town: string | null; postcode: string | null }) =>
  [a.line1, a.line2, a.town, a.postcode].filter((x) => x && x.trim()).join(', ');

export interface Referrer { userId: string; name: string; role: string; email: string; organisationId: string; organisationName: string }

export async function referrerOf(db: Queryable, userId: string): Promise<Referrer | null> {
  const { rows } = await db.query<{ id: string; name: string; role: Role; email: string; organisation_id: string; organisation_name: string }>(
    `SELECT u.id, u.name, u.role, u.email, u.organisation_id, o.name AS organisation_name
       FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`, [userId]);
  const u = rows[0];
  return u ? { userId: u.id, name: u.name, role: ROLE_LABELS[u.role] ?? u.role, email: u.email, organisationId: u.organisation_id, organisationName: u.organisation_name } : null;
}

/** Everything recorded about the case that the referral carries (the caller has checked access to the case). */
export async function gatherRecords(db: Queryable, principal: Principal, c: CaseRow, referrer: Referrer, analysis: ReferralAnalysis, today: string): Promise<ReferralRecords | null> {
  const [child, household, professionals, concern, assessment, decision, consent] = await Promise.all([
    loadChild(db, c.child_id), householdOf(db, c.child_id), listProfessionals(db, c.child_id), getConcern(db, c.concern_id),
    latestAssessment(db, c.concern_id), c.decision_id ? getDecision(db, c.decision_id) : Promise.resolve(null), loadOverview(db, c, today),
  ]);
  if (!child || !concern || !decision) return null;
  const summaries = new Map((await childSummaries(db, household.siblingChildIds)).map((s) => [s.id, s]));
  const current = child.addresses.find((a) => a.current);
  const statuses: string[] = [];
  if (child.childProtectionPlan) statuses.push('Child protection plan');
  if (child.childInNeed) statuses.push('Child in need');
  if (child.lookedAfter) statuses.push('Looked after');
  if (child.ehcp) statuses.push('Education, health and care plan');
  if (child.youngCarer) statuses.push('Young carer');
  if (child.privatelyFostered) statuses.push('Privately fostered');
  const result = (assessment?.result ?? {}) as { reasons?: { kind: string; text: string; source?: { document?: string; section?: string; page?: number | string } | string; level?: string; domain?: string }[]; levels?: { id: string; name: string }[] };
  const sourceText = (s: unknown) => (typeof s === 'string' ? s : s && typeof s === 'object'
    ? Object.values(s as Record<string, unknown>).filter((v) => typeof v === 'string' || typeof v === 'number').join(', ') : '');
  const levels = (result.levels ?? []).map((l) => ({ id: l.id, name: l.name }));
  return {
    child: {
      id: child.id, firstName: child.firstName, middleNames: child.middleNames, lastName: child.lastName, knownAs: child.knownAs,
      otherNames: child.names.filter((n) => n.kind !== 'legal').map((n) => `${n.firstName} ${n.lastName}`.trim()),
      dateOfBirth: child.dateOfBirth, expectedDueDate: child.expectedDueDate, sex: child.sex, gender: child.gender, ethnicity: child.ethnicity,
      firstLanguage: child.firstLanguage, religion: child.religion, interpreterNeeded: child.interpreterNeeded, communicationNeeds: child.communicationNeeds,
      senStatus: child.senStatus, disability: child.disability, schoolOrSetting: child.schoolOrSetting, nhsNumber: child.nhsNumber, upn: child.upn,
      statuses, currentAddress: current ? addressText(current) : null,
      previousAddresses: child.addresses.filter((a) => !a.current).map(addressText),
    },
    household: household.members.map((m) => ({
      name: `${m.firstName} ${m.lastName}`.trim(), relationship: m.relationship, dateOfBirth: m.dateOfBirth, phone: m.phone, address: m.address,
      parentalResponsibility: m.parentalResponsibility, livesWithChild: m.livesWithChild, significantAdult: m.significantAdult,
    })),
    siblings: household.siblings.map((s) => {
      const summary = summaries.get(s.childId);
      const visible = !!summary && canSeeChild(principal, summary.organisationIds);
      const name = visible ? `${summary!.firstName} ${summary!.lastName}` : null;
      return { name, relationship: relationshipFromThisSide(s, name), dateOfBirth: visible ? summary!.dateOfBirth ?? summary!.expectedDueDate : null, livesWithChild: s.livesWithChild };
    }),
    professionals: professionals.map((p) => ({ name: p.name, role: p.role, organisation: p.organisation, phone: p.phone, email: p.email })),
    concern: {
      id: concern.id, reference: concernReference(concern.reference), submittedAt: iso(concern.submitted_at)!, raisedByName: concern.raised_by_name,
      whatHappened: concern.what_happened, childsWords: concern.childs_words, occurredAt: iso(concern.occurred_at), occurredAtText: concern.occurred_at_text,
      location: concern.location, present: concern.present, injuries: concern.injuries, categories: concern.categories, immediateDanger: concern.immediate_danger,
    },
    assessment: assessment ? {
      frameworkId: assessment.framework_id, frameworkVersion: assessment.framework_version, suggestedLevel: assessment.suggested_level,
      chosenLevel: assessment.chosen_level, chosenLevelName: levels.find((l) => l.id === assessment.chosen_level)?.name ?? assessment.chosen_level,
      agreed: assessment.agreed, overrideReason: assessment.override_reason,
      reasons: (result.reasons ?? []).map((r) => ({ kind: r.kind, text: r.text, source: sourceText(r.source), level: r.level ?? null, domain: r.domain ?? null })),
      levels, assessedAt: iso(assessment.assessed_at)!, assessedByName: assessment.assessed_by_name,
    } : null,
    decision: {
      id: decision.id, outcome: decision.outcome, outcomeLabel: OUTCOME_LABELS[decision.outcome] ?? decision.outcome, rationale: decision.rationale,
      decidedAt: iso(decision.decided_at)!, decidedByName: decision.decided_by_name,
    },
    consent: {
      people: consent.subjects.map((s) => ({
        name: s.name, relationship: s.relationship, kind: s.kind, status: s.current?.status ?? null,
        reason: s.current ? [s.current.not_sought_reason ? NOT_SOUGHT_REASON_INFO[s.current.not_sought_reason]?.label : null, s.current.reason_text].filter(Boolean).join(': ') || null : null,
      })),
      overall: consent.caseConsent, overallLabel: CASE_CONSENT_LABELS[consent.caseConsent],
      frontDoorMustBeTold: consent.rules?.frontDoorMustBeTold ?? null, proceed: consent.rules?.proceed ?? false, reasons: consent.rules?.reasons ?? [],
      approvedBy: consent.approval?.approved_by_name ?? null,
    },
    referrer,
    analysis,
  };
}

export interface Organisation { id: string; name: string }

/** The partnership's front door (organisations.type = 'front_door'). */
export async function frontDoorOf(db: Queryable, organisationId: string): Promise<Organisation | null> {
  const { rows } = await db.query<Organisation>(
    `SELECT f.id, f.name FROM organisations o JOIN organisations f ON f.partnership_id = o.partnership_id AND f.type = 'front_door'
      WHERE o.id = $1 ORDER BY f.name, f.id LIMIT 1`, [organisationId]);
  return rows[0] ?? null;
}

export interface NewReferral {
  referringOrganisationId: string;
  receivingOrganisationId: string;
  childId: string;
  concernId: string;
  decisionId: string;
  kind: ReferralKind;
  method: ReferralMethod;
  telephonedTo: string | null;
  telephonedAt: Date | null;
  content: ReferralDocument;
  missing: MissingItem[];
  sentBy: string;
}

export async function insertReferral(db: Queryable, r: NewReferral): Promise<{ id: string; reference: number; sent_at: Date }> {
  const { rows } = await db.query<{ id: string; reference: number; sent_at: Date }>(
    `INSERT INTO referrals (partnership_id, referring_organisation_id, receiving_organisation_id, child_id, concern_id, decision_id, kind, method,
                            telephoned_to, telephoned_at, content, missing, sent_by)
     SELECT o.partnership_id, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM organisations o WHERE o.id = $1
     RETURNING id, reference, sent_at`,
    [r.referringOrganisationId, r.receivingOrganisationId, r.childId, r.concernId, r.decisionId, r.kind, r.method, r.telephonedTo, r.telephonedAt,
      JSON.stringify(r.content), JSON.stringify(r.missing), r.sentBy],
  );
  return rows[0]!;
}

export interface ReferralRow {
  id: string;
  reference: number;
  referring_organisation_id: string;
  referring_organisation_name: string;
  receiving_organisation_id: string;
  receiving_organisation_name: string;
  child_id: string;
  concern_id: string | null;
  decision_id: string | null;
  kind: ReferralKind;
  method: ReferralMethod;
  telephoned_to: string | null;
  telephoned_at: Date | null;
  referrer_type: 'professional' | 'public';
  anonymity_requested: boolean;
  content: ReferralDocument;
  missing: MissingItem[];
  sent_by: string | null;
  sent_by_name: string | null;
  sent_at: Date;
  status: ReferralStatus;
  written_confirmation_sent_at: Date | null;
}

const REFERRAL_SELECT = `SELECT r.id, r.reference, r.referring_organisation_id, ro.name AS referring_organisation_name, r.receiving_organisation_id,
       fo.name AS receiving_organisation_name, r.child_id, r.concern_id, r.decision_id, r.kind, r.method, r.telephoned_to, r.telephoned_at,
       r.referrer_type, r.anonymity_requested, r.content, r.missing, r.sent_by, u.name AS sent_by_name, r.sent_at, r.status, r.written_confirmation_sent_at
  FROM referrals r JOIN organisations ro ON ro.id = r.referring_organisation_id JOIN organisations fo ON fo.id = r.receiving_organisation_id
  LEFT JOIN users u ON u.id = r.sent_by`;

export async function getReferral(db: Queryable, id: string, lock = false): Promise<ReferralRow | null> {
  const { rows } = await db.query<ReferralRow>(`${REFERRAL_SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
  return rows[0] ?? null;
}

/** The concern's referral: there is at most one (migrations/011; earlier repeats are marked repeat_of). */
export async function referralOfConcern(db: Queryable, concernId: string): Promise<ReferralRow | null> {
  const { rows } = await db.query<ReferralRow>(`${REFERRAL_SELECT} WHERE r.concern_id = $1 AND r.repeat_of IS NULL`, [concernId]);
  return rows[0] ?? null;
}

export async function receivedBy(db: Queryable, organisationId: string, limit = 200): Promise<ReferralRow[]> {
  const { rows } = await db.query<ReferralRow>(
    `${REFERRAL_SELECT} WHERE r.receiving_organisation_id = $1 ORDER BY (r.status = 'sent') DESC, r.sent_at DESC LIMIT $2`, [organisationId, limit]);
  return rows;
}

export async function sentBy(db: Queryable, organisationId: string, limit = 200): Promise<ReferralRow[]> {
  const { rows } = await db.query<ReferralRow>(`${REFERRAL_SELECT} WHERE r.referring_organisation_id = $1 ORDER BY r.sent_at DESC LIMIT $2`, [organisationId, limit]);
  return rows;
}

export async function setStatus(db: Queryable, id: string, status: ReferralStatus): Promise<void> {
  await db.query('UPDATE referrals SET status = $2 WHERE id = $1', [id, status]);
}

export async function markWrittenConfirmation(db: Queryable, id: string, at: Date): Promise<boolean> {
  const r = await db.query('UPDATE referrals SET written_confirmation_sent_at = $2 WHERE id = $1 AND written_confirmation_sent_at IS NULL', [id, at]);
  return (r.rowCount ?? 0) > 0;
}

export type UpdateKind = 'acknowledgement' | 'decision' | 'feedback' | 'written_confirmation';

export interface UpdateRow {
  id: string;
  kind: UpdateKind;
  level: string | null;
  outcome: string | null;
  rationale: string | null;
  text: string | null;
  recorded_by_name: string;
  organisation_name: string;
  recorded_at: Date;
}

export async function insertUpdate(db: Queryable, u: { referralId: string; kind: UpdateKind; level?: string | null; outcome?: string | null; rationale?: string | null; text?: string | null; recordedBy: string; organisationId: string }) {
  const { rows } = await db.query<{ id: string; recorded_at: Date }>(
    `INSERT INTO referral_updates (referral_id, kind, level, outcome, rationale, text, recorded_by, organisation_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, recorded_at`,
    [u.referralId, u.kind, u.level ?? null, u.outcome ?? null, u.rationale ?? null, u.text ?? null, u.recordedBy, u.organisationId],
  );
  return rows[0]!;
}

export async function updatesOf(db: Queryable, referralId: string): Promise<UpdateRow[]> {
  const { rows } = await db.query<UpdateRow>(
    `SELECT ru.id, ru.kind, ru.level, ru.outcome, ru.rationale, ru.text, u.name AS recorded_by_name, o.name AS organisation_name, ru.recorded_at
       FROM referral_updates ru JOIN users u ON u.id = ru.recorded_by JOIN organisations o ON o.id = ru.organisation_id
      WHERE ru.referral_id = $1 ORDER BY ru.recorded_at, ru.id`, [referralId]);
  return rows;
}

export interface EscalationStageRow { stage: number; reason: string; recorded_by_name: string; recorded_at: Date; due_at: Date | null }
export interface EscalationResponseRow { stage: number; response: string; resolved: boolean; recorded_by_name: string; organisation_name: string; recorded_at: Date }
export interface EscalationRow { id: string; raised_at: Date; raised_by_name: string; organisation_name: string; stages: EscalationStageRow[]; responses: EscalationResponseRow[]; resolved: boolean }

export async function escalationsOf(db: Queryable, referralId: string): Promise<EscalationRow[]> {
  const { rows } = await db.query<EscalationRow>(
    `SELECT e.id, e.raised_at, u.name AS raised_by_name, o.name AS organisation_name,
            coalesce((SELECT json_agg(json_build_object('stage', s.stage, 'reason', s.reason, 'recorded_by_name', su.name, 'recorded_at', s.recorded_at, 'due_at', s.due_at) ORDER BY s.stage)
                        FROM referral_escalation_stages s JOIN users su ON su.id = s.recorded_by WHERE s.escalation_id = e.id), '[]'::json) AS stages,
            coalesce((SELECT json_agg(json_build_object('stage', x.stage, 'response', x.response, 'resolved', x.resolved, 'recorded_by_name', xu.name, 'organisation_name', xo.name, 'recorded_at', x.recorded_at) ORDER BY x.recorded_at, x.id)
                        FROM referral_escalation_responses x JOIN users xu ON xu.id = x.recorded_by JOIN organisations xo ON xo.id = x.organisation_id
                       WHERE x.escalation_id = e.id), '[]'::json) AS responses
       FROM referral_escalations e JOIN users u ON u.id = e.raised_by JOIN organisations o ON o.id = e.organisation_id
      WHERE e.referral_id = $1 ORDER BY e.raised_at`, [referralId]);
  return rows.map((e) => ({
    ...e,
    stages: e.stages.map((s) => ({ ...s, recorded_at: new Date(s.recorded_at), due_at: s.due_at ? new Date(s.due_at) : null })),
    responses: e.responses.map((x) => ({ ...x, recorded_at: new Date(x.recorded_at) })),
    resolved: e.responses.some((x) => x.resolved),
  }));
}

export async function insertEscalation(db: Queryable, e: { referralId: string; raisedBy: string; organisationId: string }): Promise<{ id: string; raised_at: Date }> {
  const { rows } = await db.query<{ id: string; raised_at: Date }>(
    'INSERT INTO referral_escalations (referral_id, raised_by, organisation_id) VALUES ($1, $2, $3) RETURNING id, raised_at', [e.referralId, e.raisedBy, e.organisationId]);
  return rows[0]!;
}

export async function insertStage(db: Queryable, s: { escalationId: string; stage: number; reason: string; recordedBy: string; dueAt: Date | null }): Promise<void> {
  await db.query('INSERT INTO referral_escalation_stages (escalation_id, stage, reason, recorded_by, due_at) VALUES ($1, $2, $3, $4, $5)',
    [s.escalationId, s.stage, s.reason, s.recordedBy, s.dueAt]);
}

/** Active users of an organisation in the given roles (who to notify). */
export async function usersOf(db: Queryable, organisationId: string, roles: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM users WHERE organisation_id = $1 AND active AND role = ANY($2::text[])', [organisationId, [...roles]]);
  return rows.map((r) => r.id);
}

export async function insertEscalationResponse(db: Queryable, r: { escalationId: string; stage: number; response: string; resolved: boolean; recordedBy: string; organisationId: string }): Promise<{ id: string; recorded_at: Date }> {
  const { rows } = await db.query<{ id: string; recorded_at: Date }>(
    `INSERT INTO referral_escalation_responses (escalation_id, stage, response, resolved, recorded_by, organisation_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, recorded_at`, [r.escalationId, r.stage, r.response, r.resolved, r.recordedBy, r.organisationId]);
  return rows[0]!;
}
