// What people do with children's records. Each operation runs in one transaction that writes the change,
// its chronology event and its audit entry; reads that show a named child or adult are audited too.
// A record the actor may not see is answered as if it did not exist (null), so its existence is not revealed.
import { recordEvent } from '../chronology/events.ts';
import { canSeeChild, type Principal } from '../platform/access/policy.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { withReadScope, withTransaction, type Db, type Queryable, type Tx } from '../platform/db/pool.ts';
import { LIKELY_MATCH_SCORE } from './matching.ts';
import { relationshipFromThisSide } from './relationships.ts';
import { getChildForViewer, searchChildren, type ChildSearchQuery, type ChildSearchResult } from './search.ts';
import {
  childSummaries, currentAddressFrom, deleteNames, endCurrentAddresses, insertAddress, insertChild, insertHouseholdMember, insertName,
  insertPerson, insertProfessional, linkOrganisation, listHouseholdPeople, listIndirectLinks, listProfessionals, listSiblingLinks,
  siblingLinkExists, updateChildFields, type ChildField, type ChildRecord, type HouseholdPerson, type Professional,
} from './store.ts';
import {
  DATE_NEEDED, todayInLondon, type ChildChanges, type HouseholdAdultInput, type NewChildInput, type OtherNameInput,
  type ProfessionalInput, type SiblingLinkInput,
} from './validation.ts';

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
/** "1 June 2022", as the pages show a calendar date. */
const longDate = (iso: string) => LONG_DATE.format(new Date(`${iso}T12:00:00Z`));

export interface Actor {
  principal: Principal;
  audit: AuditContext;
}

/** Likely existing records for a child about to be created, among those the organisation can see. */
export async function possibleMatches(db: Queryable, principal: Principal, input: Pick<NewChildInput, 'firstName' | 'lastName' | 'dateOfBirth' | 'expectedDueDate' | 'nhsNumber' | 'address'>): Promise<ChildSearchResult[]> {
  const results = await searchChildren(db, principal, {
    name: `${input.firstName} ${input.lastName}`,
    dateOfBirth: input.dateOfBirth ?? input.expectedDueDate ?? null,
    postcode: input.address?.postcode ?? null,
    nhsNumber: input.nhsNumber ?? null,
    limit: 10,
  });
  return results.filter((r) => r.score >= LIKELY_MATCH_SCORE);
}

export type CreateChildResult = { created: true; id: string } | { created: false; matches: ChildSearchResult[] };

/**
 * Create a child's record, known to the creator's organisation. Unless the user has confirmed this is a
 * different child, likely existing records are returned instead (and that check is audited, as it shows names).
 */
export async function createChild(db: Db, actor: Actor, input: NewChildInput): Promise<CreateChildResult> {
  return withTransaction(db, (tx) => createChildIn(tx, actor, input));
}

/** createChild inside the caller's transaction, for an operation that creates the child along with something else. */
export async function createChildIn(tx: Tx, actor: Actor, input: NewChildInput): Promise<CreateChildResult> {
  if (!input.confirmNew) {
    const matches = await possibleMatches(tx, actor.principal, input);
    if (matches.length) {
      await recordAudit(tx, actor.audit, { action: 'child.match-check', recordType: 'child', details: { matches: matches.length } });
      return { created: false as const, matches };
    }
  }
  const p = actor.principal;
  const id = await insertChild(tx, p.partnershipId, p.userId, input);
  await insertName(tx, id, 'legal', input.firstName, input.lastName);
  if (input.knownAs) await insertName(tx, id, 'known_as', input.knownAs, input.lastName);
  for (const n of input.otherNames) await insertName(tx, id, n.kind, n.firstName, n.lastName);
  if (input.address) await insertAddress(tx, id, input.address);
  await linkOrganisation(tx, id, p.organisationId);
  await recordEvent(tx, {
    childId: id, organisationId: p.organisationId, type: 'record', occurredAt: new Date(), recordedBy: p.userId,
    summary: 'Child’s record created', detail: { action: 'created' }, sourceType: 'child', sourceId: id,
  });
  await recordAudit(tx, actor.audit, { action: 'child.create', recordType: 'child', recordId: id, details: { confirmedNew: input.confirmNew } });
  return { created: true as const, id };
}

/**
 * The child becomes known to an organisation (child_organisations), which may then find the child and see the
 * record: the front door, when a referral about the child reaches it or it records a contact about the child.
 * Runs in the caller's transaction; a new link is audited, with what made it. True when the link is new.
 */
export async function makeChildKnownTo(tx: Tx, audit: AuditContext, childId: string, organisationId: string, because: { via: 'referral' | 'contact'; referralId: string }): Promise<boolean> {
  const linked = await linkOrganisation(tx, childId, organisationId);
  if (linked) {
    await recordAudit(tx, audit, { action: 'child.known-to', recordType: 'child', recordId: childId, details: { organisationId, via: because.via, referralId: because.referralId } });
  }
  return linked;
}

const FIELD_WORDS: Record<ChildField | 'address' | 'names', string> = {
  firstName: 'first name', middleNames: 'middle names', lastName: 'last name', knownAs: 'known as',
  dateOfBirth: 'date of birth', expectedDueDate: 'expected due date', sex: 'sex', gender: 'gender',
  ethnicity: 'ethnicity', firstLanguage: 'first language', religion: 'religion', interpreterNeeded: 'interpreter needed',
  communicationNeeds: 'communication needs', senStatus: 'SEN status', disability: 'disability',
  schoolOrSetting: 'school or setting', nhsNumber: 'NHS number', upn: 'UPN',
  childProtectionPlan: 'child protection plan', childInNeed: 'child in need', lookedAfter: 'looked after', ehcp: 'EHCP',
  youngCarer: 'young carer', privatelyFostered: 'privately fostered', address: 'address', names: 'other names',
};

async function visibleForUpdate(tx: Tx, principal: Principal, childId: string): Promise<ChildRecord | null> {
  const child = await getChildForViewer(tx, principal, childId);
  if (child) await tx.query('SELECT 1 FROM children WHERE id = $1 FOR UPDATE', [childId]);
  return child;
}

async function recordChange(tx: Tx, actor: Actor, childId: string, fields: string[], action: string) {
  const p = actor.principal;
  await recordEvent(tx, {
    childId, organisationId: p.organisationId, type: 'record', occurredAt: new Date(), recordedBy: p.userId,
    summary: `Child’s record changed: ${fields.map((f) => FIELD_WORDS[f as ChildField] ?? f).join(', ')}`,
    detail: { action, fields }, sourceType: 'child', sourceId: childId,
  });
  await recordAudit(tx, actor.audit, { action, recordType: 'child', recordId: childId, details: { fields: fields.join(',') } });
}

/**
 * Change a child's record. The chronology says which fields changed (never their values); a changed legal
 * name keeps the old one as a previous name; a new address ends the current one and keeps it in the history.
 * Returns null when the child is not visible to the actor.
 */
export async function updateChild(
  db: Db, actor: Actor, childId: string, changes: ChildChanges,
): Promise<{ changed: string[] } | { field: 'dateOfBirth' | 'address.fromDate'; message: string } | null> {
  return withTransaction(db, async (tx) => {
    const before = await visibleForUpdate(tx, actor.principal, childId);
    if (!before) return null;
    const { address, ...fields } = changes;
    // Born: a date of birth replaces the expected due date (and the other way round).
    if (fields.dateOfBirth) fields.expectedDueDate ??= null;
    if (fields.expectedDueDate) fields.dateOfBirth ??= null;
    // A record keeps a date of birth or a due date: the age the threshold assessment needs comes from it.
    const kept = (k: 'dateOfBirth' | 'expectedDueDate') => (fields[k] !== undefined ? fields[k] : before[k]);
    if (!kept('dateOfBirth') && !kept('expectedDueDate')) return { field: 'dateOfBirth' as const, message: DATE_NEEDED };
    // A move before the current address began would end that address before it started.
    const currentFrom = address?.fromDate ? await currentAddressFrom(tx, childId) : null;
    if (address?.fromDate && currentFrom && address.fromDate < currentFrom) {
      return { field: 'address.fromDate' as const, message: `Date they moved in must be on or after ${longDate(currentFrom)}, when they moved in to their current address` };
    }
    const changed: string[] = await updateChildFields(tx, childId, fields);
    if (changed.includes('firstName') || changed.includes('lastName')) {
      await insertName(tx, childId, 'previous', before.firstName, before.lastName);
      await deleteNames(tx, childId, 'legal');
      await insertName(tx, childId, 'legal', fields.firstName ?? before.firstName, fields.lastName ?? before.lastName);
    }
    if (changed.includes('knownAs') || changed.includes('lastName')) {
      await deleteNames(tx, childId, 'known_as');
      const knownAs = fields.knownAs !== undefined ? fields.knownAs : before.knownAs;
      if (knownAs) await insertName(tx, childId, 'known_as', knownAs, fields.lastName ?? before.lastName);
    }
    if (address) {
      await endCurrentAddresses(tx, childId, address.fromDate ?? null, todayInLondon());
      await insertAddress(tx, childId, address);
      changed.push('address');
    }
    if (!changed.length) return { changed };
    await recordChange(tx, actor, childId, changed, 'child.update');
    return { changed };
  });
}

export async function addOtherName(db: Db, actor: Actor, childId: string, input: OtherNameInput): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    if (!(await visibleForUpdate(tx, actor.principal, childId))) return false;
    await insertName(tx, childId, input.kind, input.firstName, input.lastName);
    await recordChange(tx, actor, childId, ['names'], 'child.name.add');
    return true;
  });
}

export async function addHouseholdAdult(db: Db, actor: Actor, childId: string, input: HouseholdAdultInput): Promise<{ personId: string } | null> {
  return withTransaction(db, async (tx) => {
    const child = await visibleForUpdate(tx, actor.principal, childId);
    if (!child) return null;
    const personId = await insertPerson(tx, child.partnershipId, input);
    const memberId = await insertHouseholdMember(tx, { childId, personId, ...input });
    const p = actor.principal;
    await recordEvent(tx, {
      childId, organisationId: p.organisationId, type: 'record', occurredAt: new Date(), recordedBy: p.userId,
      summary: 'Household member or significant adult added', detail: { action: 'household.add', memberId },
      sourceType: 'household_member', sourceId: String(memberId),
    });
    await recordAudit(tx, actor.audit, { action: 'child.household.add', recordType: 'child', recordId: childId, details: { personId, memberId } });
    return { personId };
  });
}

export type LinkSiblingResult = 'linked' | 'not-found' | 'sibling-not-found' | 'same-child' | 'already-linked';

/** Link another child's record as a sibling; both must be visible to the actor. The link shows from both records. */
export async function linkSibling(db: Db, actor: Actor, childId: string, input: SiblingLinkInput): Promise<LinkSiblingResult> {
  return withTransaction(db, async (tx) => {
    if (!(await visibleForUpdate(tx, actor.principal, childId))) return 'not-found';
    if (input.relatedChildId === childId) return 'same-child';
    if (!(await getChildForViewer(tx, actor.principal, input.relatedChildId))) return 'sibling-not-found';
    if (await siblingLinkExists(tx, childId, input.relatedChildId)) return 'already-linked';
    const memberId = await insertHouseholdMember(tx, {
      childId, relatedChildId: input.relatedChildId, relationship: input.relationship,
      parentalResponsibility: false, livesWithChild: input.livesWithChild, significantAdult: false,
    });
    const p = actor.principal;
    for (const id of [childId, input.relatedChildId]) {
      await recordEvent(tx, {
        childId: id, organisationId: p.organisationId, type: 'record', occurredAt: new Date(), recordedBy: p.userId,
        summary: 'Sibling’s record linked', detail: { action: 'sibling.link', memberId },
        sourceType: 'household_member', sourceId: String(memberId),
      });
    }
    await recordAudit(tx, actor.audit, { action: 'child.sibling.link', recordType: 'child', recordId: childId, details: { relatedChildId: input.relatedChildId, memberId } });
    return 'linked';
  });
}

export async function addProfessional(db: Db, actor: Actor, childId: string, input: ProfessionalInput): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    if (!(await visibleForUpdate(tx, actor.principal, childId))) return false;
    const id = await insertProfessional(tx, childId, input);
    const p = actor.principal;
    await recordEvent(tx, {
      childId, organisationId: p.organisationId, type: 'record', occurredAt: new Date(), recordedBy: p.userId,
      summary: 'Professional involved added', detail: { action: 'professional.add', professionalId: id },
      sourceType: 'child_professional', sourceId: String(id),
    });
    await recordAudit(tx, actor.audit, { action: 'child.professional.add', recordType: 'child', recordId: childId, details: { professionalId: id } });
    return true;
  });
}

export interface Household {
  members: HouseholdPerson[];
  /** ids of children linked as siblings, from either child's record */
  siblingChildIds: string[];
  /** `reverse`: recorded on the other child's record, so `relationship` is theirs to this child */
  siblings: { childId: string; relationship: string; reverse: boolean; livesWithChild: boolean }[];
}

/** Household members and linked siblings of a child (no visibility check: callers decide what to show). */
export async function householdOf(db: Queryable, childId: string): Promise<Household> {
  const [members, links] = await Promise.all([listHouseholdPeople(db, childId), listSiblingLinks(db, childId)]);
  return {
    members,
    siblingChildIds: links.map((l) => l.childId),
    siblings: links.map((l) => ({ childId: l.childId, relationship: l.relationship, reverse: l.reverse, livesWithChild: l.livesWithChild })),
  };
}

interface ShownChild { childId: string; visible: boolean; name: string | null; dateOfBirth: string | null }

export interface ChildPage {
  child: ChildRecord;
  household: HouseholdPerson[];
  siblings: (ShownChild & { relationship: string; livesWithChild: boolean })[];
  /** children linked only through the household (a shared adult or child, or a third child's household) */
  alsoLinked: (ShownChild & { how: string })[];
  professionals: Professional[];
}

/** Everything the child's page shows, read and audited ("child.view") before it is returned. */
export async function viewChild(db: Db, actor: Actor, childId: string, action = 'child.view'): Promise<ChildPage | null> {
  return withReadScope(db, async (tx) => {
    const child = await getChildForViewer(tx, actor.principal, childId);
    if (!child) return null;
    const [household, indirect] = await Promise.all([householdOf(tx, childId), listIndirectLinks(tx, childId)]);
    const ids = [...household.siblingChildIds, ...indirect.flatMap((l) => [l.childId, ...(l.hostChildId ? [l.hostChildId] : [])])];
    const summaries = new Map((await childSummaries(tx, [...new Set(ids)])).map((s) => [s.id, s]));
    // Another child is named only to those who may see that child's record.
    const shown = (id: string): ShownChild => {
      const summary = summaries.get(id);
      const visible = !!summary && canSeeChild(actor.principal, summary.organisationIds);
      return {
        childId: id, visible,
        name: visible ? `${summary!.knownAs ?? summary!.firstName} ${summary!.lastName}` : null,
        dateOfBirth: visible ? summary!.dateOfBirth ?? summary!.expectedDueDate : null,
      };
    };
    const siblings = household.siblings.map((s) => {
      const other = shown(s.childId);
      return { ...other, relationship: relationshipFromThisSide(s, other.name), livesWithChild: s.livesWithChild };
    });
    const alsoLinked = indirect.map((l) => {
      const host = l.hostChildId ? shown(l.hostChildId) : null;
      const how = l.sharedRelationship !== null ? `shares a household member (this child’s ${l.sharedRelationship.toLowerCase()})`
        : `listed with this child in ${host?.name ? `${host.name}’s` : 'another child’s'} household`;
      return { ...shown(l.childId), how };
    });
    const professionals = await listProfessionals(tx, childId);
    await recordAudit(tx, actor.audit, { action, recordType: 'child', recordId: childId });
    return { child, household: household.members, siblings, alsoLinked, professionals };
  });
}

/**
 * A search whose results (names) are shown to someone: audited with which children were shown (their ids, so
 * the log can say whose records a person looked through), never the terms.
 */
export async function auditedSearch(db: Db, actor: Actor, query: ChildSearchQuery, action = 'child.search'): Promise<ChildSearchResult[]> {
  return withReadScope(db, async (tx) => {
    const results = await searchChildren(tx, actor.principal, query);
    await recordAudit(tx, actor.audit, {
      action, recordType: 'child',
      details: {
        results: results.length, childIds: results.map((r) => r.id), byName: !!query.name, byDateOfBirth: !!query.dateOfBirth,
        byPostcode: !!query.postcode, byNhsNumber: !!query.nhsNumber,
      },
    });
    return results;
  });
}
