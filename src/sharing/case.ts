// Loading a case (a concern and its latest decision) for consent and sharing, authorised by the policy module.
import { canApproveSharing, canRecordSharing, canSeeConcern, type ConcernFacts, type Principal } from '../platform/access/policy.ts';
import { EARLIEST_RECORDED_DATE, isValidIsoDate } from '../platform/calendar/iso-date.ts';
import type { Queryable } from '../platform/db/pool.ts';
import { getCase, type CaseRow } from './store.ts';
import type { SharingOutcome } from './rules.ts';

export type Refusal = { ok: false; reason: 'not-found' | 'forbidden' };
export type Invalid = { ok: false; reason: 'invalid'; field: string; message: string };

export const invalid = (field: string, message: string): Invalid => ({ ok: false, reason: 'invalid', field, message });

export const caseFacts = (c: Pick<CaseRow, 'organisation_id' | 'raised_by' | 'restricted'>): ConcernFacts => ({
  organisationId: c.organisation_id, raisedBy: c.raised_by, restricted: c.restricted,
});

export type Need = 'record' | 'approve' | 'record-or-approve';

/**
 * Not found when the principal may not see the case at all (no hint that it exists); forbidden when they can see
 * it but not do this.
 */
export async function openCase(db: Queryable, principal: Principal, concernId: string, need: Need): Promise<{ ok: true; c: CaseRow } | Refusal> {
  const c = await getCase(db, concernId);
  if (!c) return { ok: false, reason: 'not-found' };
  const facts = caseFacts(c);
  const mayRecord = canRecordSharing(principal, facts);
  const mayApprove = canApproveSharing(principal, facts);
  if (!mayRecord && !mayApprove && !canSeeConcern(principal, facts)) return { ok: false, reason: 'not-found' };
  const allowed = need === 'record' ? mayRecord : need === 'approve' ? mayApprove : mayRecord || mayApprove;
  return allowed ? { ok: true, c } : { ok: false, reason: 'forbidden' };
}

export const concernReference = (reference: number) => `C-${String(reference).padStart(6, '0')}`;
export const childNameOf = (c: { child_first_name: string; child_last_name: string }) => `${c.child_first_name} ${c.child_last_name}`.trim();

export const OUTCOME_LABELS: Record<SharingOutcome, string> = {
  no_further_action: 'No further action',
  monitor: 'Monitor',
  universal_support: 'Universal support',
  early_help: 'Early help',
  front_door_child_in_need: 'Contact the front door: child in need (section 17)',
  front_door_child_protection: 'Contact the front door: child protection (section 47)',
  police: 'Police',
  lado: 'LADO: allegation against someone who works with children',
  prevent: 'Prevent',
  marac: 'MARAC',
};

export function caseSummary(c: CaseRow) {
  return {
    concernId: c.concern_id,
    reference: concernReference(c.reference),
    childId: c.child_id,
    childName: childNameOf(c),
    dateOfBirth: c.child_date_of_birth,
    expectedDueDate: c.child_expected_due_date,
    restricted: c.restricted,
    decision: c.decision_id ? { id: c.decision_id, outcome: c.outcome!, outcomeLabel: OUTCOME_LABELS[c.outcome!] ?? c.outcome, decidedAt: c.decided_at } : null,
  };
}

/** A date the user entered: a real date, not in the future, not before 1900. */
export function pastDateProblem(value: string, today: string, what: string): string | null {
  if (!isValidIsoDate(value)) return `Enter ${what} as a real date, like 27 3 2026`;
  const What = `${what[0]!.toUpperCase()}${what.slice(1)}`;
  if (value > today) return `${What} must be today or in the past`;
  if (value < EARLIEST_RECORDED_DATE) return `${What} must be in 1900 or later`;
  return null;
}
