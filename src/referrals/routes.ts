// Referral pages and API. Thin: parse (zod) → the operation authorises (policy) and does the work → render,
// with POST-redirect-GET and nothing the user typed lost on an error.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { londonInstant } from '../clocks/clock.ts';
import { isValidIsoDate } from '../platform/calendar/iso-date.ts';
import type { Db } from '../platform/db/pool.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, zodApiError, zodFormErrors, type FormErrors } from '../platform/http/forms.ts';
import { errorResponse, type OpenApiPaths } from '../platform/http/openapi.ts';
import {
  ANALYSIS_FIELDS, ANALYSIS_QUESTIONS, ESCALATION_STAGES, FRONT_DOOR_OUTCOME_LABELS, FRONT_DOOR_OUTCOMES, REFERRAL_KIND_LABELS, REFERRAL_STATUS_TAGS,
  referralReference, type ReferralAnalysis,
} from './model.ts';
import {
  acknowledgeInputSchema, acknowledgeReferral, analysisSchema, closeReferral, confirmInWriting, decideReferral, decisionInputSchema, escalateReferral,
  escalationInputSchema, escalationResponseSchema, feedbackInputSchema, giveFeedback, respondToEscalation, listReferrals, prepareReferral, saveReferralDraft, sendInputSchema, sendReferral,
  viewReferral, alreadyReferred, type AlreadyReferred, type DraftValues, type ReferralView,
} from './operations.ts';
import { contactRoutes, contactsOpenApiPaths } from './contacts-routes.ts';
import { renderReferralPdf } from './pdf.ts';
import type { ReferralRow } from './store.ts';
import { consentNotice, documentSections, escalationsView, missingView, referralJson, summaryRows, updatesView } from './views-model.ts';

const VIEWS = 'referrals/views';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ConcernParams = { Params: { concernId: string } };
type IdParams = { Params: { id: string } };

const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const bodyOf = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;

function refusePage(reply: FastifyReply, reason: string) {
  if (reason === 'forbidden') return reply.code(403).view('views/errors/403.njk', { title: 'You do not have access to this page' });
  if (reason === 'not-a-referral') return reply.code(409).view(`${VIEWS}/cannot-refer.njk`, { title: 'This decision is not a referral to the front door', reason });
  if (reason === 'no-front-door') return reply.code(409).view(`${VIEWS}/cannot-refer.njk`, { title: 'There is no front door to send the referral to', reason });
  return reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
}
function refuseJson(reply: FastifyReply, r: { reason: string; field?: string; message?: string }) {
  if (r.reason === 'forbidden') return reply.code(403).send({ error: 'Forbidden', message: 'You do not have access to this' });
  if (r.reason === 'not-a-referral') return reply.code(409).send({ error: 'Conflict', message: 'The concern’s latest decision is not a referral to the front door' });
  if (r.reason === 'no-front-door') return reply.code(409).send({ error: 'Conflict', message: 'The partnership has no front door organisation to send the referral to' });
  if (r.reason === 'invalid') return reply.code(400).send({ error: 'Bad Request', field: r.field, message: `${r.field}: ${r.message}` });
  return reply.code(404).send({ error: 'Not Found', message: 'No such resource' });
}

/** A concern is referred once: the API names the concern and gives the referral already sent. */
function alreadyReferredJson(reply: FastifyReply, a: AlreadyReferred) {
  return reply.code(409).send({
    error: 'Conflict', field: 'concernId', referralId: a.referral.id, reference: a.referral.reference,
    message: `concernId: this concern has already been referred (referral ${a.referral.reference}); follow that referral up instead`,
  });
}

/** …and the pages say so, with a link to it, instead of offering to make the referral again. */
function alreadyReferredPage(reply: FastifyReply, a: AlreadyReferred, attemptedToSend = false) {
  const r = a.referral;
  const errors = noErrors();
  if (attemptedToSend) errors.summary.push({ text: `This concern has already been referred: referral ${r.reference} was not sent again`, href: `/referrals/${r.id}` });
  return reply.code(attemptedToSend ? 409 : reply.statusCode).view(`${VIEWS}/already-referred.njk`, { title: 'This concern has already been referred', r, errors });
}

const readAnalysis = (b: Record<string, unknown>): ReferralAnalysis => Object.fromEntries(ANALYSIS_FIELDS.map((f) => [f, one(b[f])]));

interface MethodValues { method: string; spokenTo: string; day: string; month: string; year: string; time: string }
const readMethod = (b: Record<string, unknown>): MethodValues => ({
  method: one(b.method), spokenTo: one(b.spokenTo), day: one(b['spokenAt-day']), month: one(b['spokenAt-month']), year: one(b['spokenAt-year']), time: one(b.spokenTime),
});
function methodValuesOf(d: DraftValues): MethodValues {
  const v: MethodValues = { method: d.method ?? '', spokenTo: d.spokenTo ?? '', day: '', month: '', year: '', time: '' };
  if (d.spokenAt) {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(d.spokenAt));
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    Object.assign(v, { day: get('day'), month: get('month'), year: get('year'), time: `${get('hour')}:${get('minute')}` });
  }
  return v;
}

/** The telephone call's instant from the form, or the problems with it. */
function checkMethod(v: MethodValues, now: Date): { errors: FormErrors; spokenAt: Date | null } {
  const errors = noErrors();
  if (v.method !== 'online' && v.method !== 'telephone') addError(errors, 'method', 'Select how you are making the referral: online or by telephone');
  let spokenAt: Date | null = null;
  if (v.method === 'telephone') {
    if (!v.spokenTo.trim()) addError(errors, 'spokenTo', 'Enter the name of the person you spoke to at the front door');
    else if (v.spokenTo.length > 200) addError(errors, 'spokenTo', 'The name must be 200 characters or fewer');
    const iso = /^\d{4}$/.test(v.year.trim()) && /^\d{1,2}$/.test(v.month.trim()) && /^\d{1,2}$/.test(v.day.trim())
      ? `${v.year.trim()}-${v.month.trim().padStart(2, '0')}-${v.day.trim().padStart(2, '0')}` : '';
    const time = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(v.time.trim());
    if (!iso || !isValidIsoDate(iso)) { addError(errors, 'spokenAt', 'Enter the date you telephoned as a real date, like 2 3 2026'); errors.summary.at(-1)!.href = '#spokenAt-day'; }
    else if (!time) addError(errors, 'spokenTime', 'Enter the time you telephoned, like 14:30');
    else {
      spokenAt = londonInstant(iso, `${time[1]!.padStart(2, '0')}:${time[2]}`);
      if (spokenAt.getTime() > now.getTime() + 5 * 60_000) { addError(errors, 'spokenAt', 'The date and time you telephoned must be now or in the past'); errors.summary.at(-1)!.href = '#spokenAt-day'; spokenAt = null; }
    }
  }
  return { errors, spokenAt };
}

function referralSummary(r: ReferralRow) {
  return {
    id: r.id, reference: referralReference(r.reference), childName: r.content.childName, kindLabel: REFERRAL_KIND_LABELS[r.kind],
    method: r.method === 'telephone' ? 'Telephone' : 'Online', sentAt: r.sent_at, from: r.referring_organisation_name, to: r.receiving_organisation_name,
    tag: REFERRAL_STATUS_TAGS[r.status], missing: r.missing.length, publicContact: r.referrer_type === 'public', anonymityRequested: r.anonymity_requested,
  };
}

function referralPage(v: ReferralView) {
  const r = v.referral;
  const decided = v.updates.some((u) => u.kind === 'decision');
  const sections = documentSections(r.content, null).map((s) => ({ ...s, rows: summaryRows(s) }));
  return {
    r: referralSummary(r), sections, missing: missingView(r.missing), consentNotice: consentNotice(r.content), updates: updatesView(v.updates), escalations: escalationsView(v.escalations),
    telephone: r.method === 'telephone' ? { spokenTo: r.telephoned_to, at: r.telephoned_at, confirmedAt: r.written_confirmation_sent_at } : null,
    decided, closed: r.status === 'closed', acknowledged: v.updates.some((u) => u.kind === 'acknowledgement'),
    mayEscalate: v.mayFollowUp && decided && !(v.escalations.at(-1)?.stages.length === ESCALATION_STAGES) && !v.escalations.at(-1)?.resolved,
    openEscalation: v.escalations.length > 0 && !v.escalations.at(-1)!.resolved,
    responseAction: v.side === 'front-door' ? `/front-door/referrals/${r.id}/escalation-response` : `/referrals/${r.id}/escalation-response`,
    side: v.side,
  };
}

const levelsOf = (r: ReferralRow) => r.content.assessment?.levels ?? [];
const outcomeItems = (checked: string) => FRONT_DOOR_OUTCOMES.map((o) => ({ value: o, text: FRONT_DOOR_OUTCOME_LABELS[o], checked: checked === o }));

export function referralRoutes(app: FastifyInstance, db: Db) {
  contactRoutes(app, db);
  // ---- the referrer's journey: facts → analysis → method → check and send ----

  const journeyPage = async (req: FastifyRequest<ConcernParams>, reply: FastifyReply, page: 'facts' | 'analysis' | 'method' | 'check', extra: Record<string, unknown> = {}) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const res = await prepareReferral(db, req.principal!, auditContext(req), req.params.concernId, page);
    if (!res.ok) return refusePage(reply, res.reason);
    const p = res.prepared;
    if (p.referral) return alreadyReferredPage(reply, alreadyReferred(p.referral), reply.statusCode !== 200);
    const childId = p.case.child_id;
    const concernId = p.case.concern_id;
    const base = `/concerns/${concernId}/referral`;
    const links = { child: `/children/${childId}/edit`, household: `/children/${childId}`, professionals: `/children/${childId}/professionals/new`, consent: `/concerns/${concernId}/consent`, analysis: `${base}/analysis` };
    const sections = documentSections(p.document, links).map((s) => ({ ...s, rows: summaryRows(s) }));
    const titles = { facts: 'Check the facts the referral will carry', analysis: 'Your analysis', method: 'How are you making the referral?', check: 'Check the referral and send it' };
    return reply.view(`${VIEWS}/${page}.njk`, {
      title: titles[page], base, concernId, childId, childName: p.document.childName, kindLabel: REFERRAL_KIND_LABELS[p.kind], frontDoor: p.frontDoor.name,
      sections, factSections: sections.filter((s) => s.id !== 'analysis'), analysisSection: sections.find((s) => s.id === 'analysis'),
      missing: missingView(p.missing), consentNotice: consentNotice(p.document), consentReasons: p.document.consent.reasons,
      questions: ANALYSIS_FIELDS.map((f) => ({ name: f, ...ANALYSIS_QUESTIONS[f] })),
      values: p.draft.analysis, method: methodValuesOf(p.draft), errors: noErrors(), ...extra,
    });
  };

  app.get<ConcernParams>('/concerns/:concernId/referral', { config: { access: 'referrals:make' } }, (req, reply) => journeyPage(req, reply, 'facts'));
  app.get<ConcernParams>('/concerns/:concernId/referral/analysis', { config: { access: 'referrals:make' } }, (req, reply) => journeyPage(req, reply, 'analysis'));
  app.post<ConcernParams>('/concerns/:concernId/referral/analysis', { config: { access: 'referrals:make' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const values = readAnalysis(bodyOf(req));
    const parsed = analysisSchema.safeParse(values);
    if (!parsed.success) return journeyPage(req, reply.code(400), 'analysis', { values, errors: zodFormErrors(parsed.error) });
    const prepared = await prepareReferral(db, req.principal!, auditContext(req), req.params.concernId, 'analysis-save');
    if (!prepared.ok) return refusePage(reply, prepared.reason);
    if (prepared.prepared.referral) return alreadyReferredPage(reply, alreadyReferred(prepared.prepared.referral), true);
    const saved = await saveReferralDraft(db, req.principal!, req.params.concernId, { ...prepared.prepared.draft, analysis: parsed.data });
    if (!saved.ok) return refusePage(reply, saved.reason);
    return reply.code(303).redirect(`/concerns/${req.params.concernId}/referral/method`);
  });
  app.get<ConcernParams>('/concerns/:concernId/referral/method', { config: { access: 'referrals:make' } }, (req, reply) => journeyPage(req, reply, 'method'));
  app.post<ConcernParams>('/concerns/:concernId/referral/method', { config: { access: 'referrals:make' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const v = readMethod(bodyOf(req));
    const { errors, spokenAt } = checkMethod(v, new Date());
    if (errors.summary.length) return journeyPage(req, reply.code(400), 'method', { method: v, errors });
    const prepared = await prepareReferral(db, req.principal!, auditContext(req), req.params.concernId, 'method-save');
    if (!prepared.ok) return refusePage(reply, prepared.reason);
    if (prepared.prepared.referral) return alreadyReferredPage(reply, alreadyReferred(prepared.prepared.referral), true);
    const draft: DraftValues = { analysis: prepared.prepared.draft.analysis, method: v.method as 'online' | 'telephone' };
    if (v.method === 'telephone') Object.assign(draft, { spokenTo: v.spokenTo.trim(), spokenAt: spokenAt!.toISOString() });
    await saveReferralDraft(db, req.principal!, req.params.concernId, draft);
    return reply.code(303).redirect(`/concerns/${req.params.concernId}/referral/check`);
  });
  app.get<ConcernParams>('/concerns/:concernId/referral/check', { config: { access: 'referrals:make' } }, (req, reply) => journeyPage(req, reply, 'check'));
  app.post<ConcernParams>('/concerns/:concernId/referral/send', { config: { access: 'referrals:make' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, 'not-found');
    const prepared = await prepareReferral(db, req.principal!, auditContext(req), req.params.concernId, 'send');
    if (!prepared.ok) return refusePage(reply, prepared.reason);
    if (prepared.prepared.referral) return alreadyReferredPage(reply, alreadyReferred(prepared.prepared.referral), true);
    const d = prepared.prepared.draft;
    if (!d.method) {
      const errors = addError(noErrors(), 'method', 'Select how you are making the referral: online or by telephone');
      return journeyPage(req, reply.code(400), 'method', { errors });
    }
    const input = sendInputSchema.safeParse({ method: d.method, analysis: d.analysis, ...(d.method === 'telephone' ? { telephone: { spokenTo: d.spokenTo ?? '', spokenAt: d.spokenAt ?? '' } } : {}) });
    if (!input.success) return journeyPage(req, reply.code(400), 'method', { errors: zodFormErrors(input.error) });
    const res = await sendReferral(db, req.principal!, auditContext(req), req.params.concernId, input.data);
    if (!res.ok) {
      if (res.reason === 'invalid') return journeyPage(req, reply.code(400), 'method', { errors: addError(noErrors(), 'spokenAt', res.message) });
      if (res.reason === 'already-referred') return alreadyReferredPage(reply, res, true);
      return refusePage(reply, res.reason);
    }
    return reply.code(303).redirect(`/referrals/${res.sent.id}?sent=1`);
  });

  // ---- the referrer's referrals ----

  app.get('/referrals', { config: { access: 'referrals:make' } }, async (req, reply) => {
    const rows = await listReferrals(db, req.principal!, auditContext(req), 'sent');
    return reply.view(`${VIEWS}/list.njk`, { title: 'Referrals sent', referrals: rows.map(referralSummary), side: 'referrer' });
  });

  const showPage = async (req: FastifyRequest<IdParams>, reply: FastifyReply, side: 'referrer' | 'front-door', extra: Record<string, unknown> = {}) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const res = await viewReferral(db, req.principal!, auditContext(req), req.params.id);
    if (!res.ok) return refusePage(reply, res.reason);
    const v = res.view;
    if (v.side !== side) return reply.code(303).redirect(side === 'referrer' ? `/front-door/referrals/${req.params.id}` : `/referrals/${req.params.id}`);
    const page = referralPage(v);
    const template = side === 'referrer' ? 'show.njk' : 'front-door-show.njk';
    return reply.view(`${VIEWS}/${template}`, {
      title: `Referral ${page.r.reference}`, ...page, justSent: (req.query as Record<string, unknown>)?.sent === '1',
      levels: levelsOf(v.referral), decisionValues: { level: '', outcome: '', rationale: '' }, feedbackValues: { text: '' }, responseValues: { response: '', resolved: '' }, outcomes: outcomeItems(''),
      errors: noErrors(), ...extra,
    });
  };

  app.get<IdParams>('/referrals/:id', { config: { access: 'referrals:make' } }, (req, reply) => showPage(req, reply, 'referrer'));

  app.get<IdParams>('/referrals/:id.pdf', { config: { access: 'home:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const res = await viewReferral(db, req.principal!, auditContext(req), req.params.id, 'referral.pdf');
    if (!res.ok) return refusePage(reply, res.reason);
    const r = res.view.referral;
    const pdf = await renderReferralPdf({
      reference: res.view.reference, document: r.content, missing: r.missing, method: r.method, sentAt: r.sent_at, receivingOrganisation: r.receiving_organisation_name,
      telephone: r.method === 'telephone' && r.telephoned_to && r.telephoned_at ? { spokenTo: r.telephoned_to, at: r.telephoned_at } : null,
    });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="referral-${res.view.reference}.pdf"`).header('cache-control', 'no-store').send(pdf);
  });

  app.post<IdParams>('/referrals/:id/written-confirmation', { config: { access: 'referrals:make' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const res = await confirmInWriting(db, req.principal!, auditContext(req), req.params.id);
    if (!res.ok && res.reason !== 'invalid') return refusePage(reply, res.reason);
    if (!res.ok) return showPage(req, reply.code(400), 'referrer', { errors: addError(noErrors(), 'writtenConfirmation', res.message) });
    return reply.code(303).redirect(`/referrals/${req.params.id}`);
  });

  const escalatePage = async (req: FastifyRequest<IdParams>, reply: FastifyReply, values: { reason: string }, errors: FormErrors) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const res = await viewReferral(db, req.principal!, auditContext(req), req.params.id, 'referral.view');
    if (!res.ok) return refusePage(reply, res.reason);
    if (!res.view.mayFollowUp) return refusePage(reply, 'forbidden');
    const page = referralPage(res.view);
    const open = page.escalations.at(-1);
    const nextStage = open ? open.currentStage + 1 : 1;
    return reply.view(`${VIEWS}/escalate.njk`, {
      title: open ? `Escalate referral ${page.r.reference} to stage ${nextStage}` : `Disagree with the outcome of referral ${page.r.reference}`,
      ...page, responseAction: null, nextStage, open, values, errors,
    });
  };
  app.get<IdParams>('/referrals/:id/escalate', { config: { access: 'referrals:make' } }, (req, reply) => escalatePage(req, reply, { reason: '' }, noErrors()));
  app.post<IdParams>('/referrals/:id/escalate', { config: { access: 'referrals:make' } }, async (req, reply) => {
    const values = { reason: one(bodyOf(req).reason) };
    const parsed = escalationInputSchema.safeParse(values);
    if (!parsed.success) return escalatePage(req, reply.code(400), values, zodFormErrors(parsed.error));
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const res = await escalateReferral(db, req.principal!, auditContext(req), req.params.id, parsed.data);
    if (!res.ok && res.reason === 'invalid') return escalatePage(req, reply.code(400), values, addError(noErrors(), 'reason', res.message));
    if (!res.ok) return refusePage(reply, res.reason);
    return reply.code(303).redirect(`/referrals/${req.params.id}`);
  });

  // ---- the front door ----

  app.get('/front-door/referrals', { config: { access: 'referrals:receive' } }, async (req, reply) => {
    const rows = await listReferrals(db, req.principal!, auditContext(req), 'received');
    return reply.view(`${VIEWS}/list.njk`, { title: 'Referrals received', referrals: rows.map(referralSummary), side: 'front-door' });
  });
  app.get<IdParams>('/front-door/referrals/:id', { config: { access: 'referrals:receive' } }, (req, reply) => showPage(req, reply, 'front-door'));

  app.post<IdParams>('/front-door/referrals/:id/acknowledge', { config: { access: 'referrals:receive' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const res = await acknowledgeReferral(db, req.principal!, auditContext(req), req.params.id, {});
    if (!res.ok && res.reason === 'invalid') return showPage(req, reply.code(400), 'front-door', { errors: addError(noErrors(), 'acknowledge', res.message) });
    if (!res.ok) return refusePage(reply, res.reason);
    return reply.code(303).redirect(`/front-door/referrals/${req.params.id}`);
  });
  app.post<IdParams>('/front-door/referrals/:id/decision', { config: { access: 'referrals:receive' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const b = bodyOf(req);
    const values = { level: one(b.level), outcome: one(b.outcome), rationale: one(b.rationale) };
    const parsed = decisionInputSchema.safeParse(values);
    const again = (errors: FormErrors) => showPage(req, reply.code(400), 'front-door', { decisionValues: values, outcomes: outcomeItems(values.outcome), errors });
    if (!parsed.success) return again(zodFormErrors(parsed.error));
    const res = await decideReferral(db, req.principal!, auditContext(req), req.params.id, parsed.data);
    if (!res.ok && res.reason === 'invalid') return again(addError(noErrors(), res.field, res.message));
    if (!res.ok) return refusePage(reply, res.reason);
    return reply.code(303).redirect(`/front-door/referrals/${req.params.id}`);
  });
  app.post<IdParams>('/front-door/referrals/:id/feedback', { config: { access: 'referrals:receive' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const values = { text: one(bodyOf(req).text) };
    const parsed = feedbackInputSchema.safeParse(values);
    if (!parsed.success) return showPage(req, reply.code(400), 'front-door', { feedbackValues: values, errors: zodFormErrors(parsed.error) });
    const res = await giveFeedback(db, req.principal!, auditContext(req), req.params.id, parsed.data);
    if (!res.ok && res.reason === 'invalid') return showPage(req, reply.code(400), 'front-door', { feedbackValues: values, errors: addError(noErrors(), 'text', res.message) });
    if (!res.ok) return refusePage(reply, res.reason);
    return reply.code(303).redirect(`/front-door/referrals/${req.params.id}`);
  });

  app.post<IdParams>('/front-door/referrals/:id/close', { config: { access: 'referrals:receive' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
    const res = await closeReferral(db, req.principal!, auditContext(req), req.params.id);
    if (!res.ok && res.reason === 'invalid') return showPage(req, reply.code(400), 'front-door', { errors: addError(noErrors(), 'close', res.message) });
    if (!res.ok) return refusePage(reply, res.reason);
    return reply.code(303).redirect(`/front-door/referrals/${req.params.id}`);
  });

  for (const [prefix, side, access] of [['/referrals', 'referrer', 'referrals:make'], ['/front-door/referrals', 'front-door', 'referrals:receive']] as const) {
    app.post<IdParams>(`${prefix}/:id/escalation-response`, { config: { access } }, async (req, reply) => {
      if (!UUID.test(req.params.id)) return refusePage(reply, 'not-found');
      const b = bodyOf(req);
      const values = { response: one(b.response), resolved: one(b.resolved) };
      const errors = noErrors();
      if (!values.response.trim()) addError(errors, 'response', 'Enter the response');
      else if (values.response.length > 5000) addError(errors, 'response', 'Must be 5000 characters or fewer');
      if (values.resolved !== 'yes' && values.resolved !== 'no') addError(errors, 'resolved', 'Say whether this resolves the disagreement');
      if (errors.summary.length) return showPage(req, reply.code(400), side, { responseValues: values, errors });
      const res = await respondToEscalation(db, req.principal!, auditContext(req), req.params.id, { response: values.response.trim(), resolved: values.resolved === 'yes' });
      if (!res.ok && res.reason === 'invalid') return showPage(req, reply.code(400), side, { responseValues: values, errors: addError(noErrors(), 'response', res.message) });
      if (!res.ok) return refusePage(reply, res.reason);
      return reply.code(303).redirect(`${prefix}/${req.params.id}#escalation`);
    });
  }

  // ---- API ----

  const apiBody = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? req.body : {});

  app.post<ConcernParams>('/api/v1/concerns/:concernId/referrals', { config: { access: 'referrals:make' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refuseJson(reply, { reason: 'not-found' });
    const raw = apiBody(req) as Record<string, unknown>;
    if ('anonymityRequested' in raw || 'anonymous' in raw) {
      const field = 'anonymityRequested' in raw ? 'anonymityRequested' : 'anonymous';
      return reply.code(400).send({ error: 'Bad Request', field, message: `${field}: a referral from a professional can never be anonymous (seed 001 Appendix B §4); only a member of the public may ask for anonymity` });
    }
    const parsed = sendInputSchema.safeParse(raw);
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const res = await sendReferral(db, req.principal!, auditContext(req), req.params.concernId, parsed.data);
    if (!res.ok) return res.reason === 'already-referred' ? alreadyReferredJson(reply, res) : refuseJson(reply, res);
    const view = await viewReferral(db, req.principal!, auditContext(req), res.sent.id, 'referral.api-view');
    if (!view.ok) return refuseJson(reply, view);
    return reply.code(201).header('location', `/api/v1/referrals/${res.sent.id}`).send({ referral: referralJson(view.view), warnings: res.sent.missing });
  });

  app.get<IdParams>('/api/v1/referrals/:id', { config: { access: 'home:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, { reason: 'not-found' });
    const res = await viewReferral(db, req.principal!, auditContext(req), req.params.id, 'referral.api-view');
    if (!res.ok) return refuseJson(reply, res);
    return { referral: referralJson(res.view) };
  });

  const apiAction = <S extends z.ZodType>(path: string, access: 'referrals:receive' | 'referrals:make', schema: S,
    act: (req: FastifyRequest<IdParams>, input: z.infer<S>) => Promise<{ ok: true; view: ReferralView } | { ok: false; reason: string; field?: string; message?: string }>) => {
    app.post<IdParams>(path, { config: { access } }, async (req, reply) => {
      if (!UUID.test(req.params.id)) return refuseJson(reply, { reason: 'not-found' });
      const parsed = schema.safeParse(apiBody(req));
      if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
      const res = await act(req, parsed.data);
      if (!res.ok) return refuseJson(reply, res);
      return reply.code(201).send({ referral: referralJson(res.view) });
    });
  };
  apiAction('/api/v1/referrals/:id/acknowledge', 'referrals:receive', acknowledgeInputSchema, (req, input) => acknowledgeReferral(db, req.principal!, auditContext(req), req.params.id, input));
  apiAction('/api/v1/referrals/:id/decision', 'referrals:receive', decisionInputSchema, (req, input) => decideReferral(db, req.principal!, auditContext(req), req.params.id, input));
  apiAction('/api/v1/referrals/:id/feedback', 'referrals:receive', feedbackInputSchema, (req, input) => giveFeedback(db, req.principal!, auditContext(req), req.params.id, input));
  apiAction('/api/v1/referrals/:id/close', 'referrals:receive', z.strictObject({}), (req) => closeReferral(db, req.principal!, auditContext(req), req.params.id));
  apiAction('/api/v1/referrals/:id/written-confirmation', 'referrals:make', z.strictObject({}), (req) => confirmInWriting(db, req.principal!, auditContext(req), req.params.id));
  app.post<IdParams>('/api/v1/referrals/:id/escalations/responses', { config: { access: 'home:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, { reason: 'not-found' });
    const parsed = escalationResponseSchema.safeParse(apiBody(req));
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const res = await respondToEscalation(db, req.principal!, auditContext(req), req.params.id, parsed.data);
    if (!res.ok) return refuseJson(reply, res);
    return reply.code(201).send({ referral: referralJson(res.view) });
  });
  app.post<IdParams>('/api/v1/referrals/:id/escalations', { config: { access: 'referrals:make' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, { reason: 'not-found' });
    const parsed = escalationInputSchema.safeParse(apiBody(req));
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const res = await escalateReferral(db, req.principal!, auditContext(req), req.params.id, parsed.data);
    if (!res.ok) return refuseJson(reply, res);
    const e = res.escalated;
    return reply.code(201).send({ escalation: { id: e.escalationId, stage: e.stage, dueAt: e.dueAt }, referral: referralJson(e.view) });
  });
}

// ---- OpenAPI ----

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
const analysisProperties = Object.fromEntries(ANALYSIS_FIELDS.map((f) => [f, { type: 'string', maxLength: 5000, description: ANALYSIS_QUESTIONS[f].label }]));
const common = {
  401: errorResponse('Not signed in'), 403: errorResponse('Signed in without access'), 404: errorResponse('No such referral, or not one you may see'),
};
const referralObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, reference: { type: 'string', example: 'R-000001' },
    status: { enum: ['sent', 'acknowledged', 'decided', 'feedback_given', 'closed'] }, kind: { enum: ['child_in_need', 'significant_harm'] },
    method: { enum: ['online', 'telephone'] }, telephone: { type: ['object', 'null'] }, writtenConfirmationSentAt: { type: ['string', 'null'], format: 'date-time' },
    referrerType: { enum: ['professional', 'public'] }, anonymityRequested: { type: 'boolean' }, sentAt: { type: 'string', format: 'date-time' },
    referringOrganisation: { type: 'object' }, receivingOrganisation: { type: 'object' }, childId: { type: 'string', format: 'uuid' },
    content: { type: 'object', description: 'The referral exactly as sent: child, household, professionals, concern, assessment, decision, consent, referrer, analysis' },
    missing: { type: 'array', description: 'What the referral lacked when sent, each with its seed citation (warnings, never blocks)', items: { type: 'object', properties: { id: { type: 'string' }, text: { type: 'string' }, citationText: { type: 'string' } } } },
    updates: { type: 'array', items: { type: 'object' } }, escalations: { type: 'array', items: { type: 'object' } },
  },
};

const referralResponse = { description: 'The referral as sent and everything since', ...json({ type: 'object', properties: { referral: referralObject } }) };

export const referralsOpenApiPaths: OpenApiPaths = {
  ...contactsOpenApiPaths,
  '/api/v1/concerns/{concernId}/referrals': {
    parameters: [{ name: 'concernId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
    post: {
      summary: 'Build the referral from what is recorded, check it for completeness and send it to the partnership’s front door',
      description: 'Missing items are returned as warnings and never stop the referral. A telephone referral starts the 48-hour written-confirmation clock.',
      requestBody: { required: true, ...json({ type: 'object', required: ['method'], additionalProperties: false, properties: {
        method: { enum: ['online', 'telephone'] },
        telephone: { type: 'object', required: ['spokenTo', 'spokenAt'], properties: { spokenTo: { type: 'string', maxLength: 200 }, spokenAt: { type: 'string', format: 'date-time' } } },
        analysis: { type: 'object', additionalProperties: false, properties: analysisProperties },
      } }) },
      responses: {
        201: { description: 'Sent', ...json({ type: 'object', properties: { referral: referralObject, warnings: { type: 'array', items: { type: 'object' } } } }) },
        400: errorResponse('Bad input, naming the field'),
        409: { description: 'The concern has already been referred (field "concernId", with the referral already sent: referralId and reference), '
          + 'or the decision is not a referral, or the partnership has no front door', ...json({ type: 'object', required: ['error', 'message'], properties: {
          error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string', example: 'concernId' },
          referralId: { type: 'string', format: 'uuid', description: 'The referral already sent from this concern' }, reference: { type: 'string', example: 'R-000001' },
        } }) },
        ...common,
      },
    },
  },
  '/api/v1/referrals/{id}': {
    parameters: idParam,
    get: { summary: 'One referral as structured data (the referring DSL and the receiving front door)', responses: { 200: referralResponse, ...common } },
  },
  '/api/v1/referrals/{id}/acknowledge': {
    parameters: idParam,
    post: { summary: 'The front door acknowledges the referral (stops the acknowledgement and chase clocks)', requestBody: { required: false, ...json({ type: 'object', properties: { note: { type: 'string', maxLength: 1000 } } }) },
      responses: { 201: referralResponse, 400: errorResponse('Bad input or already acknowledged, naming the field'), ...common } },
  },
  '/api/v1/referrals/{id}/decision': {
    parameters: idParam,
    post: { summary: 'The front door’s decision: threshold level, outcome and rationale', requestBody: { required: true, ...json({ type: 'object', required: ['level', 'outcome', 'rationale'], properties: {
      level: { type: 'string', maxLength: 200 }, outcome: { enum: [...FRONT_DOOR_OUTCOMES] }, rationale: { type: 'string', maxLength: 5000 } } }) },
    responses: { 201: referralResponse, 400: errorResponse('Bad input, naming the field'), ...common } },
  },
  '/api/v1/referrals/{id}/feedback': {
    parameters: idParam,
    post: { summary: 'Feedback to the referrer', requestBody: { required: true, ...json({ type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 5000 } } }) },
      responses: { 201: referralResponse, 400: errorResponse('Bad input, naming the field'), ...common } },
  },
  '/api/v1/referrals/{id}/close': {
    parameters: idParam,
    post: { summary: 'The front door closes a referral it has decided on', responses: { 201: referralResponse, 400: errorResponse('No decision yet, or already closed'), ...common } },
  },
  '/api/v1/referrals/{id}/written-confirmation': {
    parameters: idParam,
    post: { summary: 'The referrer confirms a telephone referral in writing (stops the 48-hour clock)', responses: { 201: referralResponse, 400: errorResponse('Not a telephone referral, or already confirmed'), ...common } },
  },
  '/api/v1/referrals/{id}/escalations/responses': {
    parameters: idParam,
    post: { summary: 'A response to the current stage of the escalation, from the front door or the referrer; it may resolve the disagreement',
      requestBody: { required: true, ...json({ type: 'object', required: ['response', 'resolved'], properties: { response: { type: 'string', maxLength: 5000 }, resolved: { type: 'boolean' } } }) },
      responses: { 201: referralResponse, 400: errorResponse('Bad input naming the field, or no open escalation'), ...common } },
  },
  '/api/v1/referrals/{id}/escalations': {
    parameters: idParam,
    post: { summary: 'The referrer disagrees with the outcome: open an escalation at stage 1, or move the open one to the next stage (each stage due in 5 working days)',
      requestBody: { required: true, ...json({ type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 5000 } } }) },
      responses: { 201: { description: 'Escalated', ...json({ type: 'object', properties: { escalation: { type: 'object', properties: { id: { type: 'string' }, stage: { type: 'integer', minimum: 1, maximum: 4 }, dueAt: { type: 'string', format: 'date-time' } } }, referral: referralObject } }) },
        400: errorResponse('Bad input, no outcome yet, or already at the last stage'), ...common } },
  },
};
