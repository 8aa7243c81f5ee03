// Decision pages and API: the outcome with its rationale, follow-up tasks, a decision's own page, the
// tasks page and completing a task. Thin: parse → authorise (policy, in the operations) → call → render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { concernView, refuseJson, refusePage, UUID } from './http.ts';
import { childName, concernReference } from '../concerns/triage.ts';
import { canRouteToLado, type Principal } from '../platform/access/policy.ts';
import { isValidIsoDate } from '../platform/calendar/iso-date.ts';
import { londonDateOf } from '../platform/calendar/working-days.ts';
import type { Db } from '../platform/db/pool.ts';
import { auditContext } from '../platform/http/context.ts';
import { addError, noErrors, zodApiError, type FormErrors } from '../platform/http/forms.ts';
import {
  allegations, completeTask, completeTaskSchema, decide, decisionContext, decisionInputSchema, myTasks, REASONS_MAX, TASK_TITLE_MAX, taskForCompletion, viewDecision,
  type DecisionInput,
} from './decide.ts';
import { dateFromParts, dueTag, isOutcome, OUTCOME_INFO, OUTCOMES, suggestedTasks, type Outcome } from './outcomes.ts';
import type { TaskRow } from './store.ts';
import { referralReference } from '../referrals/model.ts';
import { referralOfConcern } from '../referrals/store.ts';

const VIEWS = 'decisions/views';
const TASK_ROWS = 3;

type ConcernParams = { Params: { concernId: string } };
type IdParams = { Params: { id: string } };

const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

interface DecisionValues {
  outcome: string;
  rationale: string;
  reasonsNotReferring: string;
}

interface TaskRowValues { title: string; owner: string; day: string; month: string; year: string }

function readDecision(body: Record<string, unknown>): DecisionValues {
  // Kept whole: text over a limit is refused and shown back as typed, never cut.
  return { outcome: one(body.outcome), rationale: one(body.rationale), reasonsNotReferring: one(body.reasonsNotReferring) };
}

function readTaskRows(body: Record<string, unknown>): TaskRowValues[] {
  return Array.from({ length: TASK_ROWS }, (_, i) => ({
    title: one(body[`task-${i}-title`]), owner: one(body[`task-${i}-owner`]),
    day: one(body[`task-${i}-due-day`]), month: one(body[`task-${i}-due-month`]), year: one(body[`task-${i}-due-year`]),
  }));
}

function checkStepOne(v: DecisionValues): FormErrors {
  const errors = noErrors();
  if (!isOutcome(v.outcome)) addError(errors, 'outcome', 'Select what you have decided');
  else if (OUTCOME_INFO[v.outcome].notReferral && !v.reasonsNotReferring.trim()) {
    addError(errors, 'reasonsNotReferring', 'Enter why you are not referring the concern to anyone else');
  }
  if (!v.rationale.trim()) addError(errors, 'rationale', 'Enter the reasons for your decision');
  else if (v.rationale.trim().length > REASONS_MAX) addError(errors, 'rationale', `The reasons for your decision must be ${REASONS_MAX.toLocaleString('en-GB')} characters or fewer`);
  if (v.reasonsNotReferring.trim().length > REASONS_MAX) addError(errors, 'reasonsNotReferring', `Why you are not referring must be ${REASONS_MAX.toLocaleString('en-GB')} characters or fewer`);
  return errors;
}

const outcomeItems = (v: DecisionValues) => OUTCOMES.map((o) => ({ value: o, text: OUTCOME_INFO[o].label, hint: { text: OUTCOME_INFO[o].hint }, checked: v.outcome === o }));

export function decisionRoutes(app: FastifyInstance, db: Db, settings: { publicUrl: string }) {
  const principalOf = (req: FastifyRequest): Principal => req.principal!;

  async function stepOne(req: FastifyRequest<ConcernParams>, reply: FastifyReply, values: DecisionValues, errors: FormErrors) {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const r = await decisionContext(db, principalOf(req), auditContext(req), req.params.concernId);
    if (!r.ok) return refusePage(reply, r);
    if (r.concern.status === 'decided') return reply.code(409).view(`${VIEWS}/decided-already.njk`, { title: 'A decision has already been recorded', concern: concernView(r.concern) });
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/decide.njk`, {
      title: `Decide what happens next for ${childName(r.concern)}`,
      concern: concernView(r.concern), values, errors, outcomes: outcomeItems(values),
      assessed: one((req.query as Record<string, unknown> | undefined)?.assessed) === '1',
    });
  }

  async function stepTwo(req: FastifyRequest<ConcernParams>, reply: FastifyReply, values: DecisionValues, rows: TaskRowValues[], errors: FormErrors) {
    const r = await decisionContext(db, principalOf(req), auditContext(req), req.params.concernId);
    if (!r.ok) return refusePage(reply, r);
    const outcome = values.outcome as Outcome;
    const restricted = OUTCOME_INFO[outcome].restricted || r.concern.restricted;
    const owners = restricted ? r.restrictedOwners : r.users;
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/decide-tasks.njk`, {
      title: 'Follow-up tasks',
      concern: concernView(r.concern), values, outcomeLabel: OUTCOME_INFO[outcome].label, restricted, errors,
      rows: rows.map((row, i) => ({
        ...row, i,
        owners: [{ value: '', text: 'Select who will do this' }, ...owners.map((u) => ({ value: u.id, text: u.name, selected: u.id === row.owner }))],
      })),
    });
  }

  app.get<ConcernParams>('/triage/:concernId/decide', { config: { access: 'concerns:triage' } }, async (req, reply) =>
    stepOne(req, reply, { outcome: '', rationale: '', reasonsNotReferring: '' }, noErrors()));

  // Step one checked: offer the outcome's suggested tasks, with due dates in working days, all editable.
  app.post<ConcernParams>('/triage/:concernId/decide', { config: { access: 'concerns:triage' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = readDecision(body);
    const errors = checkStepOne(values);
    // Said now, before the tasks are filled in (decide() applies the same rule).
    if (!errors.summary.length && isOutcome(values.outcome) && OUTCOME_INFO[values.outcome].restricted && !canRouteToLado(principalOf(req))) {
      addError(errors, 'outcome', 'Only the designated safeguarding lead can route a concern to the LADO: tell them about this allegation now');
    }
    if (errors.summary.length) return stepOne(req, reply, values, errors);
    const today = londonDateOf(new Date());
    const suggested = suggestedTasks(values.outcome as Outcome, today);
    const rows: TaskRowValues[] = Array.from({ length: TASK_ROWS }, (_, i) => {
      const s = suggested[i];
      if (!s) return { title: '', owner: '', day: '', month: '', year: '' };
      const [year, month, day] = s.dueDate.split('-');
      return { title: s.title, owner: req.principal!.userId, day: String(Number(day)), month: String(Number(month)), year: year! };
    });
    return stepTwo(req, reply, values, rows, noErrors());
  });

  app.post<ConcernParams>('/triage/:concernId/decide/confirm', { config: { access: 'concerns:triage' } }, async (req, reply) => {
    if (!UUID.test(req.params.concernId)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = readDecision(body);
    const stepOneErrors = checkStepOne(values);
    if (stepOneErrors.summary.length) return stepOne(req, reply, values, stepOneErrors);
    const rows = readTaskRows(body);
    const errors = noErrors();
    const tasks: DecisionInput['tasks'] = [];
    rows.forEach((row, i) => {
      const anything = row.title.trim() || row.owner || row.day || row.month || row.year;
      if (!anything) return;
      if (!row.title.trim()) addError(errors, `task-${i}-title`, `Enter what needs to be done for task ${i + 1}`);
      else if (row.title.trim().length > TASK_TITLE_MAX) addError(errors, `task-${i}-title`, `What needs to be done for task ${i + 1} must be ${TASK_TITLE_MAX} characters or fewer`);
      if (!UUID.test(row.owner)) addError(errors, `task-${i}-owner`, `Select who will do task ${i + 1}`);
      const due = dateFromParts(row.day, row.month, row.year);
      if (!due) addError(errors, `task-${i}-due-day`, `Enter a real due date for task ${i + 1}, like 27 3 2026`);
      else if (due < londonDateOf(new Date())) addError(errors, `task-${i}-due-day`, `The due date for task ${i + 1} must be today or in the future`);
      if (row.title.trim() && row.title.trim().length <= TASK_TITLE_MAX && UUID.test(row.owner) && due) tasks.push({ title: row.title.trim(), ownerId: row.owner, dueDate: due });
    });
    if (errors.summary.length) return stepTwo(req, reply, values, rows, errors);
    const parsed = decisionInputSchema.safeParse({ ...values, reasonsNotReferring: values.reasonsNotReferring || undefined, tasks });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) addError(errors, String(issue.path[0] ?? 'outcome'), issue.message);
      return stepOne(req, reply, values, errors);
    }
    const r = await decide(db, principalOf(req), auditContext(req), req.params.concernId, parsed.data, settings.publicUrl);
    if (!r.ok) {
      if (r.reason === 'invalid') {
        const m = /^tasks\.(\d+)\.ownerId$/.exec(r.field);
        if (m) {
          // Map back to the visible row that held that task.
          const visible = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.title.trim() || row.owner || row.day || row.month || row.year);
          addError(errors, `task-${visible[Number(m[1])]?.i ?? 0}-owner`, r.message);
          return stepTwo(req, reply, values, rows, errors);
        }
        addError(errors, r.field, r.message);
        return stepOne(req, reply, values, errors);
      }
      if (r.reason === 'already-decided') return reply.redirect(`/triage/${req.params.concernId}`, 303);
      return refusePage(reply, r);
    }
    return reply.redirect(`/decisions/${r.decisionId}?created=1`, 303);
  });

  app.get<IdParams>('/decisions/:id', { config: { access: 'children:view' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const r = await viewDecision(db, principalOf(req), auditContext(req), req.params.id);
    if (!r.ok) return refusePage(reply, r);
    const today = londonDateOf(new Date());
    // A concern is referred once: the page links to the referral sent rather than offering to make another.
    const canTriage = req.principal!.role === 'dsl' || req.principal!.role === 'deputy_dsl';
    const referral = canTriage ? await referralOfConcern(db, r.decision.concern_id) : null;
    return reply.view(`${VIEWS}/decision.njk`, {
      title: `Decision: ${OUTCOME_INFO[r.decision.outcome].label}`,
      decision: { ...r.decision, outcomeLabel: OUTCOME_INFO[r.decision.outcome].label, reference: `C-${String(r.decision.concern_reference).padStart(6, '0')}` },
      tasks: r.tasks.map((t) => ({ ...t, tag: dueTag(t.due_date, today, t.status) })),
      created: one((req.query as Record<string, unknown> | undefined)?.created) === '1',
      canTriage,
      referral: referral ? { id: referral.id, reference: referralReference(referral.reference) } : null,
    });
  });

  const taskView = (t: TaskRow, today: string) => ({ ...t, tag: dueTag(t.due_date, today, t.status) });

  app.get('/tasks', { config: { access: 'tasks:own' } }, async (req, reply) => {
    const r = await myTasks(db, principalOf(req), auditContext(req));
    return reply.view(`${VIEWS}/tasks.njk`, {
      title: 'Your tasks', tasks: r.tasks.map((t) => taskView(t, r.today)),
      completed: one((req.query as Record<string, unknown> | undefined)?.completed) === '1',
    });
  });

  app.get('/allegations', { config: { access: 'allegations:view' } }, async (req, reply) => {
    const r = await allegations(db, principalOf(req), auditContext(req));
    if (!r.ok) return refusePage(reply, r);
    return reply.view(`${VIEWS}/allegations.njk`, {
      title: 'Allegations (LADO)', limit: r.limit,
      allegations: r.allegations.map((a) => ({ ...a, reference: concernReference(a.concern_reference) })),
    });
  });

  app.get('/api/v1/allegations', { config: { access: 'allegations:view' } }, async (req, reply) => {
    const r = await allegations(db, principalOf(req), auditContext(req));
    if (!r.ok) return refuseJson(reply, r);
    return {
      allegations: r.allegations.map((a) => ({
        decisionId: a.decision_id, decidedAt: a.decided_at, decidedBy: a.decided_by_name,
        concern: { id: a.concern_id, reference: concernReference(a.concern_reference) }, child: { id: a.child_id, name: a.child_name },
        openTasks: a.open_tasks, nextDue: a.next_due,
      })),
    };
  });

  async function completePage(req: FastifyRequest<IdParams>, reply: FastifyReply, outcome: string, errors: FormErrors) {
    if (!UUID.test(req.params.id)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const r = await taskForCompletion(db, principalOf(req), auditContext(req), req.params.id);
    if (!r.ok) return refusePage(reply, r);
    return reply.code(errors.summary.length ? 400 : 200).view(`${VIEWS}/task-complete.njk`, {
      title: `Complete task: ${r.task.title}`, task: taskView(r.task, londonDateOf(new Date())), values: { outcome }, errors,
    });
  }

  app.get<IdParams>('/tasks/:id/complete', { config: { access: 'tasks:own' } }, async (req, reply) => completePage(req, reply, '', noErrors()));

  app.post<IdParams>('/tasks/:id/complete', { config: { access: 'tasks:own' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refusePage(reply, { ok: false, reason: 'not-found' });
    const outcome = one((req.body as Record<string, unknown> | undefined)?.outcome);
    const parsed = completeTaskSchema.safeParse({ outcome });
    if (!parsed.success) return completePage(req, reply, outcome, addError(noErrors(), 'outcome', parsed.error.issues[0]!.message));
    const r = await completeTask(db, principalOf(req), auditContext(req), req.params.id, parsed.data.outcome);
    if (!r.ok) {
      if (r.reason === 'not-open') return completePage(req, reply, outcome, addError(noErrors(), 'outcome', 'This task has already been completed'));
      return refusePage(reply, r);
    }
    return reply.redirect('/tasks?completed=1', 303);
  });

  // ------------------------------------------------------------------------------------------------------
  // API

  app.post<IdParams>('/api/v1/concerns/:id/decisions', { config: { access: 'concerns:triage' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, { ok: false, reason: 'not-found' });
    const parsed = decisionApiBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await decide(db, principalOf(req), auditContext(req), req.params.id, parsed.data, settings.publicUrl);
    if (!r.ok) {
      if (r.reason === 'invalid') return reply.code(400).send({ error: 'Bad Request', field: r.field, message: `${r.field}: ${r.message}` });
      if (r.reason === 'already-decided') return reply.code(409).send({ error: 'Conflict', message: 'A decision has already been recorded for this concern' });
      return refuseJson(reply, r);
    }
    return reply.code(201).send({ id: r.decisionId, outcome: parsed.data.outcome, restricted: OUTCOME_INFO[parsed.data.outcome].restricted || r.concern.restricted, tasks: r.taskIds });
  });

  app.get('/api/v1/tasks', { config: { access: 'tasks:own' } }, async (req) => {
    const r = await myTasks(db, principalOf(req), auditContext(req));
    return {
      tasks: r.tasks.map((t) => ({
        id: t.id, title: t.title, child: { id: t.child_id, name: t.child_name }, dueDate: t.due_date, status: t.status,
        due: dueTag(t.due_date, r.today, t.status).text, decisionId: t.decision_id, restricted: t.restricted,
      })),
    };
  });

  app.post<IdParams>('/api/v1/tasks/:id/complete', { config: { access: 'tasks:own' } }, async (req, reply) => {
    if (!UUID.test(req.params.id)) return refuseJson(reply, { ok: false, reason: 'not-found' });
    const parsed = z.object({ outcome: completeTaskSchema.shape.outcome }, 'must be a JSON object').strict().safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(zodApiError(parsed.error));
    const r = await completeTask(db, principalOf(req), auditContext(req), req.params.id, parsed.data.outcome);
    if (!r.ok) {
      if (r.reason === 'not-open') return reply.code(409).send({ error: 'Conflict', message: 'This task is not open' });
      return refuseJson(reply, r);
    }
    return { id: r.task.id, status: 'done' };
  });
}

const decisionApiBody = z.object({
  outcome: z.enum(OUTCOMES, `must be one of ${OUTCOMES.join(', ')}`),
  rationale: z.string('must be text').trim().min(1, 'must not be empty').max(REASONS_MAX),
  reasonsNotReferring: z.string().trim().max(REASONS_MAX).optional(),
  tasks: z.array(z.object({
    title: z.string('must be text').trim().min(1, 'must not be empty').max(TASK_TITLE_MAX),
    ownerId: z.string().regex(UUID, 'must be a user id'),
    // The same rule as the form: a real date, today or later in London (an impossible date would be a 500 at the INSERT).
    dueDate: z.string('must be a date like 2026-03-27').refine((s) => isValidIsoDate(s), 'must be a real date like 2026-03-27')
      .refine((s) => s >= londonDateOf(new Date()), 'must be today or in the future'),
  }).strict()).max(10).default([]),
}, 'must be a JSON object').strict().superRefine((v, ctx) => {
  if (OUTCOME_INFO[v.outcome].notReferral && !v.reasonsNotReferring) {
    ctx.addIssue({ code: 'custom', path: ['reasonsNotReferring'], message: 'is required when deciding not to refer' });
  }
});

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const err = (description: string) => ({ description, ...json({ $ref: '#/components/schemas/Error' }) });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];

export const decisionsOpenApiPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/concerns/{id}/decisions': {
    parameters: idParam,
    post: {
      summary: 'Record the decision on a concern with its rationale and follow-up tasks (LADO makes the record restricted)',
      requestBody: { required: true, ...json({
        type: 'object', required: ['outcome', 'rationale'], additionalProperties: false,
        properties: {
          outcome: { type: 'string', enum: [...OUTCOMES] },
          rationale: { type: 'string' },
          reasonsNotReferring: { type: 'string', description: 'Required for no_further_action and monitor' },
          tasks: { type: 'array', maxItems: 10, items: { type: 'object', required: ['title', 'ownerId', 'dueDate'], properties: { title: { type: 'string' }, ownerId: { type: 'string', format: 'uuid' }, dueDate: { type: 'string', format: 'date' } } } },
        },
      }) },
      responses: {
        201: { description: 'The decision and its task ids' }, 400: err('Bad input, naming the field'), 401: err('Not signed in'),
        403: err('May see the concern but not decide on it'), 404: err('No such concern in your organisation'), 409: err('Already decided'),
      },
    },
  },
  '/api/v1/allegations': {
    get: {
      summary: "Your organisation's allegations against people who work with children (decisions routed to the LADO), newest first; for the DSL and the workforce administrator",
      responses: {
        200: { description: 'Allegations with their concern, child and open follow-up', ...json({
          type: 'object', required: ['allegations'], properties: { allegations: { type: 'array', items: {
            type: 'object', required: ['decisionId', 'decidedAt', 'decidedBy', 'concern', 'child', 'openTasks', 'nextDue'],
            properties: {
              decisionId: { type: 'string', format: 'uuid' }, decidedAt: { type: 'string', format: 'date-time' }, decidedBy: { type: 'string' },
              concern: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, reference: { type: 'string' } } },
              child: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } } },
              openTasks: { type: 'integer' }, nextDue: { type: ['string', 'null'], format: 'date' },
            },
          } } },
        }) },
        401: err('Not signed in'), 403: err('Only the DSL and the workforce administrator see allegations'),
      },
    },
  },
  '/api/v1/tasks': {
    get: { summary: "The signed-in user's open tasks, soonest due first", responses: { 200: { description: 'Tasks with due tags' }, 401: err('Not signed in') } },
  },
  '/api/v1/tasks/{id}/complete': {
    parameters: idParam,
    post: {
      summary: "Complete a task with its outcome; the outcome goes on the child's chronology",
      requestBody: { required: true, ...json({ type: 'object', required: ['outcome'], properties: { outcome: { type: 'string' } }, additionalProperties: false }) },
      responses: { 200: { description: 'Completed' }, 400: err('Bad input, naming the field'), 401: err('Not signed in'), 404: err('No such task of yours'), 409: err('Not open') },
    },
  },
};
