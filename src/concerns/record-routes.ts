// The concern form (question by question, a draft saved at every step), the read-only concern with its
// amendments, "My concerns", drafts, and the same operations under /api/v1. Thin: parse, authorise, call, render.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { searchChildren } from '../people/search.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { withTransaction, type Db } from '../platform/db/pool.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, zodApiError, zodFormErrors, type FormErrors } from '../platform/http/forms.ts';
import { notificationRoutes } from '../platform/notify/routes.ts';
import { categoryLabel, CATEGORY_GROUPS, CONCERN_CATEGORIES, cinFactorsFor } from './categories.ts';
import {
  AMENDABLE_FIELDS, amendmentSchema, concernInputSchema, draftToInput, formatReference, isStep, nextStep, pickStepFields,
  previousStep, resumeStep, STEP_TITLES, stepsFor, validateStep, type ConcernDraft, type StepError, type StepId,
} from './form.ts';
import {
  amendConcern, ChildNotVisibleError, discardConcernDraft, DraftAlreadySentError, draftKey, isChildVisible, isDraftId, listMyConcerns, listMyDrafts,
  loadConcernDraft, recordConcern, saveConcernDraftStep, viewConcern, type Actor, type ConcernView,
} from './recording.ts';
import { getChildForOrganisation, type ChildSummary } from './store.ts';

const V = 'concerns/views/';
const ACCESS = { config: { access: 'concerns:raise' as const } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS_LABELS: Record<string, string> = { new: 'New', in_triage: 'Being looked at', decided: 'Decided' };

const actorOf = (req: FastifyRequest): Actor => ({ principal: req.principal!, audit: auditContext(req) });
function actionQuery(change: boolean, search?: string) {
  const params = new URLSearchParams();
  if (change) params.set('change', '1');
  if (search?.trim()) params.set('q', search.trim().slice(0, 200));
  const text = params.toString();
  return text ? `?${text}` : '';
}
const newDraftId = () => randomBytes(8).toString('hex');

function formErrorsOf(list: StepError[]): FormErrors {
  const errors = noErrors();
  for (const e of list) addError(errors, e.field, e.text);
  return errors;
}

function yesNo(v: boolean | null | undefined) {
  return v === true ? 'Yes' : v === false ? 'No' : 'Not answered';
}

/** Checkbox items for the categories page, in their groups' order, "Not sure" last and exclusive. */
function categoryItems(selected: string[]) {
  const items: Record<string, unknown>[] = [];
  for (const group of Object.keys(CATEGORY_GROUPS)) {
    for (const c of CONCERN_CATEGORIES.filter((x) => x.group === group)) {
      if (c.id === 'not_sure') items.push({ divider: 'or' });
      items.push({
        value: c.id, text: c.label, hint: c.hint ? { text: c.hint } : undefined, checked: selected.includes(c.id),
        behaviour: c.id === 'not_sure' ? 'exclusive' : undefined,
      });
    }
  }
  return items;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
/** Multi-line text as HTML, escaped, keeping the writer's line breaks. */
const lines = (s: string) => escapeHtml(s).replace(/\r?\n/g, '<br>');

/** Check-your-answers rows from a draft. */
function answerRows(d: ConcernDraft, child: ChildSummary | null, base: string) {
  const change = (step: StepId, label: string) => ({ items: [{ href: `${base}/${step}?change=1`, text: 'Change', visuallyHiddenText: label.toLowerCase() }] });
  const when = [d.whenDay?.trim() ? `${d.whenDay}/${d.whenMonth}/${d.whenYear} at ${d.whenTime}` : '', d.whenText?.trim() ?? ''].filter(Boolean).join(' – ');
  const rows = [
    { key: { text: 'Child' }, value: { text: child ? `${child.name}${child.dateOfBirth ? ` (born ${child.dateOfBirth})` : ''}` : 'Not chosen' }, actions: change('child', 'Child') },
    { key: { text: 'What happened' }, value: { html: lines(d.whatHappened ?? '') }, actions: change('what-happened', 'What happened') },
    { key: { text: 'What the child said' }, value: { html: d.childsWords?.trim() ? lines(d.childsWords) : 'Nothing recorded' }, actions: change('childs-words', 'What the child said') },
    { key: { text: 'When' }, value: { text: when }, actions: change('when-where', 'When') },
    { key: { text: 'Where' }, value: { text: d.location ?? '' }, actions: change('when-where', 'Where') },
    { key: { text: 'Who was there' }, value: { text: d.present ?? '' }, actions: change('present', 'Who was there') },
    { key: { text: 'Injuries' }, value: { text: d.injuries === 'yes' ? d.injuriesDetail ?? '' : 'None seen' }, actions: change('injuries', 'Injuries') },
    { key: { text: 'Kind of harm' }, value: { text: (d.categories ?? []).map(categoryLabel).join(', ') }, actions: change('categories', 'Kind of harm') },
    { key: { text: 'Immediate danger' }, value: { text: d.immediateDanger === 'yes' ? 'Yes' : 'No' }, actions: change('danger', 'Immediate danger') },
  ];
  if (d.immediateDanger === 'yes') rows.push({ key: { text: 'Called 999' }, value: { text: d.called999 === 'yes' ? 'Yes' : 'No' }, actions: change('call-999', 'Called 999') });
  rows.push({ key: { text: 'Told the DSL in person' }, value: { text: d.toldDsl === 'yes' ? 'Yes' : 'No' }, actions: change('told-dsl', 'Told the DSL in person') });
  return rows;
}

function concernJson(v: ConcernView) {
  const c = v.concern;
  return {
    id: c.id, reference: formatReference(c.reference), childId: c.childId, organisationId: c.organisationId, raisedBy: c.raisedBy,
    status: c.status, submittedAt: c.submittedAt, whatHappened: c.whatHappened, childsWords: c.childsWords, occurredAt: c.occurredAt,
    occurredAtText: c.occurredAtText, location: c.location, present: c.present, injuries: c.injuries, categories: c.categories,
    cinFactors: cinFactorsFor(c.categories), immediateDanger: c.immediateDanger, called999: c.called999, toldDslInPerson: c.toldDslInPerson,
    amendments: v.amendments.map((a) => ({ id: a.id, amendedAt: a.amendedAt, amendedBy: a.amendedBy, reason: a.reason, changes: a.changes })),
  };
}

export function concernRecordRoutes(app: FastifyInstance, db: Db, config: Pick<Config, 'publicUrl'>) {
  notificationRoutes(app, db);

  /** A child of this user's organisation, if any; the read is audited because pages show the name. */
  async function shownChild(req: FastifyRequest, childId: string | undefined, step: string): Promise<ChildSummary | null> {
    if (!childId || !UUID.test(childId)) return null;
    return withTransaction(db, async (tx) => {
      const child = await getChildForOrganisation(tx, childId, req.principal!.organisationId);
      if (child) await recordAudit(tx, auditContext(req), { action: 'concern.draft.view', recordType: 'child', recordId: child.id, details: { step } });
      return child;
    });
  }

  /** The child named in a draft, if this user may see them (audited). */
  const draftChild = (req: FastifyRequest, d: ConcernDraft, step: string) => shownChild(req, d.childId, step);

  async function renderStep(req: FastifyRequest, reply: FastifyReply, draftId: string, step: StepId, d: ConcernDraft, errors: FormErrors, status = 200) {
    const q = req.query as { q?: string; childId?: string; change?: string };
    const base = `/concerns/new/${draftId}`;
    const change = q.change === '1';
    const child = await draftChild(req, d, step);
    const ctx: Record<string, unknown> = {
      title: STEP_TITLES[step], step, draftId, values: d, errors, child, change,
      // A search on the child page is carried through the post, so a mistake shows the same choices again.
      action: `${base}/${step}${actionQuery(change, step === 'child' ? q.q : undefined)}`,
      backLink: change ? `${base}/check` : (previousStep(step, d) ? `${base}/${previousStep(step, d)}` : '/concerns'),
      autosaveKey: draftKey(draftId),
      stepNumber: stepsFor(d).indexOf(step) + 1, stepCount: stepsFor(d).length,
    };
    if (step === 'child') {
      const query = (q.q ?? '').trim().slice(0, 200);
      let results: { id: string; name: string; hint: string }[] = [];
      if (query) {
        const found = await searchChildren(db, req.principal!, { name: query, limit: 20 });
        results = found.map((r) => ({ id: r.id, name: `${r.firstName} ${r.lastName}`.trim(), hint: [r.dateOfBirth ? `Born ${r.dateOfBirth}` : r.expectedDueDate ? `Due ${r.expectedDueDate}` : '', r.postcode ?? ''].filter(Boolean).join(', ') }));
        await withTransaction(db, (tx) => recordAudit(tx, auditContext(req), { action: 'concern.child-search', recordType: 'child', details: { results: results.length, childIds: results.map((r) => r.id) } }));
      }
      // A child just added (the "add a new child" journey returns here with ?childId=) or already chosen.
      // Its name, date of birth and postcode are shown, so that read is audited too (once, if it is the draft's child).
      const offered = q.childId && UUID.test(q.childId) ? (q.childId === child?.id ? child : await shownChild(req, q.childId, step)) : child;
      if (offered && !results.some((r) => r.id === offered.id)) {
        results.unshift({ id: offered.id, name: offered.name, hint: [offered.dateOfBirth ? `Born ${offered.dateOfBirth}` : '', offered.postcode ?? ''].filter(Boolean).join(', ') });
      }
      const selected = q.childId && offered ? offered.id : d.childId;
      Object.assign(ctx, {
        query, searched: !!query, selected,
        childItems: results.map((r) => ({ value: r.id, text: r.name, hint: r.hint ? { text: r.hint } : undefined, checked: r.id === selected })),
        // The new child comes back here, still changing from check your answers if that is where this began.
        addChildHref: `/children/new?returnTo=${encodeURIComponent(`${base}/child${change ? '?change=1' : ''}`)}`,
      });
    }
    if (step === 'categories') ctx.categoryItems = categoryItems(d.categories ?? []);
    return reply.code(status).view(`${V}record-step.njk`, ctx);
  }

  // ---- the form ----

  app.get('/concerns/new', ACCESS, async (req, reply) => {
    const { childId } = req.query as { childId?: string };
    const suffix = childId && UUID.test(childId) ? `?childId=${childId}` : '';
    return reply.redirect(`/concerns/new/${newDraftId()}/child${suffix}`, 303);
  });

  app.get('/concerns/new/:draftId/:step', ACCESS, async (req, reply) => {
    const { draftId, step } = req.params as { draftId: string; step: string };
    if (!isDraftId(draftId)) return reply.callNotFound();
    const { data } = await loadConcernDraft(db, req.principal!.userId, draftId);
    if (step === 'check') {
      const result = draftToInput(data, new Date(), data.childId ? await isChildVisible(db, req.principal!, data.childId) : false);
      if (!result.ok) return reply.redirect(`/concerns/new/${draftId}/${result.step}`, 303);
      const child = await draftChild(req, data, 'check');
      return reply.view(`${V}record-check.njk`, {
        title: 'Check your answers before sending', draftId, rows: answerRows(data, child, `/concerns/new/${draftId}`), values: data, child,
      });
    }
    if (step === 'continue') {
      const visible = data.childId ? await isChildVisible(db, req.principal!, data.childId) : false;
      return reply.redirect(`/concerns/new/${draftId}/${resumeStep(data, new Date(), visible)}`, 303);
    }
    if (!isStep(step)) return reply.callNotFound();
    if (step === 'call-999' && data.immediateDanger !== 'yes') return reply.redirect(`/concerns/new/${draftId}/danger`, 303);
    return renderStep(req, reply, draftId, step, data, noErrors());
  });

  app.post('/concerns/new/:draftId/:step', ACCESS, async (req, reply) => {
    const { draftId, step } = req.params as { draftId: string; step: string };
    if (!isDraftId(draftId)) return reply.callNotFound();
    const userId = req.principal!.userId;
    if (step === 'check') {
      const { data, updatedAt } = await loadConcernDraft(db, userId, draftId);
      // No draft to send: it was sent already (a second tab, a click after the first had finished) or deleted.
      if (!updatedAt) return reply.redirect('/concerns?draftGone=1', 303);
      const visible = data.childId ? await isChildVisible(db, req.principal!, data.childId) : false;
      const result = draftToInput(data, new Date(), visible);
      if (!result.ok) return renderStep(req, reply, draftId, result.step, data, formErrorsOf(result.errors), 400);
      try {
        const saved = await recordConcern(db, actorOf(req), result.input, { publicUrl: config.publicUrl, draftId });
        return reply.redirect(`/concerns/${saved.id}/sent`, 303);
      } catch (error) {
        if (error instanceof ChildNotVisibleError) return renderStep(req, reply, draftId, 'child', data, formErrorsOf([{ field: 'childId', text: 'Select a child from the list' }]), 400);
        // Sent twice (a double click, a second tab): it was recorded once, and is in the list of their concerns.
        if (error instanceof DraftAlreadySentError) return reply.redirect('/concerns?alreadySent=1', 303);
        throw error;
      }
    }
    if (!isStep(step)) return reply.callNotFound();
    // Save first, whatever was typed: a mistake must never cost the user their words.
    const data = await saveConcernDraftStep(db, userId, draftId, pickStepFields(step, req.body));
    if ((req.body as { _later?: string } | undefined)?._later === '1') return reply.redirect('/concerns/drafts?saved=1', 303);
    // A page that no longer applies (the 999 page, posted from a stale tab after "No" to danger) is not
    // checked: what it sent is kept, and the journey goes on as the danger answer would.
    const applies = stepsFor(data).includes(step);
    const visible = step === 'child' && data.childId ? await isChildVisible(db, req.principal!, data.childId) : true;
    const errors = applies ? validateStep(step, data, new Date(), visible) : [];
    if (errors.length) return renderStep(req, reply, draftId, step, data, formErrorsOf(errors), 400);
    const change = (req.query as { change?: string }).change === '1';
    if (change || !applies) {
      const result = draftToInput(data, new Date(), true);
      if (result.ok) return reply.redirect(`/concerns/new/${draftId}/check`, 303);
      if (change) return reply.redirect(`/concerns/new/${draftId}/${result.step}?change=1`, 303);
    }
    return reply.redirect(`/concerns/new/${draftId}/${nextStep(step, data)}`, 303);
  });

  app.get('/concerns/drafts', ACCESS, async (req, reply) => {
    const drafts = await listMyDrafts(db, actorOf(req));
    const q = req.query as { deleted?: string; saved?: string };
    return reply.view(`${V}record-drafts.njk`, { title: 'Your unfinished concerns', drafts, deleted: q.deleted === '1', saved: q.saved === '1' });
  });

  app.post('/concerns/drafts/:draftId/delete', ACCESS, async (req, reply) => {
    const { draftId } = req.params as { draftId: string };
    if (isDraftId(draftId)) await discardConcernDraft(db, req.principal!.userId, draftId);
    return reply.redirect('/concerns/drafts?deleted=1', 303);
  });

  app.get('/concerns', ACCESS, async (req, reply) => {
    const rows = await listMyConcerns(db, actorOf(req));
    return reply.view(`${V}concerns-mine.njk`, {
      title: 'Concerns you have raised',
      alreadySent: (req.query as { alreadySent?: string }).alreadySent === '1', draftGone: (req.query as { draftGone?: string }).draftGone === '1',
      rows: rows.map((r) => ({ ...r, referenceText: formatReference(r.reference), statusLabel: STATUS_LABELS[r.status] ?? r.status })),
    });
  });

  // ---- after submission: confirmation, read-only view, amendments ----

  app.get('/concerns/:id/sent', ACCESS, async (req, reply) => {
    const { id } = req.params as { id: string };
    // Read through viewConcern, like every other read of a concern: it decides who may see it and audits the read.
    const v = UUID.test(id) ? await viewConcern(db, actorOf(req), id, 'concern.sent.view') : null;
    if (!v) return reply.callNotFound();
    const c = v.concern;
    return reply.view(`${V}record-sent.njk`, {
      title: 'Concern sent', id, referenceText: formatReference(c.reference), immediateDanger: c.immediateDanger, called999: c.called999,
    });
  });

  app.get('/concerns/:id', ACCESS, async (req, reply) => {
    const { id } = req.params as { id: string };
    const v = await viewConcern(db, actorOf(req), id);
    if (!v) return reply.callNotFound();
    const amended = (req.query as { amended?: string }).amended === '1';
    return reply.view(`${V}concern.njk`, {
      title: `Concern ${formatReference(v.concern.reference)}`, ...v, amended, referenceText: formatReference(v.concern.reference),
      statusLabel: STATUS_LABELS[v.concern.status] ?? v.concern.status,
      categoryLabels: v.concern.categories.map(categoryLabel), cinFactors: cinFactorsFor(v.concern.categories),
      yesNo: { called999: yesNo(v.concern.called999), toldDsl: yesNo(v.concern.toldDslInPerson) },
      fieldLabels: Object.fromEntries(Object.entries(AMENDABLE_FIELDS).map(([k, f]) => [k, f.label])),
    });
  });

  const amendFieldItems = (selected?: string) => Object.entries(AMENDABLE_FIELDS).map(([value, f]) => ({ value, text: f.label, checked: value === selected }));

  app.get('/concerns/:id/amend', ACCESS, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { field } = req.query as { field?: string };
    const v = await viewConcern(db, actorOf(req), id, 'concern.amend.view');
    if (!v) return reply.callNotFound();
    if (!v.canAmend) return reply.code(403).view('views/errors/403.njk', { title: 'You do not have access to this page' });
    const chosen = field && field in AMENDABLE_FIELDS ? (field as keyof typeof AMENDABLE_FIELDS) : null;
    if (field !== undefined && !chosen) {
      return reply.code(400).view(`${V}concern-amend.njk`, {
        title: 'What do you want to correct?', id, referenceText: formatReference(v.concern.reference), chosen: null,
        fieldItems: amendFieldItems(), errors: addError(noErrors(), 'field', 'Select what you want to correct'), values: {},
      });
    }
    return reply.view(`${V}concern-amend.njk`, {
      title: chosen ? `Correct “${AMENDABLE_FIELDS[chosen].label}”` : 'What do you want to correct?', id,
      referenceText: formatReference(v.concern.reference), chosen, chosenLabel: chosen ? AMENDABLE_FIELDS[chosen].label : null,
      fieldItems: amendFieldItems(), values: { to: chosen ? v.concern[chosen] ?? '' : '' }, current: chosen ? v.concern[chosen] ?? '' : '', errors: noErrors(),
    });
  });

  app.post('/concerns/:id/amend', ACCESS, async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = amendmentSchema.safeParse({ field: body.field, to: body.to ?? '', reason: body.reason ?? '' });
    const rerender = async (errors: FormErrors) => {
      const v = await viewConcern(db, actorOf(req), id, 'concern.amend.view');
      if (!v) return reply.callNotFound();
      const chosen = body.field && body.field in AMENDABLE_FIELDS ? (body.field as keyof typeof AMENDABLE_FIELDS) : null;
      return reply.code(400).view(`${V}concern-amend.njk`, {
        title: chosen ? `Correct “${AMENDABLE_FIELDS[chosen].label}”` : 'What do you want to correct?', id,
        referenceText: formatReference(v.concern.reference), chosen, chosenLabel: chosen ? AMENDABLE_FIELDS[chosen].label : null,
        fieldItems: amendFieldItems(body.field), values: body, current: chosen ? v.concern[chosen] ?? '' : '', errors,
      });
    };
    if (!parsed.success) return rerender(zodFormErrors(parsed.error));
    const result = await amendConcern(db, actorOf(req), id, parsed.data);
    if (!result.ok) {
      if (result.reason === 'not-found') return reply.callNotFound();
      if (result.reason === 'forbidden') return reply.code(403).view('views/errors/403.njk', { title: 'You do not have access to this page' });
      return rerender(addError(noErrors(), 'to', result.message));
    }
    return reply.redirect(`/concerns/${id}?amended=1`, 303);
  });

  // ---- API ----

  app.get('/api/v1/concerns', ACCESS, async (req) => {
    const rows = await listMyConcerns(db, actorOf(req));
    return { items: rows.map((r) => ({ id: r.id, reference: formatReference(r.reference), childName: r.childName, submittedAt: r.submittedAt, status: r.status, immediateDanger: r.immediateDanger })) };
  });

  app.post('/api/v1/concerns', ACCESS, async (req, reply) => {
    const parsed = concernInputSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    try {
      const saved = await recordConcern(db, actorOf(req), parsed.data, { publicUrl: config.publicUrl });
      return reply.code(201).header('location', `/api/v1/concerns/${saved.id}`).send({ id: saved.id, reference: saved.referenceText });
    } catch (error) {
      if (error instanceof ChildNotVisibleError) return reply.code(400).send({ error: 'Bad Request', field: 'childId', message: 'childId: no child with that id that you can see' });
      throw error;
    }
  });

  app.get('/api/v1/concerns/:id', ACCESS, async (req, reply) => {
    const v = await viewConcern(db, actorOf(req), (req.params as { id: string }).id);
    if (!v) return reply.code(404).send({ error: 'Not Found', message: 'No concern with that id that you can see' });
    return concernJson(v);
  });

  app.post('/api/v1/concerns/:id/amendments', ACCESS, async (req, reply) => {
    const parsed = amendmentSchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const result = await amendConcern(db, actorOf(req), (req.params as { id: string }).id, parsed.data);
    if (!result.ok) {
      if (result.reason === 'not-found') return reply.code(404).send({ error: 'Not Found', message: 'No concern with that id that you can see' });
      if (result.reason === 'forbidden') return reply.code(403).send({ error: 'Forbidden', message: 'Only the person who raised it or a safeguarding lead can correct it' });
      return reply.code(400).send({ error: 'Bad Request', field: result.field, message: `${result.field}: ${result.message}` });
    }
    return reply.code(201).send({ id: result.amendmentId });
  });
}

const concernBody = {
  type: 'object',
  required: ['childId', 'whatHappened', 'location', 'present', 'categories', 'immediateDanger', 'toldDslInPerson'],
  properties: {
    childId: { type: 'string', format: 'uuid' },
    whatHappened: { type: 'string', maxLength: 20000 },
    childsWords: { type: ['string', 'null'], description: 'exactly what the child said, verbatim' },
    occurredAt: { type: ['string', 'null'], format: 'date-time', description: 'when it happened, not in the future (5 minutes allowed for clock differences); or give occurredAtText' },
    occurredAtText: { type: ['string', 'null'], description: 'what is known about when, if the time is not known' },
    location: { type: 'string' },
    present: { type: 'string' },
    injuries: { type: ['string', 'null'], description: 'the injuries seen and where on the body; null when none' },
    categories: { type: 'array', minItems: 1, items: { type: 'string', enum: CONCERN_CATEGORIES.map((c) => c.id) }, description: '"not_sure" only on its own' },
    immediateDanger: { type: 'boolean' },
    called999: { type: ['boolean', 'null'], description: 'required when immediateDanger is true; null or left out when it is false' },
    toldDslInPerson: { type: 'boolean' },
  },
};
const badRequest = { description: 'Invalid; `field` names the problem', content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' }, field: { type: ['string', 'null'] }, message: { type: 'string' } } } } } };

export const concernsRecordOpenApiPaths = {
  '/api/v1/concerns': {
    get: { summary: 'Concerns you have raised', responses: { 200: { description: 'Your concerns' }, 401: { description: 'Not signed in' } } },
    post: {
      summary: 'Record a concern about a child; the DSL and deputies are notified',
      requestBody: { required: true, content: { 'application/json': { schema: concernBody } } },
      responses: {
        201: { description: 'Recorded', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, reference: { type: 'string', example: 'C-000123' } } } } } },
        400: badRequest, 401: { description: 'Not signed in' }, 403: { description: 'Not permitted to raise concerns' },
      },
    },
  },
  '/api/v1/concerns/{id}': {
    get: {
      summary: 'A concern with its amendment history (audited)',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: { 200: { description: 'The concern' }, 401: { description: 'Not signed in' }, 404: { description: 'No such concern, or not visible to you' } },
    },
  },
  '/api/v1/concerns/{id}/amendments': {
    post: {
      summary: 'Correct a submitted concern; the original is kept with who, when and why',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      requestBody: { required: true, content: { 'application/json': { schema: {
        type: 'object', required: ['field', 'to', 'reason'],
        properties: { field: { type: 'string', enum: Object.keys(AMENDABLE_FIELDS) }, to: { type: 'string' }, reason: { type: 'string', minLength: 1 } },
      } } } },
      responses: { 201: { description: 'Amended' }, 400: badRequest, 401: { description: 'Not signed in' }, 403: { description: 'Not the raiser or a lead' }, 404: { description: 'No such concern, or not visible to you' } },
    },
  },
};
