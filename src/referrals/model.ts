// The multi-agency referral as a document: assembled from what is already recorded plus the referrer's own
// analysis, then checked for completeness against the seeds' lists. Pure: no I/O, so it is tested alone.
// Missing items are warnings only — "absence of information must not delay a referral" (seed 001 Appendix B §7).

export const REFERRAL_KINDS = ['child_in_need', 'significant_harm'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const REFERRAL_KIND_LABELS: Record<ReferralKind, string> = {
  child_in_need: 'Child in need (section 17)',
  significant_harm: 'Child protection: risk of significant harm (section 47)',
};

/** The decision outcomes that are referrals to the front door, and the kind of referral each makes. */
export function referralKindOf(outcome: string | null | undefined): ReferralKind | null {
  if (outcome === 'front_door_child_in_need') return 'child_in_need';
  if (outcome === 'front_door_child_protection') return 'significant_harm';
  return null;
}

export const REFERRAL_METHODS = ['online', 'telephone'] as const;
export type ReferralMethod = (typeof REFERRAL_METHODS)[number];

/** The referrer's own words. Every field is optional: what is missing is listed, never demanded. */
export const ANALYSIS_FIELDS = [
  'worries', 'tried', 'whyNow',
  'lastSeen', 'childLocation', 'childSafeNow', 'allegedPerpetrator', 'parentsResponse', 'parentsLocation', 'contextualRisks',
  'significantEvents', 'timeAbroad', 'householdDifficulties', 'informationSource', 'personPosingRisk', 'stayInvolved',
  'expectedResponse', 'relationshipToChild', 'availability',
] as const;
export type AnalysisField = (typeof ANALYSIS_FIELDS)[number];
export type ReferralAnalysis = Partial<Record<AnalysisField, string>>;

export const ANALYSIS_QUESTIONS: Record<AnalysisField, { label: string; hint?: string }> = {
  worries: { label: 'What are you worried about?', hint: 'What this means for the child and the impact on their development, with as little jargon as possible. Say at what level of need you think the child is.' },
  tried: { label: 'What has been tried already, and what worked or did not work?', hint: 'Support offered to the child or family, including any early help.' },
  whyNow: { label: 'Why are you referring now?', hint: 'Why the time is right to refer, and in what timescale change needs to happen for the child.' },
  lastSeen: { label: 'When did you last see the child?' },
  childLocation: { label: 'Where is the child now, and how are they emotionally and physically?' },
  childSafeNow: { label: 'Is the child safe now, or in need of immediate protection?', hint: 'For example, a child about to be collected by the person alleged to have harmed them.' },
  allegedPerpetrator: { label: 'Who is alleged to have caused harm, where are they now and how much contact do they have with the child?' },
  parentsResponse: { label: 'How have the parents or carers responded to the concerns?' },
  parentsLocation: { label: 'Where are the parents now?' },
  contextualRisks: { label: 'Are there contexts or places with other risks?', hint: 'For example adults or peer groups of concern, or times of day of high risk.' },
  significantEvents: { label: 'Significant recent or past events in the child’s or family’s life' },
  timeAbroad: { label: 'Has the child recently spent time abroad or recently arrived in the area?' },
  householdDifficulties: { label: 'Do you know of difficulties in the household from domestic abuse, mental illness, substance misuse or learning difficulties?' },
  informationSource: { label: 'What are you reporting directly, and what did you hear from someone else?' },
  personPosingRisk: { label: 'Is the child or family in contact with a person who poses a risk to children?' },
  stayInvolved: { label: 'How will you stay involved with the family?', hint: 'And whether you could help introduce a social worker, for example by a joint visit.' },
  expectedResponse: { label: 'What do you think children’s social care might do in response?' },
  relationshipToChild: { label: 'Your relationship to the child and what you know of the child and the parents or carers' },
  availability: { label: 'When and how can the front door reach you to discuss the referral?', hint: 'If you will not be available, give the name and contact details of someone who knows the child and your concerns.' },
};

export type ConsentState = 'sought' | 'given' | 'refused' | 'not_sought' | 'withdrawn' | null;

/** Everything recorded that the referral is built from (loaded by the store; shaped here so the build is pure). */
export interface ReferralRecords {
  child: {
    id: string;
    firstName: string;
    middleNames: string | null;
    lastName: string;
    knownAs: string | null;
    otherNames: string[];
    dateOfBirth: string | null;
    expectedDueDate: string | null;
    sex: string | null;
    gender: string | null;
    ethnicity: string | null;
    firstLanguage: string | null;
    religion: string | null;
    interpreterNeeded: boolean;
    communicationNeeds: string | null;
    senStatus: string | null;
    disability: string | null;
    schoolOrSetting: string | null;
    nhsNumber: string | null;
    upn: string | null;
    statuses: string[];
    currentAddress: string | null;
    previousAddresses: string[];
  };
  household: {
    name: string;
    relationship: string;
    dateOfBirth: string | null;
    phone: string | null;
    address: string | null;
    parentalResponsibility: boolean;
    livesWithChild: boolean;
    significantAdult: boolean;
  }[];
  /** other children linked to this child; name null when the referrer may not see that child's record */
  siblings: { name: string | null; relationship: string; dateOfBirth: string | null; livesWithChild: boolean }[];
  professionals: { name: string; role: string; organisation: string | null; phone: string | null; email: string | null }[];
  concern: {
    id: string;
    reference: string;
    submittedAt: string;
    raisedByName: string;
    whatHappened: string;
    childsWords: string | null;
    occurredAt: string | null;
    occurredAtText: string | null;
    location: string | null;
    present: string | null;
    injuries: string | null;
    categories: string[];
    immediateDanger: boolean;
  };
  assessment: {
    frameworkId: string;
    frameworkVersion: string;
    suggestedLevel: string;
    chosenLevel: string;
    chosenLevelName: string;
    agreed: boolean;
    overrideReason: string | null;
    reasons: { kind: string; text: string; source: string; level: string | null; domain: string | null }[];
    levels: { id: string; name: string }[];
    assessedAt: string;
    assessedByName: string;
  } | null;
  decision: { id: string; outcome: string; outcomeLabel: string; rationale: string; decidedAt: string; decidedByName: string };
  consent: {
    people: { name: string; relationship: string; kind: 'child' | 'person'; status: ConsentState; reason: string | null }[];
    /** given / withheld / not_sought / not_obtained / not_applicable (src/sharing caseConsentStatus) */
    overall: string;
    overallLabel: string;
    /** what the front door must be told, from src/sharing canProceed */
    frontDoorMustBeTold: 'withheld' | 'not_sought' | null;
    proceed: boolean;
    reasons: string[];
    approvedBy: string | null;
  };
  referrer: {
    userId: string;
    name: string;
    role: string;
    email: string;
    organisationId: string;
    organisationName: string;
  };
  analysis: ReferralAnalysis;
}

/** The referral as sent: a self-contained snapshot (what the front door sees; stored immutably). */
export interface ReferralDocument extends Omit<ReferralRecords, 'analysis'> {
  kind: ReferralKind;
  kindLabel: string;
  analysis: Record<AnalysisField, string>;
  /** a professional referrer is never anonymous (seed 001 Appendix B §4) */
  referrerAnonymous: false;
  childName: string;
}

const clean = (s: string | null | undefined) => (s ?? '').trim();

export function childFullName(c: Pick<ReferralRecords['child'], 'firstName' | 'middleNames' | 'lastName'>): string {
  return [c.firstName, c.middleNames, c.lastName].map(clean).filter(Boolean).join(' ');
}

export function buildReferral(records: ReferralRecords, kind: ReferralKind): ReferralDocument {
  const analysis = Object.fromEntries(ANALYSIS_FIELDS.map((f) => [f, clean(records.analysis[f])])) as Record<AnalysisField, string>;
  return {
    ...records,
    kind,
    kindLabel: REFERRAL_KIND_LABELS[kind],
    analysis,
    referrerAnonymous: false,
    childName: childFullName(records.child),
  };
}

// ---- completeness ----

export interface SeedCitation { seed: string; section: string }

export interface Requirement {
  id: string;
  /** what the seed asks for, in plain words */
  text: string;
  /** which kinds of referral the item belongs to */
  kinds: readonly ReferralKind[];
  citations: SeedCitation[];
  /** where the referrer can add it: the child's record, the referral's analysis, consent, the concern… */
  where: 'child' | 'household' | 'professionals' | 'concern' | 'assessment' | 'consent' | 'analysis';
  /** the analysis question that supplies it, when it is one */
  field?: AnalysisField;
  present: (r: ReferralDocument) => boolean;
}

export interface MissingItem {
  id: string;
  text: string;
  citations: SeedCitation[];
  citationText: string;
  where: Requirement['where'];
  field?: AnalysisField;
}

const BOTH = REFERRAL_KINDS;
const CIN = ['child_in_need'] as const;
const SH = ['significant_harm'] as const;

const S001 = { seed: '001', section: 'Appendix B, 7. Making a Referral' };
const S001_8 = { seed: '001', section: 'Appendix B, 8. How Referrals will be Received' };
const S001_6 = { seed: '001', section: 'Appendix B, 6. Parental Consent' };
const S002 = { seed: '002', section: 'What should be included in a referral to Children’s Services?' };
const S002_CIN = { seed: '002', section: 'What should be included in a referral, child in need referral column' };
const S002_SH = { seed: '002', section: 'What should be included in a referral, significant harm referral column' };
const S002_UP = { seed: '002', section: 'Moving between Threshold Levels, Stepping Up' };
const S000 = (n: number) => ({ seed: '000', section: `Making a Contact to First Response, question ${n}` });

const has = (s: string | null | undefined) => clean(s) !== '';
const answered = (f: AnalysisField) => (r: ReferralDocument) => has(r.analysis[f]);
const knownText = (s: string | null | undefined) => has(s) && !/^(not[ _]known|unknown)$/i.test(clean(s));

/** Every item the seeds ask a referral to contain, each with where it comes from. */
export const REQUIREMENTS: Requirement[] = [
  { id: 'referrer', text: 'The referrer’s name and designation', kinds: BOTH, citations: [S002], where: 'analysis',
    present: (r) => has(r.referrer.name) && has(r.referrer.role) },
  { id: 'child-name', text: 'The child’s full name and any aliases', kinds: BOTH, citations: [S001, S002], where: 'child',
    present: (r) => has(r.child.firstName) && has(r.child.lastName) },
  { id: 'child-date-of-birth', text: 'The child’s date of birth (or expected date of delivery for an unborn child)', kinds: BOTH, citations: [S001, S002, S000(2)], where: 'child',
    present: (r) => has(r.child.dateOfBirth) || has(r.child.expectedDueDate) },
  { id: 'child-gender', text: 'The child’s gender', kinds: BOTH, citations: [S001, S002], where: 'child',
    present: (r) => has(r.child.expectedDueDate) && !has(r.child.dateOfBirth) ? true : (knownText(r.child.gender) || (has(r.child.sex) && r.child.sex !== 'not_known' && r.child.sex !== 'not_stated')) },
  { id: 'address', text: 'The full family address (and any known previous addresses)', kinds: BOTH, citations: [S001, S002, S000(2)], where: 'child',
    present: (r) => has(r.child.currentAddress) },
  { id: 'parental-responsibility', text: 'Who has parental responsibility', kinds: BOTH, citations: [S001, S002], where: 'household',
    present: (r) => r.household.some((m) => m.parentalResponsibility) },
  { id: 'household', text: 'Names, dates of birth and information about all household members, other children in the family and significant people outside the household', kinds: BOTH, citations: [S001, S002, S000(2)], where: 'household',
    present: (r) => r.household.length > 0 && r.household.every((m) => has(m.dateOfBirth)) },
  { id: 'phone-numbers', text: 'Telephone numbers for the family', kinds: BOTH, citations: [S000(2)], where: 'household',
    present: (r) => r.household.some((m) => has(m.phone)) },
  { id: 'ethnicity', text: 'The child’s ethnicity', kinds: BOTH, citations: [S001, S002, S000(2)], where: 'child', present: (r) => knownText(r.child.ethnicity) },
  { id: 'first-language', text: 'The child’s first language', kinds: BOTH, citations: [S001, S002, S000(2)], where: 'child', present: (r) => knownText(r.child.firstLanguage) },
  { id: 'religion', text: 'The child’s religion', kinds: BOTH, citations: [S001, S002], where: 'child', present: (r) => knownText(r.child.religion) },
  { id: 'communication', text: 'Any need for an interpreter, signer or other communication aid', kinds: BOTH, citations: [S001, S002, S000(2)], where: 'child',
    present: (r) => !r.child.interpreterNeeded || has(r.child.communicationNeeds) },
  { id: 'special-needs', text: 'Any special needs of the child', kinds: BOTH, citations: [S001, S002], where: 'child',
    present: (r) => has(r.child.senStatus) && r.child.senStatus !== 'not_known' },
  { id: 'school', text: 'The school the child is registered at or attends', kinds: BOTH, citations: [S001], where: 'child',
    present: (r) => has(r.child.schoolOrSetting) || (!has(r.child.dateOfBirth) && has(r.child.expectedDueDate)) },
  { id: 'other-agencies', text: 'Other practitioners and agencies working with the family, now or before', kinds: BOTH, citations: [S001, S002_SH, S000(3)], where: 'professionals',
    present: (r) => r.professionals.length > 0 },
  { id: 'concern-details', text: 'The cause for concern: details of any allegations, their sources, timing and location', kinds: BOTH, citations: [S001, S002_SH], where: 'concern',
    present: (r) => has(r.concern.whatHappened) && (has(r.concern.occurredAt) || has(r.concern.occurredAtText)) && has(r.concern.location) },
  { id: 'worries', text: 'What you are worried about, and what it means for the child', kinds: BOTH, citations: [S000(4)], where: 'analysis', field: 'worries', present: answered('worries') },
  { id: 'threshold-level', text: 'The level of need under the threshold document, with the evidence for it', kinds: BOTH, citations: [S000(4)], where: 'assessment',
    present: (r) => r.assessment !== null },
  { id: 'tried', text: 'What has been done already, and what worked or did not work', kinds: BOTH, citations: [S000(5), S002_CIN], where: 'analysis', field: 'tried', present: answered('tried') },
  { id: 'why-now', text: 'Why the time is right to refer now', kinds: BOTH, citations: [S002_CIN, S002_UP], where: 'analysis', field: 'whyNow', present: answered('whyNow') },
  { id: 'consent', text: 'Whether the parents know of the referral and agree to it; if consent was not sought, why', kinds: BOTH, citations: [S001, S002_CIN, S000(1), S001_6], where: 'consent',
    present: (r) => r.consent.people.length > 0 && r.consent.people.every((p) => p.status !== null && (p.status !== 'not_sought' || has(p.reason))) },
  { id: 'availability', text: 'How and when you can be reached to discuss the referral, or who can act for you', kinds: BOTH, citations: [S000(6)], where: 'analysis', field: 'availability', present: answered('availability') },
  { id: 'relationship', text: 'Your relationship to the child and knowledge of the child and parents or carers', kinds: BOTH, citations: [S001, S002, S002_SH], where: 'analysis', field: 'relationshipToChild', present: answered('relationshipToChild') },
  { id: 'significant-events', text: 'Significant recent or historical events or incidents in the child’s or family’s life', kinds: BOTH, citations: [S001, S002_CIN], where: 'analysis', field: 'significantEvents', present: answered('significantEvents') },
  { id: 'time-abroad', text: 'Whether the child has recently spent time abroad or recently arrived in the area', kinds: BOTH, citations: [S001], where: 'analysis', field: 'timeAbroad', present: answered('timeAbroad') },
  { id: 'last-seen', text: 'When you last saw the child', kinds: BOTH, citations: [S002_CIN, S002_SH], where: 'analysis', field: 'lastSeen', present: answered('lastSeen') },
  { id: 'household-difficulties', text: 'Difficulties in the household from domestic abuse, mental illness, substance misuse or learning difficulties', kinds: BOTH, citations: [S002_CIN, S001_8], where: 'analysis', field: 'householdDifficulties', present: answered('householdDifficulties') },
  { id: 'information-source', text: 'What you are reporting directly and what came from a third party', kinds: BOTH, citations: [S002_CIN, S001_8], where: 'analysis', field: 'informationSource', present: answered('informationSource') },
  { id: 'alleged-perpetrator', text: 'The identity and current whereabouts of any suspected or alleged perpetrator, and their contact with the child', kinds: BOTH, citations: [S001, S002_SH], where: 'analysis', field: 'allegedPerpetrator', present: answered('allegedPerpetrator') },
  { id: 'child-location', text: 'The child’s current location and emotional and physical condition', kinds: BOTH, citations: [S001, S002_SH], where: 'analysis', field: 'childLocation', present: answered('childLocation') },
  { id: 'child-safe-now', text: 'Whether the child is safe now or needs immediate protection because of an approaching deadline', kinds: BOTH, citations: [S001, S002_SH], where: 'analysis', field: 'childSafeNow', present: answered('childSafeNow') },
  { id: 'childs-account', text: 'The child’s account of what happened', kinds: BOTH, citations: [S001, S002_SH], where: 'concern', present: (r) => has(r.concern.childsWords) },
  { id: 'parents-response', text: 'The parents’ response to the concerns', kinds: BOTH, citations: [S001, S002_SH], where: 'analysis', field: 'parentsResponse', present: answered('parentsResponse') },
  // child in need column only
  { id: 'needs-evidence', text: 'The child’s developmental needs, parenting capacity, and social and environmental factors', kinds: CIN, citations: [S002_CIN], where: 'assessment',
    present: (r) => !!r.assessment && r.assessment.reasons.some((x) => x.kind === 'indicator') },
  { id: 'stay-involved', text: 'How you will remain involved with the family, and whether you can help introduce a social worker', kinds: CIN, citations: [S002_CIN], where: 'analysis', field: 'stayInvolved', present: answered('stayInvolved') },
  { id: 'person-posing-risk', text: 'Whether the child or family is in contact with a person posing a risk to children', kinds: CIN, citations: [S002_CIN], where: 'analysis', field: 'personPosingRisk', present: answered('personPosingRisk') },
  { id: 'expected-response', text: 'What you think children’s social care might do in response', kinds: CIN, citations: [S002_CIN], where: 'analysis', field: 'expectedResponse', present: answered('expectedResponse') },
  // significant harm column only
  { id: 'parents-location', text: 'The parents’ current location', kinds: SH, citations: [S002_SH], where: 'analysis', field: 'parentsLocation', present: answered('parentsLocation') },
  { id: 'injuries', text: 'Any unusual or significant marks or injuries', kinds: SH, citations: [S002_SH], where: 'concern', present: (r) => has(r.concern.injuries) },
  { id: 'contextual-risks', text: 'Contexts and places with other risk factors (adults or peer groups of concern, high-risk times of day)', kinds: SH, citations: [S002_SH], where: 'analysis', field: 'contextualRisks', present: answered('contextualRisks') },
];

export const citationText = (c: SeedCitation) => `Seed ${c.seed}: ${c.section}`;

export function requirementsFor(kind: ReferralKind): Requirement[] {
  return REQUIREMENTS.filter((q) => q.kinds.includes(kind));
}

/** What the referral lacks, as warnings with the seed citation of each requirement. Never a reason to stop. */
export function checkCompleteness(referral: ReferralDocument, kind: ReferralKind = referral.kind): MissingItem[] {
  return requirementsFor(kind).filter((q) => !q.present(referral)).map((q) => ({
    id: q.id, text: q.text, citations: q.citations, citationText: q.citations.map(citationText).join('; '), where: q.where,
    ...(q.field ? { field: q.field } : {}),
  }));
}

// ---- what happens after sending ----

export const REFERRAL_STATUSES = ['sent', 'acknowledged', 'decided', 'feedback_given', 'closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_STATUS_TAGS: Record<ReferralStatus, { text: string; colour: string }> = {
  sent: { text: 'Sent', colour: 'blue' },
  acknowledged: { text: 'Acknowledged', colour: 'light-blue' },
  decided: { text: 'Decided', colour: 'purple' },
  feedback_given: { text: 'Feedback given', colour: 'green' },
  closed: { text: 'Closed', colour: 'grey' },
};

/** The front door's possible outcomes (seed 001 Appendix B §10, The Outcome of a Contact and Feedback). */
export const FRONT_DOOR_OUTCOMES = ['child_and_family_assessment', 'emergency_protection', 'section_47', 'other_agency_or_advice', 'early_help', 'no_further_action'] as const;
export type FrontDoorOutcome = (typeof FRONT_DOOR_OUTCOMES)[number];
export const FRONT_DOOR_OUTCOME_LABELS: Record<FrontDoorOutcome, string> = {
  child_and_family_assessment: 'Child in need: a child and family assessment',
  emergency_protection: 'Emergency protective action (strategy discussion)',
  section_47: 'Section 47 enquiry and/or a new or updated child and family assessment',
  other_agency_or_advice: 'Referral to another agency, or advice and information',
  early_help: 'Early help',
  no_further_action: 'No further action',
};

/** Status after an update: statuses only move forward (a late acknowledgement does not undo a decision). */
export function nextStatus(current: ReferralStatus, update: 'acknowledgement' | 'decision' | 'feedback'): ReferralStatus {
  const target: ReferralStatus = update === 'acknowledgement' ? 'acknowledged' : update === 'decision' ? 'decided' : 'feedback_given';
  return REFERRAL_STATUSES.indexOf(target) > REFERRAL_STATUSES.indexOf(current) ? target : current;
}

/** Resolving professional differences: four stages, a response within 5 working days at each (seed 000, Challenge and escalation). */
export const ESCALATION_STAGES = 4;
export const ESCALATION_STAGE_LABELS: Record<number, string> = {
  1: 'Stage 1: escalate to the line or team manager',
  2: 'Stage 2: escalate to designated safeguarding leads or service managers',
  3: 'Stage 3: escalate to assistant or deputy directors',
  4: 'Stage 4: involve the safeguarding children partnership',
};

export const referralReference = (n: number) => `R-${String(n).padStart(6, '0')}`;
