// Pure triage logic: when a pattern of concerns should be pointed out to the DSL, how long a concern has
// waited, and a child's age for the threshold engine. No I/O.
import { londonDateOf, workingDaysBetween } from '../platform/calendar/working-days.ts';

/**
 * The default for when to warn about a pattern; the service's settings (PATTERN_* in src/config.ts) override it.
 * "Three in 90 days" follows the example; cumulative concerns matter more than any single one.
 */
export const PATTERN_SETTINGS = {
  /** this many concerns about the child (including the one being triaged) … */
  recentConcerns: 3,
  /** … within this many days raises a warning */
  windowDays: 90,
  /** concerns about siblings or household members within this many days are pointed out */
  householdWindowDays: 365,
} as const;

export type PatternSettings = { recentConcerns: number; windowDays: number; householdWindowDays: number };

export interface RelatedConcerns {
  childId: string;
  name: string;
  /** how they are linked: "sibling", "shares a household member (Mother)" */
  relationship: string;
  /** when each of their concerns was raised */
  concernDates: Date[];
}

export interface PatternWarning {
  kind: 'repeated' | 'household';
  text: string;
  childId?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Warnings for the DSL, most important first. `childConcernDates` includes the concern being triaged. */
export function patternWarnings(
  input: { now: Date; childConcernDates: Date[]; related: RelatedConcerns[] },
  settings: PatternSettings = PATTERN_SETTINGS,
): PatternWarning[] {
  const warnings: PatternWarning[] = [];
  const since = input.now.getTime() - settings.windowDays * DAY_MS;
  const recent = input.childConcernDates.filter((d) => d.getTime() >= since && d.getTime() <= input.now.getTime()).length;
  if (recent >= settings.recentConcerns) {
    warnings.push({
      kind: 'repeated',
      text: `This child has been the subject of ${plural(recent, 'concern')} in the last ${settings.windowDays} days. Consider the cumulative effect of these concerns, not just this one.`,
    });
  }
  const householdSince = input.now.getTime() - settings.householdWindowDays * DAY_MS;
  for (const r of input.related) {
    const n = r.concernDates.filter((d) => d.getTime() >= householdSince && d.getTime() <= input.now.getTime()).length;
    if (n === 0) continue;
    warnings.push({
      kind: 'household',
      childId: r.childId,
      text: `${r.name} (${r.relationship}) has been the subject of ${plural(n, 'concern')} in the last ${settings.householdWindowDays} days.`,
    });
  }
  return warnings;
}

export interface Waited {
  workingDays: number;
  hours: number;
  text: string;
}

/** How long a concern has waited: working days (England and Wales calendar) and elapsed hours. */
export function waitedSince(submittedAt: Date, now: Date): Waited {
  const hours = Math.max(0, Math.floor((now.getTime() - submittedAt.getTime()) / (60 * 60 * 1000)));
  let workingDays = 0;
  try {
    workingDays = Math.max(0, workingDaysBetween(londonDateOf(submittedAt), londonDateOf(now)));
  } catch {
    // Outside the calendar's range (bad clock or ancient record): hours still tell the story.
    workingDays = Math.floor(hours / 24);
  }
  const text = hours < 1 ? 'Less than an hour' : `${plural(workingDays, 'working day')} (${plural(hours, 'hour')})`;
  return { workingDays, hours, text };
}

export interface ChildAge {
  unborn: boolean;
  /** whole months completed; undefined when unborn or no date of birth is recorded */
  ageInMonths?: number;
  text: string;
  /** the expected due date has passed with no date of birth recorded: the record needs updating */
  dueDatePassed?: true;
}

/**
 * The child's age from the record, for the threshold engine: whole months from the date of birth, or unborn
 * when only an expected due date still to come is recorded (or the date of birth is still in the future).
 * Dates are London dates (YYYY-MM-DD), so they compare as strings.
 */
export function childAge(dateOfBirth: string | null, expectedDueDate: string | null, today: string): ChildAge {
  if (dateOfBirth && dateOfBirth <= today) {
    const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
    const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
    let months = (ty - by) * 12 + (tm - bm);
    if (td < bd) months -= 1;
    months = Math.max(0, months);
    const years = Math.floor(months / 12);
    const rest = months % 12;
    const text = years === 0 ? plural(rest, 'month') : rest === 0 ? plural(years, 'year') : `${plural(years, 'year')} and ${plural(rest, 'month')}`;
    return { unborn: false, ageInMonths: months, text };
  }
  if (dateOfBirth && dateOfBirth > today) return { unborn: true, text: 'Unborn' };
  if (expectedDueDate) {
    // Past the due date the child has most likely been born: treating them as unborn would apply the wrong rules.
    if (expectedDueDate < today) return { unborn: false, text: 'Not known', dueDatePassed: true };
    return { unborn: true, text: 'Unborn' };
  }
  return { unborn: false, text: 'Not known' };
}
