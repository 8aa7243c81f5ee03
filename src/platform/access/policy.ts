// The one place that decides who may do what. Deny by default: a permission not granted here is refused,
// and a route that does not declare what it needs cannot be registered (see http/guard.ts).
import type { Role } from './roles.ts';

export const PERMISSIONS = [
  'home:view',
  'account:manage',
  'audit:read',
  'users:manage',
  'frameworks:manage',
  'drafts:own',
  'notifications:own',
  /** find children and see their records, within the organisations that know them */
  'children:view',
  'children:edit',
  'concerns:raise',
  /** own follow-up tasks and complete them (/tasks): those who raise concerns or decide on them */
  'tasks:own',
  /** the DSL's queue: assess, decide, create tasks */
  'concerns:triage',
  'chronology:view',
  /** record consent and decisions to share or not to share information (src/sharing) */
  'sharing:record',
  /** a manager's approval to go ahead without consent, and countersigning sharing without consent */
  'sharing:countersign',
  /** the organisation-wide information-sharing log */
  'sharing:view-log',
  /** the organisation's statutory clocks: see them, and record the events that start and stop them (src/clocks) */
  'clocks:view',
  /** make a referral to the front door from a decided concern, follow it up and escalate a disagreement (src/referrals) */
  'referrals:make',
  /** the front door's inbox: acknowledge, decide on and give feedback on referrals sent to it */
  'referrals:receive',
  /** the organisation's allegations against people who work with children (LADO decisions, restricted records) */
  'allegations:view',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const EVERYONE: Permission[] = ['home:view', 'account:manage', 'drafts:own', 'notifications:own'];
/** Anyone who works with children can record a worry about one. */
const RECORDS_CONCERNS: Permission[] = ['children:view', 'children:edit', 'concerns:raise', 'tasks:own'];
const SAFEGUARDING_LEAD: Permission[] = [...RECORDS_CONCERNS, 'concerns:triage', 'chronology:view'];

const GRANTS: Record<Role, Permission[]> = {
  practitioner: [...EVERYONE, ...RECORDS_CONCERNS],
  dsl: [...EVERYONE, ...SAFEGUARDING_LEAD],
  deputy_dsl: [...EVERYONE, ...SAFEGUARDING_LEAD],
  front_door_worker: [...EVERYONE],
  front_door_manager: [...EVERYONE],
  line_manager: [...EVERYONE, ...RECORDS_CONCERNS],
  workforce_admin: [...EVERYONE, ...RECORDS_CONCERNS],
  auditor: [...EVERYONE, 'audit:read'],
  system_admin: [...EVERYONE, 'users:manage', 'frameworks:manage'],
};

// Consent and information sharing. Managers (seed 001 Appendix B §6; seed 004 points 6–9) approve and countersign.
const SHARING_GRANTS: Partial<Record<Role, Permission[]>> = {
  dsl: ['sharing:record', 'sharing:countersign', 'sharing:view-log'],
  deputy_dsl: ['sharing:record', 'sharing:view-log'],
  front_door_worker: ['sharing:record'],
  front_door_manager: ['sharing:record', 'sharing:countersign'],
  line_manager: ['sharing:countersign'],
  // only in restricted (LADO) cases, the only ones the workforce admin sees: see canApproveSharing
  workforce_admin: ['sharing:countersign'],
  auditor: ['sharing:view-log'],
};
for (const [role, granted] of Object.entries(SHARING_GRANTS)) GRANTS[role as Role].push(...granted);

// Statutory clocks: the safeguarding leads who are reminded of them, and the front door that works to them.
for (const role of ['dsl', 'deputy_dsl', 'front_door_worker', 'front_door_manager'] as const) GRANTS[role].push('clocks:view');

// Referrals: the safeguarding leads make them; the front door receives them. The front door also finds the children
// it knows (a referral about them reached it, or it recorded a contact about them: see child_organisations), so a
// second contact about a child is attached to the child's record rather than creating a duplicate one.
for (const role of ['dsl', 'deputy_dsl'] as const) GRANTS[role].push('referrals:make');
for (const role of ['front_door_worker', 'front_door_manager'] as const) GRANTS[role].push('referrals:receive', 'children:view');

// Allegations (LADO): the DSL who routes them and the workforce admin who handles the HR side; nobody else.
for (const role of ['dsl', 'workforce_admin'] as const) GRANTS[role].push('allegations:view');

export interface Principal {
  userId: string;
  role: Role;
  organisationId: string;
  partnershipId: string;
}

export function can(principal: Principal | null, permission: Permission): boolean {
  if (!principal) return false;
  return GRANTS[principal.role]?.includes(permission) ?? false;
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role] ?? [];
}

// ---- record-level rules: who may see or act on a particular record ----

const LEADS: ReadonlySet<Role> = new Set<Role>(['dsl', 'deputy_dsl']);

/** A child's record is visible to the organisations that know the child (see child_organisations). */
export function canSeeChild(p: Principal | null, childOrganisationIds: readonly string[]): boolean {
  return !!p && can(p, 'children:view') && childOrganisationIds.includes(p.organisationId);
}

/** The roles that see restricted (LADO) records of their organisation. */
export const RESTRICTED_RECORD_ROLES: readonly Role[] = ['dsl', 'workforce_admin'];

export interface ConcernFacts {
  organisationId: string;
  raisedBy: string;
  /** routed to a restricted record (an allegation against someone who works with children) */
  restricted: boolean;
}

/**
 * Practitioners see the concerns they raised; the organisation's DSL and deputies see all of its concerns.
 * A restricted (LADO) record is seen only by the DSL and the organisation's workforce admin, who handles HR.
 */
export function canSeeConcern(p: Principal | null, c: ConcernFacts): boolean {
  if (!p) return false;
  if (p.organisationId !== c.organisationId) return false;
  if (c.restricted) return RESTRICTED_RECORD_ROLES.includes(p.role);
  if (LEADS.has(p.role)) return true;
  return c.raisedBy === p.userId && can(p, 'concerns:raise');
}

/** Only the organisation's DSL and deputies assess and decide; a restricted record only by the DSL. */
export function canTriageConcern(p: Principal | null, c: ConcernFacts): boolean {
  if (!p || p.organisationId !== c.organisationId || !can(p, 'concerns:triage')) return false;
  return c.restricted ? p.role === 'dsl' : LEADS.has(p.role);
}

/** Routing a concern to the LADO makes it restricted, so only the DSL may: a deputy could not see the result. */
export function canRouteToLado(p: Principal | null): boolean {
  return !!p && p.role === 'dsl' && can(p, 'concerns:triage');
}

/** Restricted chronology entries (LADO) are shown only to those who may see restricted concerns. */
export function canSeeRestricted(p: Principal | null, organisationId: string): boolean {
  return !!p && p.organisationId === organisationId && RESTRICTED_RECORD_ROLES.includes(p.role);
}

/** A correction to a concern is made by the person who raised it, or by those who triage it. */
export function canAmendConcern(p: Principal | null, c: ConcernFacts): boolean {
  if (!canSeeConcern(p, c)) return false;
  return c.raisedBy === p!.userId || canTriageConcern(p, c);
}

// ---- consent and information sharing (src/sharing) ----

const FRONT_DOOR: ReadonlySet<Role> = new Set<Role>(['front_door_worker', 'front_door_manager']);

/**
 * Consent and sharing decisions for a case are recorded by those who triage it (the DSL and deputies) and, for the
 * front door's own cases, by its staff. A restricted (LADO) case only by the DSL.
 */
export function canRecordSharing(p: Principal | null, c: ConcernFacts): boolean {
  if (!p || !can(p, 'sharing:record') || p.organisationId !== c.organisationId) return false;
  if (c.restricted) return p.role === 'dsl';
  return canTriageConcern(p, c) || FRONT_DOOR.has(p.role);
}

/**
 * A manager of the case's organisation approves going ahead without consent and countersigns sharing without it.
 * A restricted (LADO) case only by those who may see it: the DSL, and the workforce admin as the second person
 * when the DSL made the decision (the countersignature is never the decider's own).
 */
export function canApproveSharing(p: Principal | null, c: ConcernFacts): boolean {
  if (!p || !can(p, 'sharing:countersign') || p.organisationId !== c.organisationId) return false;
  return c.restricted ? RESTRICTED_RECORD_ROLES.includes(p.role) : p.role !== 'workforce_admin';
}

/** The countersignature is a second person's: never the one who decided to share. */
export function canCountersignSharing(p: Principal | null, c: ConcernFacts, decidedBy: string): boolean {
  return canApproveSharing(p, c) && p!.userId !== decidedBy;
}

/** The organisation-wide log, for the DSL, deputies and auditors of that organisation. */
export function canViewSharingLog(p: Principal | null, organisationId: string): boolean {
  return !!p && can(p, 'sharing:view-log') && p.organisationId === organisationId;
}

/**
 * A clock event may name a child only if the acting organisation knows the child (child_organisations), so
 * nobody attaches clocks, and the chronology entries they write, to another organisation's child.
 */
export function canRecordClockEvent(p: Principal | null, childOrganisationIds: readonly string[] | null): boolean {
  if (!p || !can(p, 'clocks:view')) return false;
  return childOrganisationIds === null || childOrganisationIds.includes(p.organisationId);
}

// ---- referrals to the front door (src/referrals) ----

export interface ReferralParties {
  referringOrganisationId: string;
  receivingOrganisationId: string;
}

/**
 * A referral is seen by the referring organisation's DSL and deputies, and by the front door it was sent to
 * (which sees what was sent and, as the child is now known to it, the child's own record; never the referrer's
 * concerns or chronology).
 */
export function canSeeReferral(p: Principal | null, r: ReferralParties): boolean {
  if (!p) return false;
  if (p.organisationId === r.referringOrganisationId && can(p, 'referrals:make')) return true;
  return p.organisationId === r.receivingOrganisationId && can(p, 'referrals:receive');
}

/** A referral is made from a concern by those who triage it (never a restricted LADO record: that goes to the LADO). */
export function canMakeReferral(p: Principal | null, c: ConcernFacts): boolean {
  return !!p && can(p, 'referrals:make') && !c.restricted && canTriageConcern(p, c);
}

/** The front door it was sent to acknowledges, decides on and feeds back on a referral. */
export function canRespondToReferral(p: Principal | null, r: ReferralParties): boolean {
  return !!p && can(p, 'referrals:receive') && p.organisationId === r.receivingOrganisationId;
}

/** The referring organisation follows its referral up: written confirmation, escalating a disagreement. */
export function canFollowUpReferral(p: Principal | null, r: ReferralParties): boolean {
  return !!p && can(p, 'referrals:make') && p.organisationId === r.referringOrganisationId;
}

/**
 * The front door records a contact from a member of the public about a child known to it (linked to its
 * organisation by an earlier referral or contact), never about a child only another organisation knows.
 */
export function canRecordContactAbout(p: Principal | null, childOrganisationIds: readonly string[]): boolean {
  return !!p && can(p, 'referrals:receive') && childOrganisationIds.includes(p.organisationId);
}
