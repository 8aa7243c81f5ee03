// Identifiers and addresses as people type them: NHS number, unique pupil number (UPN), UK postcode.
// Pure functions, no I/O.

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * NHS number: 10 digits, the last a modulus 11 check digit over the first nine (weights 10 down to 2).
 * Spaces and hyphens are accepted as typed ("943 476 5919", "943-476-5919"); the value kept is the 10 digits.
 * A remainder giving a check digit of 10 means the number was never issued.
 */
export function checkNhsNumber(input: string): Checked<string> {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) return { ok: false, error: 'NHS number must only include numbers 0 to 9, spaces and hyphens' };
  if (digits.length !== 10) return { ok: false, error: 'NHS number must be 10 digits' };
  const check = nhsCheckDigit(digits.slice(0, 9));
  if (check === null || check !== Number(digits[9])) {
    return { ok: false, error: 'Enter a valid NHS number – check you have typed it correctly' };
  }
  return { ok: true, value: digits };
}

/** The check digit for nine digits, or null when the number cannot be valid (check digit would be 10). */
export function nhsCheckDigit(nineDigits: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** Letters used for the UPN check letter and a temporary UPN's last character: A–Z without I, O and S. */
export const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * The UPN check letter (character 1) for characters 2–13, per the DfE UPN specification: each character is
 * multiplied by its position (character 2 × 2 … character 13 × 13), a temporary UPN's final letter counting
 * as its index in UPN_LETTERS (A = 0 … Z = 22); the sum modulo 23 indexes UPN_LETTERS.
 * Returns null when characters 2–13 are not 11 digits followed by a digit or an allowed letter.
 */
export function upnCheckLetter(rest: string): string | null {
  if (!/^\d{11}[0-9A-Z]$/.test(rest)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) {
    const ch = rest[i]!;
    const value = /\d/.test(ch) ? Number(ch) : UPN_LETTERS.indexOf(ch);
    if (value < 0) return null;
    sum += value * (i + 2);
  }
  return UPN_LETTERS[sum % 23]!;
}

/** UPN: 13 characters, check letter then 12; a temporary UPN ends with a letter. Spaces are ignored. */
export function checkUpn(input: string): Checked<string> {
  const upn = input.replace(/\s/g, '').toUpperCase();
  if (upn.length !== 13) return { ok: false, error: 'Unique pupil number (UPN) must be 13 characters' };
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(upn)) {
    return { ok: false, error: 'Unique pupil number (UPN) must be a letter, 11 numbers, then a number or a letter' };
  }
  const expected = upnCheckLetter(upn.slice(1));
  if (expected === null || expected !== upn[0]) {
    return { ok: false, error: 'Enter a valid unique pupil number (UPN) – check you have typed it correctly' };
  }
  return { ok: true, value: upn };
}

export function isTemporaryUpn(upn: string): boolean {
  return /[A-Z]$/.test(upn);
}

// Outward code (area, district, optional sub-district) then inward code (sector digit, two-letter unit).
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/;
const OUTWARD = /^[A-Z]{1,2}\d[A-Z\d]?$/;

/** A UK postcode in its standard written form, "ME4 4AA", from any spacing or case; null if it is not one. */
export function normalisePostcode(input: string): string | null {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (compact === 'GIR0AA') return 'GIR 0AA';
  if (!POSTCODE.test(compact)) return null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

export function checkPostcode(input: string): Checked<string> {
  const value = normalisePostcode(input);
  return value ? { ok: true, value } : { ok: false, error: 'Enter a full UK postcode, like ME4 4TR' };
}

export interface PostcodeSearchKey {
  /** compacted as child_addresses.postcode_key is: the full postcode, or the outward code when outwardOnly */
  key: string;
  outwardOnly: boolean;
  /** with an outward code, the sector digit typed after it ("ME4 4") */
  sector?: string;
}

/**
 * For search: a full postcode, its outward code ("ME4"), or its outward code and sector ("ME4 4").
 * Returns null when the text is none of these.
 */
export function postcodeSearchKey(input: string): PostcodeSearchKey | null {
  const full = normalisePostcode(input);
  if (full) return { key: full.replace(' ', ''), outwardOnly: false };
  // The space says where the outward code ends: "ME4 4" is ME4, sector 4, not the district ME44.
  const [outward = '', inward = '', ...rest] = input.trim().toUpperCase().split(/\s+/);
  if (rest.length || !OUTWARD.test(outward)) return null;
  if (!inward) return { key: outward, outwardOnly: true };
  return /^\d$/.test(inward) ? { key: outward, outwardOnly: true, sector: inward } : null;
}

/** The outward code of a compacted or written postcode ("ME44AA" → "ME4"). */
export function outwardCode(postcode: string): string {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return compact.length > 3 ? compact.slice(0, -3) : compact;
}
