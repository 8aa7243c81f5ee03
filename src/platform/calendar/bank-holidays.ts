// England and Wales bank holidays.
//
// Two sources, one rule per year:
// - 2015–2030: the GOV.UK list in official-bank-holidays.ts and nothing else. It is the
//   published authority and carries the one-off holidays; a unit test checks that the
//   date-holidays library agrees with it for every one of those years, so a gap in either
//   shows up as a failing test rather than a wrong deadline. Taking the union instead
//   would not be safer: an extra holiday pushes a statutory deadline later just as surely
//   as a missing one pulls it earlier.
// - 2031–2099: date-holidays (country GB, state ENG, type "public" only), which projects
//   the statutory pattern and substitute days. One-off holidays are announced a year or
//   less ahead, so add them to the official list when they are.
// Dates before 2015 are refused: earlier years had one-offs (2011, 2012) that the library
// does not model, and no clock in this system starts that early.
//
// The library also reports 25/26 December and 1 January when they fall at a weekend,
// alongside the weekday substitute. GOV.UK lists only the substitute, so weekend dates
// are dropped; they are not working days either way.

import Holidays from 'date-holidays';
import {
  OFFICIAL_BANK_HOLIDAYS,
  OFFICIAL_FIRST_YEAR,
  OFFICIAL_LAST_YEAR,
} from './official-bank-holidays.ts';
import { isoWeekday, parseIsoDate, toEpochDay, type IsoDate } from './iso-date.ts';

export interface BankHoliday {
  readonly date: IsoDate;
  readonly name: string;
}

export type BankHolidaySource = 'official-list' | 'date-holidays';

export const CALENDAR_FIRST_YEAR = OFFICIAL_FIRST_YEAR;
export const CALENDAR_LAST_YEAR = 2099;
export const CALENDAR_FIRST_DATE = `${CALENDAR_FIRST_YEAR}-01-01` as IsoDate;
export const CALENDAR_LAST_DATE = `${CALENDAR_LAST_YEAR}-12-31` as IsoDate;

/** A valid date outside the years for which bank holidays are known. */
export class CalendarRangeError extends RangeError {
  override readonly name = 'CalendarRangeError';
  readonly date: string;

  constructor(date: string) {
    super(`${date} is outside the supported calendar ${CALENDAR_FIRST_DATE} to ${CALENDAR_LAST_DATE}`);
    this.date = date;
  }
}

/** Validates the date and that bank holidays are known for its year. */
export function assertInCalendarRange(date: string): IsoDate {
  const valid = parseIsoDate(date);
  const year = Number(valid.slice(0, 4));
  if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) throw new CalendarRangeError(valid);
  return valid;
}

export function bankHolidaySource(year: number): BankHolidaySource {
  return year >= OFFICIAL_FIRST_YEAR && year <= OFFICIAL_LAST_YEAR ? 'official-list' : 'date-holidays';
}

let library: Holidays | undefined;

/**
 * What date-holidays says for a year: public holidays for England, weekday dates only
 * unless `includeWeekends` is set. Exposed for the cross-check test.
 */
export function libraryBankHolidays(year: number, options: { includeWeekends?: boolean } = {}): BankHoliday[] {
  if (!Number.isSafeInteger(year)) throw new RangeError(`year must be an integer, got ${year}`);
  library ??= new Holidays('GB', 'ENG', { types: ['public'], languages: ['en'] });
  const out: BankHoliday[] = [];
  for (const h of library.getHolidays(year, 'en')) {
    if (h.type !== 'public') continue;
    // `date` is "YYYY-MM-DD hh:mm:ss" in the holiday's own zone, so it does not depend on the host's.
    const date = parseIsoDate(h.date.slice(0, 10));
    if (!options.includeWeekends && isoWeekday(date) >= 6) continue;
    // GOV.UK writes typographic apostrophes; keep names consistent across sources.
    out.push({ date, name: h.name.replace(/'/g, '’') });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const byYear = new Map<number, readonly BankHoliday[]>();
const namesByYear = new Map<number, ReadonlyMap<string, string>>();

function officialFor(year: number): BankHoliday[] {
  return OFFICIAL_BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${year}-`)).map((h) => ({
    date: parseIsoDate(h.date),
    name: h.name,
  }));
}

/** Bank holidays in a supported year, sorted by date. */
export function bankHolidaysInYear(year: number): readonly BankHoliday[] {
  if (!Number.isSafeInteger(year) || year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
    throw new CalendarRangeError(String(year));
  }
  let list = byYear.get(year);
  if (!list) {
    list = Object.freeze(bankHolidaySource(year) === 'official-list' ? officialFor(year) : libraryBankHolidays(year));
    byYear.set(year, list);
    namesByYear.set(year, new Map(list.map((h) => [h.date, h.name])));
  }
  return list;
}

function namesFor(year: number): ReadonlyMap<string, string> {
  bankHolidaysInYear(year);
  return namesByYear.get(year)!;
}

/** The bank holiday's name, or undefined if the date is not a bank holiday. */
export function bankHolidayName(date: string): string | undefined {
  const valid = assertInCalendarRange(date);
  return namesFor(Number(valid.slice(0, 4))).get(valid);
}

export function isBankHoliday(date: string): boolean {
  return bankHolidayName(date) !== undefined;
}

/** Bank holidays from `from` to `to`, both inclusive, sorted by date. */
export function bankHolidaysBetween(from: string, to: string): BankHoliday[] {
  const start = assertInCalendarRange(from);
  const end = assertInCalendarRange(to);
  if (toEpochDay(end) < toEpochDay(start)) throw new RangeError(`${to} is before ${from}`);
  const out: BankHoliday[] = [];
  for (let year = Number(start.slice(0, 4)); year <= Number(end.slice(0, 4)); year++) {
    for (const h of bankHolidaysInYear(year)) {
      if (h.date >= start && h.date <= end) out.push(h);
    }
  }
  return out;
}
