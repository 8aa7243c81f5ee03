// Working days and statutory clocks (DESIGN §4).
//
// A working day is Monday to Friday and not an England and Wales bank holiday.
// Semantics:
// - addWorkingDays(from, n): the day on which n whole working days after `from` have
//   elapsed, found by stepping forward one day at a time and counting only working days.
//   `from` itself never counts, whether or not it is a working day, and
//   addWorkingDays(x, 0) === x. So a 1-working-day clock started on a Saturday, or on
//   the bank holiday of Friday 3 June 2022, is due on the Monday; one started on an
//   ordinary Thursday is due on the Friday. Local policy that treats a referral received at the weekend as received on
//   the next working day belongs to the caller, not here.
// - workingDaysBetween(from, to): working days d with from < d <= to; if to is before
//   from, minus the working days with to < d <= from. Hence
//   workingDaysBetween(x, addWorkingDays(x, n)) === n, and it is additive:
//   between(a, b) + between(b, c) === between(a, c).
// - Hour clocks (the 48-hour telephone-confirmation clock) are elapsed time. There is no
//   working-hours clock: no timescale in DESIGN §4 is expressed in working hours, and any
//   definition would need agreed office hours.
// - Date-based clocks started from an instant use that instant's date in England
//   (Europe/London), so a contact at 00:30 BST counts from that day, not the UTC day before.

import {
  CALENDAR_LAST_DATE,
  CalendarRangeError,
  assertInCalendarRange,
  bankHolidaysBetween,
  isBankHoliday,
} from './bank-holidays.ts';
import {
  addCalendarDays,
  addCalendarMonths,
  fromEpochDay,
  isoWeekday,
  isoWeekdayOfEpochDay,
  parseIsoDate,
  toEpochDay,
  type IsoDate,
} from './iso-date.ts';

export function isWorkingDay(date: string): boolean {
  const valid = assertInCalendarRange(date);
  return isoWeekday(valid) <= 5 && !isBankHoliday(valid);
}

function assertCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${name} must be a whole number of 0 or more, got ${n}`);
  }
}

export function addWorkingDays(from: string, n: number): IsoDate {
  const start = assertInCalendarRange(from);
  assertCount('working days', n);
  if (n === 0) return start;
  // The n-th working day after `from` is the earliest day d with workingDaysBetween(from, d) >= n
  // (the count only grows with d), so binary-search for it instead of stepping a day at a time.
  let lo = toEpochDay(start); // count here is 0 < n
  const last = toEpochDay(CALENDAR_LAST_DATE);
  // 2n + 30 calendar days always hold n working days; the check keeps this honest.
  let hi = Math.min(last, lo + 2 * n + 30);
  if (workingDaysBetween(start, fromEpochDay(hi)) < n) {
    if (hi === last || workingDaysBetween(start, CALENDAR_LAST_DATE) < n) {
      throw new CalendarRangeError(fromEpochDay(last + 1));
    }
    hi = last;
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (workingDaysBetween(start, fromEpochDay(mid)) >= n) hi = mid;
    else lo = mid;
  }
  return fromEpochDay(hi);
}

/** Monday–Friday days in the epoch-day interval (a, b], a <= b. */
function weekdaysAfterUpTo(a: number, b: number): number {
  const span = b - a;
  let count = Math.floor(span / 7) * 5;
  for (let d = a + 1 + Math.floor(span / 7) * 7; d <= b; d++) {
    if (isoWeekdayOfEpochDay(d) <= 5) count += 1;
  }
  return count;
}

// Queues and clocks ask the same question for many rows with the same dates.
const betweenAnswers = new Map<string, number>();

export function workingDaysBetween(from: string, to: string): number {
  const key = `${from}|${to}`;
  let answer = betweenAnswers.get(key);
  if (answer === undefined) {
    answer = countWorkingDaysBetween(from, to);
    if (betweenAnswers.size >= 100_000) betweenAnswers.clear();
    betweenAnswers.set(key, answer);
  }
  return answer;
}

function countWorkingDaysBetween(from: string, to: string): number {
  const a = toEpochDay(assertInCalendarRange(from));
  const b = toEpochDay(assertInCalendarRange(to));
  if (a === b) return 0;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  // Bank holidays from both sources are weekdays only, so each one removes exactly one weekday.
  const count = weekdaysAfterUpTo(lo, hi) - bankHolidaysBetween(fromEpochDay(lo + 1), fromEpochDay(hi)).length;
  // `0 - count` rather than `-count`, which gives -0 for an empty interval.
  return b > a ? count : 0 - count;
}

function assertInstant(name: string, d: Date): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${name} must be a valid Date`);
}

/** Plain elapsed hours: 48 hours after 10:00 on a Saturday is 10:00 on Monday, DST or not. */
export function addHours(fromInstant: Date, hours: number): Date {
  assertInstant('fromInstant', fromInstant);
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be a finite number of 0 or more, got ${hours}`);
  return new Date(fromInstant.getTime() + hours * 3_600_000);
}

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

// England's offset from UTC is a whole hour and changes on the hour, so the date is the same throughout
// each UTC hour: one time-zone lookup per hour serves every instant in it (queues show hundreds at once).
const HOUR_MS = 3_600_000;
const londonDateOfHour = new Map<number, IsoDate>();

/** The calendar date in England at the given instant. */
export function londonDateOf(instant: Date): IsoDate {
  assertInstant('instant', instant);
  const hour = Math.floor(instant.getTime() / HOUR_MS);
  let date = londonDateOfHour.get(hour);
  if (date === undefined) {
    const parts = Object.fromEntries(londonDate.formatToParts(instant).map((p) => [p.type, p.value]));
    date = parseIsoDate(`${parts['year']}-${parts['month']}-${parts['day']}`);
    if (londonDateOfHour.size >= 100_000) londonDateOfHour.clear();
    londonDateOfHour.set(hour, date);
  }
  return date;
}

export type ClockUnit = 'working-days' | 'hours' | 'calendar-days' | 'weeks' | 'months';

export interface Clock {
  readonly length: number;
  readonly unit: ClockUnit;
}

/**
 * When a clock falls due. Hour clocks end at an instant; the others end on a calendar
 * date in England, and the work is on time if done by the end of that day.
 */
export type Due = { readonly kind: 'instant'; readonly instant: Date } | { readonly kind: 'date'; readonly date: IsoDate };

export function dueDate(clock: Clock, start: Date): Due {
  if (clock.unit === 'hours') return { kind: 'instant', instant: addHours(start, clock.length) };
  assertCount(clock.unit, clock.length);
  const day = londonDateOf(start);
  switch (clock.unit) {
    case 'working-days':
      return { kind: 'date', date: addWorkingDays(day, clock.length) };
    case 'calendar-days':
      return { kind: 'date', date: addCalendarDays(day, clock.length) };
    case 'weeks':
      return { kind: 'date', date: addCalendarDays(day, clock.length * 7) };
    case 'months':
      return { kind: 'date', date: addCalendarMonths(day, clock.length) };
    default: {
      const unknownUnit: never = clock.unit;
      throw new TypeError(`unknown clock unit ${String(unknownUnit)}`);
    }
  }
}
