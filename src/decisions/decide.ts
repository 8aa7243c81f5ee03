// The DSL's decision on a concern, its follow-up tasks, and completing a task. Each operation runs in one
// transaction that writes its change, its chronology event and its audit entry.
import { z } from 'zod';
import { concernForTriage, concernReference, type Refusal } from '../concerns/triage.ts';
import type { ConcernRow } from '../concerns/triage-store.ts';
import { recordEvent } from '../chronology/events.ts';
import { canRouteToLado, canSeeConcern, canSeeRestricted, canTriageConcern, permissionsOf, RESTRICTED_RECORD_ROLES, type Principal } from '../platform/access/policy.ts';
import { ROLES } from '../platform/access/roles.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { isValidIsoDate } from '../platform/calendar/iso-date.ts';
import { londonDateOf } from '../platform/calendar/working-days.ts';
import { withTransaction, type Db, type Queryable } from '../platform/db/pool.ts';
import { notify, type Notice } from '../platform/notify/notify.ts';
import { OUTCOME_INFO, OUTCOMES, type Outcome } from './outcomes.ts';
import {
  assessmentIdsOf, closeConcern, getDecision, getTask, insertDecision, insertTask, listAllegations, markTaskDone, openTasksOf, organisationUsers,
  tasksOfDecision, type DecisionRow, type OrgUser, type TaskRow,
} from './store.ts';

/** Who may own the follow-up of a restricted (LADO) decision: only those who may see it. */
export const RESTRICTED_OWNER_ROLES: string[] = [...RESTRICTED_RECORD_ROLES];

/** Who may own any other task: those who can reach /tasks ('tasks:own': not the front door, auditors or system admins). */
export const TASK_OWNER_ROLES: string[] = ROLES.filter((r) => permissionsOf(r).includes('tasks:own'));

export function ownersFor(db: Queryable, organisationId: string, restricted: boolean): Promise<OrgUser[]> {
  return organisationUsers(db, organisationId, restricted ? RESTRICTED_OWNER_ROLES : TASK_OWNER_ROLES);
}

const text = (max: number) => z.string().trim().max(max, `Must be ${max} characters or fewer`);
/** The longest reasons (rationale, why not referring) and task title; the pages check the same limits. */
export const REASONS_MAX = 10000;
export const TASK_TITLE_MAX = 200;

export const taskInputSchema = z.object({
  title: text(TASK_TITLE_MAX).min(1, 'Enter what needs to be done'),
  ownerId: z.string().uuid('Select who will do this task'),
  dueDate: z.string().refine((s): boolean => isValidIsoDate(s), 'Enter a real due date, like 2026-03-27'),
});
export type TaskInput = z.infer<typeof taskInputSchema>;

export const decisionInputSchema = z.object({
  outcome: z.enum(OUTCOMES, 'Select what you have decided'),
  rationale: text(REASONS_MAX).min(1, 'Enter the reasons for your decision'),
  reasonsNotReferring: text(REASONS_MAX).optional(),
  tasks: z.array(taskInputSchema).max(10, 'Add 10 tasks or fewer').default([]),
}).superRefine((v, ctx) => {
  if (OUTCOME_INFO[v.outcome].notReferral && !v.reasonsNotReferring) {
    ctx.addIssue({ code: 'custom', path: ['reasonsNotReferring'], message: 'Enter why you are not referring the concern to anyone else' });
  }
});
export type DecisionInput = z.infer<typeof decisionInputSchema>;

export type DecideProblem = { ok: false; reason: 'invalid'; field: string; message: string };

export async function decisionContext(db: Db, principal: Principal, ctx: AuditContext, concernId: string) {
  return withTransaction(db, async (tx) => {
    const found = await concernForTriage(tx, principal, concernId);
    if (!found.ok) return found;
    const users = await ownersFor(tx, found.concern.organisation_id, false);
    const restrictedOwners = users.filter((u) => RESTRICTED_OWNER_ROLES.includes(u.role));
    await recordAudit(tx, ctx, { action: 'concern.view', recordType: 'concern', recordId: concernId, details: { page: 'decide' } });
    return { ok: true as const, concern: found.concern, users, restrictedOwners };
  });
}

/**
 * Records the decision with its rationale (and, for a decision not to refer, why not), creates its follow-up
 * tasks and closes the concern. LADO routes everything about the concern to a restricted record.
 */
export async function decide(
  db: Db, principal: Principal, ctx: AuditContext, concernId: string, input: DecisionInput, publicUrl: string,
): Promise<{ ok: true; decisionId: string; taskIds: string[]; concern: ConcernRow } | Refusal | DecideProblem | { ok: false; reason: 'already-decided' }> {
  return withTransaction(db, async (tx) => {
    const found = await concernForTriage(tx, principal, concernId);
    if (!found.ok) return found;
    const { concern } = found;
    if (concern.status === 'decided') return { ok: false as const, reason: 'already-decided' as const };
    // Lock the row so two DSLs deciding at once cannot both succeed.
    const locked = await tx.query<{ status: string }>('SELECT status FROM concerns WHERE id = $1 FOR UPDATE', [concernId]);
    if (locked.rows[0]?.status === 'decided') return { ok: false as const, reason: 'already-decided' as const };
    const info = OUTCOME_INFO[input.outcome];
    const restricted = info.restricted || concern.restricted;
    // A restricted decision can be handled only by someone who may see it.
    if (restricted && !canRouteToLado(principal)) return { ok: false as const, reason: 'invalid' as const, field: 'outcome', message: 'Only the designated safeguarding lead can route a concern to the LADO' };
    const owners = new Set((await ownersFor(tx, concern.organisation_id, restricted)).map((u) => u.id));
    for (const [i, t] of input.tasks.entries()) {
      if (!owners.has(t.ownerId)) {
        return { ok: false as const, reason: 'invalid' as const, field: `tasks.${i}.ownerId`, message: restricted
          ? 'Select the designated safeguarding lead or the workforce administrator: only they can see this record'
          : 'Select someone from your organisation who can see and complete tasks' };
      }
    }
    const assessments = await assessmentIdsOf(tx, concern.id);
    const decision = await insertDecision(tx, {
      concernId: concern.id, childId: concern.child_id, organisationId: concern.organisation_id, outcome: input.outcome,
      rationale: input.rationale, reasonsNotReferring: info.notReferral ? (input.reasonsNotReferring ?? null) : null,
      assessmentId: assessments[0]?.id ?? null, decidedBy: principal.userId, restricted,
    });
    await closeConcern(tx, concern.id, restricted, assessments.map((a) => a.id));
    const taskIds: string[] = [];
    for (const t of input.tasks) {
      taskIds.push(await insertTask(tx, {
        childId: concern.child_id, concernId: concern.id, decisionId: decision.id, organisationId: concern.organisation_id,
        title: t.title, ownerId: t.ownerId, dueDate: t.dueDate, createdBy: principal.userId, restricted,
      }));
    }
    await recordEvent(tx, {
      childId: concern.child_id, organisationId: concern.organisation_id, type: 'decision', occurredAt: decision.decided_at, recordedBy: principal.userId,
      summary: `Decision on concern ${concernReference(concern.reference)}: ${info.label}`,
      detail: {
        concernId: concern.id, outcome: input.outcome, rationale: input.rationale,
        ...(info.notReferral && input.reasonsNotReferring ? { reasonsNotReferring: input.reasonsNotReferring } : {}),
        tasks: input.tasks.map((t) => ({ title: t.title, dueDate: t.dueDate })),
      },
      sourceType: 'decision', sourceId: decision.id, restricted,
    });
    await recordAudit(tx, ctx, {
      action: 'decision.create', recordType: 'concern', recordId: concern.id,
      details: { decisionId: decision.id, outcome: input.outcome, tasks: taskIds.length, restricted },
    });
    if (info.restricted) {
      // The others who may see the record learn of it now, not when a task happens to reach them.
      const others = [...owners].filter((id) => id !== principal.userId);
      await notify(tx, others, allegationNotice(concernReference(concern.reference), decision.id, publicUrl));
    }
    return { ok: true as const, decisionId: decision.id, taskIds, concern };
  });
}

function allegationNotice(ref: string, decisionId: string, publicUrl: string): Notice {
  const link = `/decisions/${decisionId}`;
  return {
    kind: 'allegation.new',
    text: `Concern ${ref} was routed to the LADO: an allegation against someone who works with children. Only you and the designated safeguarding lead can see it.`,
    link,
    email: {
      subject: `Allegation routed to the LADO: concern ${ref}`,
      body: [
        `Concern ${ref} was routed to the local authority designated officer (LADO): an allegation against someone who works with children.`,
        'It is a restricted record. Sign in to Continuum to read it:',
        `${publicUrl.replace(/\/+$/, '')}${link}`,
        '',
        'This email contains no details of the allegation. Do not reply to it.',
      ].join('\n'),
    },
  };
}

/** The organisation's allegations (LADO decisions), for the DSL and the workforce admin only. */
export async function allegations(db: Db, principal: Principal, ctx: AuditContext, limit = 200) {
  return withTransaction(db, async (tx) => {
    if (!canSeeRestricted(principal, principal.organisationId)) return { ok: false as const, reason: 'forbidden' as const };
    const rows = await listAllegations(tx, principal.organisationId, limit);
    await recordAudit(tx, ctx, { action: 'allegations.list', details: { shown: rows.length } });
    return { ok: true as const, allegations: rows, limit };
  });
}

const decisionFacts = (d: DecisionRow) => ({ organisationId: d.organisation_id, raisedBy: d.concern_raised_by, restricted: d.restricted || d.concern_restricted });

/** A decision and its tasks, for whoever may see the concern (LADO: the DSL and the workforce admin only). */
export async function viewDecision(db: Db, principal: Principal, ctx: AuditContext, decisionId: string) {
  return withTransaction(db, async (tx) => {
    const decision = await getDecision(tx, decisionId);
    if (!decision || !canSeeConcern(principal, decisionFacts(decision))) return { ok: false as const, reason: 'not-found' as const };
    const tasks = await tasksOfDecision(tx, decisionId);
    await recordAudit(tx, ctx, { action: 'decision.view', recordType: 'decision', recordId: decisionId, details: { restricted: decision.restricted } });
    return { ok: true as const, decision, tasks };
  });
}

function canSeeTask(p: Principal, t: TaskRow): boolean {
  if (p.organisationId !== t.organisation_id) return false;
  if (t.restricted && !canSeeRestricted(p, t.organisation_id)) return false;
  return t.owner_id === p.userId || canTriageConcern(p, { organisationId: t.organisation_id, raisedBy: t.concern_raised_by ?? '', restricted: t.restricted });
}

export async function myTasks(db: Db, principal: Principal, ctx: AuditContext, today: string = londonDateOf(new Date())) {
  return withTransaction(db, async (tx) => {
    const rows = (await openTasksOf(tx, principal.userId, 500)).filter((t) => canSeeTask(principal, t));
    await recordAudit(tx, ctx, { action: 'tasks.list', details: { shown: rows.length } });
    return { tasks: rows, today };
  });
}

export async function taskForCompletion(db: Db, principal: Principal, ctx: AuditContext, taskId: string) {
  return withTransaction(db, async (tx) => {
    const task = await getTask(tx, taskId);
    if (!task || !canSeeTask(principal, task)) return { ok: false as const, reason: 'not-found' as const };
    await recordAudit(tx, ctx, { action: 'task.view', recordType: 'task', recordId: taskId });
    return { ok: true as const, task };
  });
}

export const completeTaskSchema = z.object({ outcome: text(5000).min(1, 'Enter what was done and what happened') });

/** Completes a task with its outcome, which goes on the child's chronology. */
export async function completeTask(db: Db, principal: Principal, ctx: AuditContext, taskId: string, outcome: string) {
  return withTransaction(db, async (tx) => {
    const task = await getTask(tx, taskId);
    if (!task || !canSeeTask(principal, task)) return { ok: false as const, reason: 'not-found' as const };
    const completedAt = await markTaskDone(tx, taskId, principal.userId, outcome);
    if (!completedAt) return { ok: false as const, reason: 'not-open' as const };
    await recordEvent(tx, {
      childId: task.child_id, organisationId: task.organisation_id, type: 'task', occurredAt: completedAt, recordedBy: principal.userId,
      summary: `Task completed: ${task.title}`, detail: { taskId, outcome, dueDate: task.due_date },
      sourceType: 'task', sourceId: taskId, restricted: task.restricted,
    });
    await recordAudit(tx, ctx, { action: 'task.complete', recordType: 'task', recordId: taskId, details: { restricted: task.restricted } });
    return { ok: true as const, task };
  });
}

export type { Outcome };
