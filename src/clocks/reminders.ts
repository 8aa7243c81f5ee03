// The reminder job: finds clocks that have become due soon or overdue and tells the owning organisation's
// DSL and deputies (or the roles the definition names) in the app and by email — once per clock per state. Rows
// are claimed with FOR UPDATE SKIP LOCKED in the transaction that records the reminder and queues its email, so
// any number of instances can run the job and none sends a reminder another has sent or is sending.
import { RESTRICTED_RECORD_ROLES } from '../platform/access/policy.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { withTransaction, type Db } from '../platform/db/pool.ts';
import { notify } from '../platform/notify/notify.ts';
import { clockStatus, dueInWords } from './clock.ts';
import { systemActor } from './operations.ts';
import { claimReminders, markReminded, subjectRestricted, usersInRoles, type ClockRow } from './store.ts';

export interface ReminderCounts { dueSoon: number; overdue: number; notifications: number }

const SUBJECT_WORDS: Record<string, string> = { referral: 'a referral', contact: 'a contact', escalation: 'an escalation', user: 'a member of staff' };

/** What the notification says: the clock and when it is due, never a child's name. */
export function reminderText(clock: ClockRow, state: 'due-soon' | 'overdue'): string {
  const what = `${clock.definition.name}${clock.definition.stages ? ` (stage ${clock.stage})` : ''}`;
  const on = SUBJECT_WORDS[clock.subject.type] ?? `a ${clock.subject.type.replace(/-/g, ' ')}`;
  return state === 'overdue'
    ? `Overdue: ${what}, for ${on}, was due by ${dueInWords(clock.dueAt)}.`
    : `Due soon: ${what}, for ${on}, is due by ${dueInWords(clock.dueAt)}.`;
}

/**
 * The reminder by email. Email leaves our control, so like every email it names no child and nothing of the case:
 * the clock, when it is due and a link to the clocks page, where the rest is behind sign-in.
 */
export function reminderEmail(clock: ClockRow, state: 'due-soon' | 'overdue', publicUrl: string | null): { subject: string; body: string } {
  const what = `${clock.definition.name}${clock.definition.stages ? ` (stage ${clock.stage})` : ''}`;
  const link = `/clocks#clock-${clock.id}`;
  return {
    subject: `${state === 'overdue' ? 'Overdue' : 'Due soon'}: ${what}`,
    body: [
      reminderText(clock, state),
      ...(publicUrl ? ['Sign in to Continuum to see the clock:', `${publicUrl.replace(/\/+$/, '')}${link}`] : ['Sign in to Continuum and open Clocks to see it.']),
      '',
      'This email contains no details of the child or the case. Do not reply to it.',
    ].join('\n'),
  };
}

/** A clock about an allegation is for those who may see it: the definition's roles among them, or else the DSL. */
function restrictedRoles(roles: readonly string[]): string[] {
  const allowed = roles.filter((r) => (RESTRICTED_RECORD_ROLES as readonly string[]).includes(r));
  return allowed.length ? allowed : ['dsl'];
}

async function remindBatch(db: Db, now: Date, batchSize: number, publicUrl: string | null): Promise<ReminderCounts & { claimed: number }> {
  return withTransaction(db, async (tx) => {
    const clocks = await claimReminders(tx, now, batchSize);
    const counts = { dueSoon: 0, overdue: 0, notifications: 0, claimed: clocks.length };
    for (const clock of clocks) {
      const status = clockStatus({ kind: clock.kind, dueAt: clock.dueAt, dueSoonAt: clock.dueSoonAt, stoppedAt: null }, now);
      const state = status === 'overdue' ? 'overdue' : 'due-soon';
      const wanted = clock.definition.reminders.on.includes(state);
      const roles = wanted && (await subjectRestricted(tx, clock.subject)) ? restrictedRoles(clock.definition.reminders.roles) : clock.definition.reminders.roles;
      const recipients = wanted ? await usersInRoles(tx, clock.organisationId, roles) : [];
      const sent = recipients.length ? await notify(tx, recipients, {
        kind: `clock.${state}`, text: reminderText(clock, state), link: `/clocks#clock-${clock.id}`, email: reminderEmail(clock, state, publicUrl),
      }) : 0;
      // Marked even when nobody was told, so the clock is not claimed again for this state.
      await markReminded(tx, clock.id, state, now);
      await recordAudit(tx, systemActor(clock.organisationId), {
        action: 'clock.remind', recordType: 'clock', recordId: clock.id,
        details: { definition: clock.definitionId, state, recipients: sent },
      });
      if (state === 'overdue') counts.overdue += 1;
      else counts.dueSoon += 1;
      counts.notifications += sent;
    }
    return counts;
  });
}

/** Send every reminder owed at `now`. `publicUrl` is where the emails link to (the service's address). */
export async function sendDueReminders(db: Db, now = new Date(), batchSize = 50, publicUrl: string | null = null): Promise<ReminderCounts> {
  const total: ReminderCounts = { dueSoon: 0, overdue: 0, notifications: 0 };
  for (;;) {
    const r = await remindBatch(db, now, batchSize, publicUrl);
    total.dueSoon += r.dueSoon;
    total.overdue += r.overdue;
    total.notifications += r.notifications;
    if (r.claimed < batchSize) return total;
  }
}

export interface ReminderWorker {
  runOnce(now?: Date): Promise<ReminderCounts>;
  stop(): Promise<void>;
}

export function startClockReminders(opts: { db: Db; publicUrl?: string | null; intervalMs?: number; onError?: (error: { code: string }) => void }): ReminderWorker {
  const publicUrl = opts.publicUrl ?? null;
  const intervalMs = opts.intervalMs ?? 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (stopped) return;
    running = sendDueReminders(opts.db, new Date(), undefined, publicUrl).catch((error: { code?: unknown }) => {
      // Only a code: a database error's message can quote the values involved.
      opts.onError?.({ code: typeof error?.code === 'string' ? error.code : 'ERROR' });
    });
    void running.finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, 0);
  return {
    runOnce: (now) => sendDueReminders(opts.db, now, undefined, publicUrl),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
