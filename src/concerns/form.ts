// The concern form's steps, pure: which fields each question page holds, how each is checked, which page
// comes next, and how a finished draft becomes a concern. No I/O, so it is tested on its own.
import { z } from 'zod';
import { CATEGORY_IDS } from './categories.ts';
import { londonToInstant } from '../platform/calendar/london-time.ts';

export const STEPS = [
  'child', 'what-happened', 'childs-words', 'when-where', 'present', 'injuries', 'categories', 'danger', 'call-999', 'told-dsl',
] as const;
export type StepId = (typeof STEPS)[number];

/** What the user typed, exactly as typed (never trimmed or tidied: the child's words are evidence). */
export interface ConcernDraft {
  childId?: string;
  whatHappened?: string;
  childsWords?: string;
  whenDay?: string;
  whenMonth?: string;
  whenYear?: string;
  whenTime?: string;
  whenText?: string;
  location?: string;
  present?: string;
  injuries?: string;
  injuriesDetail?: string;
  categories?: string[];
  immediateDanger?: string;
  called999?: string;
  toldDsl?: string;
}

export const STEP_FIELDS: Record<StepId, (keyof ConcernDraft)[]> = {
  child: ['childId'],
  'what-happened': ['whatHappened'],
  'childs-words': ['childsWords'],
  'when-where': ['whenDay', 'whenMonth', 'whenYear', 'whenTime', 'whenText', 'location'],
  present: ['present'],
  injuries: ['injuries', 'injuriesDetail'],
  categories: ['categories'],
  danger: ['immediateDanger'],
  'call-999': ['called999'],
  'told-dsl': ['toldDsl'],
};

export const STEP_TITLES: Record<StepId, string> = {
  child: 'Which child are you worried about?',
  'what-happened': 'What happened?',
  'childs-words': 'What did the child say?',
  'when-where': 'When and where did it happen?',
  present: 'Who was there?',
  injuries: 'Did you see any injuries?',
  categories: 'What kind of harm are you worried about?',
  danger: 'Is the child in immediate danger?',
  'call-999': 'Call 999 now',
  'told-dsl': 'Have you already told your designated safeguarding lead in person?',
};

export const MAX_TEXT = 20000;
/** "20,000", as GOV.UK error messages write numbers. */
const MAX_TEXT_SHOWN = MAX_TEXT.toLocaleString('en-GB');
/** A clock a little fast (the user's, or the caller's) must not refuse "just now". */
const FUTURE_SLACK_MS = 5 * 60 * 1000;
// Worded once, for the pages and the API alike.
const IN_THE_PAST = 'The date and time it happened must be in the past';
const NOT_SURE_ALONE = 'Select “Not sure” on its own, or untick it';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are checked before they reach a uuid column: anything else there is a database error, not "not found". */
export const isUuid = (s: string) => UUID.test(s);

export const isStep = (s: string): s is StepId => (STEPS as readonly string[]).includes(s);

/** The steps that apply to this draft: the 999 page only when the child is in immediate danger. */
export function stepsFor(draft: ConcernDraft): StepId[] {
  return STEPS.filter((s) => s !== 'call-999' || draft.immediateDanger === 'yes');
}

export function nextStep(step: StepId, draft: ConcernDraft): StepId | 'check' {
  const steps = stepsFor(draft);
  // From a page that no longer applies (a stale 999 page after "No" to danger) too: the next one that does.
  return STEPS.slice(STEPS.indexOf(step) + 1).find((s) => steps.includes(s)) ?? 'check';
}

export function previousStep(step: StepId, draft: ConcernDraft): StepId | null {
  const steps = stepsFor(draft);
  const i = steps.indexOf(step);
  return i > 0 ? steps[i - 1]! : null;
}

function asString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return '';
}

/** Only the fields this step owns, from a posted form (or an autosave). Unticked checkboxes mean "none". */
export function pickStepFields(step: StepId, body: unknown): Partial<ConcernDraft> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const out: Partial<ConcernDraft> = {};
  for (const name of STEP_FIELDS[step]) {
    if (name === 'categories') {
      const raw = b.categories;
      const list = Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw];
      out.categories = list.filter((v): v is string => typeof v === 'string' && CATEGORY_IDS.includes(v));
    } else if (name in b) {
      // Kept in full (the request body limit bounds it): cutting it here would lose the end of the account
      // silently, where validateStep instead says it is too long with the text still in the box.
      (out as Record<string, string>)[name] = asString(b[name]);
    }
  }
  return out;
}

export interface StepError { field: string; text: string }

const blank = (s: string | undefined) => !s || s.trim() === '';

/** "14:30", "2:30pm", "2pm", "14.30" → minutes past midnight, or null. */
export function parseTime(input: string): number | null {
  const m = /^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$/i.exec(input);
  if (!m) return null;
  let h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  const ampm = m[3]?.toLowerCase();
  if (min > 59) return null;
  if (ampm) {
    if (h < 1 || h > 12) return null;
    if (ampm === 'pm' && h !== 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
  } else if (!m[2] || h > 23) {
    return null;
  }
  return h * 60 + min;
}

function occurredAt(d: ConcernDraft, now: Date, errors: StepError[]): Date | null {
  const day = Number(d.whenDay?.trim());
  const month = Number(d.whenMonth?.trim());
  const year = Number(d.whenYear?.trim());
  if (blank(d.whenDay) || blank(d.whenMonth) || blank(d.whenYear)) {
    errors.push({ field: 'whenDay', text: 'Enter the date it happened, including a day, month and year' });
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!Number.isInteger(day) || !Number.isInteger(month) || !Number.isInteger(year) || year < 1900
    || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    errors.push({ field: 'whenDay', text: 'The date it happened must be a real date' });
    return null;
  }
  if (blank(d.whenTime)) {
    errors.push({ field: 'whenTime', text: 'Enter the time it happened, for example 14:30 or 2:30pm' });
    return null;
  }
  const minutes = parseTime(d.whenTime!);
  if (minutes === null) {
    errors.push({ field: 'whenTime', text: 'Enter the time like 14:30 or 2:30pm' });
    return null;
  }
  const at = londonToInstant(year, month, day, minutes);
  if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    errors.push({ field: 'whenDay', text: IN_THE_PAST });
    return null;
  }
  return at;
}

const YES_NO = ['yes', 'no'];

/** Any part of a date or time typed means the user is giving one (and it must then be complete). */
const dateGiven = (d: ConcernDraft) => [d.whenDay, d.whenMonth, d.whenYear, d.whenTime].some((v) => !blank(v));

/** Check one step. `childVisible` says whether the chosen child exists and this user may see them. */
export function validateStep(step: StepId, d: ConcernDraft, now: Date, childVisible = true): StepError[] {
  const errors: StepError[] = [];
  const tooLong = (field: keyof ConcernDraft, label: string) => {
    const v = d[field];
    if (typeof v === 'string' && v.length > MAX_TEXT) errors.push({ field, text: `${label} must be ${MAX_TEXT_SHOWN} characters or fewer` });
  };
  switch (step) {
    case 'child':
      if (blank(d.childId)) errors.push({ field: 'childId', text: 'Select the child you are worried about, or add a new child' });
      else if (!UUID.test(d.childId!) || !childVisible) errors.push({ field: 'childId', text: 'Select a child from the list' });
      break;
    case 'what-happened':
      if (blank(d.whatHappened)) errors.push({ field: 'whatHappened', text: 'Enter what happened, or what you saw or heard' });
      tooLong('whatHappened', 'What happened');
      break;
    case 'childs-words':
      tooLong('childsWords', 'What the child said');
      break;
    case 'when-where':
      if (dateGiven(d)) occurredAt(d, now, errors);
      else if (blank(d.whenText)) errors.push({ field: 'whenDay', text: 'Enter the date and time it happened, or what you know about when it happened' });
      if (blank(d.location)) errors.push({ field: 'location', text: 'Enter where it happened, or where you noticed it' });
      tooLong('location', 'Where it happened');
      tooLong('whenText', 'When it happened');
      break;
    case 'present':
      if (blank(d.present)) errors.push({ field: 'present', text: 'Enter who was there, or “no one else”' });
      tooLong('present', 'Who was there');
      break;
    case 'injuries':
      if (!YES_NO.includes(d.injuries ?? '')) errors.push({ field: 'injuries', text: 'Select yes if you saw any injuries' });
      else if (d.injuries === 'yes' && blank(d.injuriesDetail)) {
        errors.push({ field: 'injuriesDetail', text: 'Describe the injuries and where they are on the child’s body' });
      }
      tooLong('injuriesDetail', 'The injuries');
      break;
    case 'categories': {
      const c = d.categories ?? [];
      if (c.length === 0) errors.push({ field: 'categories', text: 'Select what kind of harm you are worried about, or “Not sure”' });
      else if (c.includes('not_sure') && c.length > 1) errors.push({ field: 'categories', text: NOT_SURE_ALONE });
      break;
    }
    case 'danger':
      if (!YES_NO.includes(d.immediateDanger ?? '')) errors.push({ field: 'immediateDanger', text: 'Select yes if the child is in immediate danger' });
      break;
    case 'call-999':
      if (!YES_NO.includes(d.called999 ?? '')) errors.push({ field: 'called999', text: 'Select yes if you have called 999' });
      break;
    case 'told-dsl':
      if (!YES_NO.includes(d.toldDsl ?? '')) errors.push({ field: 'toldDsl', text: 'Select yes if you have already told your designated safeguarding lead in person' });
      break;
  }
  return errors;
}

/** The concern as the domain records it. */
export const concernInputSchema = z.object({
  childId: z.string().regex(UUID, 'must be a child id'),
  whatHappened: z.string().trim().min(1, 'Enter what happened').max(MAX_TEXT),
  childsWords: z.string().max(MAX_TEXT).nullable().default(null),
  occurredAt: z.coerce.date().nullable().default(null),
  occurredAtText: z.string().trim().max(MAX_TEXT).nullable().default(null),
  location: z.string().trim().min(1, 'Enter where it happened').max(MAX_TEXT),
  present: z.string().trim().min(1, 'Enter who was there').max(MAX_TEXT),
  injuries: z.string().trim().max(MAX_TEXT).nullable().default(null),
  categories: z.array(z.enum(CATEGORY_IDS)).min(1, 'Select at least one category'),
  immediateDanger: z.boolean(),
  called999: z.boolean().nullable().default(null),
  toldDslInPerson: z.boolean(),
}).superRefine((v, ctx) => {
  if (!v.occurredAt && !v.occurredAtText) ctx.addIssue({ code: 'custom', path: ['occurredAt'], message: 'Give occurredAt, or occurredAtText when the time is not known' });
  if (v.immediateDanger && v.called999 === null) ctx.addIssue({ code: 'custom', path: ['called999'], message: 'Say whether 999 was called' });
  // The form's rules, so that the API cannot record what the pages would refuse.
  if (v.occurredAt && v.occurredAt.getTime() > Date.now() + FUTURE_SLACK_MS) ctx.addIssue({ code: 'custom', path: ['occurredAt'], message: IN_THE_PAST });
  if (v.categories.includes('not_sure') && v.categories.length > 1) ctx.addIssue({ code: 'custom', path: ['categories'], message: NOT_SURE_ALONE });
  if (!v.immediateDanger && v.called999 !== null) {
    ctx.addIssue({ code: 'custom', path: ['called999'], message: 'Leave out called999 (or send null) unless the child is in immediate danger' });
  }
});
export type ConcernInput = z.output<typeof concernInputSchema>;

/** A finished draft becomes a concern, or the first step that still needs an answer. */
export function draftToInput(d: ConcernDraft, now: Date, childVisible = true):
  { ok: true; input: ConcernInput } | { ok: false; step: StepId; errors: StepError[] } {
  for (const step of stepsFor(d)) {
    const errors = validateStep(step, d, now, childVisible);
    if (errors.length) return { ok: false, step, errors };
  }
  const known = dateGiven(d);
  const input: ConcernInput = {
    childId: d.childId!,
    whatHappened: d.whatHappened!,
    childsWords: blank(d.childsWords) ? null : d.childsWords!,
    occurredAt: known ? occurredAt(d, now, []) : null,
    occurredAtText: blank(d.whenText) ? null : d.whenText!.trim(),
    location: d.location!.trim(),
    present: d.present!.trim(),
    injuries: d.injuries === 'yes' ? d.injuriesDetail!.trim() : null,
    categories: d.categories!,
    immediateDanger: d.immediateDanger === 'yes',
    called999: d.immediateDanger === 'yes' ? d.called999 === 'yes' : null,
    toldDslInPerson: d.toldDsl === 'yes',
  };
  return { ok: true, input };
}

/** Fields a correction may change, with their labels and columns. */
export const AMENDABLE_FIELDS = {
  whatHappened: { label: 'What happened', column: 'what_happened', required: true },
  childsWords: { label: 'What the child said', column: 'childs_words', required: false },
  occurredAtText: { label: 'When it happened (in words)', column: 'occurred_at_text', required: false },
  location: { label: 'Where it happened', column: 'location', required: true },
  present: { label: 'Who was there', column: 'present', required: true },
  injuries: { label: 'Injuries seen', column: 'injuries', required: false },
} as const;
export type AmendableField = keyof typeof AMENDABLE_FIELDS;
export const AMENDABLE_FIELD_IDS = Object.keys(AMENDABLE_FIELDS) as [AmendableField, ...AmendableField[]];

export const amendmentSchema = z.object({
  field: z.enum(AMENDABLE_FIELD_IDS, { error: 'Select what you want to correct' }),
  to: z.string().max(MAX_TEXT, `The correction must be ${MAX_TEXT_SHOWN} characters or fewer`),
  reason: z.string().trim().min(1, 'Enter why you are making this correction').max(2000, 'The reason must be 2000 characters or fewer'),
}).superRefine((v, ctx) => {
  if (AMENDABLE_FIELDS[v.field].required && v.to.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `Enter the corrected text for “${AMENDABLE_FIELDS[v.field].label}”` });
  }
});
export type AmendmentInput = z.output<typeof amendmentSchema>;

export function formatReference(n: number): string {
  return `C-${String(n).padStart(6, '0')}`;
}

/** Where to pick a draft up: the first page not yet answered (or answered wrongly), else check answers. */
export function resumeStep(d: ConcernDraft, now: Date, childVisible = true): StepId | 'check' {
  for (const step of stepsFor(d)) {
    const untouched = STEP_FIELDS[step].every((f) => d[f] === undefined);
    if (untouched || validateStep(step, d, now, childVisible).length) return step;
  }
  return 'check';
}
