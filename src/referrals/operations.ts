// Referral operations. Each runs in one transaction that writes the change, its chronology event, its audit
// entry, the clocks it starts or stops and the notifications it sends. Authorisation is by the policy module.
import { z } from 'zod';
import { recordEvent } from '../chronology/events.ts';
import { onEvent } from '../clocks/operations.ts';
import { makeChildKnownTo } from '../people/operations.ts';
import {
  canFollowUpReferral, canMakeReferral, canRespondToReferral, canSeeConcern, canSeeReferral, type Principal, type ReferralParties,
} from '../platform/access/policy.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { londonDateOf } from '../platform/calendar/working-days.ts';
import { withTransaction, type Db, type Queryable } from '../platform/db/pool.ts';
import { deleteDraft, loadDraft, saveDraft } from '../platform/drafts/drafts.ts';
import { notify } from '../platform/notify/notify.ts';
import { caseFacts } from '../sharing/case.ts';
import { getCase, type CaseRow } from '../sharing/store.ts';
import {
  ANALYSIS_FIELDS, buildReferral, checkCompleteness, ESCALATION_STAGES, FRONT_DOOR_OUTCOME_LABELS, FRONT_DOOR_OUTCOMES, nextStatus, REFERRAL_METHODS,
  referralKindOf, referralReference, type MissingItem, type ReferralAnalysis, type ReferralDocument, type ReferralKind, type ReferralMethod,
} from './model.ts';
import {
  escalationsOf, frontDoorOf, gatherRecords, getReferral, insertEscalation, insertEscalationResponse, insertReferral, insertStage, insertUpdate, markWrittenConfirmation,
  receivedBy, referralOfConcern, referrerOf, sentBy, setStatus, updatesOf, usersOf,
  type EscalationRow, type Organisation, type ReferralRow, type UpdateRow,
} from './store.ts';

export type Refusal = { ok: false; reason: 'not-found' | 'forbidden' };
export type CannotRefer = { ok: false; reason: 'not-a-referral' | 'no-front-door' };
export type Invalid = { ok: false; reason: 'invalid'; field: string; message: string };
/** A concern is referred once: the referral already sent from it, to follow up instead. */
export type AlreadyReferred = { ok: false; reason: 'already-referred'; referral: { id: string; reference: string; sentAt: Date; receivingOrganisation: string } };
export const alreadyReferred = (r: ReferralRow): AlreadyReferred => ({
  ok: false, reason: 'already-referred', referral: { id: r.id, reference: referralReference(r.reference), sentAt: r.sent_at, receivingOrganisation: r.receiving_organisation_name },
});
/** The database's guarantee (migrations/011), met when two sends of one concern race each other. */
const isSecondReferral = (error: unknown) => {
  const e = error as { code?: unknown; constraint?: unknown };
  return e?.code === '23505' && e.constraint === 'referrals_one_per_concern';
};
const invalid = (field: string, message: string): Invalid => ({ ok: false, reason: 'invalid', field, message });

const TEXT_LIMIT = 5000;
const text = (max = TEXT_LIMIT) => z.string().trim().max(max, `Must be ${max} characters or fewer`);

export const analysisSchema = z.strictObject(Object.fromEntries(ANALYSIS_FIELDS.map((f) => [f, text().optional()])) as Record<(typeof ANALYSIS_FIELDS)[number], z.ZodOptional<z.ZodString>>);

export const sendInputSchema = z.strictObject({
  method: z.enum(REFERRAL_METHODS, { error: 'Select how you are making the referral: online or by telephone' }),
  telephone: z.strictObject({
    spokenTo: text(200).min(1, 'Enter the name of the person you spoke to at the front door'),
    spokenAt: z.iso.datetime({ offset: true, error: 'Enter when you telephoned as a date and time, like 2026-03-02T09:30:00Z' }),
  }).optional(),
  analysis: analysisSchema.optional(),
}).superRefine((v, ctx) => {
  if (v.method === 'telephone' && !v.telephone) ctx.addIssue({ code: 'custom', path: ['telephone'], message: 'Say who you spoke to and when, for a telephone referral' });
});
export type SendInput = z.infer<typeof sendInputSchema>;

export const decisionInputSchema = z.strictObject({
  level: text(200).min(1, 'Select or enter the threshold level'),
  outcome: z.enum(FRONT_DOOR_OUTCOMES, { error: 'Select the outcome' }),
  rationale: text().min(1, 'Enter the reasons for the decision'),
});
export type DecisionInput = z.infer<typeof decisionInputSchema>;

export const feedbackInputSchema = z.strictObject({ text: text().min(1, 'Enter the feedback for the referrer') });
export const acknowledgeInputSchema = z.strictObject({ note: text(1000).optional() });
export const escalationInputSchema = z.strictObject({ reason: text().min(1, 'Enter why you disagree with the outcome') });
export const escalationResponseSchema = z.strictObject({
  response: text().min(1, 'Enter the response'),
  resolved: z.boolean({ error: 'Say whether this resolves the disagreement' }),
});

const draftKey = (concernId: string) => `referral:${concernId}`;

// ---- preparing and sending ----

export interface Prepared {
  case: CaseRow;
  kind: ReferralKind;
  document: ReferralDocument;
  missing: MissingItem[];
  frontDoor: Organisation;
  /** what the referrer has written so far (kept server-side between the pages) */
  draft: DraftValues;
  /** the referral already sent from this concern (a concern is referred once), or null */
  referral: ReferralRow | null;
}

export interface DraftValues {
  analysis: ReferralAnalysis;
  method?: ReferralMethod;
  spokenTo?: string;
  spokenAt?: string;
}

async function openForReferral(tx: Queryable, principal: Principal, concernId: string): Promise<{ ok: true; c: CaseRow; kind: ReferralKind; frontDoor: Organisation } | Refusal | CannotRefer> {
  const c = await getCase(tx, concernId);
  if (!c) return { ok: false, reason: 'not-found' };
  const facts = caseFacts(c);
  if (!canMakeReferral(principal, facts)) return { ok: false, reason: canSeeConcern(principal, facts) ? 'forbidden' : 'not-found' };
  const kind = referralKindOf(c.outcome);
  if (!kind) return { ok: false, reason: 'not-a-referral' };
  const frontDoor = await frontDoorOf(tx, c.organisation_id);
  if (!frontDoor) return { ok: false, reason: 'no-front-door' };
  return { ok: true, c, kind, frontDoor };
}

async function assemble(tx: Queryable, principal: Principal, c: CaseRow, kind: ReferralKind, analysis: ReferralAnalysis, today: string) {
  const referrer = await referrerOf(tx, principal.userId);
  const records = referrer ? await gatherRecords(tx, principal, c, referrer, analysis, today) : null;
  if (!records) return null;
  const document = buildReferral(records, kind);
  return { document, missing: checkCompleteness(document) };
}

function draftValues(data: Record<string, unknown> | undefined): DraftValues {
  const d = data ?? {};
  const analysis = analysisSchema.safeParse(d.analysis ?? {});
  return {
    analysis: analysis.success ? analysis.data : {},
    method: REFERRAL_METHODS.includes(d.method as ReferralMethod) ? d.method as ReferralMethod : undefined,
    spokenTo: typeof d.spokenTo === 'string' ? d.spokenTo : undefined,
    spokenAt: typeof d.spokenAt === 'string' ? d.spokenAt : undefined,
  };
}

/** The referral as it would be sent now, with what it lacks: read (and audited) for the journey's pages. */
export async function prepareReferral(db: Db, principal: Principal, ctx: AuditContext, concernId: string, page: string, today = londonDateOf(new Date())): Promise<{ ok: true; prepared: Prepared } | Refusal | CannotRefer> {
  return withTransaction(db, async (tx) => {
    const opened = await openForReferral(tx, principal, concernId);
    if (!opened.ok) return opened;
    const draft = draftValues((await loadDraft(tx, principal.userId, draftKey(concernId)))?.data);
    const built = await assemble(tx, principal, opened.c, opened.kind, draft.analysis, today);
    if (!built) return { ok: false as const, reason: 'not-found' as const };
    const referral = await referralOfConcern(tx, concernId);
    await recordAudit(tx, ctx, { action: 'referral.prepare', recordType: 'concern', recordId: concernId, details: { childId: opened.c.child_id, page, missing: built.missing.length } });
    return { ok: true as const, prepared: { case: opened.c, kind: opened.kind, frontDoor: opened.frontDoor, draft, referral, ...built } };
  });
}

/** Keep what the referrer has written between the pages (a timeout or a closed tab loses nothing). */
export async function saveReferralDraft(db: Db, principal: Principal, concernId: string, values: DraftValues): Promise<{ ok: true } | Refusal | CannotRefer> {
  return withTransaction(db, async (tx) => {
    const opened = await openForReferral(tx, principal, concernId);
    if (!opened.ok) return opened;
    await saveDraft(tx, principal.userId, draftKey(concernId), { ...values });
    return { ok: true as const };
  });
}

export interface Sent { id: string; reference: string; missing: MissingItem[]; receivingOrganisation: string }

/**
 * Send the referral to the partnership's front door. What is missing is recorded and shown, never a reason to stop.
 * A concern is referred once: a second send is answered with the referral already sent.
 */
export async function sendReferral(db: Db, principal: Principal, ctx: AuditContext, concernId: string, input: SendInput, now = new Date()): Promise<{ ok: true; sent: Sent } | Refusal | CannotRefer | Invalid | AlreadyReferred> {
  const telephonedAt = input.method === 'telephone' && input.telephone ? new Date(input.telephone.spokenAt) : null;
  if (telephonedAt && telephonedAt.getTime() > now.getTime() + 5 * 60_000) return invalid('telephone.spokenAt', 'When you telephoned must be now or in the past');
  try {
    return await send(db, principal, ctx, concernId, input, telephonedAt, now);
  } catch (error) {
    // Another send of this concern committed first; this one was rolled back whole.
    if (!isSecondReferral(error)) throw error;
    const existing = await referralOfConcern(db, concernId);
    if (!existing) throw error;
    return alreadyReferred(existing);
  }
}

async function send(db: Db, principal: Principal, ctx: AuditContext, concernId: string, input: SendInput, telephonedAt: Date | null, now: Date) {
  return withTransaction(db, async (tx) => {
    const opened = await openForReferral(tx, principal, concernId);
    if (!opened.ok) return opened;
    const existing = await referralOfConcern(tx, concernId);
    if (existing) return alreadyReferred(existing);
    const { c, kind, frontDoor } = opened;
    const built = await assemble(tx, principal, c, kind, input.analysis ?? {}, londonDateOf(now));
    if (!built) return { ok: false as const, reason: 'not-found' as const };
    const row = await insertReferral(tx, {
      referringOrganisationId: c.organisation_id, receivingOrganisationId: frontDoor.id, childId: c.child_id, concernId, decisionId: c.decision_id!,
      kind, method: input.method, telephonedTo: input.method === 'telephone' ? input.telephone!.spokenTo : null, telephonedAt,
      content: built.document, missing: built.missing, sentBy: principal.userId,
    });
    // The front door now knows the child: it can find the child, and a later contact about them joins this record.
    await makeChildKnownTo(tx, ctx, c.child_id, frontDoor.id, { via: 'referral', referralId: row.id });
    const reference = referralReference(row.reference);
    const subject = { type: 'referral', id: row.id };
    const clockInput = { actor: ctx, childId: c.child_id, subject, now };
    await onEvent(tx, 'referral.sent', { ...clockInput, organisationId: c.organisation_id, occurredAt: row.sent_at });
    await onEvent(tx, 'contact.received', { ...clockInput, organisationId: frontDoor.id, occurredAt: row.sent_at });
    if (telephonedAt) await onEvent(tx, 'referral.telephoned', { ...clockInput, organisationId: c.organisation_id, occurredAt: telephonedAt });
    await recordEvent(tx, {
      childId: c.child_id, organisationId: c.organisation_id, type: 'record', occurredAt: row.sent_at, recordedBy: principal.userId,
      summary: `Referral ${reference} sent to ${frontDoor.name} (${built.document.kindLabel}, ${input.method === 'telephone' ? 'by telephone' : 'online'})`,
      detail: { referralId: row.id, kind, method: input.method, missing: built.missing.length, consent: built.document.consent.overall },
      sourceType: 'referral', sourceId: row.id, significant: true,
    });
    await recordAudit(tx, ctx, {
      action: 'referral.send', recordType: 'referral', recordId: row.id,
      details: { childId: c.child_id, concernId, kind, method: input.method, missing: built.missing.length, receivingOrganisationId: frontDoor.id },
    });
    await notify(tx, await usersOf(tx, frontDoor.id, ['front_door_worker', 'front_door_manager']), {
      kind: 'referral.received', text: `New referral ${reference} from ${built.document.referrer.organisationName}`, link: `/front-door/referrals/${row.id}`,
      email: { subject: 'A new referral has arrived', body: 'A referral has been sent to your front door. Sign in to Continuum to read it.' },
    });
    await deleteDraft(tx, principal.userId, draftKey(concernId));
    return { ok: true as const, sent: { id: row.id, reference, missing: built.missing, receivingOrganisation: frontDoor.name } };
  });
}

// ---- reading ----

const parties = (r: ReferralRow): ReferralParties => ({ referringOrganisationId: r.referring_organisation_id, receivingOrganisationId: r.receiving_organisation_id });

export interface ReferralView {
  referral: ReferralRow;
  reference: string;
  updates: UpdateRow[];
  escalations: EscalationRow[];
  side: 'referrer' | 'front-door';
  mayRespond: boolean;
  mayFollowUp: boolean;
}

async function load(tx: Queryable, principal: Principal, r: ReferralRow): Promise<ReferralView> {
  const [updates, escalations] = await Promise.all([updatesOf(tx, r.id), escalationsOf(tx, r.id)]);
  const mayRespond = canRespondToReferral(principal, parties(r));
  return { referral: r, reference: referralReference(r.reference), updates, escalations, side: mayRespond ? 'front-door' : 'referrer', mayRespond, mayFollowUp: canFollowUpReferral(principal, parties(r)) };
}

/** One referral, as sent and everything since; every view audited (action says which: page, PDF, API). */
export async function viewReferral(db: Db, principal: Principal, ctx: AuditContext, id: string, action = 'referral.view'): Promise<{ ok: true; view: ReferralView } | Refusal> {
  return withTransaction(db, async (tx) => {
    const r = await getReferral(tx, id);
    if (!r || !canSeeReferral(principal, parties(r))) return { ok: false as const, reason: 'not-found' as const };
    const view = await load(tx, principal, r);
    await recordAudit(tx, ctx, { action, recordType: 'referral', recordId: id, details: { childId: r.child_id, side: view.side } });
    return { ok: true as const, view };
  });
}

/** The front door's inbox, or the referring organisation's sent referrals. */
export async function listReferrals(db: Db, principal: Principal, ctx: AuditContext, side: 'received' | 'sent'): Promise<ReferralRow[]> {
  return withTransaction(db, async (tx) => {
    const rows = side === 'received' ? await receivedBy(tx, principal.organisationId) : await sentBy(tx, principal.organisationId);
    const visible = rows.filter((r) => canSeeReferral(principal, parties(r)));
    await recordAudit(tx, ctx, { action: side === 'received' ? 'referral.inbox' : 'referral.list', recordType: 'organisation', recordId: principal.organisationId, details: { count: visible.length } });
    return visible;
  });
}

// ---- the front door's side ----

type Acted = { ok: true; view: ReferralView };

async function forResponse(tx: Queryable, principal: Principal, id: string): Promise<{ ok: true; r: ReferralRow } | Refusal> {
  const r = await getReferral(tx, id, true);
  if (!r || !canSeeReferral(principal, parties(r))) return { ok: false, reason: 'not-found' };
  if (!canRespondToReferral(principal, parties(r))) return { ok: false, reason: 'forbidden' };
  return { ok: true, r };
}

/** The outcome is the decision update itself: a status alone does not show one was recorded. */
const hasDecision = async (tx: Queryable, id: string) => (await updatesOf(tx, id)).some((u) => u.kind === 'decision');

async function referrerLeads(tx: Queryable, r: ReferralRow): Promise<string[]> {
  const leads = await usersOf(tx, r.referring_organisation_id, ['dsl', 'deputy_dsl']);
  return r.sent_by ? [r.sent_by, ...leads] : leads;
}

export async function acknowledgeReferral(db: Db, principal: Principal, ctx: AuditContext, id: string, input: z.infer<typeof acknowledgeInputSchema>, now = new Date()): Promise<Acted | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await forResponse(tx, principal, id);
    if (!opened.ok) return opened;
    const r = opened.r;
    const reference = referralReference(r.reference);
    if ((await updatesOf(tx, id)).some((u) => u.kind === 'acknowledgement')) return invalid('acknowledgement', `Referral ${reference} has already been acknowledged`);
    const u = await insertUpdate(tx, { referralId: id, kind: 'acknowledgement', text: input.note || null, recordedBy: principal.userId, organisationId: principal.organisationId });
    await setStatus(tx, id, nextStatus(r.status, 'acknowledgement'));
    await onEvent(tx, 'referral.acknowledged', { actor: ctx, organisationId: r.referring_organisation_id, childId: r.child_id, subject: { type: 'referral', id }, occurredAt: u.recorded_at, now });
    await recordEvent(tx, {
      childId: r.child_id, organisationId: r.referring_organisation_id, type: 'record', occurredAt: u.recorded_at, recordedBy: principal.userId,
      summary: `Referral ${reference} acknowledged by ${r.receiving_organisation_name}`, detail: { referralId: id }, sourceType: 'referral_update', sourceId: u.id,
    });
    await recordAudit(tx, ctx, { action: 'referral.acknowledge', recordType: 'referral', recordId: id, details: { childId: r.child_id } });
    await notify(tx, await referrerLeads(tx, r), { kind: 'referral.acknowledged', text: `${r.receiving_organisation_name} acknowledged referral ${reference}`, link: `/referrals/${id}` });
    return { ok: true as const, view: await load(tx, principal, (await getReferral(tx, id))!) };
  });
}

export async function decideReferral(db: Db, principal: Principal, ctx: AuditContext, id: string, input: DecisionInput, now = new Date()): Promise<Acted | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await forResponse(tx, principal, id);
    if (!opened.ok) return opened;
    const r = opened.r;
    const reference = referralReference(r.reference);
    const updates = await updatesOf(tx, id);
    if (updates.some((u) => u.kind === 'decision')) return invalid('outcome', `A decision on referral ${reference} is already recorded`);
    const u = await insertUpdate(tx, { referralId: id, kind: 'decision', level: input.level, outcome: input.outcome, rationale: input.rationale, recordedBy: principal.userId, organisationId: principal.organisationId });
    await setStatus(tx, id, nextStatus(r.status, 'decision'));
    const subject = { type: 'referral', id };
    // A decision reaching the referrer answers the referral, so it also ends the wait for an acknowledgement.
    if (!updates.some((x) => x.kind === 'acknowledgement')) await onEvent(tx, 'referral.acknowledged', { actor: ctx, organisationId: r.referring_organisation_id, childId: r.child_id, subject, occurredAt: u.recorded_at, now });
    await onEvent(tx, 'contact.decided', { actor: ctx, organisationId: r.receiving_organisation_id, childId: r.child_id, subject, occurredAt: u.recorded_at, now });
    await onEvent(tx, 'referral.outcome-received', { actor: ctx, organisationId: r.referring_organisation_id, childId: r.child_id, subject, occurredAt: u.recorded_at, now });
    const outcomeLabel = FRONT_DOOR_OUTCOME_LABELS[input.outcome];
    await recordEvent(tx, {
      childId: r.child_id, organisationId: r.referring_organisation_id, type: 'decision', occurredAt: u.recorded_at, recordedBy: principal.userId,
      summary: `${r.receiving_organisation_name} decided on referral ${reference}: ${outcomeLabel} (level: ${input.level})`,
      detail: { referralId: id, outcome: input.outcome }, sourceType: 'referral_update', sourceId: u.id, significant: true,
    });
    await recordAudit(tx, ctx, { action: 'referral.decide', recordType: 'referral', recordId: id, details: { childId: r.child_id, outcome: input.outcome } });
    await notify(tx, await referrerLeads(tx, r), { kind: 'referral.decided', text: `${r.receiving_organisation_name} decided on referral ${reference}: ${outcomeLabel}`, link: `/referrals/${id}` });
    return { ok: true as const, view: await load(tx, principal, (await getReferral(tx, id))!) };
  });
}

export async function giveFeedback(db: Db, principal: Principal, ctx: AuditContext, id: string, input: z.infer<typeof feedbackInputSchema>, now = new Date()): Promise<Acted | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await forResponse(tx, principal, id);
    if (!opened.ok) return opened;
    const r = opened.r;
    const reference = referralReference(r.reference);
    // Feedback tells the referrer the outcome, so there must be one; it also moves the status past 'decided'.
    if (!(await hasDecision(tx, id))) return invalid('text', `Record a decision on referral ${reference} before giving feedback`);
    const u = await insertUpdate(tx, { referralId: id, kind: 'feedback', text: input.text, recordedBy: principal.userId, organisationId: principal.organisationId });
    await setStatus(tx, id, nextStatus(r.status, 'feedback'));
    await onEvent(tx, 'referral.outcome-received', { actor: ctx, organisationId: r.referring_organisation_id, childId: r.child_id, subject: { type: 'referral', id }, occurredAt: u.recorded_at, now });
    await recordEvent(tx, {
      childId: r.child_id, organisationId: r.referring_organisation_id, type: 'record', occurredAt: u.recorded_at, recordedBy: principal.userId,
      summary: `Feedback on referral ${reference} from ${r.receiving_organisation_name}`, detail: { referralId: id }, sourceType: 'referral_update', sourceId: u.id,
    });
    await recordAudit(tx, ctx, { action: 'referral.feedback', recordType: 'referral', recordId: id, details: { childId: r.child_id } });
    await notify(tx, await referrerLeads(tx, r), { kind: 'referral.feedback', text: `${r.receiving_organisation_name} gave feedback on referral ${reference}`, link: `/referrals/${id}` });
    return { ok: true as const, view: await load(tx, principal, (await getReferral(tx, id))!) };
  });
}

/** The front door closes a referral it has decided on; what was sent and everything since stay as they are. */
export async function closeReferral(db: Db, principal: Principal, ctx: AuditContext, id: string): Promise<Acted | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await forResponse(tx, principal, id);
    if (!opened.ok) return opened;
    const r = opened.r;
    const reference = referralReference(r.reference);
    if (r.status === 'closed') return invalid('status', `Referral ${reference} is already closed`);
    if (!(await hasDecision(tx, id))) return invalid('status', `Record a decision on referral ${reference} before closing it`);
    await setStatus(tx, id, 'closed');
    await recordEvent(tx, {
      childId: r.child_id, organisationId: r.referring_organisation_id, type: 'record', occurredAt: new Date(), recordedBy: principal.userId,
      summary: `Referral ${reference} closed by ${r.receiving_organisation_name}`, detail: { referralId: id }, sourceType: 'referral', sourceId: id,
    });
    await recordAudit(tx, ctx, { action: 'referral.close', recordType: 'referral', recordId: id, details: { childId: r.child_id } });
    await notify(tx, await referrerLeads(tx, r), { kind: 'referral.closed', text: `${r.receiving_organisation_name} closed referral ${reference}`, link: `/referrals/${id}` });
    return { ok: true as const, view: await load(tx, principal, (await getReferral(tx, id))!) };
  });
}

// ---- the referrer's side ----

async function forFollowUp(tx: Queryable, principal: Principal, id: string): Promise<{ ok: true; r: ReferralRow } | Refusal> {
  const r = await getReferral(tx, id, true);
  if (!r || !canSeeReferral(principal, parties(r))) return { ok: false, reason: 'not-found' };
  if (!canFollowUpReferral(principal, parties(r))) return { ok: false, reason: 'forbidden' };
  return { ok: true, r };
}

/** A telephone referral confirmed in writing (seed 001 Appendix B §7: within 48 hours). */
export async function confirmInWriting(db: Db, principal: Principal, ctx: AuditContext, id: string, now = new Date()): Promise<Acted | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await forFollowUp(tx, principal, id);
    if (!opened.ok) return opened;
    const r = opened.r;
    const reference = referralReference(r.reference);
    if (r.method !== 'telephone') return invalid('method', `Referral ${reference} was made online, so it needs no written confirmation`);
    if (!(await markWrittenConfirmation(tx, id, now))) return invalid('writtenConfirmation', `Referral ${reference} has already been confirmed in writing`);
    const u = await insertUpdate(tx, { referralId: id, kind: 'written_confirmation', recordedBy: principal.userId, organisationId: principal.organisationId });
    await onEvent(tx, 'referral.written-confirmation-sent', { actor: ctx, organisationId: r.referring_organisation_id, childId: r.child_id, subject: { type: 'referral', id }, occurredAt: now, now });
    await recordEvent(tx, {
      childId: r.child_id, organisationId: r.referring_organisation_id, type: 'record', occurredAt: now, recordedBy: principal.userId,
      summary: `Telephone referral ${reference} confirmed in writing to ${r.receiving_organisation_name}`, detail: { referralId: id }, sourceType: 'referral_update', sourceId: u.id,
    });
    await recordAudit(tx, ctx, { action: 'referral.written-confirmation', recordType: 'referral', recordId: id, details: { childId: r.child_id } });
    return { ok: true as const, view: await load(tx, principal, (await getReferral(tx, id))!) };
  });
}

export interface Escalated { escalationId: string; stage: number; dueAt: Date | null; view: ReferralView }

/**
 * The referrer disagrees with the outcome: open an escalation at stage 1, or move the open one to the next stage.
 * Each stage needs a response within 5 working days (the escalation clocks).
 */
export async function escalateReferral(db: Db, principal: Principal, ctx: AuditContext, id: string, input: z.infer<typeof escalationInputSchema>, now = new Date()): Promise<{ ok: true; escalated: Escalated } | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const opened = await forFollowUp(tx, principal, id);
    if (!opened.ok) return opened;
    const r = opened.r;
    const reference = referralReference(r.reference);
    if (!(await hasDecision(tx, id))) return invalid('reason', `There is no outcome on referral ${reference} to disagree with yet`);
    const existing = (await escalationsOf(tx, id)).at(-1);
    if (existing?.resolved) return invalid('reason', `The escalation of referral ${reference} has been resolved`);
    const stage = existing ? existing.stages.length + 1 : 1;
    if (stage > ESCALATION_STAGES) return invalid('reason', `The escalation of referral ${reference} is already at stage ${ESCALATION_STAGES}, the last stage`);
    const escalationId = existing ? existing.id : (await insertEscalation(tx, { referralId: id, raisedBy: principal.userId, organisationId: principal.organisationId })).id;
    const clocks = await onEvent(tx, stage === 1 ? 'escalation.raised' : 'escalation.escalated', {
      actor: ctx, organisationId: r.referring_organisation_id, childId: r.child_id, subject: { type: 'escalation', id: escalationId }, occurredAt: now, now,
    });
    const dueAt = clocks.started.find((c) => c.definitionId === 'escalation-stage-response')?.dueAt ?? clocks.started[0]?.dueAt ?? null;
    await insertStage(tx, { escalationId, stage, reason: input.reason, recordedBy: principal.userId, dueAt });
    await recordEvent(tx, {
      childId: r.child_id, organisationId: r.referring_organisation_id, type: 'record', occurredAt: now, recordedBy: principal.userId,
      summary: stage === 1 ? `Disagreement with the outcome of referral ${reference} escalated (stage 1 of ${ESCALATION_STAGES})` : `Escalation of referral ${reference} moved to stage ${stage} of ${ESCALATION_STAGES}`,
      detail: { referralId: id, escalationId, stage }, sourceType: 'referral_escalation', sourceId: escalationId,
    });
    await recordAudit(tx, ctx, { action: stage === 1 ? 'referral.escalate' : 'referral.escalate-stage', recordType: 'referral', recordId: id, details: { childId: r.child_id, escalationId, stage } });
    await notify(tx, await usersOf(tx, r.receiving_organisation_id, ['front_door_manager', 'front_door_worker']), {
      kind: 'referral.escalated', text: `${r.referring_organisation_name} escalated referral ${reference} (stage ${stage})`, link: `/front-door/referrals/${id}`,
    });
    return { ok: true as const, escalated: { escalationId, stage, dueAt, view: await load(tx, principal, (await getReferral(tx, id))!) } };
  });
}

/**
 * A response to the current stage of an escalation, from the front door or the referrer; it may resolve the
 * disagreement. Stops the stage's clock (escalation.responded, or escalation.resolved).
 */
export async function respondToEscalation(db: Db, principal: Principal, ctx: AuditContext, id: string, input: z.infer<typeof escalationResponseSchema>, now = new Date()): Promise<Acted | Refusal | Invalid> {
  return withTransaction(db, async (tx) => {
    const r = await getReferral(tx, id, true);
    if (!r || !canSeeReferral(principal, parties(r))) return { ok: false as const, reason: 'not-found' as const };
    if (!canRespondToReferral(principal, parties(r)) && !canFollowUpReferral(principal, parties(r))) return { ok: false as const, reason: 'forbidden' as const };
    const reference = referralReference(r.reference);
    const open = (await escalationsOf(tx, id)).at(-1);
    if (!open || open.resolved) return invalid('response', `Referral ${reference} has no open escalation to respond to`);
    const stage = open.stages.length;
    const x = await insertEscalationResponse(tx, { escalationId: open.id, stage, response: input.response, resolved: input.resolved, recordedBy: principal.userId, organisationId: principal.organisationId });
    await onEvent(tx, input.resolved ? 'escalation.resolved' : 'escalation.responded', {
      actor: ctx, organisationId: r.referring_organisation_id, childId: r.child_id, subject: { type: 'escalation', id: open.id }, occurredAt: x.recorded_at, now,
    });
    await recordEvent(tx, {
      childId: r.child_id, organisationId: r.referring_organisation_id, type: 'record', occurredAt: x.recorded_at, recordedBy: principal.userId,
      summary: input.resolved ? `Escalation of referral ${reference} resolved at stage ${stage}` : `Response to the escalation of referral ${reference} at stage ${stage}`,
      detail: { referralId: id, escalationId: open.id, stage, resolved: input.resolved }, sourceType: 'referral_escalation', sourceId: open.id,
    });
    await recordAudit(tx, ctx, { action: 'referral.escalation-response', recordType: 'referral', recordId: id, details: { childId: r.child_id, escalationId: open.id, stage, resolved: input.resolved } });
    const others = canRespondToReferral(principal, parties(r)) ? await referrerLeads(tx, r) : await usersOf(tx, r.receiving_organisation_id, ['front_door_manager', 'front_door_worker']);
    await notify(tx, others, {
      kind: 'referral.escalation-response', text: `${input.resolved ? 'Escalation resolved' : 'Response to the escalation'} of referral ${reference} (stage ${stage})`,
      link: canRespondToReferral(principal, parties(r)) ? `/referrals/${id}` : `/front-door/referrals/${id}`,
    });
    return { ok: true as const, view: await load(tx, principal, (await getReferral(tx, id))!) };
  });
}
