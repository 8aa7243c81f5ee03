// The shape of clock definition files (src/clocks/definitions/*.yaml): a default set of statutory and local
// timescales, and per-partnership files that extend it. Every clock names the event that starts it, the
// event that stops it and the document it comes from, so a timescale can be checked against its source.
import { z } from 'zod';
import { ROLES } from '../platform/access/roles.ts';

/** "referral.sent", "referral.written-confirmation-sent", "early-help-plan.reviewed" */
export const EVENT_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
export const eventName = z.string().regex(EVENT_NAME, 'must look like "subject.happened", e.g. "referral.sent"');
const CLOCK_ID = /^[a-z][a-z0-9-]*$/;

export const CLOCK_UNITS = ['working-days', 'hours', 'calendar-days', 'weeks', 'months'] as const;
export const WARNING_UNITS = ['working-days', 'hours', 'calendar-days', 'weeks'] as const;

export const citationSchema = z.strictObject({
  /** a seed file ("seeds/000_f047b6a3c0b373cb.txt") or a published document ("Working Together to Safeguard Children 2023") */
  source: z.string().min(1),
  section: z.string().min(1).optional(),
  /** line or lines in the seed file, e.g. "601" or "461-467" */
  lines: z.string().regex(/^\d+(-\d+)?(, ?\d+(-\d+)?)*$/, 'must be a line number or range, e.g. "601" or "461-467"').optional(),
  /** the source's own words, verbatim */
  quote: z.string().min(1).optional(),
  url: z.url().optional(),
});
export type Citation = z.infer<typeof citationSchema>;

const eventList = z.union([eventName.transform((e) => [e]), z.array(eventName).min(1)]);

const clockFields = {
  id: z.string().regex(CLOCK_ID, 'must be lower-case words joined by hyphens'),
  name: z.string().min(3),
  /** what the clock is for, in a sentence, shown on the definitions page */
  description: z.string().min(3).optional(),
  /**
   * deadline: the stop event must happen by the due time (met), or the clock is missed.
   * minimum: the period must run its course before the stop event (e.g. at least 12 weeks of early help
   * before stepping down to universal services); stopping early is missed, lasting the period is met.
   */
  kind: z.enum(['deadline', 'minimum']).default('deadline'),
  length: z.number().int().positive().max(10_000),
  unit: z.enum(CLOCK_UNITS),
  startsOn: eventList,
  stopsOn: eventList,
  /** how early the clock shows as "due soon" and its owners are reminded: N units before it is due */
  dueSoon: z.strictObject({ before: z.number().int().min(0).max(1000), unit: z.enum(WARNING_UNITS) }),
  reminders: z.strictObject({
    /** the owning organisation's roles who are told in the app */
    roles: z.array(z.enum(ROLES)).min(1).default(['dsl', 'deputy_dsl']),
    /** the states in which they are told, each at most once per clock */
    on: z.array(z.enum(['due-soon', 'overdue'])).min(1).default(['due-soon', 'overdue']),
  }).default({ roles: ['dsl', 'deputy_dsl'], on: ['due-soon', 'overdue'] }),
  /** a clock that restarts on each stage of a process (escalation stages): the most stages it runs for */
  stages: z.number().int().min(2).max(20).optional(),
  /** guidance for whoever sends the start event, e.g. which time to give as occurredAt */
  note: z.string().min(3).optional(),
  citations: z.array(citationSchema).min(1, 'every clock must cite where its timescale comes from'),
};

export const clockDefinitionSchema = z.strictObject(clockFields).superRefine((c, ctx) => {
  if (c.unit === 'hours' && c.dueSoon.unit !== 'hours') {
    ctx.addIssue({ code: 'custom', path: ['dueSoon', 'unit'], message: 'a clock in hours warns in hours' });
  }
  if (c.kind === 'minimum' && c.reminders.on.includes('overdue')) {
    ctx.addIssue({ code: 'custom', path: ['reminders', 'on'], message: 'a minimum period cannot be overdue; remind on "due-soon" only' });
  }
});
export type ClockDefinition = z.output<typeof clockDefinitionSchema>;

/** An override replaces the named fields of a clock in the set it extends; citations must come with it. */
const overrideSchema = z.strictObject({
  id: clockFields.id,
  name: clockFields.name.optional(),
  description: clockFields.description,
  kind: z.enum(['deadline', 'minimum']).optional(),
  length: clockFields.length.optional(),
  unit: clockFields.unit.optional(),
  startsOn: eventList.optional(),
  stopsOn: eventList.optional(),
  dueSoon: z.strictObject({ before: z.number().int().min(0).max(1000), unit: z.enum(WARNING_UNITS) }).optional(),
  reminders: z.strictObject({ roles: z.array(z.enum(ROLES)).min(1), on: z.array(z.enum(['due-soon', 'overdue'])).min(1) }).optional(),
  stages: clockFields.stages,
  note: clockFields.note,
  citations: clockFields.citations,
});
export type ClockOverride = z.output<typeof overrideSchema>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const baseSetSchema = z.strictObject({
  id: z.string().regex(CLOCK_ID),
  title: z.string().min(3),
  /**
   * Clocks counted in days end at this time (England) on their due date. "17:00": a 1-working-day clock
   * started on Monday is met if stopped by 5pm on Tuesday, and overdue from 5:00:01pm.
   */
  endOfWorkingDay: z.string().regex(TIME, 'must be a 24-hour time, e.g. "17:00"'),
  /** the event vocabulary: every event a clock starts or stops on, with how it reads on screen */
  events: z.record(eventName, z.string().min(3)),
  clocks: z.array(clockDefinitionSchema).min(1),
});

export const partnershipSetSchema = z.strictObject({
  id: z.string().regex(CLOCK_ID),
  title: z.string().min(3),
  extends: z.string().regex(CLOCK_ID),
  /** partnerships.slug values and threshold framework ids this set applies to */
  appliesTo: z.strictObject({ partnerships: z.array(z.string().min(1)).default([]), frameworks: z.array(z.string().min(1)).default([]) }),
  endOfWorkingDay: z.string().regex(TIME, 'must be a 24-hour time, e.g. "17:00"').optional(),
  events: z.record(eventName, z.string().min(3)).default({}),
  override: z.array(overrideSchema).default([]),
  add: z.array(clockDefinitionSchema).default([]),
  remove: z.array(clockFields.id).default([]),
});

export const definitionFileSchema = z.union([partnershipSetSchema, baseSetSchema]);
export type BaseSet = z.output<typeof baseSetSchema>;
export type PartnershipSet = z.output<typeof partnershipSetSchema>;
export type DefinitionFile = BaseSet | PartnershipSet;

/** A set ready to use: the base with a partnership's changes applied. */
export interface ResolvedSet {
  id: string;
  title: string;
  endOfWorkingDay: string;
  appliesTo: { partnerships: string[]; frameworks: string[] };
  events: Record<string, string>;
  clocks: ClockDefinition[];
}

export interface ResolveIssue { set: string; path: (string | number)[]; message: string }

/** Checks that hold across a whole set: unique ids, and every event named in the vocabulary. */
export function checkSet(set: ResolvedSet): ResolveIssue[] {
  const issues: ResolveIssue[] = [];
  const seen = new Set<string>();
  set.clocks.forEach((c, i) => {
    if (seen.has(c.id)) issues.push({ set: set.id, path: ['clocks', i, 'id'], message: `clock id "${c.id}" is used twice` });
    seen.add(c.id);
    for (const key of ['startsOn', 'stopsOn'] as const) {
      c[key].forEach((e, j) => {
        if (!(e in set.events)) issues.push({ set: set.id, path: ['clocks', i, key, j], message: `event "${e}" is not in the set's events list` });
      });
    }
  });
  return issues;
}

export function isPartnershipSet(f: DefinitionFile): f is PartnershipSet {
  return 'extends' in f;
}

/** Apply a partnership's overrides, additions and removals to its base. Pure. */
export function resolveSet(base: BaseSet, file: PartnershipSet | null): { set: ResolvedSet; issues: ResolveIssue[] } {
  if (!file) {
    const set: ResolvedSet = { ...base, appliesTo: { partnerships: [], frameworks: [] } };
    return { set, issues: checkSet(set) };
  }
  const issues: ResolveIssue[] = [];
  if (file.extends !== base.id) issues.push({ set: file.id, path: ['extends'], message: `extends "${file.extends}", which is not a base set` });
  const removed = new Set(file.remove);
  file.remove.forEach((id, i) => {
    if (!base.clocks.some((c) => c.id === id)) issues.push({ set: file.id, path: ['remove', i], message: `no clock "${id}" to remove` });
  });
  const clocks: ClockDefinition[] = base.clocks.filter((c) => !removed.has(c.id)).map((c) => ({ ...c }));
  file.override.forEach((o, i) => {
    const at = clocks.findIndex((c) => c.id === o.id);
    if (at < 0) {
      issues.push({ set: file.id, path: ['override', i, 'id'], message: `no clock "${o.id}" to override` });
      return;
    }
    const merged = { ...clocks[at]!, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
    const checked = clockDefinitionSchema.safeParse(merged);
    if (!checked.success) {
      for (const issue of checked.error.issues) issues.push({ set: file.id, path: ['override', i, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message });
      return;
    }
    clocks[at] = checked.data;
  });
  clocks.push(...file.add);
  const set: ResolvedSet = {
    id: file.id,
    title: file.title,
    endOfWorkingDay: file.endOfWorkingDay ?? base.endOfWorkingDay,
    appliesTo: file.appliesTo,
    events: { ...base.events, ...file.events },
    clocks,
  };
  return { set, issues: [...issues, ...checkSet(set)] };
}
