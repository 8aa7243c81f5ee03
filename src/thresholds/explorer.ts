// What the threshold explorer and its JSON API show of a framework: shaping, searching and filtering
// indicators, reading the "what level of need?" form, and the cross-walk table. Pure: no I/O, no Fastify.
import { z } from 'zod';
import {
  InvalidAssessmentInputError,
  InvalidChildError,
  JUDGEMENT_NOTE,
  ThresholdInputError,
  UnknownIndicatorError,
  type Assessment,
  type AssessmentInput,
} from './engine.ts';
import { CrosswalkLookupError, translateLevel, type Crosswalk } from './crosswalk.ts';
import { formatPath } from './files.ts';
import type { FrameworkVersionInfo } from './registry.ts';
import type { Citation, Condition, Framework, Indicator, Level } from './schema.ts';
import { addError, noErrors, type FormErrors } from '../platform/http/forms.ts';

/** Said before anything else whenever a child is in immediate danger, whatever the framework's own words. */
export const CALL_999_NOW = 'Call 999 now. A child in immediate danger needs the police first; then follow the steps below.';

/** Oldest age the form accepts: children's services work with young people up to 25 (care leavers, SEND). */
const MAX_YEARS = 25;

export { JUDGEMENT_NOTE };

// ---------------------------------------------------------------------------------------------------------
// Small formatting helpers shared by the pages, the API and the PDF.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2024-12" → "December 2024"; "2024-12-05" → "5 December 2024". */
export function formatSourceDate(value: string | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!m) return value;
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
}

/** "Section, page 12, lines 410–418": where to find the words in the source document. */
export function citationText(c: Citation): string {
  const parts = [c.section];
  if (c.page) parts.push(`page ${c.page}`);
  if (c.lines) parts.push(c.lines.includes('-') ? `lines ${c.lines.replace('-', '–')}` : `line ${c.lines}`);
  return parts.join(', ');
}

export function sortedLevels(fw: Framework): Level[] {
  return [...fw.levels].sort((a, b) => a.rank - b.rank);
}

export function levelName(fw: Framework, id: string): string {
  return fw.levels.find((l) => l.id === id)?.name ?? id;
}

export function domainName(fw: Framework, id: string): string {
  return fw.domains.find((d) => d.id === id)?.name ?? id;
}

function subdomainName(fw: Framework, domain: string, sub: string | undefined): string | undefined {
  if (!sub) return undefined;
  return fw.domains.find((d) => d.id === domain)?.subdomains.find((s) => s.id === sub)?.name ?? sub;
}

/** Whether a condition tests for an unborn child, and the highest "under N months" age it tests. */
function youngChildTests(cond: Condition): { unborn: boolean; underMonths: number } {
  const found = { unborn: false, underMonths: -1 };
  const stack = [cond];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if ('allOf' in c) stack.push(...c.allOf);
    else if ('anyOf' in c) stack.push(...c.anyOf);
    else if ('not' in c) stack.push(c.not);
    else if ('unborn' in c) found.unborn = true;
    else if ('ageUnderMonths' in c) found.underMonths = Math.max(found.underMonths, c.ageUnderMonths);
  }
  return found;
}

function quotedList(items: string[]): string {
  const q = items.map((t) => `‘${t}’`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/**
 * The framework's own rules for unborn children and babies: who they are for ("unborn children and babies")
 * and their titles. Undefined when it has none, so the pages never claim a rule the framework lacks.
 */
export function youngChildRules(fw: Framework): { who: string; titles: string } | undefined {
  let unborn = false;
  let underMonths = -1;
  const titles: string[] = [];
  for (const rule of fw.rules) {
    const t = youngChildTests(rule.when);
    if (!t.unborn && t.underMonths < 0) continue;
    unborn ||= t.unborn;
    underMonths = Math.max(underMonths, t.underMonths);
    titles.push(rule.title);
  }
  if (titles.length === 0) return undefined;
  const who = [unborn ? 'unborn children' : '', underMonths < 0 ? '' : underMonths <= 24 ? 'babies' : 'young children'];
  return { who: who.filter(Boolean).join(' and '), titles: quotedList(titles) };
}

export function describeChild(child: AssessmentInput['child']): string {
  if (child.unborn) return 'Unborn';
  if (child.ageInMonths === undefined) return 'Not given';
  const years = Math.floor(child.ageInMonths / 12);
  const months = child.ageInMonths % 12;
  const y = years === 0 ? '' : `${years} year${years === 1 ? '' : 's'}`;
  const m = months === 0 && years > 0 ? '' : `${months} month${months === 1 ? '' : 's'}`;
  return [y, m].filter(Boolean).join(' and ');
}

// ---------------------------------------------------------------------------------------------------------
// JSON API shapes.

export function frameworkApiDetail(fw: Framework, versions: FrameworkVersionInfo[]) {
  return {
    id: fw.id,
    name: fw.name,
    version: fw.version,
    publisher: fw.publisher,
    published: fw.published,
    ...(fw.updated ? { updated: fw.updated } : {}),
    ...(fw.reviewDue ? { reviewDue: fw.reviewDue } : {}),
    source: fw.source,
    immediateDanger: fw.immediateDanger,
    levels: sortedLevels(fw).map((l) => ({
      id: l.id, rank: l.rank, name: l.name, description: l.description, response: l.response, consent: l.consent, source: l.source,
    })),
    domains: fw.domains.map((d) => ({ id: d.id, name: d.name, ...(d.description ? { description: d.description } : {}), subdomains: d.subdomains })),
    indicators: fw.indicators.map((i) => ({
      id: i.id, level: i.level, domain: i.domain, ...(i.subdomain ? { subdomain: i.subdomain } : {}), text: i.text, source: i.source, tags: i.tags,
    })),
    rules: fw.rules,
    versions: versions.map((v) => ({ version: v.version, loadedAt: v.loadedAt.toISOString(), current: v.current })),
  };
}

export function assessmentApiResponse(fw: Framework, a: Assessment) {
  return {
    framework: { id: fw.id, name: fw.name, version: fw.version },
    level: a.level,
    indicatorLevel: a.indicatorLevel,
    reasons: a.reasons,
    advice: a.advice,
    immediateDanger: a.immediateDanger,
    response: a.immediateDanger ? { ...a.response, callNow: CALL_999_NOW } : a.response,
    levels: a.levels,
    judgement: JUDGEMENT_NOTE,
  };
}

/** The JSON body of POST /api/v1/frameworks/:id/assess. Strict: a misspelt field must not be ignored silently. */
export const assessBodySchema = z
  .object({
    indicators: z.array(z.string().min(1, 'must be an indicator id').max(200, 'is too long to be an indicator id')).max(1000, 'lists too many indicators'),
    child: z
      .object({
        ageInMonths: z.number('must be a number of months').int('must be a whole number of months').min(0, 'must be 0 or more').max(MAX_YEARS * 12 + 11, `must be under ${MAX_YEARS + 1} years`).optional(),
        unborn: z.boolean('must be true or false').optional(),
      })
      .strict()
      .refine((c) => !(c.unborn === true && c.ageInMonths !== undefined), 'give ageInMonths or unborn, not both: an unborn child has no age')
      .default({}),
    immediateDanger: z.boolean('must be true or false').optional(),
    version: z.string().min(1, 'must not be empty').max(200).optional(),
  }, 'must be a JSON object')
  .strict();

export interface ApiError {
  error: 'Bad Request';
  field: string;
  message: string;
}

function badRequest(field: string, message: string): ApiError {
  return { error: 'Bad Request', field, message: `${field}: ${message}` };
}

/** The first problem of a zod error, naming the field as `indicators[2]` or `child.ageInMonths`. */
export function apiZodError(error: z.ZodError, whole = 'body'): ApiError {
  const issue = error.issues[0];
  if (!issue) return badRequest(whole, 'is not valid');
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return badRequest(formatPath([...path, key]), `unknown field "${key}"`);
  }
  return badRequest(formatPath(path) || whole, issue.message);
}

/** Maps the engine's input errors to the field of the request body they concern. */
export function apiEngineError(error: ThresholdInputError, input: AssessmentInput): ApiError {
  if (error instanceof UnknownIndicatorError) {
    const first = error.ids[0] ?? '';
    const at = input.indicators.indexOf(first);
    return badRequest(at >= 0 ? `indicators[${at}]` : 'indicators', `unknown indicator "${first}" for framework "${error.frameworkId}"`);
  }
  if (error instanceof InvalidChildError) return badRequest(error.field === 'child' ? 'child' : `child.${error.field}`, error.message);
  if (error instanceof InvalidAssessmentInputError) return badRequest(error.field, error.message);
  return badRequest('body', error.message);
}

// ---------------------------------------------------------------------------------------------------------
// Browsing and searching indicators.

/** Lower-case, straight quotes, no accents: so "child’s" finds "child's" and "cafe" finds "café". */
export function normaliseText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[‘’‛`]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .toLowerCase();
}

/** Every word of the query must appear in the indicator's text (or its domain or sub-domain name). */
export function matchesQuery(fw: Framework, ind: Indicator, q: string): boolean {
  const words = normaliseText(q).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = normaliseText(`${ind.text} ${subdomainName(fw, ind.domain, ind.subdomain) ?? ''}`);
  return words.every((w) => haystack.includes(w));
}

export interface IndicatorView {
  id: string;
  text: string;
  level: string;
  levelName: string;
  domain: string;
  domainName: string;
  subdomainName?: string;
  citation: string;
}

export function indicatorView(fw: Framework, ind: Indicator): IndicatorView {
  const sub = subdomainName(fw, ind.domain, ind.subdomain);
  return {
    id: ind.id,
    text: ind.text,
    level: ind.level,
    levelName: levelName(fw, ind.level),
    domain: ind.domain,
    domainName: domainName(fw, ind.domain),
    ...(sub ? { subdomainName: sub } : {}),
    citation: citationText(ind.source),
  };
}

const text = (max: number) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().trim().max(max).catch('')).catch('');
const list = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().trim().max(200)).max(1000).catch([]),
).catch([]);

export const browseQuerySchema = z.object({ version: text(200), level: text(100), domain: text(100), q: text(200) });
export type BrowseQuery = z.infer<typeof browseQuerySchema>;

export interface IndicatorGroup {
  level: { id: string; name: string };
  domains: { id: string; name: string; indicators: IndicatorView[] }[];
  count: number;
}

/** Indicators matching the filters, grouped by level (lowest first) then domain (in the framework's order). */
export function browseIndicators(fw: Framework, query: BrowseQuery): { groups: IndicatorGroup[]; shown: number; errors: FormErrors } {
  const errors = noErrors();
  let { level, domain } = query;
  if (level && !fw.levels.some((l) => l.id === level)) {
    addError(errors, 'level', 'Select a level from the list');
    level = '';
  }
  if (domain && !fw.domains.some((d) => d.id === domain)) {
    addError(errors, 'domain', 'Select an area of need from the list');
    domain = '';
  }
  const matching = fw.indicators.filter((i) => (!level || i.level === level) && (!domain || i.domain === domain) && matchesQuery(fw, i, query.q));
  const groups: IndicatorGroup[] = [];
  for (const l of sortedLevels(fw)) {
    const atLevel = matching.filter((i) => i.level === l.id);
    if (atLevel.length === 0) continue;
    const domains = fw.domains
      .map((d) => ({ id: d.id, name: d.name, indicators: atLevel.filter((i) => i.domain === d.id).map((i) => indicatorView(fw, i)) }))
      .filter((d) => d.indicators.length > 0);
    groups.push({ level: { id: l.id, name: l.name }, domains, count: atLevel.length });
  }
  return { groups, shown: matching.length, errors };
}

// ---------------------------------------------------------------------------------------------------------
// The "what level of need?" form. It travels as a GET query so that the result, its PDF and "change your
// answers" are plain links that work without JavaScript.

export const assessFormSchema = z.object({
  version: text(200),
  child: text(20),
  years: text(20),
  months: text(20),
  immediateDanger: text(10),
  indicators: list,
  q: text(200),
});
export type AssessFormValues = z.infer<typeof assessFormSchema>;

export function readAssessForm(query: unknown): AssessFormValues {
  return assessFormSchema.parse(query ?? {});
}

/** The form's answers as a query string, to link to the result, the PDF or back to the form. */
export function assessQuery(v: AssessFormValues, opts: { withFilter?: boolean } = {}): string {
  const p = new URLSearchParams();
  if (v.version) p.set('version', v.version);
  if (v.child) p.set('child', v.child);
  if (v.years) p.set('years', v.years);
  if (v.months) p.set('months', v.months);
  if (v.immediateDanger) p.set('immediateDanger', v.immediateDanger);
  for (const id of v.indicators) p.append('indicators', id);
  if (opts.withFilter && v.q) p.set('q', v.q);
  return p.toString();
}

function wholeNumber(raw: string, label: string, max: number, field: string, errors: FormErrors): number | undefined {
  if (raw === '') return 0;
  if (!/^-?\d+(\.\d+)?$/.test(raw)) {
    addError(errors, field, `${label} must be a number, like 3`);
    return undefined;
  }
  const n = Number(raw);
  if (n < 0) addError(errors, field, `${label} cannot be less than 0`);
  else if (!Number.isInteger(n)) addError(errors, field, `${label} must be a whole number`);
  else if (n > max) addError(errors, field, `${label} must be ${max} or fewer`);
  else return n;
  return undefined;
}

export type CheckedAssessForm = { ok: true; input: AssessmentInput } | { ok: false; errors: FormErrors };

/** Checks the answers; errors are in page order so the summary reads top to bottom. */
export function checkAssessForm(fw: Framework, v: AssessFormValues): CheckedAssessForm {
  const errors = noErrors();
  const hasAge = v.years !== '' || v.months !== '';
  const child: AssessmentInput['child'] = {};
  if (v.child !== '' && !['born', 'unborn', 'unknown'].includes(v.child)) {
    addError(errors, 'child', 'Select yes if the child is born, no if they are unborn, or that you do not know their age');
  } else if (v.child === 'unborn') {
    if (hasAge) addError(errors, 'child', 'An unborn child has no age: clear the years and months, or answer yes to ‘Is the child born?’');
    else child.unborn = true;
  } else if (v.child === 'born' || (v.child === '' && hasAge)) {
    if (!hasAge) {
      addError(errors, 'years', 'Enter the child’s age in years and months');
    } else {
      const years = wholeNumber(v.years, 'Years', MAX_YEARS, 'years', errors);
      const months = wholeNumber(v.months, 'Months', 11, 'months', errors);
      if (years !== undefined && months !== undefined) child.ageInMonths = years * 12 + months;
    }
  } else if (v.child === 'unknown' && hasAge) {
    addError(errors, 'child', 'You said you do not know the child’s age but gave one: clear the years and months, or answer yes to ‘Is the child born?’');
  }

  if (v.immediateDanger !== 'yes' && v.immediateDanger !== 'no') {
    addError(errors, 'immediateDanger', 'Select yes if the child is in immediate danger now, or no if they are not');
  }
  const immediateDanger = v.immediateDanger === 'yes';

  const known = new Set(fw.indicators.map((i) => i.id));
  const unknown = v.indicators.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    addError(errors, 'indicators', `${unknown.length === 1 ? 'One indicator you ticked is' : 'Some indicators you ticked are'} not in this version of the framework: tick the indicators again`);
  } else if (v.indicators.length === 0 && v.immediateDanger === 'no') {
    addError(errors, 'indicators', 'Tick at least one indicator that describes the child’s circumstances');
  }

  if (errors.summary.length > 0) return { ok: false, errors };
  return { ok: true, input: { indicators: [...new Set(v.indicators)], child, immediateDanger } };
}

export interface ChecklistGroup {
  domain: { id: string; name: string };
  /** Id prefix for the checkboxes: the first shown group's first box is #indicators, for the error summary. */
  idPrefix: string;
  /** `search` is the text the client-side filter matches, normalised as the server's search does. */
  items: (IndicatorView & { checked: boolean; search: string })[];
}

/** The indicators to tick, grouped by domain, narrowed by the filter; ticks hidden by the filter are carried. */
export function assessChecklist(fw: Framework, v: AssessFormValues): { groups: ChecklistGroup[]; shown: number; carried: string[] } {
  const ticked = new Set(v.indicators);
  const rank = new Map(fw.levels.map((l) => [l.id, l.rank]));
  const groups: ChecklistGroup[] = [];
  const shownIds = new Set<string>();
  for (const d of fw.domains) {
    const items = fw.indicators
      .filter((i) => i.domain === d.id && matchesQuery(fw, i, v.q))
      .map((i, n) => ({ i, n }))
      .sort((a, b) => (rank.get(a.i.level) ?? 0) - (rank.get(b.i.level) ?? 0) || a.n - b.n)
      .map(({ i }) => ({
        ...indicatorView(fw, i),
        checked: ticked.has(i.id),
        search: normaliseText(`${i.text} ${subdomainName(fw, i.domain, i.subdomain) ?? ''}`),
      }));
    if (items.length === 0) continue;
    for (const item of items) shownIds.add(item.id);
    groups.push({ domain: { id: d.id, name: d.name }, idPrefix: groups.length === 0 ? 'indicators' : `indicators-${d.id}`, items });
  }
  return { groups, shown: shownIds.size, carried: v.indicators.filter((id) => !shownIds.has(id)) };
}

/** Everything the result page and the PDF show. */
export function resultView(fw: Framework, a: Assessment, input: AssessmentInput) {
  const level = fw.levels.find((l) => l.id === a.level.id);
  return {
    framework: { id: fw.id, name: fw.name, version: fw.version, publisher: fw.publisher },
    level: a.level,
    levelDescription: level?.description ?? '',
    indicatorLevel: a.indicatorLevel,
    raisedByRule: a.level.id !== a.indicatorLevel.id,
    child: describeChild(input.child),
    /** The rules for unborn children and babies that an unknown age left out, if the framework has any. */
    youngChildRulesSkipped: !input.child.unborn && input.child.ageInMonths === undefined ? youngChildRules(fw) : undefined,
    indicatorCount: input.indicators.length,
    immediateDanger: a.immediateDanger,
    immediateDangerInstruction: fw.immediateDanger.instruction,
    immediateDangerCitation: citationText(fw.immediateDanger.source),
    callNow: CALL_999_NOW,
    reasons: a.reasons.map((r) => ({
      kind: r.kind,
      id: r.id,
      title: r.kind === 'rule' ? (r.title ?? r.id) : undefined,
      text: r.text,
      levelName: r.level ? levelName(fw, r.level) : undefined,
      domainName: r.domain ? domainName(fw, r.domain) : undefined,
      citation: citationText(r.source),
    })),
    // The judgement note and the immediate-danger instruction are shown in their own places.
    advice: a.advice.filter((t) => t !== JUDGEMENT_NOTE && t !== fw.immediateDanger.instruction),
    response: a.response,
    judgement: JUDGEMENT_NOTE,
  };
}
export type ResultView = ReturnType<typeof resultView>;

// ---------------------------------------------------------------------------------------------------------
// Cross-walk.

export interface CrosswalkRow {
  level: { id: string; name: string };
  band: string;
  targets: { framework: string; name: string; levels: string[] }[];
  caveats: string[];
}

/** How each level of the framework translates to each other framework in the cross-walk. */
export function crosswalkTable(cw: Crosswalk, fw: Framework, others: Map<string, Framework>): CrosswalkRow[] {
  if (!cw.frameworks.some((f) => f.id === fw.id)) return [];
  const rows: CrosswalkRow[] = [];
  for (const level of sortedLevels(fw)) {
    const targets: CrosswalkRow['targets'] = [];
    const caveats: string[] = [];
    let band = '';
    for (const to of cw.frameworks) {
      if (to.id === fw.id) continue;
      try {
        const t = translateLevel(cw, fw.id, level.id, to.id);
        band = t.band.name;
        const target = others.get(to.id);
        targets.push({ framework: to.id, name: target?.name ?? to.name, levels: t.levels.map((id) => (target ? levelName(target, id) : id)) });
        for (const c of t.caveats) if (!caveats.includes(c)) caveats.push(c);
      } catch (e) {
        // A version whose levels differ from the cross-walk's cannot be translated; show what can be.
        if (!(e instanceof CrosswalkLookupError)) throw e;
      }
    }
    if (targets.length > 0) rows.push({ level: { id: level.id, name: level.name }, band, targets, caveats });
  }
  return rows;
}

export const crosswalkQuerySchema = z
  .object({
    to: z.string('is required: the id of the framework to translate to').min(1, 'is required: the id of the framework to translate to').max(100),
    level: z.string('is required: the id of the level to translate').min(1, 'is required: the id of the level to translate').max(100),
  })
  .strip();
