// The information-sharing log: record a decision to share or not to share, countersign sharing without consent,
// record that information was passed on, and the organisation-wide log. One transaction each, with event and audit.
import { z } from 'zod';
import { canCountersignSharing, canRecordSharing, canSeeConcern, canSeeRestricted, canViewSharingLog, canApproveSharing, type Principal } from '../platform/access/policy.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { londonDateOf } from '../platform/calendar/working-days.ts';
import { withTransaction, type Db } from '../platform/db/pool.ts';
import { recordEvent } from '../chronology/events.ts';
import { caseFacts, caseSummary, concernReference, invalid, openCase, pastDateProblem, type Invalid, type Refusal } from './case.ts';
import { loadOverview, type ConsentOverview } from './consent.ts';
import { ARTICLE_6_CODES, ARTICLE_9_CODES, shareByDate } from './rules.ts';
import { getSharing, insertCompletion, insertCountersignature, insertSharing, sharingForConcern, sharingLog, type LogFilter, type SharingRow } from './store.ts';
import { onSharingDecided, onSharingShared } from './clock.ts';

const text = (max: number) => z.string().trim().max(max, `Must be ${max} characters or fewer`);
const isoDate = (message: string) => z.string({ error: message }).regex(/^\d{4}-\d{2}-\d{2}$/, message);

export const sharingInputSchema = z.object({
  share: z.boolean({ error: 'Select whether you decided to share the information' }),
  what: text(5000).min(1, 'Enter what information this decision is about'),
  recipient: text(500).min(1, 'Enter who the information would be shared with: an organisation or a named role'),
  purpose: text(5000).min(1, 'Enter the purpose of sharing'),
  article6: z.enum(ARTICLE_6_CODES, { error: 'Select the lawful basis under UK GDPR Article 6' }).nullish(),
  article9: z.array(z.enum(ARTICLE_9_CODES, { error: 'Select a condition from the list' })).max(5).default([]),
  reasons: text(5000).nullish(),
  decidedOn: isoDate('Enter the date of the decision as a real date, like 27 3 2026'),
}).superRefine((v, ctx) => {
  if (v.share && !v.article6) ctx.addIssue({ code: 'custom', path: ['article6'], message: 'Select the lawful basis under UK GDPR Article 6' });
  if (!v.share && !v.reasons) ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'Enter why you decided not to share the information' });
});
export type SharingInput = z.infer<typeof sharingInputSchema>;

export const countersignInputSchema = z.object({ note: text(5000).nullish() });
export const sharedInputSchema = z.object({
  sharedOn: isoDate('Enter the date the information was shared as a real date, like 27 3 2026'),
  how: text(1000).min(1, 'Enter how the information was shared, for example by secure email'),
});

const entryFacts = (e: SharingRow) => ({ organisationId: e.organisation_id, raisedBy: e.concern_raised_by, restricted: e.restricted });

export async function caseSharing(db: Db, principal: Principal, ctx: AuditContext, concernId: string, today = londonDateOf(new Date())): Promise<{ ok: true; entries: SharingRow[]; overview: ConsentOverview; canRecord: boolean } | Refusal> {
  return withTransaction(db, async (tx) => {
    const opened = await openCase(tx, principal, concernId, 'record-or-approve');
    if (!opened.ok) return opened;
    const entries = await sharingForConcern(tx, concernId);
    const overview = await loadOverview(tx, opened.c, today);
    await recordAudit(tx, ctx, { action: 'sharing.view', recordType: 'concern', recordId: concernId, details: { childId: opened.c.child_id, entries: entries.length } });
    return { ok: true as const, entries, overview, canRecord: canRecordSharing(principal, caseFacts(opened.c)) };
  });
}

/** Seed 004 points 2, 8 and 9; seed 002 golden rule 7: record what, with whom, why, the lawful basis — or why not. */
export async function recordSharing(db: Db, principal: Principal, ctx: AuditContext, concernId: string, input: SharingInput, today = londonDateOf(new Date())): Promise<{ ok: true; sharingId: string; reference: number; withoutConsent: boolean; shareBy: string | null } | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await openCase(tx, principal, concernId, 'record');
    if (!opened.ok) return opened;
    const c = opened.c;
    const dateProblem = pastDateProblem(input.decidedOn, today, 'the date of the decision');
    if (dateProblem) return invalid('decidedOn', dateProblem);
    const overview = await loadOverview(tx, c, today);
    const consentStatus = overview.caseConsent;
    const withoutConsent = input.share && consentStatus !== 'given';
    const shareBy = input.share ? shareByDate(input.decidedOn) : null;
    const row = await insertSharing(tx, {
      concernId, decisionId: c.decision_id, childId: c.child_id, organisationId: c.organisation_id, share: input.share, what: input.what,
      recipient: input.recipient, purpose: input.purpose, article6: input.share ? input.article6 ?? null : null, article9: input.share ? [...new Set(input.article9)] : [],
      consentStatus, withoutConsent, reasons: input.reasons || null, decidedBy: principal.userId, decidedOn: input.decidedOn, shareBy, restricted: c.restricted,
    });
    await recordEvent(tx, {
      childId: c.child_id, organisationId: c.organisation_id, type: 'record', occurredAt: new Date(`${input.decidedOn}T12:00:00Z`), recordedBy: principal.userId,
      summary: input.share
        ? `Decided to share information with ${input.recipient}${withoutConsent ? ' without consent' : ''} (concern ${concernReference(c.reference)})`
        : `Decided not to share information with ${input.recipient} (concern ${concernReference(c.reference)})`,
      detail: { concernId, share: input.share, purpose: input.purpose, consentStatus, ...(input.reasons ? { reasons: input.reasons } : {}), ...(shareBy ? { shareBy } : {}) },
      sourceType: 'sharing', sourceId: row.id, restricted: c.restricted,
    });
    if (shareBy) {
      // The clock runs from the decision; a back-dated decision starts it on its own date.
      const at = input.decidedOn === today ? new Date() : new Date(`${input.decidedOn}T12:00:00Z`);
      await onSharingDecided(tx, { actor: ctx, sharingId: row.id, childId: c.child_id, organisationId: c.organisation_id, restricted: c.restricted, at });
    }
    await recordAudit(tx, ctx, {
      action: 'sharing.record', recordType: 'concern', recordId: concernId,
      details: { sharingId: row.id, share: input.share, withoutConsent, consentStatus, article6: input.share ? input.article6 ?? null : null },
    });
    return { ok: true as const, sharingId: row.id, reference: row.reference, withoutConsent, shareBy };
  });
}

async function openEntry(tx: Parameters<typeof getSharing>[0], principal: Principal, id: string, lock: boolean): Promise<{ ok: true; e: SharingRow } | Refusal> {
  const e = await getSharing(tx, id, lock);
  if (!e) return { ok: false, reason: 'not-found' };
  const f = entryFacts(e);
  if (!canRecordSharing(principal, f) && !canApproveSharing(principal, f) && !canSeeConcern(principal, f)) return { ok: false, reason: 'not-found' };
  return { ok: true, e };
}

export async function viewEntry(db: Db, principal: Principal, ctx: AuditContext, id: string): Promise<{ ok: true; e: SharingRow; canCountersign: boolean } | Refusal> {
  return withTransaction(db, async (tx) => {
    const opened = await openEntry(tx, principal, id, false);
    if (!opened.ok) return opened;
    const f = entryFacts(opened.e);
    if (!canApproveSharing(principal, f) && !canRecordSharing(principal, f)) return { ok: false as const, reason: 'forbidden' as const };
    await recordAudit(tx, ctx, { action: 'sharing.view-entry', recordType: 'sharing', recordId: id, details: { concernId: opened.e.concern_id } });
    return { ok: true as const, e: opened.e, canCountersign: canCountersignSharing(principal, f, opened.e.decided_by) };
  });
}

export type CountersignResult =
  | { ok: true; concernId: string }
  | Refusal
  | { ok: false; reason: 'same-person' | 'not-needed' | 'already'; message: string };

/** Seed 004 point 9: the record of sharing without consent "must be signed by both" — the second signature is a manager's. */
export async function countersign(db: Db, principal: Principal, ctx: AuditContext, id: string, note: string | null): Promise<CountersignResult> {
  return withTransaction(db, async (tx) => {
    const opened = await openEntry(tx, principal, id, true);
    if (!opened.ok) return opened;
    const e = opened.e;
    const f = entryFacts(e);
    if (!canApproveSharing(principal, f)) return { ok: false as const, reason: 'forbidden' as const };
    if (!e.without_consent) return { ok: false as const, reason: 'not-needed' as const, message: 'This decision does not need a countersignature: it was not sharing without consent' };
    if (e.countersigned_at) return { ok: false as const, reason: 'already' as const, message: 'This decision has already been countersigned' };
    if (!canCountersignSharing(principal, f, e.decided_by)) {
      return { ok: false as const, reason: 'same-person' as const, message: 'A second person must countersign: you recorded this decision' };
    }
    const signed = await insertCountersignature(tx, { sharingId: id, userId: principal.userId, role: principal.role, note });
    await recordEvent(tx, {
      childId: e.child_id, organisationId: e.organisation_id, type: 'record', occurredAt: signed.countersigned_at, recordedBy: principal.userId,
      summary: `Manager countersigned sharing information with ${e.recipient} without consent`,
      detail: { concernId: e.concern_id, sharingId: id, ...(note ? { note } : {}) }, sourceType: 'sharing', sourceId: id, restricted: e.restricted,
    });
    await recordAudit(tx, ctx, { action: 'sharing.countersign', recordType: 'sharing', recordId: id, details: { concernId: e.concern_id, decidedBy: e.decided_by } });
    return { ok: true as const, concernId: e.concern_id };
  });
}

export async function markShared(db: Db, principal: Principal, ctx: AuditContext, id: string, input: z.infer<typeof sharedInputSchema>, today = londonDateOf(new Date())): Promise<{ ok: true; concernId: string } | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await openEntry(tx, principal, id, true);
    if (!opened.ok) return opened;
    const e = opened.e;
    if (!canRecordSharing(principal, entryFacts(e))) return { ok: false as const, reason: 'forbidden' as const };
    if (!e.share) return invalid('sharedOn', 'This was a decision not to share');
    if (e.shared_on) return invalid('sharedOn', 'This has already been recorded as shared');
    const problem = pastDateProblem(input.sharedOn, today, 'the date it was shared');
    if (problem) return invalid('sharedOn', problem);
    if (input.sharedOn < e.decided_on) return invalid('sharedOn', 'The date it was shared must be on or after the date of the decision');
    await insertCompletion(tx, { sharingId: id, sharedOn: input.sharedOn, how: input.how, userId: principal.userId });
    await onSharingShared(tx, {
      actor: ctx, sharingId: id, childId: e.child_id, organisationId: e.organisation_id, restricted: e.restricted,
      at: input.sharedOn === today ? new Date() : new Date(`${input.sharedOn}T12:00:00Z`),
    });
    await recordEvent(tx, {
      childId: e.child_id, organisationId: e.organisation_id, type: 'record', occurredAt: new Date(`${input.sharedOn}T12:00:00Z`), recordedBy: principal.userId,
      summary: `Information shared with ${e.recipient}`, detail: { concernId: e.concern_id, sharingId: id, how: input.how },
      sourceType: 'sharing', sourceId: id, restricted: e.restricted,
    });
    await recordAudit(tx, ctx, { action: 'sharing.shared', recordType: 'sharing', recordId: id, details: { concernId: e.concern_id, onTime: !e.share_by || input.sharedOn <= e.share_by } });
    return { ok: true as const, concernId: e.concern_id };
  });
}

export async function organisationLog(db: Db, principal: Principal, ctx: AuditContext, filter: Omit<LogFilter, 'organisationId' | 'includeRestricted'>): Promise<{ ok: true; rows: SharingRow[]; hasMore: boolean } | Refusal> {
  if (!canViewSharingLog(principal, principal.organisationId)) return { ok: false, reason: 'forbidden' };
  return withTransaction(db, async (tx) => {
    const result = await sharingLog(tx, { ...filter, organisationId: principal.organisationId, includeRestricted: canSeeRestricted(principal, principal.organisationId) });
    await recordAudit(tx, ctx, {
      action: 'sharing.log.view', recordType: 'organisation', recordId: principal.organisationId,
      details: { entries: result.rows.length, from: filter.from ?? null, to: filter.to ?? null, awaiting: !!filter.awaitingCountersignature, overdue: !!filter.overdueOn },
    });
    return { ok: true as const, ...result };
  });
}

export { caseSummary };
