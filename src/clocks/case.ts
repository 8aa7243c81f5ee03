// The statutory clocks on one child's case, for the child's page and the DSL's triage view. Reading them is part
// of the page's own audited read, so no audit entry is written here.
import { can, canSeeRestricted, type Principal } from '../platform/access/policy.ts';
import type { Queryable } from '../platform/db/pool.ts';
import { clockStatus, dueInWords, STATUS_TAGS, type ClockStatus } from './clock.ts';
import { childOrganisations, RESTRICTED_CLOCK } from './store.ts';

export const CASE_RECENT_DAYS = 30;

const SUBJECT_LABELS: Record<string, string> = {
  referral: 'Referral', contact: 'Contact', escalation: 'Escalation', 'early-help-plan': 'Early help plan', user: 'Member of staff',
  'information-sharing': 'Information sharing decision', assessment: 'Assessment',
};
const subjectLabel = (type: string) => SUBJECT_LABELS[type] ?? type.charAt(0).toUpperCase() + type.slice(1).replace(/-/g, ' ');

export interface CaseClock {
  id: string;
  name: string;
  definitionId: string;
  subject: string;
  stage: number | null;
  startedAt: Date;
  dueAt: Date;
  /** as the dashboard words it, e.g. "5pm Tuesday 29 December 2026" */
  dueWords: string;
  stoppedAt: Date | null;
  status: ClockStatus;
  tag: { text: string; classes: string };
}

export interface CaseClocks {
  running: CaseClock[];
  stopped: CaseClock[];
  recentDays: number;
}

interface CaseClockRow {
  id: string; definition_id: string; name: string; stages: boolean; subject_type: string; kind: 'deadline' | 'minimum'; stage: number;
  started_at: Date; due_at: Date; due_soon_at: Date; stopped_at: Date | null; restricted: boolean;
}

/**
 * A child's clocks in one organisation: running, or stopped since `since`. A clock is restricted when what it
 * is about is a restricted (LADO) record, or is itself an allegation or LADO matter.
 */
export async function listChildClocks(db: Queryable, organisationId: string, childId: string, since: Date): Promise<CaseClockRow[]> {
  const { rows } = await db.query<CaseClockRow>(
    `SELECT c.id, c.definition_id, c.definition->>'name' AS name, (c.definition ? 'stages') AS stages, c.subject_type, c.kind, c.stage,
            c.started_at, c.due_at, c.due_soon_at, c.stopped_at,
            ${RESTRICTED_CLOCK()} AS restricted
       FROM clocks c
      WHERE c.child_id = $1 AND c.organisation_id = $2 AND (c.stopped_at IS NULL OR c.stopped_at >= $3)
      ORDER BY c.stopped_at DESC NULLS FIRST, c.due_at, c.id
      LIMIT 200`,
    [childId, organisationId, since],
  );
  return rows;
}

/** Who sees a child's clocks: those who watch clocks or triage concerns, in an organisation that knows the child. */
function maySeeClocks(p: Principal, orgs: readonly string[]): boolean {
  return (can(p, 'clocks:view') || can(p, 'concerns:triage')) && orgs.includes(p.organisationId);
}

/**
 * The running clocks and those stopped in the last 30 days for a child, within the viewer's organisation, each
 * with its status now. Null when the viewer may not see the child's clocks (the page then shows no section).
 */
export async function clocksForChild(db: Queryable, principal: Principal, childId: string, now = new Date()): Promise<CaseClocks | null> {
  const orgs = await childOrganisations(db, childId);
  if (!orgs || !maySeeClocks(principal, orgs)) return null;
  const since = new Date(now.getTime() - CASE_RECENT_DAYS * 86_400_000);
  const restrictedOk = canSeeRestricted(principal, principal.organisationId);
  const rows = (await listChildClocks(db, principal.organisationId, childId, since)).filter((r) => restrictedOk || !r.restricted);
  const view = (r: CaseClockRow): CaseClock => {
    const status = clockStatus({ kind: r.kind, dueAt: r.due_at, dueSoonAt: r.due_soon_at, stoppedAt: r.stopped_at }, now);
    return {
      id: r.id, name: r.name ?? r.definition_id, definitionId: r.definition_id, subject: subjectLabel(r.subject_type),
      stage: r.stages ? r.stage : null, startedAt: r.started_at, dueAt: r.due_at, dueWords: dueInWords(r.due_at),
      stoppedAt: r.stopped_at, status, tag: STATUS_TAGS[status],
    };
  };
  return {
    running: rows.filter((r) => !r.stopped_at).map(view),
    stopped: rows.filter((r) => r.stopped_at).map(view),
    recentDays: CASE_RECENT_DAYS,
  };
}
