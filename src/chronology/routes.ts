// A child's chronology: the page (filterable, printable), the PDF, adding a significant event, and the API.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../platform/access/policy.ts';
import { EARLIEST_RECORDED_DATE, isValidIsoDate } from '../platform/calendar/iso-date.ts';
import { londonDateOf } from '../platform/calendar/working-days.ts';
import type { Db } from '../platform/db/pool.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, zodApiError, type FormErrors } from '../platform/http/forms.ts';
import { addSignificantEvent, EVENT_TYPE_LABELS, readChronologyQuery, viewChronology, type ChronologyQuery } from './chronology.ts';
import { EVENT_TYPES } from './events.ts';
import { renderChronologyPdf } from './pdf.ts';
import type { EventRow } from './store.ts';
import { eventDetailLines, eventLink } from './view.ts';

const VIEWS = 'chronology/views';
const PAGE_LIMIT = 500;
const PDF_LIMIT = 2000;
const DETAIL_MAX = 10000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRINT_CSS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views/print.css');

type IdParams = { Params: { id: string } };

const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const notFoundPage = (reply: FastifyReply) => reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
const notFoundJson = (reply: FastifyReply) => reply.code(404).send({ error: 'Not Found', message: 'No such resource' });

function queryString(q: ChronologyQuery): string {
  const p = new URLSearchParams();
  for (const t of q.types) p.append('type', t);
  if (q.from) p.set('from', q.from);
  if (q.to) p.set('to', q.to);
  return p.toString();
}

const TYPE_COLOURS: Record<string, string> = {
  concern: 'red', amendment: 'grey', assessment: 'purple', decision: 'blue', task: 'green', significant_event: 'orange', record: 'grey',
};

function eventView(e: EventRow, canTriage: boolean) {
  return {
    ...e, typeLabel: EVENT_TYPE_LABELS[e.type], colour: TYPE_COLOURS[e.type] ?? 'grey',
    lines: eventDetailLines(e), link: eventLink(e, canTriage),
  };
}

const significantEventSchema = z.object({
  date: z.string().refine((s): boolean => isValidIsoDate(s), 'must be a real date like 2026-03-27').refine((s) => s >= EARLIEST_RECORDED_DATE, 'must be in 1900 or later'),
  summary: z.string('must be text').trim().min(1, 'must not be empty').max(300, 'must be 300 characters or fewer'),
  detail: z.string().trim().max(DETAIL_MAX, 'must be 10,000 characters or fewer').optional().default(''),
}, 'must be a JSON object').strict();

export function chronologyRoutes(app: FastifyInstance, db: Db) {
  const principalOf = (req: FastifyRequest): Principal => req.principal!;
  const canTriage = (p: Principal) => p.role === 'dsl' || p.role === 'deputy_dsl';

  app.get('/chronology/print.css', { config: { access: 'public' } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(await readFile(PRINT_CSS, 'utf8')));

  app.get<IdParams>('/children/:id/chronology', { config: { access: 'chronology:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return notFoundPage(reply);
    const { query, values, problems } = readChronologyQuery(req.query);
    const errors = noErrors();
    for (const p of problems) addError(errors, p.field, p.text);
    const r = await viewChronology(db, principalOf(req), auditContext(req), req.params.id, query, { limit: PAGE_LIMIT, action: 'chronology.view' });
    if (!r.ok) return notFoundPage(reply);
    const qs = queryString(query);
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/chronology.njk`, {
      title: `Chronology for ${r.child.first_name} ${r.child.last_name}`,
      child: r.child, values, errors,
      typeItems: EVENT_TYPES.map((t) => ({ value: t, text: EVENT_TYPE_LABELS[t], checked: values.types.includes(t) })),
      events: r.events.map((e) => eventView(e, canTriage(principalOf(req)))),
      hasMore: r.hasMore, filtered: Boolean(query.types.length || query.from || query.to),
      pdfHref: `/children/${r.child.id}/chronology.pdf${qs ? `?${qs}` : ''}`,
      added: one((req.query as Record<string, unknown> | undefined)?.added) === '1',
    });
  });

  app.get<IdParams>('/children/:id/chronology.pdf', { config: { access: 'chronology:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return notFoundPage(reply);
    const { query, problems } = readChronologyQuery(req.query);
    // A filter that cannot be applied is explained on the page, not quietly dropped from the PDF.
    if (problems.length) return reply.redirect(`/children/${req.params.id}/chronology${req.url.slice(req.url.indexOf('?'))}`, 303);
    const r = await viewChronology(db, principalOf(req), auditContext(req), req.params.id, query, { limit: PDF_LIMIT, action: 'chronology.pdf' });
    if (!r.ok) return notFoundPage(reply);
    const pdf = await renderChronologyPdf({ child: r.child, events: r.events, query, truncated: r.hasMore });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="chronology-${r.child.id}.pdf"`).send(pdf);
  });

  async function addPage(req: FastifyRequest<IdParams>, reply: FastifyReply, values: Record<string, string>, errors: FormErrors) {
    if (!UUID.test(req.params.id)) return notFoundPage(reply);
    // Showing the child's name is a read of the record: viewChronology audits it (no entries are listed).
    const r = await viewChronology(db, principalOf(req), auditContext(req), req.params.id, { types: ['significant_event'] }, { limit: 0, action: 'chronology.view' });
    if (!r.ok) return notFoundPage(reply);
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/add-event.njk`, {
      title: `Add a significant event for ${r.child.first_name} ${r.child.last_name}`, child: r.child, values, errors,
    });
  }

  app.get<IdParams>('/children/:id/chronology/events/new', { config: { access: 'chronology:view' } }, async (req, reply) =>
    addPage(req, reply, { day: '', month: '', year: '', summary: '', detail: '' }, noErrors()));

  app.post<IdParams>('/children/:id/chronology/events', { config: { access: 'chronology:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return notFoundPage(reply);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values = {
      day: one(b['date-day']).trim(), month: one(b['date-month']).trim(), year: one(b['date-year']).trim(),
      // Kept whole (the body limit bounds them): cutting here would lose what was typed without a word.
      summary: one(b.summary), detail: one(b.detail),
    };
    const errors = noErrors();
    const iso = /^\d{1,2}$/.test(values.day) && /^\d{1,2}$/.test(values.month) && /^\d{4}$/.test(values.year)
      ? `${values.year}-${values.month.padStart(2, '0')}-${values.day.padStart(2, '0')}` : '';
    if (!values.day && !values.month && !values.year) addError(errors, 'date-day', 'Enter the date of the event');
    else if (!iso || !isValidIsoDate(iso)) addError(errors, 'date-day', 'The date of the event must be a real date, like 27 3 2026');
    else if (iso > londonDateOf(new Date())) addError(errors, 'date-day', 'The date of the event must be today or in the past');
    else if (iso < EARLIEST_RECORDED_DATE) addError(errors, 'date-day', 'The date of the event must be in 1900 or later');
    if (!values.summary.trim()) addError(errors, 'summary', 'Enter a short summary of what happened');
    else if (values.summary.trim().length > 300) addError(errors, 'summary', 'The summary must be 300 characters or fewer');
    if (values.detail.trim().length > DETAIL_MAX) addError(errors, 'detail', 'The detail must be 10,000 characters or fewer');
    if (errors.summary.length) return addPage(req, reply, values, errors);
    const r = await addSignificantEvent(db, principalOf(req), auditContext(req), req.params.id, { date: iso, summary: values.summary.trim(), detail: values.detail.trim() });
    if (!r.ok) return notFoundPage(reply);
    return reply.redirect(`/children/${req.params.id}/chronology?added=1`, 303);
  });

  // ------------------------------------------------------------------------------------------------------
  // API

  app.get<IdParams>('/api/v1/children/:id/chronology', { config: { access: 'chronology:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return notFoundJson(reply);
    const { query, problems } = readChronologyQuery(req.query);
    const first = problems[0];
    if (first) return reply.code(400).send({ error: 'Bad Request', field: first.field, message: `${first.field}: ${first.text}` });
    const r = await viewChronology(db, principalOf(req), auditContext(req), req.params.id, query, { limit: PAGE_LIMIT, action: 'chronology.view' });
    if (!r.ok) return notFoundJson(reply);
    return {
      child: { id: r.child.id, name: `${r.child.first_name} ${r.child.last_name}`.trim() },
      hasMore: r.hasMore,
      events: r.events.map((e) => ({
        id: e.id, type: e.type, occurredAt: e.occurred_at.toISOString(), recordedAt: e.recorded_at.toISOString(), recordedBy: e.recorded_by_name,
        summary: e.summary, detail: e.detail, source: e.source_type ? { type: e.source_type, id: e.source_id } : null,
        significant: e.significant, restricted: e.restricted,
      })),
    };
  });

  app.post<IdParams>('/api/v1/children/:id/events', { config: { access: 'chronology:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return notFoundJson(reply);
    const parsed = significantEventSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    if (parsed.data.date > londonDateOf(new Date())) return reply.code(400).send({ error: 'Bad Request', field: 'date', message: 'date: must be today or in the past' });
    const r = await addSignificantEvent(db, principalOf(req), auditContext(req), req.params.id, parsed.data);
    if (!r.ok) return notFoundJson(reply);
    return reply.code(201).send({ id: r.eventId, type: 'significant_event', significant: true });
  });
}

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, ...json({ $ref: '#/components/schemas/Error' }) });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

export const chronologyOpenApiPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/children/{id}/chronology': {
    get: {
      summary: "A child's chronology, newest first: the events your organisation recorded (restricted ones only for the DSL and workforce admin)",
      parameters: [
        idParam,
        {
          name: 'type', in: 'query', style: 'form', explode: true, schema: { type: 'array', items: { type: 'string', enum: [...EVENT_TYPES] } },
          description: 'Repeat for several (`type=decision&type=task`); comma-separated values (`type=decision,task`) are accepted too',
        },
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
      ],
      responses: { 200: { description: 'The events' }, 400: err('Bad filter, naming the parameter'), 401: err('Not signed in'), 403: err('No chronology permission'), 404: err('No such child known to your organisation') },
    },
  },
  '/api/v1/children/{id}/events': {
    parameters: [idParam],
    post: {
      summary: "Add a significant event to a child's chronology",
      requestBody: { required: true, ...json({
        type: 'object', required: ['date', 'summary'], additionalProperties: false,
        properties: {
          date: { type: 'string', format: 'date', description: 'today or in the past, and in 1900 or later; recorded at midday in England' },
          summary: { type: 'string', maxLength: 300 }, detail: { type: 'string', maxLength: DETAIL_MAX },
        },
      }) },
      responses: {
        201: { description: 'Added' }, 400: err('Bad input, naming the field'), 401: err('Not signed in'),
        403: err('No chronology permission, or missing x-csrf-token'), 404: err('No such child known to your organisation'),
      },
    },
  },
};
