// Query parsing and pure handlers for the calendar endpoints, free of any web framework:
//   GET /api/v1/calendar/working-days/add?from=YYYY-MM-DD&days=N  -> { "date": "YYYY-MM-DD" }
//   GET /api/v1/calendar/working-days/between?from=&to=          -> { "workingDays": n }
// Query values arrive as strings; repeated parameters (arrays) are rejected rather than
// guessed at. Errors name the offending parameter so the caller can return a 400 that says
// which one to fix.

import { z } from 'zod';
import {
  CALENDAR_FIRST_DATE,
  CALENDAR_LAST_DATE,
  CalendarRangeError,
  assertInCalendarRange,
} from './bank-holidays.ts';
import { isValidIsoDate, type IsoDate } from './iso-date.ts';
import { addWorkingDays, workingDaysBetween } from './working-days.ts';

/** Larger values are almost certainly mistakes (10,000 working days is about 40 years). */
export const MAX_WORKING_DAYS = 10_000;

function inCalendarRange(date: string): boolean {
  try {
    assertInCalendarRange(date);
    return true;
  } catch {
    return false;
  }
}

function isoDateParam(field: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `${field} is required (a date in the form YYYY-MM-DD)`
          : `${field} must be a single date in the form YYYY-MM-DD`,
    })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${field} must be a date in the form YYYY-MM-DD`, abort: true })
    .refine(isValidIsoDate, { error: `${field} is not a real calendar date`, abort: true })
    .refine(inCalendarRange, {
      error: `${field} must be between ${CALENDAR_FIRST_DATE} and ${CALENDAR_LAST_DATE}`,
      abort: true,
    })
    .transform((s) => s as IsoDate);
}

const daysParam = z.preprocess(
  // A framework that has already coerced the query may hand over a number.
  (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v),
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'days is required (a whole number of working days)'
          : 'days must be a single whole number',
    })
    .regex(/^\d+$/, { error: 'days must be a whole number of 0 or more', abort: true })
    .transform(Number)
    .pipe(z.number().max(MAX_WORKING_DAYS, { error: `days must be at most ${MAX_WORKING_DAYS}`, abort: true })),
);

export const addWorkingDaysQuerySchema = z
  .object({ from: isoDateParam('from'), days: daysParam })
  .superRefine((q, ctx) => {
    // zod can run this after a field has already failed; only check a query that is otherwise valid.
    if (typeof q.from !== 'string' || !inCalendarRange(q.from)) return;
    if (!Number.isSafeInteger(q.days) || q.days < 0 || q.days > MAX_WORKING_DAYS) return;
    try {
      addWorkingDays(q.from, q.days);
    } catch (err) {
      if (!(err instanceof CalendarRangeError)) throw err;
      ctx.addIssue({
        code: 'custom',
        path: ['days'],
        message: `${q.days} working days after ${q.from} is beyond ${CALENDAR_LAST_DATE}, the end of the supported calendar`,
      });
    }
  });

export const addWorkingDaysResponseSchema = z.object({ date: z.iso.date() });

export const workingDaysBetweenQuerySchema = z.object({ from: isoDateParam('from'), to: isoDateParam('to') });

export const workingDaysBetweenResponseSchema = z.object({ workingDays: z.number().int() });

export type QueryError<F extends string> = { ok: false; field: F; message: string };

function firstError<F extends string>(error: z.ZodError, fields: readonly F[]): QueryError<F> {
  const issue = error.issues[0];
  const key = issue?.path[0];
  // Unreachable fallback: every issue is raised on one of the declared fields.
  const field = fields.find((f) => f === key) ?? fields[0]!;
  return { ok: false, field, message: issue?.message ?? 'invalid query' };
}

function asQueryObject(query: unknown): unknown {
  // Anything but a plain object carries no parameters; report the first missing one
  // rather than "expected object".
  return typeof query === 'object' && query !== null && !Array.isArray(query) ? query : {};
}

export function parseAddWorkingDaysQuery(
  query: unknown,
): { ok: true; from: IsoDate; days: number } | QueryError<'from' | 'days'> {
  const r = addWorkingDaysQuerySchema.safeParse(asQueryObject(query));
  if (!r.success) return firstError(r.error, ['from', 'days'] as const);
  return { ok: true, from: r.data.from, days: r.data.days };
}

export function parseWorkingDaysBetweenQuery(
  query: unknown,
): { ok: true; from: IsoDate; to: IsoDate } | QueryError<'from' | 'to'> {
  const r = workingDaysBetweenQuerySchema.safeParse(asQueryObject(query));
  if (!r.success) return firstError(r.error, ['from', 'to'] as const);
  return { ok: true, from: r.data.from, to: r.data.to };
}

/** The whole endpoint minus HTTP: an error result maps to a 400 naming `field`. */
export function addWorkingDaysEndpoint(
  query: unknown,
): { ok: true; body: z.infer<typeof addWorkingDaysResponseSchema> } | QueryError<'from' | 'days'> {
  const q = parseAddWorkingDaysQuery(query);
  if (!q.ok) return q;
  return { ok: true, body: { date: addWorkingDays(q.from, q.days) } };
}

export function workingDaysBetweenEndpoint(
  query: unknown,
): { ok: true; body: z.infer<typeof workingDaysBetweenResponseSchema> } | QueryError<'from' | 'to'> {
  const q = parseWorkingDaysBetweenQuery(query);
  if (!q.ok) return q;
  return { ok: true, body: { workingDays: workingDaysBetween(q.from, q.to) } };
}
