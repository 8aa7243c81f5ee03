// Consent and information-sharing pages and API. Thin: parse (zod) → authorise (policy, inside the operations)
// → call the operation → render, with POST-redirect-GET and nothing the user typed lost on an error.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { can } from '../platform/access/policy.ts';
import { isValidIsoDate } from '../platform/calendar/iso-date.ts';
import { londonDateOf } from '../platform/calendar/working-days.ts';
import type { Db } from '../platform/db/pool.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, zodApiError, zodFormErrors, type FormErrors } from '../platform/http/forms.ts';
import { errorResponse, type OpenApiPaths } from '../platform/http/openapi.ts';
import {
  approvalInputSchema, approveWithoutConsent, consentInputSchema, consentOverview, judgementInputSchema, recordConsent, recordUnderstanding,
  type ConsentOverview,
} from './consent.ts';
import {
  ARTICLE_6_BASES, ARTICLE_9_CONDITIONS, CONSENT_METHOD_LABELS, CONSENT_METHODS, CONSENT_STATUS_LABELS, CONSENT_STATUSES, GOLDEN_RULES,
  NOT_SOUGHT_REASON_INFO, NOT_SOUGHT_REASONS, SHARE_WITHIN_DAYS, citationLine,
} from './rules.ts';
import {
  caseSharing, countersign, countersignInputSchema, markShared, organisationLog, recordSharing, sharedInputSchema, sharingInputSchema, viewEntry,
} from './sharing.ts';
import { consentRowView, overviewView, sharingEntryView } from './views-model.ts';

const VIEWS = 'sharing/views';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_SIZE = 50;

type ConcernParams = { Params: { concernId: string } };
type WhoParams = { Params: { concernId: string; who: string } };
type IdParams = { Params: { id: string } };

const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const many = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string').slice(0, 20);
const bodyOf = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;
const today = () => londonDateOf(new Date());

/** "YYYY-MM-DD" from GOV.UK date input parts, or '' when incomplete or impossible. */
function dateFrom(day: string, month: string, year: string): string {
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return '';
  const iso = `${year.trim()}-${month.trim().padStart(2, '0')}-${day.trim().padStart(2, '0')}`;
  return isValidIsoDate(iso) ? iso : '';
}
const dateParts = (iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};

/** Date inputs take their error on the day field, so the summary link lands on the first box. */
function formErrors(error: z.ZodError, dateFields: string[] = []): FormErrors {
  const errors = zodFormErrors(error);
  for (const item of errors.summary) {
    const f = item.href.slice(1);
    if (dateFields.includes(f)) item.href = `#${f}-day`;
  }
  return errors;
}
function domainError(errors: FormErrors, field: string, message: string, dateFields: string[] = []) {
  addError(errors, field, message);
  const last = errors.summary[errors.summary.length - 1];
  if (last && dateFields.includes(field)) last.href = `#${field}-day`;
  return errors;
}

function refusePage(reply: FastifyReply, reason: string) {
  if (reason === 'forbidden') return reply.code(403).view('views/errors/403.njk', { title: 'You do not have access to this page' });
  return reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
}
function refuseJson(reply: FastifyReply, reason: string) {
  if (reason === 'forbidden') return reply.code(403).send({ error: 'Forbidden', message: 'You do not have access to this' });
  return reply.code(404).send({ error: 'Not Found', message: 'No such resource' });
}
const badRequest = (field: string, message: string) => ({ error: 'Bad Request', field, message: `${field}: ${message}` });

// ---- form values ----
// Kept whole (the body limit bounds them): the schemas refuse what is too long, and the page shows it all back.

interface ConsentValues { status: string; method: string; notSoughtReason: string; reasonText: string; childsView: string; day: string; month: string; year: string }
interface SharingValues { share: string; what: string; recipient: string; purpose: string; article6: string; article9: string[]; reasons: string; day: string; month: string; year: string }

const readConsent = (b: Record<string, unknown>): ConsentValues => ({
  status: one(b.status), method: one(b.method), notSoughtReason: one(b.notSoughtReason), reasonText: one(b.reasonText),
  childsView: one(b.childsView), day: one(b['date-day']), month: one(b['date-month']), year: one(b['date-year']),
});
const readSharing = (b: Record<string, unknown>): SharingValues => ({
  share: one(b.share), what: one(b.what), recipient: one(b.recipient), purpose: one(b.purpose),
  article6: one(b.article6), article9: many(b.article9), reasons: one(b.reasons),
  day: one(b['decidedOn-day']), month: one(b['decidedOn-month']), year: one(b['decidedOn-year']),
});

const statusItems = (v: ConsentValues) => CONSENT_STATUSES.map((s) => ({ value: s, text: CONSENT_STATUS_LABELS[s], checked: v.status === s }));
const methodItems = (v: ConsentValues) => CONSENT_METHODS.map((m) => ({ value: m, text: CONSENT_METHOD_LABELS[m], checked: v.method === m }));
const reasonItems = (v: ConsentValues) => NOT_SOUGHT_REASONS.map((r) => ({
  value: r, text: NOT_SOUGHT_REASON_INFO[r].label, checked: v.notSoughtReason === r,
  hint: NOT_SOUGHT_REASON_INFO[r].citations.length ? { text: NOT_SOUGHT_REASON_INFO[r].citations.map(citationLine).join('; ') } : undefined,
}));
const article6Items = (v: SharingValues) => ARTICLE_6_BASES.map((b) => ({ value: b.code, text: `${b.citation}: ${b.label}`, checked: v.article6 === b.code }));
const article9Items = (v: SharingValues) => ARTICLE_9_CONDITIONS.map((b) => ({ value: b.code, text: `${b.citation}: ${b.label}`, checked: v.article9.includes(b.code) }));

function notice(req: FastifyRequest): string | null {
  const done = one((req.query as Record<string, unknown> | undefined)?.done);
  return ({
    consent: 'Consent recorded', understanding: 'Judgement recorded', approval: 'Approval recorded', sharing: 'Decision recorded in the information-sharing log',
    countersigned: 'Countersignature recorded', shared: 'Recorded as shared',
  } as Record<string, string>)[done] ?? null;
}

function apiOverview(o: ConsentOverview) {
  return {
    concernId: o.case.concernId, reference: o.case.reference, childId: o.case.childId,
    decision: o.case.decision ? { id: o.case.decision.id, outcome: o.case.decision.outcome } : null,
    requirement: o.requirement,
    childAge: o.childAge, unborn: o.unborn, childUnderstandingCanBeJudged: o.childUnderstandingCanBeJudged,
    understanding: o.judgement ? { sufficientUnderstanding: o.judgement.sufficient_understanding, reasons: o.judgement.reasons, judgedAt: o.judgement.judged_at } : null,
    people: o.subjects.map((s) => ({
      subject: s.key, kind: s.kind, personId: s.personId, name: s.name, relationship: s.relationship, why: s.why,
      status: s.current?.status ?? null, current: s.current ? apiConsent(s.current) : null,
    })),
    warnings: o.warnings,
    consentStatus: o.caseConsent,
    approval: o.approval ? {
      id: o.approval.id, approvedBy: o.approval.approved_by, approvedAt: o.approval.approved_at, reasons: o.approval.reasons, frontDoorTold: o.approval.front_door_told,
      tellParentUnsafe: o.approval.tell_parent_unsafe, unsafeReason: o.approval.unsafe_reason, taskId: o.approval.task_id, taskDueDate: o.approval.task_due_date,
    } : null,
    rules: o.rules,
    history: o.history.map(apiConsent),
  };
}
const apiConsent = (r: ConsentOverview['history'][number] | NonNullable<ConsentOverview['subjects'][number]['current']>) => ({
  id: r.id, subject: r.person_id ? `person:${r.person_id}` : 'child', status: r.status, date: r.status_date, method: r.method, soughtBy: r.sought_by,
  notSoughtReason: r.not_sought_reason, reasonText: r.reason_text, childsView: r.childs_view, supersedes: r.supersedes, recordedAt: r.recorded_at,
});
const apiEntry = (e: ReturnType<typeof sharingEntryView>) => ({
  id: e.id, reference: e.reference, concernId: e.concernId, share: e.share, what: e.what, recipient: e.recipient, purpose: e.purpose,
  lawfulBasis: e.lawfulBasis, consentStatus: e.consentStatus, withoutConsent: e.withoutConsent, reasons: e.reasons || null,
  decidedOn: e.decidedOn, shareBy: e.shareBy, sharedOn: e.sharedOn, awaitingCountersignature: e.awaitingCountersignature,
  countersignedAt: e.countersignedAt, states: e.states.map((s) => s.text),
});

export function sharingRoutes(app: FastifyInstance, db: Db) {
  const p = (req: FastifyRequest) => req.principal!;

  // ---------- consent: overview ----------

  async function consentPage(req: FastifyRequest<ConcernParams>, reply: FastifyReply, judgement: { values: { sufficientUnderstanding: string; reasons: string }; errors: FormErrors }) {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const r = await consentOverview(db, p(req), auditContext(req), req.params.concernId, 'record');
    if (!r.ok) return refusePage(reply, r.reason);
    const o = overviewView(r.overview);
    return reply.code(judgement.errors.summary.length ? 400 : 200).view(`${VIEWS}/consent.njk`, {
      title: `Consent: ${o.case.childName}`, o, notice: notice(req), errors: judgement.errors, judgementValues: judgement.values,
    });
  }

  app.get<ConcernParams>('/concerns/:concernId/consent', { config: { access: 'sharing:record' } }, (req, reply) =>
    consentPage(req, reply, { values: { sufficientUnderstanding: '', reasons: '' }, errors: noErrors() }));

  app.post<ConcernParams>('/concerns/:concernId/consent/understanding', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const b = bodyOf(req);
    const values = { sufficientUnderstanding: one(b.sufficientUnderstanding), reasons: one(b.reasons) };
    const parsed = judgementInputSchema.safeParse({ sufficientUnderstanding: values.sufficientUnderstanding === 'yes' ? true : values.sufficientUnderstanding === 'no' ? false : undefined, reasons: values.reasons });
    if (!parsed.success) return consentPage(req, reply, { values, errors: zodFormErrors(parsed.error) });
    const r = await recordUnderstanding(db, p(req), auditContext(req), req.params.concernId, parsed.data);
    if (!r.ok) {
      if (r.reason === 'invalid') return consentPage(req, reply, { values, errors: addError(noErrors(), r.field, r.message) });
      return refusePage(reply, r.reason);
    }
    return reply.redirect(`/concerns/${req.params.concernId}/consent?done=understanding`, 303);
  });

  // ---------- consent: one person ----------

  async function recordPage(req: FastifyRequest<WhoParams>, reply: FastifyReply, values: ConsentValues | null, errors: FormErrors) {
    const { concernId, who } = req.params;
    if (!UUID.test(concernId) || !(who === 'child' || UUID.test(who))) return refusePage(reply, 'not-found');
    const r = await consentOverview(db, p(req), auditContext(req), concernId, 'record');
    if (!r.ok) return refusePage(reply, r.reason);
    const key = who === 'child' ? 'child' : `person:${who}`;
    const subject = r.overview.subjects.find((s) => s.key === key);
    if (!subject) return refusePage(reply, 'not-found');
    const v = values ?? { status: '', method: '', notSoughtReason: '', reasonText: '', childsView: '', ...dateParts(today()) };
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/consent-record.njk`, {
      title: `Record consent: ${subject.name}`, o: overviewView(r.overview), subject: { ...subject, history: subject.history.map(consentRowView) },
      values: v, errors, statusItems: statusItems(v), methodItems: methodItems(v), reasonItems: reasonItems(v),
    });
  }

  app.get<WhoParams>('/concerns/:concernId/consent/:who', { config: { access: 'sharing:record' } }, (req, reply) => recordPage(req, reply, null, noErrors()));

  app.post<WhoParams>('/concerns/:concernId/consent/:who', { config: { access: 'sharing:record' } }, async (req, reply) => {
    const { concernId, who } = req.params;
    if (!UUID.test(concernId) || !(who === 'child' || UUID.test(who))) return refusePage(reply, 'not-found');
    const v = readConsent(bodyOf(req));
    const date = dateFrom(v.day, v.month, v.year);
    const parsed = consentInputSchema.safeParse({
      subject: who === 'child' ? 'child' : `person:${who}`, status: v.status || undefined, date: date || (v.day || v.month || v.year ? 'invalid' : undefined),
      method: v.method || null, notSoughtReason: v.notSoughtReason || null, reasonText: v.reasonText || null, childsView: v.childsView || null,
    });
    if (!parsed.success) {
      const errors = formErrors(parsed.error, ['date']);
      if (errors.fields.date && !(v.day || v.month || v.year)) errors.fields.date.text = errors.summary.find((s) => s.href === '#date-day')!.text = 'Enter the date';
      return recordPage(req, reply, v, errors);
    }
    const r = await recordConsent(db, p(req), auditContext(req), concernId, parsed.data);
    if (!r.ok) {
      if (r.reason === 'invalid') return recordPage(req, reply, v, domainError(noErrors(), r.field, r.message, ['date']));
      return refusePage(reply, r.reason);
    }
    return reply.redirect(`/concerns/${concernId}/consent?done=consent`, 303);
  });

  // ---------- consent: a manager's approval ----------

  async function approvalPage(req: FastifyRequest<ConcernParams>, reply: FastifyReply, values: { reasons: string; tellParentUnsafe: string; unsafeReason: string }, errors: FormErrors) {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const r = await consentOverview(db, p(req), auditContext(req), req.params.concernId, 'approve');
    if (!r.ok) return refusePage(reply, r.reason);
    const s = await caseSharing(db, p(req), auditContext(req), req.params.concernId);
    const awaiting = s.ok ? s.entries.map((e) => sharingEntryView(e, today())).filter((e) => e.awaitingCountersignature) : [];
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/approval.njk`, {
      title: `Approve going ahead without consent: ${r.overview.case.childName}`, o: overviewView(r.overview), values, errors, notice: notice(req), awaiting,
    });
  }

  app.get<ConcernParams>('/concerns/:concernId/consent/approval', { config: { access: 'sharing:countersign' } }, (req, reply) =>
    approvalPage(req, reply, { reasons: '', tellParentUnsafe: '', unsafeReason: '' }, noErrors()));

  app.post<ConcernParams>('/concerns/:concernId/consent/approval', { config: { access: 'sharing:countersign' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const b = bodyOf(req);
    const values = { reasons: one(b.reasons), tellParentUnsafe: one(b.tellParentUnsafe), unsafeReason: one(b.unsafeReason) };
    const parsed = approvalInputSchema.safeParse({
      reasons: values.reasons, tellParentUnsafe: values.tellParentUnsafe === 'yes' ? true : values.tellParentUnsafe === 'no' ? false : undefined,
      unsafeReason: values.unsafeReason || null,
    });
    if (!parsed.success) return approvalPage(req, reply, values, zodFormErrors(parsed.error));
    const r = await approveWithoutConsent(db, p(req), auditContext(req), req.params.concernId, parsed.data);
    if (!r.ok) {
      if (r.reason === 'invalid') return approvalPage(req, reply, values, addError(noErrors(), r.field, r.message));
      if (r.reason === 'same-person') return approvalPage(req, reply, values, addError(noErrors(), 'reasons', r.message));
      return refusePage(reply, r.reason);
    }
    return reply.redirect(`/concerns/${req.params.concernId}/consent/approval?done=approval`, 303);
  });

  // ---------- the case's information-sharing log ----------

  async function sharingPage(req: FastifyRequest<ConcernParams>, reply: FastifyReply, values: SharingValues | null, errors: FormErrors) {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const r = await caseSharing(db, p(req), auditContext(req), req.params.concernId);
    if (!r.ok) return refusePage(reply, r.reason);
    const v = values ?? { share: '', what: '', recipient: '', purpose: '', article6: '', article9: [], reasons: '', ...dateParts(today()) };
    const o = overviewView(r.overview);
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/sharing.njk`, {
      title: `Information sharing: ${o.case.childName}`, o, entries: r.entries.map((e) => sharingEntryView(e, today())), canRecord: r.canRecord,
      values: v, errors, notice: notice(req), article6Items: article6Items(v), article9Items: article9Items(v), goldenRules: GOLDEN_RULES, shareWithinDays: SHARE_WITHIN_DAYS,
    });
  }

  app.get<ConcernParams>('/concerns/:concernId/sharing', { config: { access: 'sharing:record' } }, (req, reply) => sharingPage(req, reply, null, noErrors()));

  app.post<ConcernParams>('/concerns/:concernId/sharing', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const v = readSharing(bodyOf(req));
    const date = dateFrom(v.day, v.month, v.year);
    const parsed = sharingInputSchema.safeParse({
      share: v.share === 'yes' ? true : v.share === 'no' ? false : undefined, what: v.what, recipient: v.recipient, purpose: v.purpose,
      article6: v.article6 || null, article9: v.article9, reasons: v.reasons || null, decidedOn: date || undefined,
    });
    if (!parsed.success) return sharingPage(req, reply, v, formErrors(parsed.error, ['decidedOn']));
    const r = await recordSharing(db, p(req), auditContext(req), req.params.concernId, parsed.data);
    if (!r.ok) {
      if (r.reason === 'invalid') return sharingPage(req, reply, v, domainError(noErrors(), r.field, r.message, ['decidedOn']));
      return refusePage(reply, r.reason);
    }
    return reply.redirect(`/concerns/${req.params.concernId}/sharing?done=sharing#entry-${r.sharingId}`, 303);
  });

  // ---------- one entry: countersign, record as shared ----------

  async function entryPage(req: FastifyRequest<IdParams>, reply: FastifyReply, values: { note: string; day: string; month: string; year: string; how: string }, errors: FormErrors) {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const r = await viewEntry(db, p(req), auditContext(req), req.params.id);
    if (!r.ok) return refusePage(reply, r.reason);
    const e = sharingEntryView(r.e, today());
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/entry.njk`, {
      title: `Information-sharing decision ${e.reference}`, e, canCountersign: r.canCountersign && e.awaitingCountersignature,
      canRecordShared: can(p(req), 'sharing:record') && e.share && !e.sharedOn, values, errors, notice: notice(req),
      selfRecorded: r.e.decided_by === p(req).userId,
      ...(can(p(req), 'sharing:record')
        ? { caseLink: `/concerns/${e.concernId}/sharing`, caseLinkText: 'Information sharing for this concern' }
        : { caseLink: `/concerns/${e.concernId}/consent/approval`, caseLinkText: 'Consent for this concern' }),
    });
  }
  const emptyEntry = () => ({ note: '', how: '', ...dateParts(today()) });

  app.get<IdParams>('/sharing/:id/countersign', { config: { access: 'sharing:countersign' } }, (req, reply) => entryPage(req, reply, emptyEntry(), noErrors()));
  app.get<IdParams>('/sharing/:id', { config: { access: 'sharing:record' } }, (req, reply) => entryPage(req, reply, emptyEntry(), noErrors()));

  app.post<IdParams>('/sharing/:id/countersign', { config: { access: 'sharing:countersign' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const note = one(bodyOf(req).note);
    const values = { ...emptyEntry(), note };
    const parsed = countersignInputSchema.safeParse({ note: note || null });
    if (!parsed.success) return entryPage(req, reply, values, zodFormErrors(parsed.error));
    const r = await countersign(db, p(req), auditContext(req), req.params.id, parsed.data.note ?? null);
    if (!r.ok) {
      if (!('message' in r)) return refusePage(reply, r.reason);
      return entryPage(req, reply, values, addError(noErrors(), 'note', r.message));
    }
    return reply.redirect(`/sharing/${req.params.id}/countersign?done=countersigned`, 303);
  });

  app.post<IdParams>('/sharing/:id/shared', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const b = bodyOf(req);
    const values = { note: '', how: one(b.how), day: one(b['sharedOn-day']), month: one(b['sharedOn-month']), year: one(b['sharedOn-year']) };
    const parsed = sharedInputSchema.safeParse({ sharedOn: dateFrom(values.day, values.month, values.year) || undefined, how: values.how });
    if (!parsed.success) return entryPage(req, reply, values, formErrors(parsed.error, ['sharedOn']));
    const r = await markShared(db, p(req), auditContext(req), req.params.id, parsed.data);
    if (!r.ok) {
      if (r.reason === 'invalid') return entryPage(req, reply, values, domainError(noErrors(), r.field, r.message, ['sharedOn']));
      return refusePage(reply, r.reason);
    }
    return reply.redirect(`/sharing/${req.params.id}?done=shared`, 303);
  });

  // ---------- the organisation-wide log ----------

  function readLogQuery(q: Record<string, unknown>) {
    const values = { from: one(q.from).trim(), to: one(q.to).trim(), awaiting: one(q.awaiting) === '1', overdue: one(q.overdue) === '1', page: Math.max(1, Math.min(1000, Number.parseInt(one(q.page), 10) || 1)) };
    const errors = noErrors();
    if (values.from && !isValidIsoDate(values.from)) addError(errors, 'from', 'Enter the from date as a real date, like 2026-03-27');
    if (values.to && !isValidIsoDate(values.to)) addError(errors, 'to', 'Enter the to date as a real date, like 2026-03-27');
    if (!errors.summary.length && values.from && values.to && values.from > values.to) addError(errors, 'to', 'The to date must be the same as or after the from date');
    return { values, errors };
  }
  const logFilter = (v: ReturnType<typeof readLogQuery>['values'], ok: boolean) => ({
    from: ok && v.from ? v.from : undefined, to: ok && v.to ? v.to : undefined, awaitingCountersignature: v.awaiting,
    overdueOn: v.overdue ? today() : undefined, limit: PAGE_SIZE, offset: (v.page - 1) * PAGE_SIZE,
  });

  app.get('/sharing', { config: { access: 'sharing:view-log' } }, async (req, reply) => {
    const { values, errors } = readLogQuery((req.query ?? {}) as Record<string, unknown>);
    const r = await organisationLog(db, p(req), auditContext(req), logFilter(values, !errors.summary.length));
    if (!r.ok) return refusePage(reply, r.reason);
    const query = new URLSearchParams({ ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}), ...(values.awaiting ? { awaiting: '1' } : {}), ...(values.overdue ? { overdue: '1' } : {}) }).toString();
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/log.njk`, {
      title: 'Information-sharing log', values, errors, entries: r.rows.map((e) => sharingEntryView(e, today())), hasMore: r.hasMore, page: values.page, query,
      canOpen: can(p(req), 'sharing:record'),
    });
  });

  // ---------- API ----------

  app.get<{ Params: { id: string } }>('/api/v1/concerns/:id/consent', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, 'not-found');
    const r = await consentOverview(db, p(req), auditContext(req), req.params.id, 'record');
    if (!r.ok) return refuseJson(reply, r.reason);
    return apiOverview(r.overview);
  });

  app.post<{ Params: { id: string } }>('/api/v1/concerns/:id/consent', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, 'not-found');
    const parsed = consentInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await recordConsent(db, p(req), auditContext(req), req.params.id, parsed.data);
    if (!r.ok) return r.reason === 'invalid' ? reply.code(400).send(badRequest(r.field, r.message)) : refuseJson(reply, r.reason);
    return reply.code(201).send({ id: r.consentId, consent: apiOverview(r.overview) });
  });

  app.post<{ Params: { id: string } }>('/api/v1/concerns/:id/consent/understanding', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, 'not-found');
    const parsed = judgementInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await recordUnderstanding(db, p(req), auditContext(req), req.params.id, parsed.data);
    if (!r.ok) return r.reason === 'invalid' ? reply.code(400).send(badRequest(r.field, r.message)) : refuseJson(reply, r.reason);
    return reply.code(201).send({ id: r.judgementId });
  });

  app.post<{ Params: { id: string } }>('/api/v1/concerns/:id/consent/approval', { config: { access: 'sharing:countersign' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, 'not-found');
    const parsed = approvalInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await approveWithoutConsent(db, p(req), auditContext(req), req.params.id, parsed.data);
    if (!r.ok) {
      if (r.reason === 'invalid') return reply.code(400).send(badRequest(r.field, r.message));
      if (r.reason === 'same-person') return reply.code(403).send({ error: 'Forbidden', message: r.message });
      return refuseJson(reply, r.reason);
    }
    return reply.code(201).send({ id: r.approvalId, taskId: r.taskId, taskDueDate: r.taskDueDate, rules: r.rules });
  });

  app.get<{ Params: { id: string } }>('/api/v1/concerns/:id/sharing', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, 'not-found');
    const r = await caseSharing(db, p(req), auditContext(req), req.params.id);
    if (!r.ok) return refuseJson(reply, r.reason);
    return { concernId: req.params.id, consentStatus: r.overview.caseConsent, entries: r.entries.map((e) => apiEntry(sharingEntryView(e, today()))) };
  });

  app.post<{ Params: { id: string } }>('/api/v1/concerns/:id/sharing', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, 'not-found');
    const parsed = sharingInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await recordSharing(db, p(req), auditContext(req), req.params.id, parsed.data);
    if (!r.ok) return r.reason === 'invalid' ? reply.code(400).send(badRequest(r.field, r.message)) : refuseJson(reply, r.reason);
    return reply.code(201).send({ id: r.sharingId, withoutConsent: r.withoutConsent, awaitingCountersignature: r.withoutConsent, shareBy: r.shareBy });
  });

  app.post<IdParams>('/api/v1/sharing/:id/countersign', { config: { access: 'sharing:countersign' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, 'not-found');
    const parsed = countersignInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await countersign(db, p(req), auditContext(req), req.params.id, parsed.data.note ?? null);
    if (!r.ok) {
      if (r.reason === 'same-person') return reply.code(403).send({ error: 'Forbidden', message: r.message });
      if (r.reason === 'not-needed' || r.reason === 'already') return reply.code(409).send({ error: 'Conflict', message: r.message });
      return refuseJson(reply, r.reason);
    }
    return { id: req.params.id, countersigned: true };
  });

  app.post<IdParams>('/api/v1/sharing/:id/shared', { config: { access: 'sharing:record' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, 'not-found');
    const parsed = sharedInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await markShared(db, p(req), auditContext(req), req.params.id, parsed.data);
    if (!r.ok) return r.reason === 'invalid' ? reply.code(400).send(badRequest(r.field, r.message)) : refuseJson(reply, r.reason);
    return { id: req.params.id, shared: true };
  });

  app.get('/api/v1/sharing', { config: { access: 'sharing:view-log' } }, async (req, reply) => {
    const { values, errors } = readLogQuery((req.query ?? {}) as Record<string, unknown>);
    const first = errors.summary[0];
    if (first) return reply.code(400).send(badRequest(first.href.slice(1), first.text));
    const r = await organisationLog(db, p(req), auditContext(req), logFilter(values, true));
    if (!r.ok) return refuseJson(reply, r.reason);
    return { entries: r.rows.map((e) => ({ ...apiEntry(sharingEntryView(e, today())), childId: e.child_id })), hasMore: r.hasMore };
  });

}

// ---- OpenAPI ----

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
const common = { 401: errorResponse('Not signed in'), 403: errorResponse('Not allowed by the policy'), 404: errorResponse('No such concern, or not visible to you') };
const bad = { 400: errorResponse('Bad input, naming the field') };
const isoDateSchema = { type: 'string', format: 'date' };

const consentBody = {
  type: 'object', required: ['subject', 'status', 'date'],
  properties: {
    subject: { type: 'string', description: '"child", or "person:<uuid>" for someone with parental responsibility', pattern: '^(child|person:[0-9a-fA-F-]{36})$' },
    status: { enum: [...CONSENT_STATUSES] },
    date: isoDateSchema,
    method: { enum: [...CONSENT_METHODS], description: 'How consent was sought; required unless status is not_sought' },
    notSoughtReason: { enum: [...NOT_SOUGHT_REASONS], description: 'Required when status is not_sought' },
    reasonText: { type: 'string', maxLength: 5000, description: 'The person’s reasons for refusing, or more about why consent was not sought (required for notSoughtReason "other")' },
    childsView: { type: 'string', maxLength: 5000 },
  },
};
const sharingBody = {
  type: 'object', required: ['share', 'what', 'recipient', 'purpose', 'decidedOn'],
  properties: {
    share: { type: 'boolean' },
    what: { type: 'string', maxLength: 5000 },
    recipient: { type: 'string', maxLength: 500, description: 'An organisation or a named role' },
    purpose: { type: 'string', maxLength: 5000 },
    article6: { enum: ARTICLE_6_BASES.map((b) => b.code), description: 'UK GDPR Article 6(1) basis; required when share is true' },
    article9: { type: 'array', items: { enum: ARTICLE_9_CONDITIONS.map((b) => b.code) }, description: 'UK GDPR Article 9(2) conditions (9(2)(g) with DPA 2018 Schedule 1 paragraph 18)' },
    reasons: { type: 'string', maxLength: 5000, description: 'Required when share is false' },
    decidedOn: isoDateSchema,
  },
};

export const sharingOpenApiPaths: OpenApiPaths = {
  '/api/v1/concerns/{id}/consent': {
    parameters: idParam,
    get: { summary: 'Who must be asked for consent, what each said, and whether the decision can proceed', responses: { 200: { description: 'Consent overview with the rules’ answer' }, ...common } },
    post: { summary: 'Record one person’s consent (a new record supersedes the last)', requestBody: { required: true, ...json(consentBody) }, responses: { 201: { description: 'Recorded' }, ...bad, ...common } },
  },
  '/api/v1/concerns/{id}/consent/understanding': {
    parameters: idParam,
    post: {
      summary: 'Record a judgement that a child under 14 has (or has not) sufficient understanding to consent',
      requestBody: { required: true, ...json({ type: 'object', required: ['sufficientUnderstanding', 'reasons'], properties: { sufficientUnderstanding: { type: 'boolean' }, reasons: { type: 'string', maxLength: 5000 } } }) },
      responses: { 201: { description: 'Recorded' }, ...bad, ...common },
    },
  },
  '/api/v1/concerns/{id}/consent/approval': {
    parameters: idParam,
    post: {
      summary: 'A manager approves going ahead without consent; unless unsafe, the referrer gets a task to tell the parent afterwards',
      requestBody: { required: true, ...json({ type: 'object', required: ['reasons', 'tellParentUnsafe'], properties: { reasons: { type: 'string', maxLength: 5000 }, tellParentUnsafe: { type: 'boolean' }, unsafeReason: { type: 'string', maxLength: 5000 } } }) },
      responses: { 201: { description: 'Approved' }, ...bad, ...common },
    },
  },
  '/api/v1/concerns/{id}/sharing': {
    parameters: idParam,
    get: { summary: 'The case’s information-sharing log', responses: { 200: { description: 'Decisions to share or not to share' }, ...common } },
    post: { summary: 'Record a decision to share or not to share', requestBody: { required: true, ...json(sharingBody) }, responses: { 201: { description: 'Recorded; without consent it awaits a manager’s countersignature' }, ...bad, ...common } },
  },
  '/api/v1/sharing/{id}/countersign': {
    parameters: idParam,
    post: {
      summary: 'A manager, other than the person who decided, countersigns sharing without consent',
      requestBody: { required: false, ...json({ type: 'object', properties: { note: { type: 'string', maxLength: 5000 } } }) },
      responses: { 200: { description: 'Countersigned' }, ...bad, ...common, 409: errorResponse('Not needed, or already countersigned') },
    },
  },
  '/api/v1/sharing/{id}/shared': {
    parameters: idParam,
    post: {
      summary: 'Record that the information was passed on (stops the share-within-one-week clock)',
      requestBody: { required: true, ...json({ type: 'object', required: ['sharedOn', 'how'], properties: { sharedOn: isoDateSchema, how: { type: 'string', maxLength: 1000 } } }) },
      responses: { 200: { description: 'Recorded' }, ...bad, ...common },
    },
  },
  '/api/v1/sharing': {
    get: {
      summary: 'The organisation’s information-sharing log',
      parameters: [
        { name: 'from', in: 'query', schema: isoDateSchema }, { name: 'to', in: 'query', schema: isoDateSchema },
        { name: 'awaiting', in: 'query', schema: { enum: ['1'] }, description: 'Only entries awaiting countersignature' },
        { name: 'overdue', in: 'query', schema: { enum: ['1'] }, description: 'Only entries overdue to share' },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
      ],
      responses: { 200: { description: 'Log entries, newest decision first' }, ...bad, 401: common[401], 403: common[403] },
    },
  },
};
