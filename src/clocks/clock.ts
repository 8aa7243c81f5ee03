// Pure clock arithmetic: when a clock is due, when it becomes "due soon", its status at an instant, and how
// its due time reads. No I/O; the working-day calendar does the counting.
//
// End-of-day convention: a clock counted in days (working days, calendar days, weeks, months) is due at the
// end of the working day on its due date — the set's endOfWorkingDay, 17:00 England time by default — so a
// 1-working-day clock started on Monday is "due by 5pm Tuesday", met if stopped at or before 17:00:00 and
// overdue from the first moment after. Clocks in hours are due at the exact instant (48 elapsed hours,
// weekends, bank holidays and clock changes included).
import { addCalendarDays, dueDate, isWorkingDay, type Due, type IsoDate } from '../platform/calendar/index.ts';
import type { ClockDefinition } from './schema.ts';

export type ClockStatus = 'running' | 'due-soon' | 'overdue' | 'met' | 'missed';
export const CLOCK_STATUSES: readonly ClockStatus[] = ['running', 'due-soon', 'overdue', 'met', 'missed'];

type Timing = Pick<ClockDefinition, 'length' | 'unit'>;

/** The calendar's answer: an instant for hour clocks, a date in England for the others. */
export function clockDue(definition: Timing, startedAt: Date): Due {
  return dueDate({ length: definition.length, unit: definition.unit }, startedAt);
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function partsOf(instant: Date): Record<string, number> {
  return Object.fromEntries(londonParts.formatToParts(instant).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** Minutes England is ahead of UTC at an instant (0 in winter, 60 in summer). */
function londonOffsetMinutes(instant: Date): number {
  const p = partsOf(instant);
  const asUtc = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which England's clocks show `time` ("HH:MM") on `date`. */
export function londonInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let at = wall - londonOffsetMinutes(new Date(wall)) * 60_000;
  // Near a clock change the offset at the guess can differ from the offset at the answer.
  at = wall - londonOffsetMinutes(new Date(at)) * 60_000;
  return new Date(at);
}

/** The latest instant at which stopping the clock is on time. */
export function deadlineOf(due: Due, endOfWorkingDay: string): Date {
  return due.kind === 'instant' ? due.instant : londonInstant(due.date, endOfWorkingDay);
}

function workingDaysBefore(date: IsoDate, n: number): IsoDate {
  let d = date;
  for (let counted = 0; counted < n;) {
    d = addCalendarDays(d, -1);
    if (isWorkingDay(d)) counted += 1;
  }
  return d;
}

/**
 * When the clock starts showing as due soon. Hours: that many hours before the deadline. Days and weeks:
 * the start (midnight, England) of the day that many working days, days or weeks before the due date, so
 * `before: 0` working days means "on the due date". Never before the clock started.
 */
export function dueSoonFrom(definition: Pick<ClockDefinition, 'dueSoon'>, due: Due, deadline: Date, startedAt: Date): Date {
  const { before, unit } = definition.dueSoon;
  let at: Date;
  if (unit === 'hours' || due.kind === 'instant') {
    at = new Date(deadline.getTime() - before * (unit === 'hours' ? 1 : unit === 'weeks' ? 168 : 24) * 3_600_000);
  } else {
    const day = unit === 'working-days' ? workingDaysBefore(due.date, before)
      : addCalendarDays(due.date, -before * (unit === 'weeks' ? 7 : 1));
    at = londonInstant(day, '00:00');
  }
  return at < startedAt ? startedAt : at;
}

export interface ClockTimes {
  due: Due;
  /** the deadline as an instant */
  dueAt: Date;
  /** the due date in England, for clocks counted in days */
  dueDate: IsoDate | null;
  dueSoonAt: Date;
}

export function clockTimes(definition: Pick<ClockDefinition, 'length' | 'unit' | 'dueSoon'>, startedAt: Date, endOfWorkingDay: string): ClockTimes {
  const due = clockDue(definition, startedAt);
  const dueAt = deadlineOf(due, endOfWorkingDay);
  return { due, dueAt, dueDate: due.kind === 'date' ? due.date : null, dueSoonAt: dueSoonFrom(definition, due, dueAt, startedAt) };
}

export interface ClockState {
  kind: 'deadline' | 'minimum';
  dueAt: Date;
  dueSoonAt: Date;
  stoppedAt: Date | null;
}

/**
 * A deadline clock is met if stopped on or before its due time and missed if stopped after; while it runs
 * it is running, then due soon, then overdue once the due time has passed.
 * A minimum clock (a period that must be completed, e.g. 12 weeks of early help) is missed if stopped
 * before it is due and met if stopped at or after; while it runs it is running, then due soon, then met
 * once the period is complete — it is never overdue.
 */
export function clockStatus(clock: ClockState, now: Date): ClockStatus {
  const due = clock.dueAt.getTime();
  if (clock.stoppedAt) {
    const stopped = clock.stoppedAt.getTime();
    if (clock.kind === 'minimum') return stopped >= due ? 'met' : 'missed';
    return stopped <= due ? 'met' : 'missed';
  }
  const t = now.getTime();
  if (t > due) return clock.kind === 'minimum' ? 'met' : 'overdue';
  if (clock.kind === 'minimum' && t === due) return 'met';
  if (t >= clock.dueSoonAt.getTime()) return 'due-soon';
  return 'running';
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** GOV.UK style: "5pm", "9:30am", "midday", "midnight". */
export function timeInWords(hour: number, minute: number): string {
  if (minute === 0 && hour === 12) return 'midday';
  if (minute === 0 && hour === 0) return 'midnight';
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return `${h}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
}

/** "5pm Tuesday 29 December 2026", in England time. */
export function dueInWords(dueAt: Date): string {
  const p = partsOf(dueAt);
  const weekday = WEEKDAYS[new Date(Date.UTC(p['year']!, p['month']! - 1, p['day']!)).getUTCDay()]!;
  return `${timeInWords(p['hour']!, p['minute']!)} ${weekday} ${p['day']} ${MONTHS[p['month']! - 1]} ${p['year']}`;
}

const UNIT_WORDS: Record<string, [string, string]> = {
  'working-days': ['working day', 'working days'], hours: ['hour', 'hours'], 'calendar-days': ['day', 'days'],
  weeks: ['week', 'weeks'], months: ['month', 'months'],
};

/** "1 working day", "48 hours", "3 years" */
export function lengthInWords(length: number, unit: string): string {
  if (unit === 'months' && length >= 12 && length % 12 === 0) return length === 12 ? '1 year' : `${length / 12} years`;
  const [one, many] = UNIT_WORDS[unit] ?? [unit, unit];
  return `${length} ${length === 1 ? one : many}`;
}

/** How the due-soon rule reads on the definitions page. */
export function dueSoonInWords(dueSoon: ClockDefinition['dueSoon']): string {
  if (dueSoon.before === 0) return dueSoon.unit === 'hours' ? 'At the due time' : 'On the due date';
  return `${lengthInWords(dueSoon.before, dueSoon.unit)} before it is due`;
}

/** GOV.UK tags for each status, the same on the dashboard and on a case. */
export const STATUS_TAGS: Record<ClockStatus, { text: string; classes: string }> = {
  running: { text: 'Running', classes: 'govuk-tag--blue' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--yellow' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  met: { text: 'Met', classes: 'govuk-tag--green' },
  missed: { text: 'Missed', classes: 'govuk-tag--red' },
};
