// A contact from a member of the public (by telephone or in person), recorded by the front door. It lands in
// the front door's inbox as a referral with referrer_type 'public'. The caller may ask to stay anonymous: that
// is recorded, and an anonymous caller's details stay in the front door (never in the chronology, the audit
// details or the referral document that may be sent on).
import { z } from 'zod';
import { recordEvent } from '../chronology/events.ts';
import { onEvent } from '../clocks/operations.ts';
import { createChildIn, makeChildKnownTo } from '../people/operations.ts';
import { loadChild, type ChildRecord } from '../people/store.ts';
import { checkPostcode } from '../people/identifiers.ts';
import { childDateOfBirthProblem, todayInLondon, type NewChildInput } from '../people/validation.ts';
import { can, canRecordContactAbout, type Principal } from '../platform/access/policy.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { isValidIsoDate } from '../platform/calendar/iso-date.ts';
import { withTransaction, type Db, type Queryable } from '../platform/db/pool.ts';
import type { ChildSearchResult } from '../people/search.ts';
import { ANALYSIS_FIELDS, childFullName, REFERRAL_KIND_LABELS, referralReference, type ReferralDocument, type ReferralKind } from './model.ts';
import { referrerOf } from './store.ts';

export const CONTACT_CHANNELS = ['telephone', 'in_person'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = { telephone: 'By telephone', in_person: 'In person' };

const text = (max: number, label: string) => z.string().trim().max(max, `${label} must be ${max} characters or fewer`);
const optionalText = (max: number, label: string) => text(max, label).optional().transform((v) => (v ? v : null));

const newChildSchema = z.strictObject({
  firstName: text(100, 'First name').min(1, 'Enter the child’s first name'),
  lastName: text(100, 'Last name').optional().transform((v) => v ?? ''),
  dateOfBirth: z.union([z.literal('not-known'), z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isValidIsoDate(s), 'Enter the date of birth as a real date, like 2015-03-27')], { error: 'Enter the child’s date of birth, or say it is not known' }),
  address: optionalText(200, 'Address'),
  postcode: z.string().trim().optional().transform((v, ctx) => {
    if (!v) return null;
    const r = checkPostcode(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  }),
  /** the user has seen the likely existing records and says this is a different child */
  confirmNew: z.boolean().optional().default(false),
});

/** A contact from a member of the public: the caller is never a professional, so anonymity may be asked for. */
export const contactInputSchema = z.strictObject({
  caller: z.strictObject({
    name: optionalText(200, 'The caller’s name'),
    phone: optionalText(40, 'The caller’s telephone number'),
    relationship: text(200, 'Relationship to the child').min(1, 'Enter the caller’s relationship to the child, for example neighbour or grandparent'),
    anonymityRequested: z.boolean({ error: 'Select whether the caller asks to remain anonymous' }),
  }),
  channel: z.enum(CONTACT_CHANNELS, { error: 'Select how the caller got in touch' }),
  childId: z.uuid({ error: 'Select a child from the search results' }).optional(),
  child: newChildSchema.optional(),
  worries: text(5000, 'What they are worried about').min(1, 'Enter what the caller is worried about'),
  immediateDanger: z.boolean({ error: 'Select whether the child is in immediate danger' }),
}).superRefine((v, ctx) => {
  if (!v.childId && !v.child) ctx.addIssue({ code: 'custom', path: ['child'], message: 'Find the child, or enter the child’s details' });
  if (v.childId && v.child) ctx.addIssue({ code: 'custom', path: ['childId'], message: 'Choose a child from the search, or enter new details, not both' });
  // The same range as the child's record: a contact may create the record.
  const dobProblem = v.child && v.child.dateOfBirth !== 'not-known' ? childDateOfBirthProblem(v.child.dateOfBirth, todayInLondon()) : null;
  if (dobProblem) ctx.addIssue({ code: 'custom', path: ['child', 'dateOfBirth'], message: dobProblem });
  if (v.child?.postcode && !v.child.address) ctx.addIssue({ code: 'custom', path: ['child', 'address'], message: 'Enter the first line of the address as well as the postcode' });
});
export type ContactInput = z.infer<typeof contactInputSchema>;

export type ContactRefusal = { ok: false; reason: 'forbidden' | 'not-found' };
export type ContactMatches = { ok: false; reason: 'possible-matches'; matches: ChildSearchResult[] };
export interface RecordedContact { id: string; reference: string; childId: string; anonymityRequested: boolean; immediateDanger: boolean }

/** What a member of the public said, as the front door's own record; the caller's details only for front-door roles. */
export interface CallerDetails { name: string | null; phone: string | null; relationship: string; anonymityRequested: boolean; channel: ContactChannel }

export type ContactDocument = Omit<ReferralDocument, 'referrerAnonymous'> & { referrerAnonymous: boolean; caller: CallerDetails; publicContact: true };

const addressText = (a: { line1: string; line2: string | null; town: string | null; postcode: string | null }) =>
  [a.line1, a.line2, a.town, a.postcode].filter((x) => x && x.trim()).join(', ');

/** The referral document a contact from the public becomes: the same shape, so every referral page shows it. */
export function contactDocument(child: ChildRecord, input: ContactInput, recorder: { userId: string; name: string; organisationId: string; organisationName: string }, kind: ReferralKind, at: Date): ContactDocument {
  const anonymous = input.caller.anonymityRequested;
  const current = child.addresses.find((a) => a.current);
  const iso = at.toISOString();
  return {
    kind, kindLabel: REFERRAL_KIND_LABELS[kind],
    childName: childFullName(child),
    child: {
      id: child.id, firstName: child.firstName, middleNames: child.middleNames, lastName: child.lastName, knownAs: child.knownAs,
      otherNames: child.names.filter((n) => n.kind !== 'legal').map((n) => `${n.firstName} ${n.lastName}`.trim()),
      dateOfBirth: child.dateOfBirth, expectedDueDate: child.expectedDueDate, sex: child.sex, gender: child.gender, ethnicity: child.ethnicity,
      firstLanguage: child.firstLanguage, religion: child.religion, interpreterNeeded: child.interpreterNeeded, communicationNeeds: child.communicationNeeds,
      senStatus: child.senStatus, disability: child.disability, schoolOrSetting: child.schoolOrSetting, nhsNumber: child.nhsNumber, upn: child.upn,
      statuses: [], currentAddress: current ? addressText(current) : null, previousAddresses: child.addresses.filter((a) => !a.current).map(addressText),
    },
    household: [], siblings: [], professionals: [],
    concern: {
      id: '', reference: '', submittedAt: iso, raisedByName: anonymous ? 'A member of the public who asked to remain anonymous' : 'A member of the public',
      whatHappened: input.worries, childsWords: null, occurredAt: null, occurredAtText: null, location: null, present: null, injuries: null, categories: [],
      immediateDanger: input.immediateDanger,
    },
    assessment: null,
    decision: { id: '', outcome: 'public_contact', outcomeLabel: 'Contact from a member of the public: for the front door to decide', rationale: '', decidedAt: iso, decidedByName: recorder.name },
    consent: {
      people: [], overall: 'not_applicable', overallLabel: 'Not applicable: a contact from a member of the public', frontDoorMustBeTold: null, proceed: true, reasons: [], approvedBy: null,
    },
    // An anonymous caller's name, and their relationship (which can say who they are: "the neighbour at number 6"),
    // never go in the document, which may be sent on; both stay in `caller`.
    referrer: {
      userId: recorder.userId,
      name: anonymous ? 'A member of the public who asked to remain anonymous' : (input.caller.name ?? 'A member of the public (name not given)'),
      role: anonymous ? 'Member of the public' : `Member of the public (${input.caller.relationship})`, email: '',
      organisationId: recorder.organisationId, organisationName: `Recorded by ${recorder.organisationName}`,
    },
    analysis: Object.fromEntries(ANALYSIS_FIELDS.map((f) => [f, f === 'worries' ? input.worries : ''])) as ReferralDocument['analysis'],
    referrerAnonymous: anonymous,
    caller: { ...input.caller, channel: input.channel },
    publicContact: true,
  };
}

async function insertContact(db: Queryable, r: { frontDoorId: string; childId: string; kind: ReferralKind; channel: ContactChannel; recorderName: string; at: Date; anonymityRequested: boolean; content: ContactDocument; recordedBy: string }) {
  const telephone = r.channel === 'telephone';
  const { rows } = await db.query<{ id: string; reference: number; sent_at: Date }>(
    `INSERT INTO referrals (partnership_id, referring_organisation_id, receiving_organisation_id, child_id, kind, method, telephoned_to, telephoned_at,
                            referrer_type, anonymity_requested, content, missing, sent_by, sent_at)
     SELECT o.partnership_id, $1, $1, $2, $3, $4, $5, $6, 'public', $7, $8, '[]'::jsonb, $9, $6 FROM organisations o WHERE o.id = $1
     RETURNING id, reference, sent_at`,
    [r.frontDoorId, r.childId, r.kind, telephone ? 'telephone' : 'online', telephone ? r.recorderName : null, r.at, r.anonymityRequested, JSON.stringify(r.content), r.recordedBy],
  );
  return rows[0]!;
}

/**
 * Record a contact from a member of the public at the front door: the child (found, or created and linked to
 * the front door), the referral in the inbox, the front-door clocks a received contact starts, the chronology
 * event and the audit entry, all in one transaction. The chronology and audit never name the caller.
 */
export async function recordPublicContact(db: Db, principal: Principal, ctx: AuditContext, input: ContactInput, now = new Date()): Promise<{ ok: true; contact: RecordedContact } | ContactRefusal | ContactMatches> {
  if (!can(principal, 'referrals:receive')) return { ok: false, reason: 'forbidden' };
  // One transaction: a new child exists only if the contact about them was recorded too.
  return withTransaction(db, async (tx) => {
    const recorder = await referrerOf(tx, principal.userId);
    if (!recorder) return { ok: false as const, reason: 'forbidden' as const };
    let childId = input.childId;
    if (!childId) {
      const c = input.child!;
      // Date of birth may be unknown to the caller; the child's record allows that when a first name is given.
      const newChild: NewChildInput = {
        firstName: c.firstName, middleNames: null, lastName: c.lastName, knownAs: null,
        dateOfBirth: isValidIsoDate(c.dateOfBirth) ? c.dateOfBirth : null, expectedDueDate: null, sex: null, gender: null, ethnicity: null, firstLanguage: null,
        religion: null, interpreterNeeded: false, communicationNeeds: null, senStatus: null, disability: null, schoolOrSetting: null, nhsNumber: null, upn: null,
        childProtectionPlan: false, childInNeed: false, lookedAfter: false, ehcp: false, youngCarer: false, privatelyFostered: false,
        address: c.address ? { line1: c.address, line2: null, town: null, postcode: c.postcode, fromDate: null } : null,
        otherNames: [], confirmNew: c.confirmNew,
      };
      const created = await createChildIn(tx, { principal, audit: ctx }, newChild);
      if (!created.created) return { ok: false as const, reason: 'possible-matches' as const, matches: created.matches };
      childId = created.id;
    }
    const loaded = await loadChild(tx, childId);
    const child = loaded && canRecordContactAbout(principal, loaded.organisationIds) ? loaded : null;
    if (!child) return { ok: false as const, reason: 'not-found' as const };
    // The column needs a kind; immediate danger is treated as possible significant harm until the front door decides.
    const kind: ReferralKind = input.immediateDanger ? 'significant_harm' : 'child_in_need';
    const content = contactDocument(child, input, recorder, kind, now);
    const row = await insertContact(tx, {
      frontDoorId: principal.organisationId, childId: child.id, kind, channel: input.channel, recorderName: recorder.name, at: now,
      anonymityRequested: input.caller.anonymityRequested, content, recordedBy: principal.userId,
    });
    // Known to the front door already (created by it, or found among its children); kept explicit so it stays true.
    await makeChildKnownTo(tx, ctx, child.id, principal.organisationId, { via: 'contact', referralId: row.id });
    const reference = referralReference(row.reference);
    const subject = { type: 'referral', id: row.id };
    // The same clocks as a referral arriving from a professional (sendReferral's contact.received).
    await onEvent(tx, 'contact.received', { actor: ctx, organisationId: principal.organisationId, childId: child.id, subject, occurredAt: row.sent_at, now });
    await recordEvent(tx, {
      childId: child.id, organisationId: principal.organisationId, type: 'record', occurredAt: row.sent_at, recordedBy: principal.userId,
      summary: `Contact ${reference} from a member of the public recorded by ${recorder.organisationName}${input.caller.anonymityRequested ? ' (the caller asked to remain anonymous)' : ''}`,
      detail: { referralId: row.id, referrerType: 'public', anonymityRequested: input.caller.anonymityRequested, immediateDanger: input.immediateDanger, channel: input.channel },
      sourceType: 'referral', sourceId: row.id, significant: true,
    });
    await recordAudit(tx, ctx, {
      action: 'referral.public-contact', recordType: 'referral', recordId: row.id,
      details: { childId: child.id, referrerType: 'public', anonymityRequested: input.caller.anonymityRequested, immediateDanger: input.immediateDanger, newChild: !input.childId },
    });
    return { ok: true as const, contact: { id: row.id, reference, childId: child.id, anonymityRequested: input.caller.anonymityRequested, immediateDanger: input.immediateDanger } };
  });
}
