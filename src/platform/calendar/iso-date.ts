// Calendar dates as ISO `YYYY-MM-DD` strings. A date here is a day on the
// calendar, not an instant: arithmetic is done on whole days in UTC so that
// neither the host time zone nor daylight saving can shift a result.

/** A string already checked to be a real `YYYY-MM-DD` calendar date. */
export type IsoDate = string & { readonly __isoDate: unique symbol };

export type InvalidDateReason = 'not-a-string' | 'format' | 'impossible';

export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
  readonly input: unknown;
  readonly reason: InvalidDateReason;

  constructor(input: unknown, reason: InvalidDateReason, message: string) {
    super(message);
    this.input = input;
    this.reason = reason;
  }
}

/**
 * The earliest date anything recorded may carry (an event, a decision, a date of birth searched for): earlier is a
 * typing slip ("0026" for 2026), and years below 100 break date arithmetic downstream.
 */
export const EARLIEST_RECORDED_DATE = '1900-01-01';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for the parts of a date, or null if the date does not exist. */
function epochDayOf(year: number, month: number, day: number): number | null {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto the 1900s.
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return null;
  }
  return d.getTime() / MS_PER_DAY;
}

/**
 * Checks that `input` is a real calendar date written exactly as `YYYY-MM-DD`.
 * Rejects `2023-02-29`, `2024-13-01`, `2024-1-5`, trailing time parts and
 * surrounding whitespace.
 */
export function parseIsoDate(input: unknown): IsoDate {
  if (typeof input !== 'string') {
    throw new InvalidDateError(input, 'not-a-string', 'date must be a string in the form YYYY-MM-DD');
  }
  const m = ISO_DATE.exec(input);
  if (!m) {
    throw new InvalidDateError(input, 'format', `"${input}" is not a date in the form YYYY-MM-DD`);
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  // Year 0000 is valid ISO 8601 but not a date PostgreSQL (or the calendar) knows: there was no year 0.
  if (year < 1 || month < 1 || month > 12 || day < 1 || epochDayOf(year, month, day) === null) {
    throw new InvalidDateError(input, 'impossible', `${input} is not a real calendar date`);
  }
  return input as IsoDate;
}

export function isValidIsoDate(input: unknown): input is IsoDate {
  try {
    parseIsoDate(input);
    return true;
  } catch {
    return false;
  }
}

/** Whole days since 1970-01-01 (negative before). Validates the input. */
export function toEpochDay(date: string): number {
  const valid = parseIsoDate(date);
  return epochDayOf(Number(valid.slice(0, 4)), Number(valid.slice(5, 7)), Number(valid.slice(8, 10)))!;
}

export function fromEpochDay(epochDay: number): IsoDate {
  if (!Number.isSafeInteger(epochDay)) throw new RangeError(`epoch day must be an integer, got ${epochDay}`);
  const d = new Date(epochDay * MS_PER_DAY);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999) {
    throw new RangeError(`epoch day ${epochDay} is outside years 0000–9999`);
  }
  return d.toISOString().slice(0, 10) as IsoDate;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return isoWeekdayOfEpochDay(toEpochDay(date));
}

export function isoWeekdayOfEpochDay(epochDay: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: string): boolean {
  return isoWeekday(date) >= 6;
}

export function addCalendarDays(date: string, days: number): IsoDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return fromEpochDay(toEpochDay(date) + days);
}

/**
 * Adds calendar months; when the target month is shorter the result is its
 * last day (31 January + 1 month = 28 or 29 February), the usual reading of
 * "within one month" in English law and in most date libraries.
 */
export function addCalendarMonths(date: string, months: number): IsoDate {
  if (!Number.isSafeInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const valid = parseIsoDate(date);
  const total = Number(valid.slice(0, 4)) * 12 + (Number(valid.slice(5, 7)) - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const lastDay = daysInMonth(year, month);
  const day = Math.min(Number(valid.slice(8, 10)), lastDay);
  const epochDay = epochDayOf(year, month, day);
  if (epochDay === null) throw new RangeError(`${date} + ${months} months is outside years 0000–9999`);
  return fromEpochDay(epochDay);
}

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

export function compareIsoDates(a: string, b: string): number {
  return toEpochDay(a) - toEpochDay(b);
}
