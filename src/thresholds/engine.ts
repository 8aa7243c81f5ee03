// The threshold engine: from the indicators a practitioner selects, suggest a level of need under a
// partnership's framework, with every reason cited. It suggests; people decide (DESIGN.md §3). Pure: no I/O.
import type { Citation, Condition, Framework, Indicator, Level, Rule } from './schema.ts';

export interface ChildInput {
  /** Age in whole or part months; leave out when unknown or unborn. */
  ageInMonths?: number;
  unborn?: boolean;
}

export interface AssessmentInput {
  indicators: string[];
  child: ChildInput;
  immediateDanger?: boolean;
}

export interface LevelRef {
  id: string;
  rank: number;
  name: string;
}

export interface Reason {
  kind: 'indicator' | 'rule';
  id: string;
  /** The indicator's verbatim text, or the rule's explanation. */
  text: string;
  source: Citation;
  /** The indicator's level, or the level the rule raises to (absent for advice-only rules). */
  level?: string;
  /** Rules only: the rule's short title. */
  title?: string;
  /** Indicators only: the domain the indicator belongs to. */
  domain?: string;
}

export interface AssessmentResponse {
  /** Present only when the child is in immediate danger; comes first, before anything else is read. */
  immediateDangerInstruction?: string;
  summary: string;
  access?: string;
  contacts: Level['response']['contacts'];
  consent: Level['consent'];
}

export interface Assessment {
  frameworkId: string;
  frameworkVersion: string;
  /** The suggested level. */
  level: LevelRef;
  /** The highest level among the selected indicators, before any rule raised it. */
  indicatorLevel: LevelRef;
  reasons: Reason[];
  advice: string[];
  immediateDanger: boolean;
  response: AssessmentResponse;
  /** Every level of the framework, lowest first: the choices open to professional judgement. */
  levels: LevelRef[];
}

export const JUDGEMENT_NOTE =
  'This level is a suggestion drawn from the threshold guidance. It does not replace professional judgement: ' +
  'weigh the whole picture (the child’s age and resilience, protective factors, the cumulative effect of ' +
  'concerns) and record your decision, with your reasons if it differs from the suggestion.';

/** Errors caused by the caller's input; `statusCode` lets an HTTP layer answer 400 without a mapping table. */
export abstract class ThresholdInputError extends Error {
  readonly statusCode = 400;
}

export class UnknownIndicatorError extends ThresholdInputError {
  constructor(
    readonly ids: string[],
    readonly frameworkId: string,
  ) {
    super(`unknown indicator${ids.length === 1 ? '' : 's'} for framework "${frameworkId}": ${ids.join(', ')}`);
    this.name = 'UnknownIndicatorError';
  }
}

export class InvalidChildError extends ThresholdInputError {
  constructor(
    readonly field: 'child' | 'ageInMonths' | 'unborn',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidChildError';
  }
}

export class InvalidAssessmentInputError extends ThresholdInputError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidAssessmentInputError';
  }
}

export class UnknownLevelError extends ThresholdInputError {
  constructor(readonly levelId: string) {
    super(`unknown level "${levelId}"`);
    this.name = 'UnknownLevelError';
  }
}

export class OverrideReasonRequiredError extends ThresholdInputError {
  constructor(
    readonly suggestedLevel: string,
    readonly chosenLevel: string,
  ) {
    super(`a reason is required when the chosen level (${chosenLevel}) differs from the suggested level (${suggestedLevel})`);
    this.name = 'OverrideReasonRequiredError';
  }
}

interface FrameworkIndex {
  levelById: Map<string, Level>;
  levelByRank: Map<number, Level>;
  indicatorById: Map<string, Indicator>;
  indicatorOrder: Map<string, number>;
  levels: LevelRef[];
}

// Frameworks are immutable once loaded; index each once.
const indexes = new WeakMap<Framework, FrameworkIndex>();

function indexOf(fw: Framework): FrameworkIndex {
  let idx = indexes.get(fw);
  if (!idx) {
    idx = {
      levelById: new Map(fw.levels.map((l) => [l.id, l])),
      levelByRank: new Map(fw.levels.map((l) => [l.rank, l])),
      indicatorById: new Map(fw.indicators.map((i) => [i.id, i])),
      indicatorOrder: new Map(fw.indicators.map((i, n) => [i.id, n])),
      levels: [...fw.levels].sort((a, b) => a.rank - b.rank).map(levelRef),
    };
    indexes.set(fw, idx);
  }
  return idx;
}

function levelRef(l: Level): LevelRef {
  return { id: l.id, rank: l.rank, name: l.name };
}

function requireLevel(fw: Framework, idx: FrameworkIndex, id: string): Level {
  const level = idx.levelById.get(id);
  // Validated frameworks never get here; an unvalidated one is a programming error, not bad input.
  if (!level) throw new Error(`framework "${fw.id}" refers to unknown level "${id}"; validate it first`);
  return level;
}

function checkInput(fw: Framework, idx: FrameworkIndex, input: AssessmentInput): { selected: Indicator[]; child: ChildInput } {
  if (input === null || typeof input !== 'object') {
    throw new InvalidAssessmentInputError('input', 'the assessment input must be an object');
  }
  if (!Array.isArray(input.indicators) || input.indicators.some((id) => typeof id !== 'string')) {
    throw new InvalidAssessmentInputError('indicators', 'indicators must be a list of indicator ids');
  }
  if (input.immediateDanger !== undefined && typeof input.immediateDanger !== 'boolean') {
    throw new InvalidAssessmentInputError('immediateDanger', 'immediateDanger must be true or false');
  }
  const child = input.child;
  if (child === null || typeof child !== 'object') {
    throw new InvalidChildError('child', 'child must be an object with ageInMonths and/or unborn');
  }
  if (child.ageInMonths !== undefined) {
    if (typeof child.ageInMonths !== 'number' || !Number.isFinite(child.ageInMonths) || child.ageInMonths < 0) {
      throw new InvalidChildError('ageInMonths', 'ageInMonths must be a number of months, 0 or more');
    }
  }
  if (child.unborn !== undefined && typeof child.unborn !== 'boolean') {
    throw new InvalidChildError('unborn', 'unborn must be true or false');
  }
  if (child.unborn === true && child.ageInMonths !== undefined) {
    throw new InvalidChildError('unborn', 'an unborn child has no age: give ageInMonths or unborn, not both');
  }

  const unknown: string[] = [];
  const selected: Indicator[] = [];
  const seen = new Set<string>();
  for (const id of input.indicators) {
    if (seen.has(id)) continue;
    seen.add(id);
    const ind = idx.indicatorById.get(id);
    if (ind) selected.push(ind);
    else unknown.push(id);
  }
  if (unknown.length > 0) throw new UnknownIndicatorError(unknown, fw.id);
  return { selected, child };
}

interface Context {
  fw: Framework;
  idx: FrameworkIndex;
  selected: Indicator[];
  selectedIds: Set<string>;
  child: ChildInput;
  immediateDanger: boolean;
}

function rankOf(ctx: Context, levelId: string): number {
  return requireLevel(ctx.fw, ctx.idx, levelId).rank;
}

function holds(cond: Condition, ctx: Context): boolean {
  if ('allOf' in cond) return cond.allOf.every((c) => holds(c, ctx));
  if ('anyOf' in cond) return cond.anyOf.some((c) => holds(c, ctx));
  if ('not' in cond) return !holds(cond.not, ctx);
  if ('unborn' in cond) return ctx.child.unborn === true;
  // An unknown age never satisfies an age condition: the engine must not guess.
  if ('ageUnderMonths' in cond) {
    return ctx.child.unborn !== true && ctx.child.ageInMonths !== undefined && ctx.child.ageInMonths < cond.ageUnderMonths;
  }
  if ('ageAtLeastMonths' in cond) {
    return ctx.child.unborn !== true && ctx.child.ageInMonths !== undefined && ctx.child.ageInMonths >= cond.ageAtLeastMonths;
  }
  if ('immediateDanger' in cond) return ctx.immediateDanger;
  // Any one of the listed indicators; "all of" is written as allOf over single-id conditions.
  if ('indicatorSelected' in cond) return cond.indicatorSelected.some((id) => ctx.selectedIds.has(id));
  if ('indicatorTagged' in cond) return ctx.selected.some((i) => i.tags.includes(cond.indicatorTagged));
  if ('countAtLevel' in cond) {
    const rank = rankOf(ctx, cond.countAtLevel.level);
    return ctx.selected.filter((i) => rankOf(ctx, i.level) === rank).length >= cond.countAtLevel.atLeast;
  }
  if ('countAtLevelOrAbove' in cond) {
    const rank = rankOf(ctx, cond.countAtLevelOrAbove.level);
    return ctx.selected.filter((i) => rankOf(ctx, i.level) >= rank).length >= cond.countAtLevelOrAbove.atLeast;
  }
  if ('countInDomainsAtLevel' in cond) {
    const rank = rankOf(ctx, cond.countInDomainsAtLevel.level);
    const domains = new Set(ctx.selected.filter((i) => rankOf(ctx, i.level) >= rank).map((i) => i.domain));
    return domains.size >= cond.countInDomainsAtLevel.atLeast;
  }
  throw new Error(`unsupported condition: ${JSON.stringify(cond)}`);
}

/** Suggests a level of need for the selected indicators, with every reason and the expected response. */
export function assess(framework: Framework, input: AssessmentInput): Assessment {
  const idx = indexOf(framework);
  const { selected, child } = checkInput(framework, idx, input);
  const immediateDanger = input.immediateDanger === true;
  const ctx: Context = {
    fw: framework,
    idx,
    selected,
    selectedIds: new Set(selected.map((i) => i.id)),
    child,
    immediateDanger,
  };

  const lowest = idx.levels[0];
  if (!lowest) throw new Error(`framework "${framework.id}" has no levels`);
  const indicatorRank = selected.reduce((max, i) => Math.max(max, rankOf(ctx, i.level)), lowest.rank);

  // Rules only ever raise. Repeat until nothing changes so that a raise can enable another rule.
  let rank = indicatorRank;
  let fired: Rule[] = [];
  for (;;) {
    fired = framework.rules.filter((r) => holds(r.when, ctx));
    const raised = fired.reduce((max, r) => (r.raiseTo === undefined ? max : Math.max(max, rankOf(ctx, r.raiseTo))), rank);
    if (raised === rank) break;
    rank = raised;
  }

  // Advice pointing to a level the suggestion has already reached would send the practitioner backwards.
  fired = fired.filter((r) => r.onlyBelow === undefined || rank < rankOf(ctx, r.onlyBelow));

  const level = idx.levelByRank.get(rank);
  const baseLevel = idx.levelByRank.get(indicatorRank);
  if (!level || !baseLevel) throw new Error(`framework "${framework.id}" has no level of rank ${rank}`);

  const reasons = buildReasons(ctx, selected, fired);

  const advice: string[] = [];
  if (immediateDanger) advice.push(framework.immediateDanger.instruction);
  for (const rule of fired) if (rule.advice !== undefined && !advice.includes(rule.advice)) advice.push(rule.advice);
  advice.push(JUDGEMENT_NOTE);

  const response: AssessmentResponse = {
    ...(immediateDanger ? { immediateDangerInstruction: framework.immediateDanger.instruction } : {}),
    summary: level.response.summary,
    ...(level.response.access !== undefined ? { access: level.response.access } : {}),
    contacts: level.response.contacts,
    consent: level.consent,
  };

  return {
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    level: levelRef(level),
    indicatorLevel: levelRef(baseLevel),
    reasons,
    advice,
    immediateDanger,
    response,
    levels: idx.levels,
  };
}

/**
 * Highest level first; at the same level a rule comes before the indicators it builds on; advice-only rules
 * last. Ties keep the framework's own order so the list is stable.
 */
function buildReasons(ctx: Context, selected: Indicator[], fired: Rule[]): Reason[] {
  const ranked: Array<{ reason: Reason; rank: number; group: number; order: number }> = [];
  selected.forEach((ind) => {
    ranked.push({
      reason: { kind: 'indicator', id: ind.id, text: ind.text, source: ind.source, level: ind.level, domain: ind.domain },
      rank: rankOf(ctx, ind.level),
      group: 1,
      order: ctx.idx.indicatorOrder.get(ind.id) ?? 0,
    });
  });
  fired.forEach((rule, order) => {
    ranked.push({
      reason: {
        kind: 'rule',
        id: rule.id,
        title: rule.title,
        text: rule.explanation,
        source: rule.source,
        ...(rule.raiseTo !== undefined ? { level: rule.raiseTo } : {}),
      },
      rank: rule.raiseTo === undefined ? 0 : rankOf(ctx, rule.raiseTo),
      group: 0,
      order,
    });
  });
  ranked.sort((a, b) => b.rank - a.rank || a.group - b.group || a.order - b.order);
  return ranked.map((r) => r.reason);
}

export interface Judgement {
  suggestedLevel: string;
  chosenLevel: string;
  agreed: boolean;
  /** Why the chosen level differs from the suggestion; null when they agree. */
  overrideReason: string | null;
}

/**
 * Records the professional's decision against the suggestion. Overriding is allowed, silently overriding is
 * not: a different level needs a reason.
 */
export function recordJudgement(
  suggested: { level: { id: string }; levels?: ReadonlyArray<{ id: string }> },
  chosenLevelId: string,
  reason?: string,
): Judgement {
  if (suggested.levels && !suggested.levels.some((l) => l.id === chosenLevelId)) {
    throw new UnknownLevelError(chosenLevelId);
  }
  const agreed = chosenLevelId === suggested.level.id;
  const trimmed = reason?.trim() ?? '';
  if (!agreed && trimmed === '') throw new OverrideReasonRequiredError(suggested.level.id, chosenLevelId);
  return {
    suggestedLevel: suggested.level.id,
    chosenLevel: chosenLevelId,
    agreed,
    overrideReason: agreed ? null : trimmed,
  };
}
