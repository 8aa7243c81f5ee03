// Turning the child's record forms (strings, GOV.UK date inputs, checkboxes) into the domain's input and
// back, and validation problems into the error summary with links to the right field. Pure.
import type { z } from 'zod';
import { addError, noErrors, type FormErrors } from '../platform/http/forms.ts';
import type { ChildRecord } from './store.ts';
import { STATUS_FLAGS } from './validation.ts';

export type FormValues = Record<string, string | string[]>;

export function str(body: FormValues, name: string): string {
  const v = body[name];
  return (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
}

export function list(body: FormValues, name: string): string[] {
  const v = body[name];
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
}

/** Keeps only string fields (and lists of strings) from a parsed form body. */
export function formValues(body: unknown): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/** Hidden inputs re-sending a form exactly as typed (for "this is a different child"). */
export function hiddenFields(values: FormValues, omit: string[] = []): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [name, v] of Object.entries(values)) {
    if (omit.includes(name)) continue;
    for (const value of Array.isArray(v) ? v : [v]) out.push({ name, value });
  }
  return out;
}

const DATE_LABELS: Record<string, string> = {
  dateOfBirth: 'Date of birth', expectedDueDate: 'Expected due date', addressFrom: 'Date they moved in', personDateOfBirth: 'Date of birth',
};

/** A GOV.UK date input's three parts as YYYY-MM-DD; null when all are blank; an error message when unusable. */
export function readDateParts(body: FormValues, name: string): { value: string | null; error?: string } {
  const label = DATE_LABELS[name] ?? 'Date';
  const day = str(body, `${name}-day`).trim();
  const month = str(body, `${name}-month`).trim();
  const year = str(body, `${name}-year`).trim();
  if (!day && !month && !year) return { value: null };
  const missing = [['day', day], ['month', month], ['year', year]].filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) return { value: null, error: `${label} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { value: null, error: `${label} must be a real date, with the year in 4 digits` };
  }
  return { value: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` };
}

export function dateParts(iso: string | null | undefined): { day: string; month: string; year: string } {
  if (!iso) return { day: '', month: '', year: '' };
  return { day: String(Number(iso.slice(8, 10))), month: String(Number(iso.slice(5, 7))), year: iso.slice(0, 4) };
}

const yesNo = (v: string): boolean | undefined => (v === 'yes' ? true : v === 'no' ? false : undefined);
const orNull = (v: string) => (v.trim() === '' ? null : v);

/** Where an error about a field should take the user (the first input of a date, the address inputs). */
export function fieldAnchor(path: readonly PropertyKey[]): string {
  const [first, second, third] = path.map(String);
  if (first === 'dateOfBirth' || first === 'expectedDueDate') return `${first}-day`;
  if (first === 'address') return second === 'fromDate' ? 'addressFrom-day' : `address${(second ?? 'line1').charAt(0).toUpperCase()}${(second ?? 'line1').slice(1)}`;
  if (first === 'otherNames') return third === 'lastName' ? 'otherLastName' : third === 'kind' ? 'otherKind' : 'otherFirstName';
  return first ?? 'form';
}

export function addZodErrors(errors: FormErrors, error: z.ZodError): FormErrors {
  for (const issue of error.issues) addError(errors, fieldAnchor(issue.path), issue.message);
  return errors;
}

/**
 * The child's details from the new-child or edit form. `creating` adds the current address and another
 * name; editing adds a new address only when one is typed.
 */
export function readChildForm(body: FormValues, creating: boolean): { input: Record<string, unknown>; errors: FormErrors } {
  const errors = noErrors();
  const input: Record<string, unknown> = {};
  for (const f of ['firstName', 'middleNames', 'lastName', 'knownAs', 'gender', 'ethnicity', 'firstLanguage', 'religion',
    'communicationNeeds', 'disability', 'schoolOrSetting', 'nhsNumber', 'upn']) {
    input[f] = creating ? str(body, f) : orNull(str(body, f));
  }
  if (!creating) {
    input.firstName = str(body, 'firstName');
    input.lastName = str(body, 'lastName');
  }
  input.sex = orNull(str(body, 'sex'));
  input.senStatus = orNull(str(body, 'senStatus'));
  input.interpreterNeeded = yesNo(str(body, 'interpreterNeeded')) ?? false;
  const flags = list(body, 'flags');
  for (const flag of STATUS_FLAGS) input[flag] = flags.includes(flag);

  // A born child has a date of birth, an unborn child an expected due date; the schema insists on one.
  const dob = readDateParts(body, 'dateOfBirth');
  if (dob.error) addError(errors, 'dateOfBirth-day', dob.error);
  input.dateOfBirth = dob.value;
  const edd = readDateParts(body, 'expectedDueDate');
  if (edd.error) addError(errors, 'expectedDueDate-day', edd.error);
  input.expectedDueDate = edd.value;

  const address = {
    line1: str(body, 'addressLine1'), line2: str(body, 'addressLine2'), town: str(body, 'addressTown'), postcode: str(body, 'addressPostcode'),
  };
  const from = readDateParts(body, 'addressFrom');
  if (from.error) addError(errors, 'addressFrom-day', from.error);
  if (Object.values(address).some((v) => v.trim() !== '') || from.value) input.address = { ...address, fromDate: from.value };
  else input.address = creating ? null : undefined;

  if (creating) {
    const other = { kind: str(body, 'otherKind') || 'alias', firstName: str(body, 'otherFirstName'), lastName: str(body, 'otherLastName') };
    input.otherNames = other.firstName.trim() || other.lastName.trim() ? [other] : [];
    input.confirmNew = str(body, 'confirmNew') === 'yes';
  }
  return { input, errors };
}

/** A child's record as values for the edit form. */
export function childToForm(c: ChildRecord): FormValues {
  const dob = dateParts(c.dateOfBirth);
  const edd = dateParts(c.expectedDueDate);
  const v: FormValues = {
    firstName: c.firstName, middleNames: c.middleNames ?? '', lastName: c.lastName, knownAs: c.knownAs ?? '',
    'dateOfBirth-day': dob.day, 'dateOfBirth-month': dob.month, 'dateOfBirth-year': dob.year,
    'expectedDueDate-day': edd.day, 'expectedDueDate-month': edd.month, 'expectedDueDate-year': edd.year,
    sex: c.sex ?? '', gender: c.gender ?? '', ethnicity: c.ethnicity ?? '', firstLanguage: c.firstLanguage ?? '', religion: c.religion ?? '',
    interpreterNeeded: c.interpreterNeeded ? 'yes' : 'no', communicationNeeds: c.communicationNeeds ?? '',
    senStatus: c.senStatus ?? '', disability: c.disability ?? '', schoolOrSetting: c.schoolOrSetting ?? '',
    nhsNumber: c.nhsNumber ?? '', upn: c.upn ?? '',
    flags: STATUS_FLAGS.filter((f) => c[f]),
  };
  return v;
}
