// Clock pages and API: the organisation's clocks dashboard, the public list of definitions with their
// sources, and recording an event that starts or stops clocks. Thin: parse → authorise → call → render.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { canRecordClockEvent, canSeeChild, canSeeRestricted } from '../platform/access/policy.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { CalendarRangeError } from '../platform/calendar/index.ts';
import { withTransaction, type Db } from '../platform/db/pool.ts';
import { errorResponse } from '../platform/http/openapi.ts';
import { auditContext } from '../platform/http/context.ts';
import { zodApiError } from '../platform/http/forms.ts';
import { clockStatus, dueInWords, dueSoonInWords, lengthInWords, STATUS_TAGS, timeInWords, type ClockStatus } from './clock.ts';
import { DEFAULT_SET, shippedCatalogue, type ClockCatalogue } from './definitions.ts';
import { ClockError, eventsFor, onEvent } from './operations.ts';
import { EVENT_NAME, type ClockDefinition, type ResolvedSet } from './schema.ts';
import { childOrganisations, listRecentlyStopped, listRunning, tallyClocks, type ListedClock } from './store.ts';

const VIEWS = 'clocks/views';
const RECENT_DAYS = 30;
/** How many running clocks the list shows (soonest due), and how many recently stopped ones. */
const RUNNING_LIMIT = 200;
const STOPPED_LIMIT = 50;
/** An event may be recorded a little ahead of the server's clock (devices drift), never further. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const SUBJECT_LABELS: Record<string, string> = {
  referral: 'Referral', contact: 'Contact', escalation: 'Escalation', 'early-help-plan': 'Early help plan', user: 'Member of staff',
  'information-sharing': 'Information sharing decision', assessment: 'Assessment',
};
const subjectLabel = (type: string) => SUBJECT_LABELS[type] ?? type.charAt(0).toUpperCase() + type.slice(1).replace(/-/g, ' ');

export const eventBodySchema = z.strictObject({
  event: z.string({ error: 'Enter the event, e.g. "referral.sent"' }).regex(EVENT_NAME, 'must look like "subject.happened", e.g. "referral.sent"'),
  subjectType: z.string({ error: 'Enter what the event is about, e.g. "referral"' }).regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and hyphens, e.g. "referral"'),
  subjectId: z.string({ error: 'Enter the id of what the event is about' }).trim().min(1, 'Enter the id of what the event is about').max(100, 'must be 100 characters or fewer'),
  childId: z.uuid('must be a child id (a UUID)').nullable().optional(),
  occurredAt: z.iso.datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2026-03-02T09:30:00Z' }).optional(),
});

const stateQuery = z.object({ state: z.enum(['running', 'stopped', 'all']).default('all') });
const setQuery = z.object({ set: z.string().max(50).optional() });

function eventWords(set: ResolvedSet | undefined, events: readonly string[]): string {
  // "Response received, or escalated to the next stage": only the first alternative keeps its capital.
  return events.map((e, i) => {
    const words = set?.events[e] ?? e;
    return i === 0 ? words : words.charAt(0).toLowerCase() + words.slice(1);
  }).join(', or ');
}

interface ClockView {
  id: string;
  name: string;
  definitionId: string;
  subject: string;
  child: { name: string; href: string } | null;
  stage: number | null;
  startedAt: Date;
  dueWords: string;
  dueAt: Date;
  status: ClockStatus;
  tag: { text: string; classes: string };
  starts: string;
  stops: string;
  stoppedAt: Date | null;
  stoppedBy: string | null;
}

function describe(catalogue: ClockCatalogue, c: ListedClock, now: Date, showChild: boolean): ClockView {
  const set = catalogue.get(c.definitionSet);
  const status = clockStatus({ kind: c.kind, dueAt: c.dueAt, dueSoonAt: c.dueSoonAt, stoppedAt: c.stoppedAt }, now);
  return {
    id: c.id,
    name: c.definition.name,
    definitionId: c.definitionId,
    subject: subjectLabel(c.subject.type),
    child: showChild && c.child ? { name: `${c.child.firstName} ${c.child.lastName}`.trim(), href: `/children/${c.childId}` } : null,
    stage: c.definition.stages ? c.stage : null,
    startedAt: c.startedAt,
    dueWords: dueInWords(c.dueAt),
    dueAt: c.dueAt,
    status,
    tag: STATUS_TAGS[status],
    starts: eventWords(set, [c.startEvent]),
    stops: eventWords(set, c.definition.stopsOn),
    stoppedAt: c.stoppedAt,
    stoppedBy: c.stopEvent ? eventWords(set, [c.stopEvent]) : null,
  };
}

function apiClock(c: ListedClock, now: Date) {
  const status = clockStatus({ kind: c.kind, dueAt: c.dueAt, dueSoonAt: c.dueSoonAt, stoppedAt: c.stoppedAt }, now);
  return {
    id: c.id, definitionId: c.definitionId, name: c.definition.name, set: c.definitionSet, kind: c.kind,
    subjectType: c.subject.type, subjectId: c.subject.id, childId: c.childId, stage: c.stage,
    startEvent: c.startEvent, startedAt: c.startedAt.toISOString(), dueDate: c.dueDate, dueAt: c.dueAt.toISOString(),
    due: `due by ${dueInWords(c.dueAt)}`, status, stoppedAt: c.stoppedAt?.toISOString() ?? null, stopEvent: c.stopEvent,
  };
}

const ROLE_WORDS: Record<string, string> = {
  dsl: 'designated safeguarding lead', deputy_dsl: 'deputies', front_door_worker: 'front door workers', front_door_manager: 'front door managers',
  workforce_admin: 'workforce administrator', line_manager: 'line managers', practitioner: 'practitioners', auditor: 'auditors', system_admin: 'system administrators',
};

function remindersInWords(r: ClockDefinition['reminders']): string {
  const who = r.roles.map((role) => ROLE_WORDS[role] ?? role);
  const list = who.length > 1 ? `${who.slice(0, -1).join(', ')} and ${who[who.length - 1]}` : who[0];
  const when = r.on.map((s) => (s === 'due-soon' ? 'it is due soon' : 'it is overdue')).join(' and when ');
  return `In the app, to the organisation's ${list}, when ${when}`;
}

function definitionView(set: ResolvedSet, d: ClockDefinition) {
  return {
    id: d.id, name: d.name, description: d.description ?? null, kind: d.kind,
    length: lengthInWords(d.length, d.unit) + (d.kind === 'minimum' ? ' at least' : ''),
    unit: d.unit, starts: eventWords(set, d.startsOn), stops: eventWords(set, d.stopsOn),
    dueSoon: dueSoonInWords(d.dueSoon), stages: d.stages ?? null, note: d.note ?? null,
    remindersText: remindersInWords(d.reminders), citations: d.citations,
  };
}

export function definitionsJson(set: ResolvedSet) {
  return {
    set: set.id, title: set.title, endOfWorkingDay: set.endOfWorkingDay, events: set.events,
    clocks: set.clocks.map((d) => ({ ...d })),
  };
}

export function clockRoutes(app: FastifyInstance, db: Db, opts: { catalogue?: ClockCatalogue } = {}) {
  const catalogue = opts.catalogue ?? shippedCatalogue();

  /** The organisation's running clocks and those met or missed recently, audited as a read. */
  async function load(req: FastifyRequest, state: 'running' | 'stopped' | 'all', action: string, withTally = false) {
    const p = req.principal!;
    const now = new Date();
    return withTransaction(db, async (tx) => {
      // Clocks about allegations (LADO) are seen only by those who may see the restricted records they belong to.
      const restrictedOk = canSeeRestricted(p, p.organisationId);
      const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
      // One more than is shown, to say when there are more.
      const runningRows = state === 'stopped' ? [] : await listRunning(tx, p.organisationId, restrictedOk, RUNNING_LIMIT + 1);
      const stoppedRows = state === 'running' ? [] : await listRecentlyStopped(tx, p.organisationId, since, restrictedOk, STOPPED_LIMIT + 1);
      const running = runningRows.slice(0, RUNNING_LIMIT);
      const stopped = stoppedRows.slice(0, STOPPED_LIMIT);
      const hasMore = { running: runningRows.length > RUNNING_LIMIT, stopped: stoppedRows.length > STOPPED_LIMIT };
      const tally = withTally ? await tallyClocks(tx, p.organisationId, since, restrictedOk) : null;
      // A child's name is shown only to those the policy lets see the child's record.
      const showChild = canSeeChild(p, [p.organisationId]);
      const named = [...running, ...stopped].filter((c) => showChild && c.child?.knownToOrganisation).length;
      await recordAudit(tx, auditContext(req), {
        action, recordType: 'clock', recordId: null,
        details: { running: running.length, stopped: stopped.length, childrenNamed: named },
      });
      return { now, running, stopped, showChild, hasMore, tally };
    });
  }

  app.get('/clocks', { config: { access: 'clocks:view' } }, async (req, reply) => {
    const { now, running, stopped, showChild, hasMore, tally } = await load(req, 'all', 'clock.list', true);
    const rows = running.map((c) => describe(catalogue, c, now, showChild));
    // Counted over every clock, not just those listed.
    const counts = { overdue: 0, 'due-soon': 0, running: 0, met: 0, missed: 0 } as Record<ClockStatus, number>;
    for (const c of tally!.running) counts[clockStatus({ ...c, stoppedAt: null }, now)] += 1;
    const recent = stopped.map((c) => describe(catalogue, c, now, showChild));
    return reply.view(`${VIEWS}/dashboard.njk`, {
      title: 'Clocks', rows, recent, counts, recentDays: RECENT_DAYS, hasMore, runningLimit: RUNNING_LIMIT, stoppedLimit: STOPPED_LIMIT,
      runningTotal: tally!.running.length, metCount: tally!.met, missedCount: tally!.missed,
    });
  });

  app.get('/clocks/definitions', { config: { access: 'public' } }, async (req, reply) => {
    const q = setQuery.safeParse(req.query);
    // Without a choice, someone signed in sees their own partnership's timescales.
    const own = req.principal ? (await eventsFor(db, req.principal.organisationId, catalogue))?.id : undefined;
    const set = catalogue.get(q.success && q.data.set ? q.data.set : own ?? DEFAULT_SET);
    if (!set) return reply.code(404).view('views/errors/404.njk', { title: 'Page not found' });
    return reply.view(`${VIEWS}/definitions.njk`, {
      title: `Clocks and timescales: ${set.title}`,
      set: { id: set.id, title: set.title, endOfWorkingDay: set.endOfWorkingDay, appliesTo: set.appliesTo },
      endOfDayWords: timeInWords(...(set.endOfWorkingDay.split(':').map(Number) as [number, number])),
      sets: catalogue.sets.map((s) => ({ id: s.id, title: s.title, current: s.id === set.id })),
      clocks: set.clocks.map((d) => definitionView(set, d)),
    });
  });

  app.get('/api/v1/clocks/definitions', { config: { access: 'public' } }, async (req, reply) => {
    const q = setQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send(zodApiError(q.error));
    const set = catalogue.get(q.data.set ?? DEFAULT_SET);
    if (!set) {
      return reply.code(400).send({ error: 'Bad Request', field: 'set', message: `set: must be one of ${catalogue.sets.map((s) => s.id).join(', ')}` });
    }
    return { ...definitionsJson(set), sets: catalogue.sets.map((s) => ({ id: s.id, title: s.title, appliesTo: s.appliesTo })) };
  });

  app.get('/api/v1/clocks', { config: { access: 'clocks:view' } }, async (req, reply) => {
    const q = stateQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send(zodApiError(q.error));
    const { now, running, stopped, hasMore } = await load(req, q.data.state, 'clock.api-list');
    return { clocks: [...running, ...stopped].map((c) => apiClock(c, now)), hasMore };
  });

  app.post('/api/v1/clocks/events', { config: { access: 'clocks:view' } }, async (req, reply) => {
    const parsed = eventBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const body = parsed.data;
    const p = req.principal!;
    const now = new Date();
    const occurredAt = body.occurredAt ? new Date(body.occurredAt) : now;
    if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      return reply.code(400).send({ error: 'Bad Request', field: 'occurredAt', message: 'occurredAt: must not be in the future' });
    }
    const set = await eventsFor(db, p.organisationId, catalogue);
    if (!set || !(body.event in set.events)) {
      return reply.code(400).send({ error: 'Bad Request', field: 'event', message: `event: "${body.event}" is not an event the ${set?.id ?? DEFAULT_SET} clocks know; see /api/v1/clocks/definitions` });
    }
    if (body.childId) {
      const orgs = await childOrganisations(db, body.childId);
      // An unknown child and another organisation's child get the same answer: existence is not revealed.
      if (!orgs || !canRecordClockEvent(p, orgs)) return reply.code(403).send({ error: 'Forbidden', message: 'You do not have access to this child' });
    }
    try {
      const result = await withTransaction(db, async (tx) => {
        const r = await onEvent(tx, body.event, {
          organisationId: p.organisationId, childId: body.childId ?? null, subject: { type: body.subjectType, id: body.subjectId },
          occurredAt, actor: auditContext(req), catalogue, now, beforeStart: 'refuse',
        });
        await recordAudit(tx, auditContext(req), {
          action: 'clock.event', recordType: body.subjectType, recordId: body.subjectId,
          details: { event: body.event, started: r.started.length, stopped: r.stopped.length, childId: body.childId ?? null },
        });
        return r;
      });
      return {
        set: result.set,
        event: body.event,
        started: result.started.map((c) => ({ id: c.id, definitionId: c.definitionId, stage: c.stage, dueDate: c.dueDate, dueAt: c.dueAt.toISOString(), due: `due by ${dueInWords(c.dueAt)}` })),
        stopped: result.stopped.map((s) => ({ id: s.clock.id, definitionId: s.clock.definitionId, status: s.status })),
        notStarted: result.notStarted,
      };
    } catch (error) {
      if (error instanceof CalendarRangeError) return reply.code(400).send({ error: 'Bad Request', field: 'occurredAt', message: 'occurredAt: is outside the years the calendar knows' });
      if (error instanceof ClockError && error.code === 'before-start') return reply.code(400).send({ error: 'Bad Request', field: 'occurredAt', message: `occurredAt: ${error.message}` });
      if (error instanceof ClockError) return reply.code(400).send({ error: 'Bad Request', field: 'event', message: `event: ${error.message}` });
      throw error;
    }
  });
}

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const clockSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, definitionId: { type: 'string' }, name: { type: 'string' }, set: { type: 'string' },
    kind: { enum: ['deadline', 'minimum'] }, subjectType: { type: 'string' }, subjectId: { type: 'string' },
    childId: { type: ['string', 'null'], format: 'uuid' }, stage: { type: 'integer' }, startEvent: { type: 'string' },
    startedAt: { type: 'string', format: 'date-time' }, dueDate: { type: ['string', 'null'], format: 'date' },
    dueAt: { type: 'string', format: 'date-time' }, due: { type: 'string', examples: ['due by 5pm Tuesday 29 December 2026'] },
    status: { enum: ['running', 'due-soon', 'overdue', 'met', 'missed'] },
    stoppedAt: { type: ['string', 'null'], format: 'date-time' }, stopEvent: { type: ['string', 'null'] },
  },
};

export const clocksOpenApiPaths = {
  '/api/v1/clocks': {
    get: {
      summary: "The organisation's clocks: running ones soonest due first (up to 200), then those stopped in the last 30 days (up to 50)",
      parameters: [{ name: 'state', in: 'query', schema: { enum: ['running', 'stopped', 'all'], default: 'all' } }],
      responses: {
        200: { description: 'Clocks with their current status: at most 200 running and 50 stopped; hasMore says when there are more', ...json({
          type: 'object', required: ['clocks', 'hasMore'],
          properties: {
            clocks: { type: 'array', items: clockSchema },
            hasMore: { type: 'object', properties: { running: { type: 'boolean' }, stopped: { type: 'boolean' } } },
          },
        }) },
        400: errorResponse('Bad parameter, named in `field`'), 401: errorResponse('Not signed in'), 403: errorResponse('Not a role that sees clocks'),
      },
    },
  },
  '/api/v1/clocks/definitions': {
    get: {
      summary: 'Clock definitions (timescales) with the events that start and stop them and their sources', security: [],
      parameters: [{ name: 'set', in: 'query', schema: { type: 'string', default: 'default' }, description: 'a definition set, e.g. "default" or "medway"' }],
      responses: { 200: { description: 'The set: end of working day, event vocabulary and clocks' }, 400: errorResponse('Unknown set, named in `field`') },
    },
  },
  '/api/v1/clocks/events': {
    post: {
      summary: 'Record an event: stops the running clocks on the subject that it stops, starts the clocks it starts',
      requestBody: { required: true, ...json({
        type: 'object', required: ['event', 'subjectType', 'subjectId'], additionalProperties: false,
        properties: {
          event: { type: 'string', pattern: EVENT_NAME.source, examples: ['referral.sent'] },
          subjectType: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$', examples: ['referral'] },
          subjectId: { type: 'string', minLength: 1, maxLength: 100 },
          childId: { type: ['string', 'null'], format: 'uuid' },
          occurredAt: { type: 'string', format: 'date-time', description: 'when it happened; defaults to now; not in the future' },
        },
      }) },
      responses: {
        200: { description: 'Clocks started and stopped (met or missed)', ...json({ type: 'object', properties: { set: { type: 'string' }, event: { type: 'string' }, started: { type: 'array' }, stopped: { type: 'array' }, notStarted: { type: 'array' } } }) },
        400: errorResponse('Bad input, naming the field'), 401: errorResponse('Not signed in'), 403: errorResponse('Not a role that records clock events, or a child the organisation does not know'),
      },
    },
  },
};
