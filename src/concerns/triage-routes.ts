// The DSL's triage pages and API: the queue, opening a concern beside the child's chronology, and the
// level-of-need assessment. Thin: parse → authorise (policy, inside the operations) → call → render.
// Registers the decision and chronology routes too, as one journey.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { chronologyOpenApiPaths, chronologyRoutes } from '../chronology/routes.ts';
import { decisionsOpenApiPaths, decisionRoutes } from '../decisions/routes.ts';
import { EVENT_TYPE_LABELS } from '../chronology/chronology.ts';
import { clocksForChild } from '../clocks/case.ts';
import type { Db } from '../platform/db/pool.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, zodApiError, type FormErrors } from '../platform/http/forms.ts';
import type { Principal } from '../platform/access/policy.ts';
import type { Assessment } from '../thresholds/engine.ts';
import type { FrameworkRegistry } from '../thresholds/registry.ts';
import type { Citation, Framework } from '../thresholds/schema.ts';
import { assessConcern, assessmentContext, childName, openConcern, suggest, triageQueue } from './triage.ts';
import { normaliseText } from '../thresholds/explorer.ts';
import type { ChildAge, PatternSettings } from './patterns.ts';
import { concernView, refuseJson, refusePage, UUID } from '../decisions/http.ts';

const VIEWS = 'concerns/views';

type ConcernParams = { Params: { concernId: string } };
type IdParams = { Params: { id: string } };

export function citationText(c: Citation): string {
  const parts = [c.section];
  if (c.page) parts.push(`page ${c.page}`);
  if (c.lines) parts.push(c.lines.includes('-') ? `lines ${c.lines.replace('-', '–')}` : `line ${c.lines}`);
  return parts.join(', ');
}

const REASON_MAX = 10000;
const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string').slice(0, 1000);
const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

interface PickerValues { indicators: string[]; immediateDanger: string; q: string }

function readPicker(source: unknown): PickerValues {
  const s = (source ?? {}) as Record<string, unknown>;
  return { indicators: [...new Set(list(s.indicators))], immediateDanger: one(s.immediateDanger), q: one(s.q).trim().slice(0, 200) };
}

function pickerQuery(v: PickerValues, withQ = false): string {
  const p = new URLSearchParams();
  for (const id of v.indicators) p.append('indicators', id);
  if (v.immediateDanger) p.set('immediateDanger', v.immediateDanger);
  if (withQ && v.q) p.set('q', v.q);
  return p.toString();
}

/** Indicators grouped by domain (framework order), lowest level first, narrowed by the search text; ticks kept. */
export function pickerGroups(fw: Framework, v: PickerValues) {
  const ticked = new Set(v.indicators);
  const rank = new Map(fw.levels.map((l) => [l.id, l.rank]));
  const levelName = new Map(fw.levels.map((l) => [l.id, l.name]));
  const words = normaliseText(v.q).split(/\s+/).filter(Boolean);
  const shown = new Set<string>();
  const groups = fw.domains.map((d, n) => {
    const items = fw.indicators
      .filter((i) => i.domain === d.id)
      .filter((i) => words.every((w) => normaliseText(i.text).includes(w)))
      .sort((a, b) => (rank.get(a.level) ?? 0) - (rank.get(b.level) ?? 0))
      .map((i) => {
        shown.add(i.id);
        return {
          value: i.id, text: i.text, checked: ticked.has(i.id),
          hint: { text: `${levelName.get(i.level) ?? i.level}. Source: ${citationText(i.source)}` },
          attributes: { 'data-search': normaliseText(i.text) },
        };
      });
    return { id: d.id, name: d.name, idPrefix: n === 0 ? 'indicators' : `indicators-${d.id}`, items };
  }).filter((g) => g.items.length > 0);
  if (groups[0]) groups[0].idPrefix = 'indicators';
  return { groups, shown: shown.size, carried: v.indicators.filter((id) => !shown.has(id)) };
}

export function suggestionView(fw: Framework, a: Assessment) {
  const levelName = (id: string) => fw.levels.find((l) => l.id === id)?.name ?? id;
  const domainName = (id: string) => fw.domains.find((d) => d.id === id)?.name ?? id;
  return {
    level: a.level,
    indicatorLevel: a.indicatorLevel,
    raisedByRule: a.level.id !== a.indicatorLevel.id,
    reasons: a.reasons.map((r) => ({
      kind: r.kind, title: r.title, text: r.text, levelName: r.level ? levelName(r.level) : undefined,
      domainName: r.domain ? domainName(r.domain) : undefined, citation: citationText(r.source),
    })),
    advice: a.advice,
    immediateDanger: a.immediateDanger,
    response: a.response,
    levels: a.levels,
  };
}

const QUEUE_STATUS: Record<string, { text: string; colour: string }> = {
  new: { text: 'New', colour: 'blue' },
  in_triage: { text: 'In triage', colour: 'yellow' },
  decided: { text: 'Decided', colour: 'green' },
};

// ---- API bodies ----

const assessmentBody = z.object({
  indicators: z.array(z.string().min(1).max(200), 'must be a list of indicator ids').max(1000),
  immediateDanger: z.boolean('must be true or false'),
  chosenLevel: z.string('must be a level id').min(1, 'must be a level id').max(100),
  overrideReason: z.string().max(REASON_MAX).optional(),
}, 'must be a JSON object').strict();

export function triageRoutes(app: FastifyInstance, db: Db, frameworks: FrameworkRegistry, settings: { patterns: PatternSettings; publicUrl: string }) {
  const principalOf = (req: FastifyRequest): Principal => req.principal!;
  // Once decided, a concern takes no more assessments: the decision was made on the one before.
  const decidedPage = (reply: FastifyReply, concern: Parameters<typeof concernView>[0]) =>
    reply.code(409).view('decisions/views/decided-already.njk', { title: 'A decision has already been recorded', concern: concernView(concern) });

  // ------------------------------------------------------------------------------------------------------
  // Pages

  app.get('/triage', { config: { access: 'concerns:triage' } }, async (req, reply) => {
    const { items, total } = await triageQueue(db, principalOf(req), auditContext(req));
    return reply.view(`${VIEWS}/triage-queue.njk`, {
      title: 'Triage',
      total,
      rows: items.map((i) => ({ ...i, statusTag: QUEUE_STATUS[i.status], categories: i.categories.map((x) => x.replace(/[-_]/g, ' ')) })),
    });
  });

  app.get<ConcernParams>('/triage/:concernId', { config: { access: 'concerns:triage' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const r = await openConcern(db, principalOf(req), auditContext(req), req.params.concernId, settings.patterns);
    if (!r.ok) return refusePage(reply, r);
    const o = r.opened;
    const concern = concernView(o.concern);
    const clocks = await clocksForChild(db, principalOf(req), o.concern.child_id);
    return reply.view(`${VIEWS}/triage-concern.njk`, {
      title: `Concern ${concern.reference} about ${concern.childName}`,
      concern, age: o.age, waited: o.waited, warnings: o.warnings, statusTag: QUEUE_STATUS[o.concern.status],
      chronology: o.chronology, moreChronology: o.moreChronology, typeLabels: EVENT_TYPE_LABELS, clocks,
      assessment: o.assessment && {
        ...o.assessment,
        chosenName: o.assessment.result.levels?.find((l) => l.id === o.assessment!.chosen_level)?.name ?? o.assessment.chosen_level,
        suggestedName: o.assessment.result.levels?.find((l) => l.id === o.assessment!.suggested_level)?.name ?? o.assessment.suggested_level,
      },
    });
  });

  async function pickerPage(req: FastifyRequest<ConcernParams>, reply: FastifyReply, values: PickerValues, errors: FormErrors) {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const r = await assessmentContext(db, frameworks, principalOf(req), auditContext(req), req.params.concernId);
    if (!r.ok) return refusePage(reply, r);
    if (r.concern.status === 'decided') return decidedPage(reply, r.concern);
    const picker = pickerGroups(r.framework, values);
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/triage-assess.njk`, {
      title: `Assess the level of need for ${childName(r.concern)}`,
      concern: concernView(r.concern), age: r.age,
      fw: { id: r.framework.id, name: r.framework.name, version: r.framework.version, total: r.framework.indicators.length, immediateDanger: r.framework.immediateDanger.instruction },
      values, ...picker, ticked: values.indicators.length, errors,
    });
  }

  app.get<ConcernParams>('/triage/:concernId/assess', { config: { access: 'concerns:triage' } }, async (req, reply) =>
    pickerPage(req, reply, readPicker(req.query), noErrors()));

  /** The suggestion, with every reason, and the judgement form; shown again with errors kept on a problem. */
  async function suggestionPage(
    req: FastifyRequest<ConcernParams>, reply: FastifyReply, values: PickerValues,
    judgement: { agree: string; chosenLevel: string; overrideReason: string }, errors: FormErrors,
  ) {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const ctx = await assessmentContext(db, frameworks, principalOf(req), auditContext(req), req.params.concernId);
    if (!ctx.ok) return refusePage(reply, ctx);
    if (ctx.concern.status === 'decided') return decidedPage(reply, ctx.concern);
    const pickerErrors = noErrors();
    if (values.immediateDanger !== 'yes' && values.immediateDanger !== 'no') {
      addError(pickerErrors, 'immediateDanger', 'Select yes if the child is in immediate danger now, or no if they are not');
    }
    const s = suggest(ctx.framework, ctx.age, { indicators: values.indicators, immediateDanger: values.immediateDanger === 'yes' });
    if (!s.ok) addError(pickerErrors, 'indicators', s.message);
    if (!s.ok || pickerErrors.summary.length) return pickerPage(req, reply, values, pickerErrors);
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/triage-suggestion.njk`, {
      title: `Suggested level of need for ${childName(ctx.concern)}`,
      concern: concernView(ctx.concern), age: ctx.age as ChildAge,
      fw: { id: ctx.framework.id, name: ctx.framework.name, version: ctx.framework.version, immediateDanger: ctx.framework.immediateDanger.instruction },
      result: suggestionView(ctx.framework, s.result),
      values, judgement, errors,
      changeHref: `/triage/${ctx.concern.id}/assess?${pickerQuery(values)}`,
    });
  }

  app.get<ConcernParams>('/triage/:concernId/assess/suggestion', { config: { access: 'concerns:triage' } }, async (req, reply) =>
    suggestionPage(req, reply, readPicker(req.query), { agree: '', chosenLevel: '', overrideReason: '' }, noErrors()));

  app.post<ConcernParams>('/triage/:concernId/assess', { config: { access: 'concerns:triage' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = readPicker(body);
    const judgement = { agree: one(body.agree), chosenLevel: one(body.chosenLevel), overrideReason: one(body.overrideReason) };
    const errors = noErrors();
    if (judgement.agree !== 'yes' && judgement.agree !== 'no') {
      addError(errors, 'agree', 'Select yes if you agree with the suggested level, or no to choose another level');
      return suggestionPage(req, reply, values, judgement, errors);
    }
    const ctx = await assessmentContext(db, frameworks, principalOf(req), auditContext(req), req.params.concernId);
    if (!ctx.ok) return refusePage(reply, ctx);
    if (ctx.concern.status === 'decided') return decidedPage(reply, ctx.concern);
    const s = suggest(ctx.framework, ctx.age, { indicators: values.indicators, immediateDanger: values.immediateDanger === 'yes' });
    if (!s.ok) return suggestionPage(req, reply, values, judgement, errors);
    let chosenLevel = s.result.level.id;
    if (judgement.agree === 'no') {
      if (!judgement.chosenLevel) {
        addError(errors, 'chosenLevel', 'Select the level of need you have decided on');
        return suggestionPage(req, reply, values, judgement, errors);
      }
      chosenLevel = judgement.chosenLevel;
      // Refused whole rather than cut: the reason is shown back as typed, to be shortened.
      if (judgement.overrideReason.trim().length > REASON_MAX) {
        addError(errors, 'overrideReason', `Your reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`);
        return suggestionPage(req, reply, values, judgement, errors);
      }
    }
    const r = await assessConcern(db, frameworks, principalOf(req), auditContext(req), req.params.concernId, {
      indicators: values.indicators, immediateDanger: values.immediateDanger === 'yes', chosenLevel,
      overrideReason: judgement.agree === 'no' ? judgement.overrideReason : undefined,
    });
    if (!r.ok) {
      if (r.reason === 'invalid') {
        addError(errors, r.field === 'chosenLevel' ? 'chosenLevel' : r.field === 'overrideReason' ? 'overrideReason' : 'agree', r.message);
        return suggestionPage(req, reply, values, judgement, errors);
      }
      // Decided between the page being read and this answer being sent.
      if (r.reason === 'already-decided') return decidedPage(reply, ctx.concern);
      return refusePage(reply, r);
    }
    return reply.redirect(`/triage/${req.params.concernId}/decide?assessed=1`, 303);
  });

  // ------------------------------------------------------------------------------------------------------
  // API

  // The answer is written by the schema's own serialiser (fast-json-stringify), which is also what the
  // OpenAPI document shows: a queue is up to 200 concerns, and JSON.stringify took about 6% of its time.
  app.get('/api/v1/triage', { config: { access: 'concerns:triage' }, schema: { response: { 200: triageQueueSchema } } }, async (req) => {
    const { items, total } = await triageQueue(db, principalOf(req), auditContext(req));
    return {
      total,
      concerns: items.map((i) => ({
        id: i.id, reference: i.referenceText, child: { id: i.child_id, name: i.child_name }, status: i.status,
        submittedAt: i.submitted_at, immediateDanger: i.immediate_danger, categories: i.categories, raisedBy: i.raised_by_name,
        waited: i.waited,
      })),
    };
  });

  app.post<IdParams>('/api/v1/concerns/:id/assessments', { config: { access: 'concerns:triage' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, { ok: false, reason: 'not-found' });
    const parsed = assessmentBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await assessConcern(db, frameworks, principalOf(req), auditContext(req), req.params.id, parsed.data);
    if (!r.ok) {
      if (r.reason === 'invalid') return reply.code(400).send({ error: 'Bad Request', field: r.field, message: `${r.field}: ${r.message}` });
      if (r.reason === 'already-decided') return reply.code(409).send({ error: 'Conflict', message: 'A decision has already been recorded for this concern' });
      return refuseJson(reply, r);
    }
    return reply.code(201).send({
      id: r.assessmentId,
      framework: { id: r.result.frameworkId, version: r.result.frameworkVersion },
      suggestedLevel: r.result.level,
      chosenLevel: r.result.levels.find((l) => l.id === r.chosenLevel),
      agreed: r.agreed,
      reasons: r.result.reasons,
      advice: r.result.advice,
    });
  });

  decisionRoutes(app, db, { publicUrl: settings.publicUrl });
  chronologyRoutes(app, db);
}

/** The queue as the API answers it. Only what is named here is sent: a field left out is not serialised. */
const triageQueueSchema = {
  type: 'object', required: ['total', 'concerns'], additionalProperties: false,
  properties: {
    total: { type: 'integer', description: 'Undecided concerns in all; at most 200 are listed' },
    concerns: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false,
        required: ['id', 'reference', 'child', 'status', 'submittedAt', 'immediateDanger', 'categories', 'raisedBy', 'waited'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          reference: { type: 'string', examples: ['C-000123'] },
          child: { type: 'object', required: ['id', 'name'], additionalProperties: false, properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } } },
          status: { type: 'string', enum: ['new', 'in_triage'] },
          submittedAt: { type: 'string', format: 'date-time' },
          immediateDanger: { type: 'boolean' },
          categories: { type: 'array', items: { type: 'string' } },
          raisedBy: { type: 'string' },
          waited: {
            type: 'object', required: ['workingDays', 'hours'], additionalProperties: false,
            properties: { workingDays: { type: 'integer', description: 'England and Wales working days' }, hours: { type: 'integer' } },
          },
        },
      },
    },
  },
} as const;

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, ...json({ $ref: '#/components/schemas/Error' }) });

export const triageOpenApiPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/triage': {
    get: {
      summary: "The DSL's triage queue: the organisation's new and in-triage concerns, immediate danger first, then oldest first",
      responses: {
        200: { description: 'The queue', ...json(triageQueueSchema) },
        401: err('Not signed in'), 403: err('Not a DSL or deputy'),
      },
    },
  },
  '/api/v1/concerns/{id}/assessments': {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
    post: {
      summary: "Record a level-of-need assessment against the partnership's framework (the child's age is taken from the record)",
      requestBody: { required: true, ...json({
        type: 'object', required: ['indicators', 'immediateDanger', 'chosenLevel'], additionalProperties: false,
        properties: {
          indicators: { type: 'array', items: { type: 'string' } },
          immediateDanger: { type: 'boolean' },
          chosenLevel: { type: 'string', description: 'The level the DSL decides on; a reason is required when it differs from the suggestion' },
          overrideReason: { type: 'string' },
        },
      }) },
      responses: {
        201: { description: 'Stored, with the suggested level, every reason and citation' },
        400: err('Bad input, naming the field (e.g. overrideReason when overriding without a reason)'),
        401: err('Not signed in'), 403: err('May see the concern but not triage it'), 404: err('No such concern in your organisation'),
        409: err('Already decided: the decision was made on an earlier assessment'),
      },
    },
  },
  ...decisionsOpenApiPaths,
  ...chronologyOpenApiPaths,
};

export { pickerQuery };
