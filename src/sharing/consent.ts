// Consent operations: see who must be asked and what the rules say, record consent per person, record a judgement
// of the child's understanding, and a manager's approval to go ahead without consent. Each runs in one transaction
// with its chronology event and audit entry.
import { z } from 'zod';
import type { Principal } from '../platform/access/policy.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { londonDateTime } from '../platform/calendar/london-time.ts';
import { addWorkingDays, londonDateOf } from '../platform/calendar/working-days.ts';
import { withTransaction, type Db, type Queryable } from '../platform/db/pool.ts';
import { recordEvent } from '../chronology/events.ts';
import { caseSummary, concernReference, invalid, openCase, pastDateProblem, type Invalid, type Need, type Refusal } from './case.ts';
import {
  canProceed, caseConsentStatus, CONSENT_METHODS, CONSENT_STATUS_LABELS, CONSENT_STATUSES, consentRequirement, NOT_SOUGHT_REASONS,
  transitionProblem, whoMustBeAsked, type ConsentSubject, type ProceedAnswer, type SubjectConsent, type SubjectKey,
} from './rules.ts';
import {
  consentHistory, householdOf, insertApproval, insertConsent, insertJudgement, insertTask, latestApproval, latestJudgement,
  userName, type ApprovalRow, type CaseRow, type ConsentRow, type JudgementRow,
} from './store.ts';

/** Working days the referrer has to tell the parent that the referral was made without their consent. */
export const TELL_PARENT_WORKING_DAYS = 3;
export const TELL_PARENT_TASK_TITLE = 'Tell the parent that the referral was made without their consent';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text = (max: number) => z.string().trim().max(max, `Must be ${max} characters or fewer`);

export const consentInputSchema = z.object({
  subject: z.string().refine((s) => s === 'child' || (s.startsWith('person:') && UUID_RE.test(s.slice(7))), 'Select who this is about'),
  status: z.enum(CONSENT_STATUSES, { error: 'Select what happened when consent was sought' }),
  date: z.string({ error: 'Enter the date' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as a real date, like 27 3 2026'),
  method: z.enum(CONSENT_METHODS, { error: 'Select how consent was sought' }).nullish(),
  notSoughtReason: z.enum(NOT_SOUGHT_REASONS, { error: 'Select why consent was not sought' }).nullish(),
  reasonText: text(5000).nullish(),
  childsView: text(5000).nullish(),
}).superRefine((v, ctx) => {
  if (v.status !== 'not_sought' && !v.method) ctx.addIssue({ code: 'custom', path: ['method'], message: 'Select how consent was sought' });
  if (v.status === 'not_sought' && !v.notSoughtReason) ctx.addIssue({ code: 'custom', path: ['notSoughtReason'], message: 'Select why consent was not sought' });
  if (v.status === 'not_sought' && v.notSoughtReason === 'other' && !v.reasonText) ctx.addIssue({ code: 'custom', path: ['reasonText'], message: 'Enter why consent was not sought' });
});
export type ConsentInput = z.infer<typeof consentInputSchema>;

export const judgementInputSchema = z.object({
  sufficientUnderstanding: z.boolean({ error: 'Select whether the child has sufficient understanding to give consent' }),
  reasons: text(5000).min(1, 'Enter the reasons for your judgement'),
});
export type JudgementInput = z.infer<typeof judgementInputSchema>;

export const approvalInputSchema = z.object({
  reasons: text(5000).min(1, 'Enter the reasons for going ahead without consent'),
  tellParentUnsafe: z.boolean({ error: 'Select whether it is safe to tell the parent afterwards' }),
  unsafeReason: text(5000).nullish(),
}).superRefine((v, ctx) => {
  if (v.tellParentUnsafe && !v.unsafeReason) ctx.addIssue({ code: 'custom', path: ['unsafeReason'], message: 'Enter why it would be unsafe to tell the parent' });
});
export type ApprovalInput = z.infer<typeof approvalInputSchema>;

export interface SubjectView extends ConsentSubject {
  current: ConsentRow | null;
  history: ConsentRow[];
}

export interface ConsentOverview {
  case: ReturnType<typeof caseSummary>;
  subjects: SubjectView[];
  warnings: string[];
  childAge: number | null;
  unborn: boolean;
  childUnderstandingCanBeJudged: boolean;
  judgement: JudgementRow | null;
  approval: ApprovalRow | null;
  requirement: ReturnType<typeof consentRequirement> | null;
  /** what the rules say for the latest decision; null until a decision is recorded */
  rules: ProceedAnswer | null;
  /** the latest approval was given for the current decision and nobody's consent has been recorded since */
  approvalStands: boolean;
  /** whether a manager could approve now: the rules ask for it and no approval stands */
  approvable: boolean;
  caseConsent: ReturnType<typeof caseConsentStatus>;
  history: (ConsentRow & { subjectName: string })[];
}

const keyOf = (r: Pick<ConsentRow, 'person_id'>): SubjectKey => (r.person_id ? `person:${r.person_id}` : 'child');

/** Everything the consent page and API show, computed from the records (no audit: callers audit the read). */
export async function loadOverview(db: Queryable, c: CaseRow, today: string): Promise<ConsentOverview> {
  const [members, judgement, history, approval] = await Promise.all([
    householdOf(db, c.child_id), latestJudgement(db, c.concern_id), consentHistory(db, c.concern_id), latestApproval(db, c.concern_id),
  ]);
  const summary = caseSummary(c);
  const asked = whoMustBeAsked(
    { name: summary.childName, dateOfBirth: c.child_date_of_birth, expectedDueDate: c.child_expected_due_date },
    members.map((m) => ({ personId: m.person_id, relatedChildId: m.related_child_id, name: m.name, relationship: m.relationship, parentalResponsibility: m.parental_responsibility })),
    judgement ? { sufficientUnderstanding: judgement.sufficient_understanding } : null,
    today,
  );
  const subjects: SubjectView[] = asked.subjects.map((s) => {
    const mine = history.filter((r) => keyOf(r) === s.key);
    return { ...s, current: mine[0] ?? null, history: mine };
  });
  const consents: SubjectConsent[] = subjects.map((s) => ({ key: s.key, name: s.name, kind: s.kind, status: s.current?.status ?? null }));
  const approvalFacts = approval ? { approvedByName: approval.approved_by_name, approvedAt: approval.approved_at, tellParentUnsafe: approval.tell_parent_unsafe } : null;
  const rules = c.outcome ? canProceed(c.outcome, consents, approvalFacts) : null;
  const before = c.outcome ? canProceed(c.outcome, consents, null) : null;
  const approvalStands = !!approval && approval.decision_id === c.decision_id && !history.some((r) => r.recorded_at > approval.approved_at);
  const approvable = !approvalStands && !!before && before.needsManagerApproval && !consents.some((x) => x.status === null);
  const names = new Map<string, string>([['child', summary.childName], ...members.filter((m) => m.person_id).map((m) => [`person:${m.person_id}`, m.name] as [string, string])]);
  return {
    case: summary, subjects, warnings: asked.warnings, childAge: asked.childAge, unborn: asked.unborn,
    childUnderstandingCanBeJudged: asked.childUnderstandingCanBeJudged, judgement, approval,
    requirement: c.outcome ? consentRequirement(c.outcome) : null, rules, approvalStands, approvable, caseConsent: caseConsentStatus(consents),
    history: history.map((r) => ({ ...r, subjectName: names.get(keyOf(r)) ?? 'Someone no longer in the household' })),
  };
}

export async function consentOverview(db: Db, principal: Principal, ctx: AuditContext, concernId: string, need: Need = 'record-or-approve', today = londonDateOf(new Date())): Promise<{ ok: true; overview: ConsentOverview } | Refusal> {
  return withTransaction(db, async (tx) => {
    const opened = await openCase(tx, principal, concernId, need);
    if (!opened.ok) return opened;
    const overview = await loadOverview(tx, opened.c, today);
    await recordAudit(tx, ctx, {
      action: 'consent.view', recordType: 'concern', recordId: concernId,
      details: { childId: opened.c.child_id, people: overview.subjects.length, outcome: opened.c.outcome ?? null },
    });
    return { ok: true as const, overview };
  });
}

export async function recordConsent(db: Db, principal: Principal, ctx: AuditContext, concernId: string, input: ConsentInput, today = londonDateOf(new Date())): Promise<{ ok: true; consentId: string; overview: ConsentOverview } | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await openCase(tx, principal, concernId, 'record');
    if (!opened.ok) return opened;
    const c = opened.c;
    const dateProblem = pastDateProblem(input.date, today, 'the date');
    if (dateProblem) return invalid('date', dateProblem);
    // Serialise changes to one case's consent so "supersedes" always points at the record that was current.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`consent:${concernId}`]);
    const before = await loadOverview(tx, c, today);
    const subject = before.subjects.find((s) => s.key === input.subject);
    if (!subject) {
      return invalid('subject', input.subject === 'child'
        ? 'The child is asked for consent when 14 or over, or when judged to have sufficient understanding: record that judgement first'
        : 'Select someone with parental responsibility for the child');
    }
    const problem = transitionProblem(subject.current?.status ?? null, input.status);
    if (problem) return invalid('status', problem);
    const notSought = input.status === 'not_sought';
    const row = await insertConsent(tx, {
      concernId, decisionId: c.decision_id, childId: c.child_id, organisationId: c.organisation_id, personId: subject.personId,
      status: input.status, statusDate: input.date, method: notSought ? null : input.method ?? null,
      soughtBy: notSought ? null : principal.userId, notSoughtReason: notSought ? input.notSoughtReason ?? null : null,
      reasonText: input.reasonText || null, childsView: input.childsView || null, supersedes: subject.current?.id ?? null, recordedBy: principal.userId,
    });
    await recordEvent(tx, {
      childId: c.child_id, organisationId: c.organisation_id, type: 'record', occurredAt: new Date(`${input.date}T12:00:00Z`), recordedBy: principal.userId,
      summary: `Consent ${CONSENT_STATUS_LABELS[input.status].toLowerCase()}: ${subject.name} (${subject.relationship}), concern ${concernReference(c.reference)}`,
      detail: { concernId, status: input.status, ...(input.notSoughtReason && notSought ? { notSoughtReason: input.notSoughtReason } : {}), ...(input.childsView ? { childsView: input.childsView } : {}) },
      sourceType: 'consent', sourceId: row.id, restricted: c.restricted,
    });
    await recordAudit(tx, ctx, {
      action: 'consent.record', recordType: 'concern', recordId: concernId,
      details: { consentId: row.id, subject: subject.kind, status: input.status, supersedes: subject.current?.id ?? null },
    });
    return { ok: true as const, consentId: row.id, overview: await loadOverview(tx, c, today) };
  });
}

export async function recordUnderstanding(db: Db, principal: Principal, ctx: AuditContext, concernId: string, input: JudgementInput, today = londonDateOf(new Date())): Promise<{ ok: true; judgementId: string } | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await openCase(tx, principal, concernId, 'record');
    if (!opened.ok) return opened;
    const c = opened.c;
    const overview = await loadOverview(tx, c, today);
    if (overview.unborn) return invalid('sufficientUnderstanding', 'An unborn child is not asked for consent');
    if (overview.childAge !== null && overview.childAge >= 14) return invalid('sufficientUnderstanding', 'A child of 14 or over is asked for consent without a judgement');
    const row = await insertJudgement(tx, { concernId, childId: c.child_id, organisationId: c.organisation_id, sufficient: input.sufficientUnderstanding, reasons: input.reasons, judgedBy: principal.userId });
    await recordEvent(tx, {
      childId: c.child_id, organisationId: c.organisation_id, type: 'record', occurredAt: row.judged_at, recordedBy: principal.userId,
      summary: input.sufficientUnderstanding ? 'Judged to have sufficient understanding to give consent' : 'Judged not to have sufficient understanding to give consent',
      detail: { concernId, reasons: input.reasons }, sourceType: 'consent_understanding', sourceId: row.id, restricted: c.restricted,
    });
    await recordAudit(tx, ctx, { action: 'consent.understanding', recordType: 'concern', recordId: concernId, details: { judgementId: row.id, sufficient: input.sufficientUnderstanding } });
    return { ok: true as const, judgementId: row.id };
  });
}

export type ApprovalResult =
  | { ok: true; approvalId: string; taskId: string | null; taskDueDate: string | null; rules: ProceedAnswer }
  | Refusal | Invalid | { ok: false; reason: 'same-person'; message: string };

/**
 * A manager approves going ahead without consent (seed 001 Appendix B §6: "must be approved by their manager,
 * recorded and the reasons given"). Unless recorded as unsafe, the referrer gets a task to tell the parent afterwards.
 */
export async function approveWithoutConsent(db: Db, principal: Principal, ctx: AuditContext, concernId: string, input: ApprovalInput, today = londonDateOf(new Date())): Promise<ApprovalResult> {
  return withTransaction(db, async (tx) => {
    const opened = await openCase(tx, principal, concernId, 'approve');
    if (!opened.ok) return opened;
    const c = opened.c;
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`consent:${concernId}`]);
    const overview = await loadOverview(tx, c, today);
    if (!c.outcome) return invalid('reasons', 'No decision has been recorded for this concern yet');
    // Read under the lock, so a second manager approving at the same moment sees the first approval.
    if (overview.approvalStands) {
      const a = overview.approval!;
      return invalid('reasons', `Going ahead without consent has already been approved for this decision, by ${a.approved_by_name} on ${londonDateTime.format(a.approved_at)}`);
    }
    if (!overview.approvable) {
      const requirement = consentRequirement(c.outcome);
      return invalid('reasons', requirement === 'required'
        ? 'Consent is required for this decision: a manager cannot approve going ahead without it'
        : requirement === 'not-needed' ? 'This decision does not need consent'
        : overview.caseConsent === 'given' ? 'Everyone asked has given consent: no approval is needed'
        : 'Record consent, or why it was not sought, for everyone listed first');
    }
    const referrerId = c.decided_by ?? c.raised_by;
    if (referrerId === principal.userId) {
      return { ok: false as const, reason: 'same-person' as const, message: 'A manager other than the person making the referral must approve going ahead without consent' };
    }
    const before = overview.rules!;
    const approverName = await userName(tx, principal.userId);
    const after = canProceed(c.outcome, overview.subjects.map((s) => ({ key: s.key, name: s.name, kind: s.kind, status: s.current?.status ?? null })),
      { approvedByName: approverName, approvedAt: new Date(), tellParentUnsafe: input.tellParentUnsafe });
    let taskId: string | null = null;
    let taskDueDate: string | null = null;
    if (after.tellParentAfterwards) {
      taskDueDate = addWorkingDays(today, TELL_PARENT_WORKING_DAYS);
      taskId = await insertTask(tx, {
        childId: c.child_id, concernId, decisionId: c.decision_id, organisationId: c.organisation_id, title: TELL_PARENT_TASK_TITLE,
        ownerId: referrerId, dueDate: taskDueDate, createdBy: principal.userId, restricted: c.restricted,
      });
    }
    const frontDoorTold = before.frontDoorMustBeTold ?? 'not_sought';
    const row = await insertApproval(tx, {
      concernId, decisionId: c.decision_id, childId: c.child_id, organisationId: c.organisation_id, approvedBy: principal.userId,
      approverRole: principal.role, reasons: input.reasons, frontDoorTold, tellParentUnsafe: input.tellParentUnsafe,
      unsafeReason: input.tellParentUnsafe ? input.unsafeReason ?? null : null, referrerId, taskId,
    });
    await recordEvent(tx, {
      childId: c.child_id, organisationId: c.organisation_id, type: 'record', occurredAt: row.approved_at, recordedBy: principal.userId,
      summary: `Manager approved going ahead without consent (consent ${frontDoorTold === 'withheld' ? 'withheld' : 'not sought'}), concern ${concernReference(c.reference)}`,
      detail: {
        concernId, reasons: input.reasons, frontDoorTold, tellParentAfterwards: after.tellParentAfterwards,
        ...(input.tellParentUnsafe ? { unsafeReason: input.unsafeReason } : {}), ...(taskDueDate ? { tellParentBy: taskDueDate } : {}),
      },
      sourceType: 'consent_approval', sourceId: row.id, restricted: c.restricted,
    });
    await recordAudit(tx, ctx, {
      action: 'consent.approve', recordType: 'concern', recordId: concernId,
      details: { approvalId: row.id, frontDoorTold, tellParentUnsafe: input.tellParentUnsafe, taskId },
    });
    return { ok: true as const, approvalId: row.id, taskId, taskDueDate, rules: after };
  });
}
