// Checks a threshold framework file: the schema first, then everything the schema cannot see (ids that must
// exist, ids that must be unique, ranks). A partnership loads new versions without a code change, so a broken
// file must be caught here with a message that points at the exact field.
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assess, type ChildInput } from './engine.ts';
import { conditionSchema, frameworkSchema, type Condition, type Framework } from './schema.ts';
import { parseDataText, readDataFile, toFileErrors, zodIssues, type FileError, type Issue, type PathSegment } from './files.ts';

export type { FileError } from './files.ts';

export type ValidationResult = { ok: true; framework: Framework } | { ok: false; errors: FileError[] };

export const CONDITION_KINDS = [
  'allOf',
  'anyOf',
  'not',
  'unborn',
  'ageUnderMonths',
  'ageAtLeastMonths',
  'immediateDanger',
  'indicatorSelected',
  'indicatorTagged',
  'countAtLevel',
  'countAtLevelOrAbove',
  'countInDomainsAtLevel',
] as const;

const KIND_LIST = CONDITION_KINDS.join(', ');

/** Explains why a value is not a condition, instead of zod's bare "Invalid input" for a failed union. */
export function diagnoseCondition(value: unknown, path: PathSegment[]): Issue[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ path, message: `a condition must be a mapping with exactly one of: ${KIND_LIST}` }];
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    return [
      {
        path,
        message:
          keys.length === 0
            ? `empty condition: expected exactly one of: ${KIND_LIST}`
            : `a condition has exactly one key, found ${keys.length}: ${keys.join(', ')} (combine them with allOf or anyOf)`,
      },
    ];
  }
  const key = keys[0] as string;
  const inner = (value as Record<string, unknown>)[key];
  if (!(CONDITION_KINDS as readonly string[]).includes(key)) {
    return [{ path: [...path, key], message: `unknown condition "${key}": expected one of: ${KIND_LIST}` }];
  }
  if (key === 'allOf' || key === 'anyOf') {
    if (!Array.isArray(inner) || inner.length === 0) {
      return [{ path: [...path, key], message: 'must be a non-empty list of conditions' }];
    }
    return inner.flatMap((c, i) => diagnoseCondition(c, [...path, key, i]));
  }
  if (key === 'not') return diagnoseCondition(inner, [...path, key]);
  const parsed = conditionSchema.safeParse({ [key]: inner });
  if (parsed.success) return [];
  // A failed union lists every branch; the one that explains the failure is the branch for this key.
  const explained = parsed.error.issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue];
    const branch = issue.errors.find((b) => b.length > 0 && b.every((i) => i.path[0] === key));
    return branch ?? [issue];
  });
  const leaf = zodIssues(explained, { [key]: inner });
  return leaf.map((i) => ({
    path: [...path, ...i.path],
    message: i.message === 'Invalid input' ? `invalid value for condition "${key}"` : i.message,
  }));
}

type Visit = (kind: 'level' | 'indicator' | 'tag', id: string, path: PathSegment[]) => void;

/** Calls `visit` for every level id, indicator id and tag a condition refers to, with its path. */
export function walkCondition(cond: Condition, path: PathSegment[], visit: Visit): void {
  if ('allOf' in cond) cond.allOf.forEach((c, i) => walkCondition(c, [...path, 'allOf', i], visit));
  else if ('anyOf' in cond) cond.anyOf.forEach((c, i) => walkCondition(c, [...path, 'anyOf', i], visit));
  else if ('not' in cond) walkCondition(cond.not, [...path, 'not'], visit);
  else if ('indicatorSelected' in cond)
    cond.indicatorSelected.forEach((id, i) => visit('indicator', id, [...path, 'indicatorSelected', i]));
  else if ('indicatorTagged' in cond) visit('tag', cond.indicatorTagged, [...path, 'indicatorTagged']);
  else if ('countAtLevel' in cond) visit('level', cond.countAtLevel.level, [...path, 'countAtLevel', 'level']);
  else if ('countAtLevelOrAbove' in cond)
    visit('level', cond.countAtLevelOrAbove.level, [...path, 'countAtLevelOrAbove', 'level']);
  else if ('countInDomainsAtLevel' in cond)
    visit('level', cond.countInDomainsAtLevel.level, [...path, 'countInDomainsAtLevel', 'level']);
}

const INDICATOR_KINDS = ['indicatorSelected', 'indicatorTagged', 'countAtLevel', 'countAtLevelOrAbove', 'countInDomainsAtLevel'];

/** Paths of indicator conditions under an odd number of `not`s, i.e. that hold when a concern is absent. */
function negatedIndicatorConditions(cond: Condition, path: PathSegment[], negated: boolean, out: PathSegment[][]): void {
  if ('allOf' in cond) cond.allOf.forEach((c, i) => negatedIndicatorConditions(c, [...path, 'allOf', i], negated, out));
  else if ('anyOf' in cond) cond.anyOf.forEach((c, i) => negatedIndicatorConditions(c, [...path, 'anyOf', i], negated, out));
  else if ('not' in cond) negatedIndicatorConditions(cond.not, [...path, 'not'], !negated, out);
  else if (negated) {
    const kind = Object.keys(cond)[0];
    if (kind !== undefined && INDICATOR_KINDS.includes(kind)) out.push([...path, kind]);
  }
}

function list(ids: Iterable<string>): string {
  const all = [...ids];
  const shown = all.slice(0, 12).join(', ');
  return all.length > 12 ? `${shown}, … (${all.length} in all)` : shown || '(none)';
}

function duplicates<T extends { id: string }>(items: readonly T[], base: PathSegment[], what: string, out: Issue[]): Map<string, T> {
  const seen = new Map<string, number>();
  const byId = new Map<string, T>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) {
      out.push({
        path: [...base, i, 'id'],
        message: `duplicate ${what} id "${item.id}" (already used at ${formatBase(base)}[${first}])`,
      });
    } else {
      seen.set(item.id, i);
      byId.set(item.id, item);
    }
  });
  return byId;
}

function formatBase(base: PathSegment[]): string {
  return base.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Deepest nesting of conditions accepted; real rules need a handful, and checking deeper ones recurses. */
export const MAX_CONDITION_DEPTH = 32;

/** Rules whose conditions nest deeper than MAX_CONDITION_DEPTH, found without recursing so any depth is safe. */
function tooDeep(data: unknown): Issue[] {
  const rules = data !== null && typeof data === 'object' ? (data as Record<string, unknown>).rules : undefined;
  if (!Array.isArray(rules)) return [];
  const out: Issue[] = [];
  rules.forEach((rule, r) => {
    if (rule === null || typeof rule !== 'object') return;
    const stack: Array<{ value: unknown; depth: number }> = [{ value: (rule as Record<string, unknown>).when, depth: 1 }];
    while (stack.length > 0) {
      const { value, depth } = stack.pop()!;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      if (depth > MAX_CONDITION_DEPTH) {
        out.push({
          path: ['rules', r, 'when'],
          message: `conditions are nested too deeply: at most ${MAX_CONDITION_DEPTH} levels of allOf, anyOf and not are allowed`,
        });
        return;
      }
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'not') stack.push({ value: inner, depth: depth + 1 });
        else if ((key === 'allOf' || key === 'anyOf') && Array.isArray(inner)) {
          for (const c of inner) stack.push({ value: c, depth: depth + 1 });
        }
      }
    }
  });
  return out;
}

function describeChild(child: ChildInput): string {
  if (child.unborn) return 'an unborn child';
  if (child.ageInMonths === undefined) return 'a child whose age is not given';
  return `a child aged ${child.ageInMonths} month${child.ageInMonths === 1 ? '' : 's'}`;
}

/** Children that between them meet every age condition in the framework's rules either way. */
function childrenToTry(fw: Framework): ChildInput[] {
  const ages = new Set<number>([0]);
  const stack: Condition[] = fw.rules.map((r) => r.when);
  while (stack.length > 0) {
    const cond = stack.pop()!;
    if ('allOf' in cond) stack.push(...cond.allOf);
    else if ('anyOf' in cond) stack.push(...cond.anyOf);
    else if ('not' in cond) stack.push(cond.not);
    else if ('ageUnderMonths' in cond || 'ageAtLeastMonths' in cond) {
      const n = 'ageUnderMonths' in cond ? cond.ageUnderMonths : cond.ageAtLeastMonths;
      ages.add(n);
      if (n > 0) ages.add(n - 1);
    }
  }
  return [{}, { unborn: true }, ...[...ages].sort((a, b) => a - b).map((ageInMonths) => ({ ageInMonths }))];
}

/**
 * The engine raises on immediate danger only through a rule, so without one a child in danger would be
 * suggested the lowest level. Some rule must raise to the top level for every child, with nothing else ticked.
 */
function immediateDangerReachesTop(fw: Framework): Issue[] {
  const top = fw.levels.reduce((max, l) => (l.rank > max.rank ? l : max));
  const children = childrenToTry(fw);
  const missed = children.filter((child) => assess(fw, { indicators: [], child, immediateDanger: true }).level.rank < top.rank);
  if (missed.length === 0) return [];
  const some = missed.length < children.length ? ` (it does not for ${describeChild(missed[0]!)})` : '';
  return [
    {
      path: ['rules'],
      message:
        `no rule raises the level to "${top.id}" (the highest) when the child is in immediate danger: ` +
        `add a rule with when: { immediateDanger: true } and raiseTo: ${top.id}${some}`,
    },
  ];
}

/** The checks the schema cannot express. Assumes `fw` already passed the schema. */
export function crossCheck(fw: Framework): Issue[] {
  const out: Issue[] = [];
  const levels = duplicates(fw.levels, ['levels'], 'level', out);
  const domains = duplicates(fw.domains, ['domains'], 'domain', out);
  fw.domains.forEach((d, di) => duplicates(d.subdomains, ['domains', di, 'subdomains'], 'subdomain', out));
  const indicators = duplicates(fw.indicators, ['indicators'], 'indicator', out);
  duplicates(fw.rules, ['rules'], 'rule', out);

  // Ranks: unique, and exactly 1..n so "higher level" is unambiguous.
  const n = fw.levels.length;
  const rankAt = new Map<number, number>();
  fw.levels.forEach((l, i) => {
    const first = rankAt.get(l.rank);
    if (first !== undefined) {
      out.push({ path: ['levels', i, 'rank'], message: `duplicate rank ${l.rank} (already used at levels[${first}])` });
    } else {
      rankAt.set(l.rank, i);
      if (l.rank > n) {
        out.push({
          path: ['levels', i, 'rank'],
          message: `rank ${l.rank} is out of sequence: ranks must be consecutive from 1 to ${n} (the number of levels)`,
        });
      }
    }
  });
  // Distinct ranks, each between 1 and n, are necessarily exactly 1..n: no separate gap check needed.

  const levelIds = () => list(levels.keys());
  fw.indicators.forEach((ind, i) => {
    if (!levels.has(ind.level)) {
      out.push({ path: ['indicators', i, 'level'], message: `unknown level "${ind.level}": levels are ${levelIds()}` });
    }
    const domain = domains.get(ind.domain);
    if (!domain) {
      out.push({
        path: ['indicators', i, 'domain'],
        message: `unknown domain "${ind.domain}": domains are ${list(domains.keys())}`,
      });
    } else if (ind.subdomain !== undefined && !domain.subdomains.some((s) => s.id === ind.subdomain)) {
      out.push({
        path: ['indicators', i, 'subdomain'],
        message: `unknown subdomain "${ind.subdomain}" in domain "${domain.id}": its subdomains are ${list(domain.subdomains.map((s) => s.id))}`,
      });
    }
  });

  const tags = new Set(fw.indicators.flatMap((ind) => ind.tags));
  fw.rules.forEach((rule, r) => {
    if (rule.raiseTo !== undefined && !levels.has(rule.raiseTo)) {
      out.push({ path: ['rules', r, 'raiseTo'], message: `unknown level "${rule.raiseTo}": levels are ${levelIds()}` });
    }
    if (rule.onlyBelow !== undefined) {
      const below = levels.get(rule.onlyBelow);
      if (!below) {
        out.push({ path: ['rules', r, 'onlyBelow'], message: `unknown level "${rule.onlyBelow}": levels are ${levelIds()}` });
      } else if (rule.raiseTo !== undefined) {
        // Dropping a raising rule would leave its raise without a reason.
        out.push({
          path: ['rules', r, 'onlyBelow'],
          message: 'only an advice-only rule can be limited to levels below another: remove raiseTo or onlyBelow',
        });
      } else if (below.rank === 1) {
        out.push({
          path: ['rules', r, 'onlyBelow'],
          message: `no level is below "${below.id}", so this advice would never be given`,
        });
      }
    }
    walkCondition(rule.when, ['rules', r, 'when'], (kind, id, path) => {
      if (kind === 'level' && !levels.has(id)) {
        out.push({ path, message: `unknown level "${id}": levels are ${levelIds()}` });
      } else if (kind === 'indicator' && !indicators.has(id)) {
        out.push({ path, message: `unknown indicator "${id}"` });
      } else if (kind === 'tag' && !tags.has(id)) {
        // A tag no indicator carries makes the rule dead: almost always a typo.
        out.push({ path, message: `no indicator has the tag "${id}", so this condition can never hold` });
      }
    });
    // Selecting one more concern must never lower the suggestion; a raise that needs a concern to be absent would.
    if (rule.raiseTo !== undefined) {
      const negated: PathSegment[][] = [];
      negatedIndicatorConditions(rule.when, ['rules', r, 'when'], false, negated);
      for (const path of negated) {
        out.push({
          path,
          message:
            'a rule that raises the level must not depend on an indicator being absent (under "not"): ' +
            'selecting another concern could then lower the suggested level; give advice instead',
        });
      }
    }
  });
  // Runs the engine, so only once every id it would look up is known to exist.
  if (out.length === 0) out.push(...immediateDangerReachesTop(fw));
  return out;
}

type Checked = { ok: true; framework: Framework } | { ok: false; issues: Issue[] };

function validate(data: unknown): Checked {
  try {
    return checkData(data);
  } catch (err) {
    // Data nested deeply somewhere the depth check does not look still must not crash a caller.
    if (err instanceof RangeError) return { ok: false, issues: [{ path: [], message: 'the framework is nested too deeply to check' }] };
    throw err;
  }
}

function checkData(data: unknown): Checked {
  // Before the schema: it recurses into conditions, and would overflow the stack on deep ones.
  const deep = tooDeep(data);
  if (deep.length > 0) return { ok: false, issues: deep };
  const parsed = frameworkSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, issues: zodIssues(parsed.error.issues, data, (value, path) => diagnoseCondition(value, path)) };
  }
  const issues = crossCheck(parsed.data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, framework: parsed.data };
}

export function validateFramework(data: unknown, file: string): ValidationResult {
  const result = validate(data);
  return result.ok ? result : { ok: false, errors: toFileErrors(result.issues, file) };
}

/** Reads and validates a .yaml/.yml/.json framework file. Never throws for a bad or missing file. */
export async function loadFrameworkFile(path: string): Promise<ValidationResult> {
  const read = await readDataFile(path);
  if (!read.ok) return read;
  const result = validate(read.data);
  return result.ok ? result : { ok: false, errors: toFileErrors(result.issues, path, read.lineOf) };
}

/** Validates framework text pasted into a form (YAML or JSON). */
export function validateFrameworkText(text: string, name: string): ValidationResult {
  const read = parseDataText(text, name);
  if (!read.ok) return read;
  const result = validate(read.data);
  return result.ok ? result : { ok: false, errors: toFileErrors(result.issues, name, read.lineOf) };
}

/** The folder holding the frameworks shipped with Continuum. */
export const SHIPPED_FRAMEWORKS_DIR = fileURLToPath(new URL('./frameworks/', import.meta.url));

const DATA_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Paths of the shipped framework files, sorted by name. */
export async function listShippedFrameworkFiles(dir: string = SHIPPED_FRAMEWORKS_DIR): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((name) => DATA_EXTENSIONS.has(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(dir, name));
}

export class FrameworkValidationError extends Error {
  constructor(readonly errors: FileError[]) {
    super(
      `invalid threshold framework file(s):\n` +
        errors.map((e) => `  ${formatFileError(e)}`).join('\n'),
    );
    this.name = 'FrameworkValidationError';
  }
}

/** `FILE: PATH: MESSAGE (line N)`, the PATH left out for whole-file errors. */
export function formatFileError(e: FileError): string {
  const line = e.line === undefined || e.message.includes(`line ${e.line}`) ? '' : ` (line ${e.line})`;
  return e.path === '' ? `${e.file}: ${e.message}${line}` : `${e.file}: ${e.path}: ${e.message}${line}`;
}

/** Loads every shipped framework; throws FrameworkValidationError listing every error if any file is invalid. */
export async function loadShippedFrameworks(dir: string = SHIPPED_FRAMEWORKS_DIR): Promise<Framework[]> {
  const files = await listShippedFrameworkFiles(dir);
  const frameworks: Framework[] = [];
  const errors: FileError[] = [];
  const idFile = new Map<string, string>();
  for (const file of files) {
    const result = await loadFrameworkFile(file);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const other = idFile.get(result.framework.id);
    if (other !== undefined) {
      errors.push({ file, path: 'id', message: `framework id "${result.framework.id}" is also used by ${other}` });
      continue;
    }
    idFile.set(result.framework.id, file);
    frameworks.push(result.framework);
  }
  if (errors.length > 0) throw new FrameworkValidationError(errors);
  return frameworks;
}
