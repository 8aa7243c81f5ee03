// What a child's record may contain, checked at every boundary (form posts and the API) by one schema.
import { z } from 'zod';
import { addCalendarDays, EARLIEST_RECORDED_DATE, isValidIsoDate, toEpochDay } from '../platform/calendar/iso-date.ts';
import { checkNhsNumber, checkPostcode, checkUpn, postcodeSearchKey } from './identifiers.ts';

export const SEXES = ['female', 'male', 'not_known', 'not_stated'] as const;
export const SEX_LABELS: Record<(typeof SEXES)[number], string> = {
  female: 'Female', male: 'Male', not_known: 'Not known', not_stated: 'Not stated',
};
export const SEN_STATUSES = ['none', 'sen_support', 'ehcp', 'not_known'] as const;
export const SEN_LABELS: Record<(typeof SEN_STATUSES)[number], string> = {
  none: 'No special educational needs', sen_support: 'SEN support', ehcp: 'Education, health and care plan', not_known: 'Not known',
};
export const STATUS_FLAGS = ['childProtectionPlan', 'childInNeed', 'lookedAfter', 'ehcp', 'youngCarer', 'privatelyFostered'] as const;
export type StatusFlag = (typeof STATUS_FLAGS)[number];
export const FLAG_LABELS: Record<StatusFlag, string> = {
  childProtectionPlan: 'Child protection plan',
  childInNeed: 'Child in need',
  lookedAfter: 'Looked after',
  ehcp: 'EHCP',
  youngCarer: 'Young carer',
  privatelyFostered: 'Privately fostered',
};
export const NAME_KINDS = ['alias', 'previous'] as const;

/** Today's date in England, as YYYY-MM-DD. */
export function todayInLondon(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const text = (max: number, label: string) => z.string().trim().max(max, `${label} must be ${max} characters or fewer`);
const optionalText = (max: number, label: string) =>
  text(max, label).nullable().optional().transform((v) => (v ? v : null));
const name = (label: string) => text(100, label).min(1, `Enter the child’s ${label.toLowerCase()}`);

const isoDate = (label: string) => z.string().trim()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s), `${label} must be a date in the format YYYY-MM-DD`)
  .refine((s) => isValidIsoDate(s), `${label} must be a real date`);

const nhsNumber = z.string().transform((v, ctx) => {
  const r = checkNhsNumber(v);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: r.error });
  return z.NEVER;
});
const upn = z.string().transform((v, ctx) => {
  const r = checkUpn(v);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: r.error });
  return z.NEVER;
});
const postcode = z.string().transform((v, ctx) => {
  const r = checkPostcode(v);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: r.error });
  return z.NEVER;
});
/** Empty text means "not given". */
const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToNull, schema.nullable().optional());

/** Checks the `today` a schema was made for, or (by default) the day it parses on, so a long-running process never goes stale. */
type Today = () => string;
const fixedOrNow = (today?: string): Today => (today ? () => today : () => todayInLondon());

/** A real date, today or earlier and no more than `years` before today; the checks run only on a real date. */
const pastDate = (label: string, years: number, today: Today) => isoDate(label)
  .refine((s) => !isValidIsoDate(s) || s <= today(), `${label} must be today or in the past`)
  .refine((s) => !isValidIsoDate(s) || s > today() || s >= yearsBefore(today(), years), `${label} must be within the last ${years} years`);

export function addressSchema(today?: string) {
  const now = fixedOrNow(today);
  return z.object({
    line1: text(200, 'Address line 1').min(1, 'Enter address line 1, typically the building and street'),
    line2: optionalText(200, 'Address line 2'),
    town: optionalText(100, 'Town or city'),
    postcode: optional(postcode),
    // A move is recorded once it has happened; the history ends the previous address the day before.
    fromDate: optional(isoDate('Date they moved in').refine((s) => !isValidIsoDate(s) || s <= now(), 'Date they moved in must be today or in the past')),
  });
}
export type AddressInput = z.infer<ReturnType<typeof addressSchema>>;

export const otherNameSchema = z.object({
  kind: z.enum(NAME_KINDS, 'Choose whether this is an alias or a previous name'),
  firstName: text(100, 'First name').default(''),
  lastName: text(100, 'Last name').default(''),
}).refine((n) => n.firstName !== '' || n.lastName !== '', { message: 'Enter a first name or a last name', path: ['firstName'] });
export type OtherNameInput = z.infer<typeof otherNameSchema>;

const fields = {
  firstName: name('First name'),
  middleNames: optionalText(200, 'Middle names'),
  lastName: name('Last name'),
  knownAs: optionalText(100, 'Known as'),
  dateOfBirth: optional(isoDate('Date of birth')),
  expectedDueDate: optional(isoDate('Expected due date')),
  sex: optional(z.enum(SEXES, 'Choose the child’s sex')),
  gender: optionalText(100, 'Gender'),
  ethnicity: optionalText(100, 'Ethnicity'),
  firstLanguage: optionalText(100, 'First language'),
  religion: optionalText(100, 'Religion'),
  interpreterNeeded: z.boolean().optional().default(false),
  communicationNeeds: optionalText(2000, 'Communication needs'),
  senStatus: optional(z.enum(SEN_STATUSES, 'Choose the child’s special educational needs status')),
  disability: optionalText(2000, 'Disability'),
  schoolOrSetting: optionalText(200, 'School or setting'),
  nhsNumber: optional(nhsNumber),
  upn: optional(upn),
  childProtectionPlan: z.boolean().optional().default(false),
  childInNeed: z.boolean().optional().default(false),
  lookedAfter: z.boolean().optional().default(false),
  ehcp: z.boolean().optional().default(false),
  youngCarer: z.boolean().optional().default(false),
  privatelyFostered: z.boolean().optional().default(false),
};

type ChildDates = { dateOfBirth?: string | null; expectedDueDate?: string | null };

export const DATE_NEEDED = 'Enter the child’s date of birth, or an expected due date if the child is not born yet';

/** The same calendar date `years` earlier (29 February becomes 28 February), so "within the last 25 years" means what it says. */
export function yearsBefore(today: string, years: number): string {
  const [y, m, d] = today.split('-');
  const date = `${String(Number(y) - years).padStart(4, '0')}-${m}-${d}`;
  return isValidIsoDate(date) ? date : `${date.slice(0, 8)}28`;
}

/** What is wrong with a (real) child's date of birth, or null: it is in the past and within the last 25 years. Shared by every form that takes one. */
export function childDateOfBirthProblem(dob: string, today = todayInLondon()): string | null {
  if (toEpochDay(dob) > toEpochDay(today)) return 'Date of birth must be today or in the past';
  if (dob < yearsBefore(today, 25)) return 'Date of birth must be within the last 25 years';
  return null;
}

/** Born children have a date of birth in the past; unborn children an expected due date within ten months. */
function checkDates(v: ChildDates, ctx: z.RefinementCtx, today: string, current: ChildDates) {
  // Other checks may already have refused a date; only real dates are compared here.
  const dob = isValidIsoDate(v.dateOfBirth) ? v.dateOfBirth : null;
  const edd = isValidIsoDate(v.expectedDueDate) ? v.expectedDueDate : null;
  if ((v.dateOfBirth && !dob) || (v.expectedDueDate && !edd)) return;
  if (dob && edd) {
    ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Enter either a date of birth or an expected due date, not both' });
    return;
  }
  // One is required of what the record will hold: a date not sent keeps its current value (undefined: not known).
  const left = (k: keyof ChildDates) => (v[k] !== undefined ? v[k] : current[k]);
  if (!dob && !edd && left('dateOfBirth') === null && left('expectedDueDate') === null) {
    ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: DATE_NEEDED });
    return;
  }
  const day = toEpochDay(today);
  const dobProblem = dob ? childDateOfBirthProblem(dob, today) : null;
  if (dobProblem) ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: dobProblem });
  if (edd) {
    if (toEpochDay(edd) - day > 310) ctx.addIssue({ code: 'custom', path: ['expectedDueDate'], message: 'Expected due date must be within the next 10 months' });
    else if (day - toEpochDay(edd) > 60) ctx.addIssue({ code: 'custom', path: ['expectedDueDate'], message: 'Expected due date must be within the last 2 months – if the child has been born, enter their date of birth' });
  }
}

export function newChildSchema(today = todayInLondon()) {
  return z.object({
    ...fields,
    address: addressSchema(today).nullable().optional(),
    otherNames: z.array(otherNameSchema).max(20).optional().default([]),
    /** Skip the check for likely existing records: the user has seen them and says this is a different child. */
    confirmNew: z.boolean().optional().default(false),
  }).superRefine((v, ctx) => checkDates(v, ctx, today, { dateOfBirth: null, expectedDueDate: null }));
}
export type NewChildInput = z.output<ReturnType<typeof newChildSchema>>;

/**
 * Changes to a record. A date not sent keeps the record's value, which only updateChild knows, so here only
 * blanking both at once is refused; updateChild refuses a change that would leave neither.
 */
export function childChangesSchema(today = todayInLondon()) {
  const partial = Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, s.optional()])) as {
    [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]>;
  };
  return z.object({
    ...partial,
    firstName: name('First name').optional(),
    lastName: name('Last name').optional(),
    interpreterNeeded: z.boolean().optional(),
    childProtectionPlan: z.boolean().optional(),
    childInNeed: z.boolean().optional(),
    lookedAfter: z.boolean().optional(),
    ehcp: z.boolean().optional(),
    youngCarer: z.boolean().optional(),
    privatelyFostered: z.boolean().optional(),
    /** a new current address; the one before it is kept in the history, ended the day before this one began (or today) */
    address: addressSchema(today).nullable().optional(),
  }).strict().superRefine((v, ctx) => checkDates(v, ctx, today, {}));
}
export type ChildChanges = z.output<ReturnType<typeof childChangesSchema>>;

export const householdAdultSchema = z.object({
  firstName: text(100, 'First name').min(1, 'Enter their first name'),
  lastName: text(100, 'Last name').min(1, 'Enter their last name'),
  dateOfBirth: optional(pastDate('Date of birth', 120, fixedOrNow())),
  relationship: text(100, 'Relationship').min(1, 'Enter their relationship to the child, for example mother or mother’s partner'),
  parentalResponsibility: z.boolean({ error: 'Choose whether they have parental responsibility' }),
  livesWithChild: z.boolean({ error: 'Choose whether they live with the child' }),
  significantAdult: z.boolean().optional().default(false),
  phone: optionalText(40, 'Phone number'),
  address: optionalText(400, 'Address'),
  notes: optionalText(2000, 'Notes'),
});
export type HouseholdAdultInput = z.infer<typeof householdAdultSchema>;

export const siblingLinkSchema = z.object({
  relatedChildId: z.uuid('Choose the child to link'),
  relationship: text(100, 'Relationship').min(1, 'Enter their relationship, for example sister or half-brother').default('Sibling'),
  livesWithChild: z.boolean().optional().default(true),
});
export type SiblingLinkInput = z.infer<typeof siblingLinkSchema>;
/** From the page, where the user is asked both: the relationship (prefilled "Sibling") and whether they live with the child. */
export const siblingLinkFormSchema = siblingLinkSchema.extend({
  relationship: text(100, 'Relationship').min(1, 'Enter their relationship, for example sister or half-brother'),
  livesWithChild: z.boolean({ error: 'Choose whether they live with the child' }),
});

export const professionalSchema = z.object({
  name: text(200, 'Name').min(1, 'Enter the professional’s name'),
  role: text(200, 'Role').min(1, 'Enter their role, for example social worker or health visitor'),
  organisation: optionalText(200, 'Organisation'),
  phone: optionalText(40, 'Phone number'),
  email: optional(z.string().trim().max(200).pipe(z.email('Enter an email address in the correct format, like name@example.com'))),
});
export type ProfessionalInput = z.infer<typeof professionalSchema>;

export const searchQuerySchema = z.object({
  name: optionalText(200, 'Name'),
  // A bounded range: the search also looks a few days either side, which must stay a real date. Up to a year
  // ahead, because the same date finds an unborn child by their expected due date.
  dateOfBirth: optional(isoDate('Date of birth')
    .refine((s) => !isValidIsoDate(s) || s <= addCalendarDays(todayInLondon(), 366), 'Date of birth must be no more than a year from today (an expected due date)')
    .refine((s) => !isValidIsoDate(s) || s >= EARLIEST_RECORDED_DATE, 'Date of birth must be 1 January 1900 or later')),
  postcode: optional(z.string().trim().max(10, 'Postcode must be 10 characters or fewer')
    .refine((v) => postcodeSearchKey(v) !== null, 'Enter a full UK postcode, like ME4 4TR, or the first part of one, like ME4')),
  nhsNumber: optional(nhsNumber),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
