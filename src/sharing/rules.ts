// Consent and information sharing: who must be asked, whether a decision can go ahead, the reasons for not
// seeking consent and the lawful bases for sharing. Pure: no I/O, so every rule is tested on its own.
//
// Sources (the seeds in ../shared/seeds):
//   000 Medway Threshold Guidance, "Consent and Information Sharing" and "Making a Contact to First Response" Q1
//   001 Kent and Medway procedures, Appendix B §6 "Parental Consent", §8 "How Referrals will be Received", §14 "Recording"
//   002 Dudley Threshold Guidance, "Consent" and "Information Sharing" (the seven golden rules), "Additional Information: Consent"
//   004 NSPCC toolkit, "Information sharing procedural guidelines" points 1–9
import { addCalendarDays, parseIsoDate } from '../platform/calendar/iso-date.ts';

/** Decision outcomes, as in the decisions table's check (migration 003). */
export const SHARING_OUTCOMES = [
  'no_further_action', 'monitor', 'universal_support', 'early_help',
  'front_door_child_in_need', 'front_door_child_protection', 'police', 'lado', 'prevent', 'marac',
] as const;
export type SharingOutcome = (typeof SHARING_OUTCOMES)[number];

export const CONSENT_STATUSES = ['sought', 'given', 'refused', 'not_sought', 'withdrawn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const CONSENT_STATUS_LABELS: Record<ConsentStatus, string> = {
  sought: 'Sought – waiting for an answer',
  given: 'Given',
  refused: 'Refused',
  not_sought: 'Not sought',
  withdrawn: 'Withdrawn',
};

export const CONSENT_STATUS_TAGS: Record<ConsentStatus | 'none', { text: string; colour: string }> = {
  none: { text: 'Not recorded', colour: 'grey' },
  sought: { text: 'Sought', colour: 'blue' },
  given: { text: 'Given', colour: 'green' },
  refused: { text: 'Refused', colour: 'red' },
  not_sought: { text: 'Not sought', colour: 'orange' },
  withdrawn: { text: 'Withdrawn', colour: 'red' },
};

/** How consent was asked for. Seed 004 point 4: in writing if possible, otherwise record that it was verbal. */
export const CONSENT_METHODS = ['in_writing', 'in_person', 'telephone', 'video_call', 'other'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
export const CONSENT_METHOD_LABELS: Record<ConsentMethod, string> = {
  in_writing: 'In writing',
  in_person: 'Verbally, in person',
  telephone: 'Verbally, by telephone',
  video_call: 'Verbally, by video call',
  other: 'Another way',
};

export interface Citation { seed: string; section: string }

/** Why consent was not sought — each drawn from the seeds, with where it is said. */
export const NOT_SOUGHT_REASONS = [
  'increased_risk_to_child', 'fgm', 'forced_marriage', 'police_investigation', 'risk_to_another_person', 'undue_delay', 'other',
] as const;
export type NotSoughtReason = (typeof NOT_SOUGHT_REASONS)[number];

export const NOT_SOUGHT_REASON_INFO: Record<NotSoughtReason, { label: string; citations: Citation[] }> = {
  increased_risk_to_child: {
    label: 'Seeking consent would place the child at increased risk of significant harm',
    citations: [
      { seed: '000', section: 'Consent and Information Sharing; Making a Contact to First Response, question 1' },
      { seed: '001', section: 'Appendix B §6 Parental Consent; §8 How Referrals will be Received' },
    ],
  },
  fgm: {
    label: 'Suspected female genital mutilation (FGM)',
    citations: [{ seed: '000', section: 'Making a Contact to First Response, question 1' }],
  },
  forced_marriage: {
    label: 'Suspected forced marriage',
    citations: [{ seed: '000', section: 'Making a Contact to First Response, question 1' }],
  },
  police_investigation: {
    label: 'Seeking consent would prejudice a police investigation or the prevention or detection of crime',
    citations: [
      { seed: '001', section: 'Appendix B §6 Parental Consent ("jeopardise a criminal investigation"); §8 ("prejudice any investigations or enquiries")' },
      { seed: '002', section: 'Consent; Additional Information: Consent ("compromise a police investigation")' },
      { seed: '004', section: 'Information sharing procedural guidelines, points 3 and 6' },
    ],
  },
  risk_to_another_person: {
    label: 'Seeking consent would place another person at risk of harm',
    citations: [
      { seed: '002', section: 'Consent ("the child or another person at immediate risk of harm")' },
      { seed: '004', section: 'Information sharing procedural guidelines, points 3 and 6' },
    ],
  },
  undue_delay: {
    label: 'Seeking consent would cause undue delay',
    citations: [
      { seed: '001', section: 'Appendix B §6 Parental Consent ("either by delay or …"; "unless to do so would cause undue delay")' },
      { seed: '004', section: 'Information sharing procedural guidelines, point 3 ("the urgency or seriousness of the situation")' },
    ],
  },
  other: { label: 'Another reason', citations: [] },
};

export const citationLine = (c: Citation) => `Seed ${c.seed}: ${c.section}`;

// ---- who must be asked ----

/** Seed 002 "Additional Information: Consent": the child's consent where the child is 14 or older and of understanding. */
export const CHILD_CONSENT_AGE = 14;

export interface HouseholdMemberFacts {
  personId: string | null;
  relatedChildId: string | null;
  name: string;
  relationship: string;
  parentalResponsibility: boolean;
}

export interface ChildFacts {
  name: string;
  dateOfBirth: string | null;
  expectedDueDate: string | null;
}

/** The recorded professional judgement (Gillick / Fraser) that a child under 14 can understand and decide. */
export interface UnderstandingJudgement {
  sufficientUnderstanding: boolean;
}

export type SubjectKey = 'child' | `person:${string}`;

export interface ConsentSubject {
  key: SubjectKey;
  kind: 'child' | 'person';
  personId: string | null;
  name: string;
  relationship: string;
  /** why this person is asked */
  why: string;
}

export interface WhoMustBeAsked {
  subjects: ConsentSubject[];
  /** the child's age in whole years today, null when unborn or not known */
  childAge: number | null;
  unborn: boolean;
  /** true when the child is not asked only because nobody has judged their understanding yet */
  childUnderstandingCanBeJudged: boolean;
  warnings: string[];
}

export function ageInYears(dateOfBirth: string, today: string): number {
  const b = parseIsoDate(dateOfBirth);
  const t = parseIsoDate(today);
  const [by, bm, bd] = b.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = t.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export function subjectKeyOf(s: { personId: string | null }): SubjectKey {
  return s.personId ? `person:${s.personId}` : 'child';
}

/**
 * Each parent or carer with parental responsibility (seed 000 "Making a Contact" Q1; seed 001 §6), and the child
 * when 14 or over (seed 002) or judged of sufficient understanding (seed 004 point 3, Gillick competence; seed 001 §5).
 * An unborn child is never asked; the prospective parents are (seed 001 §13).
 */
export function whoMustBeAsked(child: ChildFacts, members: HouseholdMemberFacts[], judgement: UnderstandingJudgement | null, today: string): WhoMustBeAsked {
  const warnings: string[] = [];
  const subjects: ConsentSubject[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    if (!m.parentalResponsibility) continue;
    if (!m.personId) {
      // A young parent with their own child record: consent is recorded against adults in this version.
      warnings.push(`${m.name} (${m.relationship}) has parental responsibility and their own child record: record their consent in the case notes.`);
      continue;
    }
    if (seen.has(m.personId)) continue;
    seen.add(m.personId);
    subjects.push({ key: `person:${m.personId}`, kind: 'person', personId: m.personId, name: m.name, relationship: m.relationship, why: 'Has parental responsibility' });
  }
  if (subjects.length === 0) warnings.push('Nobody with parental responsibility is recorded in the household. Add them to the child’s household so their consent can be recorded.');

  const unborn = child.dateOfBirth ? child.dateOfBirth > today : !!child.expectedDueDate && child.expectedDueDate >= today;
  const childAge = child.dateOfBirth && child.dateOfBirth <= today ? ageInYears(child.dateOfBirth, today) : null;
  let childUnderstandingCanBeJudged = false;
  if (!unborn) {
    if (childAge !== null && childAge >= CHILD_CONSENT_AGE) {
      subjects.push({ key: 'child', kind: 'child', personId: null, name: child.name, relationship: 'The child', why: `Aged ${childAge}: 14 or over` });
    } else if (judgement?.sufficientUnderstanding) {
      subjects.push({ key: 'child', kind: 'child', personId: null, name: child.name, relationship: 'The child', why: 'Judged to have sufficient understanding to decide' });
    } else {
      childUnderstandingCanBeJudged = true;
    }
  }
  return { subjects, childAge, unborn, childUnderstandingCanBeJudged, warnings };
}

// ---- is consent needed for this outcome ----

/**
 * - required: early help, child in need (s17) and universal support. Seed 000: "Parents must consent to support at
 *   Early Help and Child in Need (S.17) levels"; seed 002: consent "will always be needed where a practitioner is
 *   requesting support of services … early help … or child in need". Support at these levels is voluntary, so a
 *   refusal cannot be overridden: if the child is at risk of significant harm, the decision itself should change.
 * - may-proceed-without: child protection (s47), police, LADO, Prevent, MARAC. Seek consent unless unsafe; a referral
 *   for a child at risk of significant harm may go ahead without it (seed 000; seed 001 §6, §10 of the policy;
 *   seed 002 "Additional Information: Consent"), with a manager's approval (seed 001 §6; seed 004 points 6–9).
 * - not-needed: no further action and monitoring share nothing outside the organisation.
 */
export type ConsentRequirement = 'required' | 'may-proceed-without' | 'not-needed';

export function consentRequirement(outcome: SharingOutcome): ConsentRequirement {
  switch (outcome) {
    case 'universal_support':
    case 'early_help':
    case 'front_door_child_in_need':
      return 'required';
    case 'front_door_child_protection':
    case 'police':
    case 'lado':
    case 'prevent':
    case 'marac':
      return 'may-proceed-without';
    case 'no_further_action':
    case 'monitor':
      return 'not-needed';
    default: {
      const unknown: never = outcome;
      throw new TypeError(`unknown outcome ${String(unknown)}`);
    }
  }
}

export const CONSENT_REQUIREMENT_TEXT: Record<ConsentRequirement, string> = {
  required: 'Consent is required: parents must consent to early help and child in need support (seed 000; seed 002).',
  'may-proceed-without': 'Seek consent unless that would be unsafe. A referral for a child at risk of significant harm may go ahead without consent, with a manager’s approval (seed 001 Appendix B §6; seed 002).',
  'not-needed': 'Nothing is shared outside your organisation for this decision, so consent is not needed to proceed.',
};

// ---- can the decision go ahead ----

/** The current (latest) consent record of one person who must be asked; status null when nothing is recorded. */
export interface SubjectConsent {
  key: SubjectKey;
  name: string;
  kind: 'child' | 'person';
  status: ConsentStatus | null;
}

export interface ManagerApprovalFacts {
  approvedByName: string;
  approvedAt: Date | string;
  /** recorded as unsafe to tell the parent afterwards, with a reason */
  tellParentUnsafe: boolean;
}

export interface ProceedAnswer {
  proceed: boolean;
  needsManagerApproval: boolean;
  frontDoorMustBeTold: 'withheld' | 'not_sought' | null;
  tellParentAfterwards: boolean;
  reasons: string[];
}

/** Overall consent status of a case, as the information-sharing log records it. */
export type CaseConsentStatus = 'given' | 'withheld' | 'not_sought' | 'not_obtained' | 'not_applicable';

export const CASE_CONSENT_LABELS: Record<CaseConsentStatus, string> = {
  given: 'Given by everyone asked',
  withheld: 'Refused or withdrawn',
  not_sought: 'Not sought',
  not_obtained: 'Not yet obtained',
  not_applicable: 'Nobody to ask is recorded',
};

export function caseConsentStatus(consents: SubjectConsent[]): CaseConsentStatus {
  if (consents.length === 0) return 'not_applicable';
  if (consents.some((c) => c.status === 'refused' || c.status === 'withdrawn')) return 'withheld';
  if (consents.every((c) => c.status === 'given')) return 'given';
  if (consents.some((c) => c.status === 'not_sought')) return 'not_sought';
  return 'not_obtained';
}

const describe = (c: SubjectConsent) => {
  switch (c.status) {
    case null: return `Nothing is recorded yet for ${c.name}.`;
    case 'sought': return `${c.name} has been asked but has not answered yet.`;
    case 'given': return `${c.name} gave consent.`;
    case 'refused': return `${c.name} refused consent.`;
    case 'withdrawn': return `${c.name} withdrew consent.`;
    case 'not_sought': return `Consent was not sought from ${c.name}.`;
  }
};

/**
 * Whether a decision can go ahead given the consent recorded for everyone who must be asked.
 * `consents` must list every person who must be asked (whoMustBeAsked), with status null where nothing is recorded.
 */
export function canProceed(outcome: SharingOutcome, consents: SubjectConsent[], managerApproval: ManagerApprovalFacts | null): ProceedAnswer {
  const requirement = consentRequirement(outcome);
  const reasons: string[] = [];
  if (requirement === 'not-needed') {
    return { proceed: true, needsManagerApproval: false, frontDoorMustBeTold: null, tellParentAfterwards: false, reasons: [CONSENT_REQUIREMENT_TEXT['not-needed']] };
  }
  const allGiven = consents.length > 0 && consents.every((c) => c.status === 'given');
  if (allGiven) {
    return { proceed: true, needsManagerApproval: false, frontDoorMustBeTold: null, tellParentAfterwards: false, reasons: ['Everyone who must be asked has given consent.'] };
  }
  for (const c of consents) if (c.status !== 'given') reasons.push(describe(c));
  if (consents.length === 0) reasons.push('Nobody who could give consent is recorded: record who has parental responsibility.');

  if (requirement === 'required') {
    reasons.unshift(CONSENT_REQUIREMENT_TEXT.required);
    if (consents.some((c) => c.status === 'refused' || c.status === 'withdrawn' || c.status === 'not_sought')) {
      reasons.push('If you believe the child is at risk of significant harm, reconsider the decision: a child protection referral may go ahead without consent with a manager’s approval.');
    }
    return { proceed: false, needsManagerApproval: false, frontDoorMustBeTold: null, tellParentAfterwards: false, reasons };
  }

  // may-proceed-without: every person must have something recorded (a decision not to seek consent is recorded
  // with its reasons, seed 001 §6), then a manager's approval lets the referral go ahead.
  const frontDoorMustBeTold = caseConsentStatus(consents) === 'withheld' ? 'withheld' as const : 'not_sought' as const;
  const parentWithout = consents.some((c) => c.kind === 'person' && c.status !== 'given') || consents.length === 0;
  const unrecorded = consents.filter((c) => c.status === null);
  if (unrecorded.length) {
    reasons.push('Record whether consent was sought from everyone listed — or why it was not — before asking a manager to approve going ahead without it.');
    return { proceed: false, needsManagerApproval: true, frontDoorMustBeTold, tellParentAfterwards: false, reasons };
  }
  reasons.push(frontDoorMustBeTold === 'withheld'
    ? 'The front door must be told that consent was withheld (seed 001 Appendix B §6).'
    : 'The front door must be told that consent was not sought or not obtained, and why (seed 000, Making a Contact question 1).');
  if (!managerApproval) {
    reasons.unshift('Going ahead without consent needs a manager’s approval, recorded with the reasons (seed 001 Appendix B §6; seed 004 points 6–9).');
    return { proceed: false, needsManagerApproval: true, frontDoorMustBeTold, tellParentAfterwards: false, reasons };
  }
  const tellParentAfterwards = parentWithout && !managerApproval.tellParentUnsafe;
  reasons.unshift(`${managerApproval.approvedByName} approved going ahead without consent.`);
  reasons.push(tellParentAfterwards
    ? 'The parent must be told afterwards that the referral was made (seed 001 Appendix B §6).'
    : parentWithout ? 'It was recorded as unsafe to tell the parent afterwards.' : 'Every parent gave consent, so there is nobody to tell afterwards.');
  return { proceed: true, needsManagerApproval: true, frontDoorMustBeTold, tellParentAfterwards, reasons };
}

// ---- changes to a person's consent ----

/** Consent can be withdrawn only once given; anything else may follow anything. */
export function transitionProblem(previous: ConsentStatus | null, next: ConsentStatus): string | null {
  if (next === 'withdrawn' && previous !== 'given') return 'Consent can be withdrawn only after it was given';
  return null;
}

// ---- managers ----

/**
 * Who may approve going ahead without consent and countersign sharing without it: the DSL (the "Designated Senior
 * Person", seed 001 §6; seed 002 "consider with their Designated Safeguarding Lead"), a line manager ("approved by
 * their manager", seed 001 §6; seed 004 points 6–9) and, at the front door, its manager (seed 001 §8: "a manager
 * from the … Partnership Services may decide"). Deputies record, but the second signature is a manager's.
 */
export const MANAGER_ROLES = ['dsl', 'line_manager', 'front_door_manager'] as const;

// ---- information sharing ----

export interface LawfulBasis { code: string; label: string; citation: string; url: string }

/** UK GDPR Article 6(1): the lawful basis for processing. Verbatim summaries of the Article's points. */
export const ARTICLE_6_BASES: LawfulBasis[] = [
  { code: '6(1)(e)', label: 'Public task: necessary for a task carried out in the public interest or in the exercise of official authority', citation: 'UK GDPR Article 6(1)(e)', url: 'https://www.legislation.gov.uk/eur/2016/679/article/6' },
  { code: '6(1)(c)', label: 'Legal obligation: necessary to comply with a legal obligation (for example Children Act 1989 s47, Children Act 2004 s11)', citation: 'UK GDPR Article 6(1)(c)', url: 'https://www.legislation.gov.uk/eur/2016/679/article/6' },
  { code: '6(1)(d)', label: 'Vital interests: necessary to protect someone’s life', citation: 'UK GDPR Article 6(1)(d)', url: 'https://www.legislation.gov.uk/eur/2016/679/article/6' },
  { code: '6(1)(f)', label: 'Legitimate interests (not for public authorities carrying out their tasks)', citation: 'UK GDPR Article 6(1)(f)', url: 'https://www.legislation.gov.uk/eur/2016/679/article/6' },
  { code: '6(1)(a)', label: 'Consent of the person the information is about', citation: 'UK GDPR Article 6(1)(a)', url: 'https://www.legislation.gov.uk/eur/2016/679/article/6' },
];

/** UK GDPR Article 9(2) conditions for special category data, with the Data Protection Act 2018 Schedule 1 condition where one applies. */
export const ARTICLE_9_CONDITIONS: LawfulBasis[] = [
  { code: '9(2)(g)', label: 'Substantial public interest, with the Data Protection Act 2018 Schedule 1 paragraph 18 condition: safeguarding of children and of individuals at risk', citation: 'UK GDPR Article 9(2)(g); DPA 2018 Schedule 1 Part 2 paragraph 18', url: 'https://www.legislation.gov.uk/ukpga/2018/12/schedule/1/paragraph/18' },
  { code: '9(2)(h)', label: 'Health or social care, with the Data Protection Act 2018 Schedule 1 paragraph 2 condition', citation: 'UK GDPR Article 9(2)(h); DPA 2018 Schedule 1 Part 1 paragraph 2', url: 'https://www.legislation.gov.uk/ukpga/2018/12/schedule/1/paragraph/2' },
  { code: '9(2)(b)', label: 'Employment, social security and social protection, with the Data Protection Act 2018 Schedule 1 paragraph 1 condition', citation: 'UK GDPR Article 9(2)(b); DPA 2018 Schedule 1 Part 1 paragraph 1', url: 'https://www.legislation.gov.uk/ukpga/2018/12/schedule/1/paragraph/1' },
  { code: '9(2)(c)', label: 'Vital interests, where the person cannot give consent', citation: 'UK GDPR Article 9(2)(c)', url: 'https://www.legislation.gov.uk/eur/2016/679/article/9' },
  { code: '9(2)(a)', label: 'Explicit consent', citation: 'UK GDPR Article 9(2)(a)', url: 'https://www.legislation.gov.uk/eur/2016/679/article/9' },
];

export const ARTICLE_6_CODES = ARTICLE_6_BASES.map((b) => b.code) as [string, ...string[]];
export const ARTICLE_9_CODES = ARTICLE_9_CONDITIONS.map((b) => b.code) as [string, ...string[]];

export function lawfulBasisText(article6: string | null, article9: readonly string[]): string {
  const parts = [ARTICLE_6_BASES.find((b) => b.code === article6)?.citation, ...article9.map((c) => ARTICLE_9_CONDITIONS.find((b) => b.code === c)?.citation)];
  return parts.filter(Boolean).join('; ');
}

/** The seven golden rules for information sharing, as seed 002 lists them (DfE 2018 guidance). */
export const GOLDEN_RULES: string[] = [
  'Data protection law and human rights law are not barriers to justified information sharing.',
  'Be open and honest about why, what, how and with whom information will be shared, and seek agreement, unless it is unsafe or inappropriate.',
  'Seek advice if you are in any doubt, without disclosing the identity of the person where possible.',
  'Share with consent where possible; you may share without it where there is a lawful basis, such as where safety may be at risk.',
  'Base decisions on the safety and well-being of the person and others who may be affected.',
  'Necessary, proportionate, relevant, adequate, accurate, timely and secure.',
  'Keep a record of your decision and the reasons for it, whether it is to share or not: what, with whom and for what purpose.',
];

/** Seed 004 points 5 and 8; DESIGN §4: share within one week (7 calendar days) of the decision. */
export const SHARE_WITHIN_DAYS = 7;
export function shareByDate(decidedOn: string): string {
  return addCalendarDays(decidedOn, SHARE_WITHIN_DAYS);
}

export interface SharingStateFacts {
  share: boolean;
  withoutConsent: boolean;
  countersigned: boolean;
  sharedOn: string | null;
  shareBy: string | null;
}

export type SharingState = 'not_shared' | 'awaiting_countersignature' | 'shared' | 'overdue' | 'to_share';

/** What the log shows for an entry today. Countersigning is a separate, second signature (seed 004 point 9). */
export function sharingStates(e: SharingStateFacts, today: string): SharingState[] {
  if (!e.share) return ['not_shared'];
  const states: SharingState[] = [];
  if (e.withoutConsent && !e.countersigned) states.push('awaiting_countersignature');
  if (e.sharedOn) states.push('shared');
  else if (e.shareBy && e.shareBy < today) states.push('overdue');
  else states.push('to_share');
  return states;
}

export const SHARING_STATE_TAGS: Record<SharingState, { text: string; colour: string }> = {
  not_shared: { text: 'Decided not to share', colour: 'grey' },
  awaiting_countersignature: { text: 'Awaiting countersignature', colour: 'orange' },
  shared: { text: 'Shared', colour: 'green' },
  overdue: { text: 'Overdue to share', colour: 'red' },
  to_share: { text: 'To share', colour: 'blue' },
};
