// The DSL's triage: the queue, opening a concern (new → in triage), and the level-of-need assessment.
// Each operation runs in one transaction that writes its change, its event and its audit entry.
import { canSeeConcern, canSeeRestricted, canTriageConcern, type Principal } from '../platform/access/policy.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { londonDateOf } from '../platform/calendar/working-days.ts';
import { withReadScope, withTransaction, type Db, type Queryable } from '../platform/db/pool.ts';
import { recordEvent } from '../chronology/events.ts';
import { listEvents, type EventRow } from '../chronology/store.ts';
import { assess, recordJudgement, ThresholdInputError, type Assessment } from '../thresholds/engine.ts';
import type { FrameworkRegistry } from '../thresholds/registry.ts';
import type { Framework } from '../thresholds/schema.ts';
import { reverseRelationship } from '../people/relationships.ts';
import {
  childAge, PATTERN_SETTINGS, patternWarnings, waitedSince, type ChildAge, type PatternSettings, type PatternWarning, type Waited,
} from './patterns.ts';
import {
  childConcernDates, getConcern, insertAssessment, latestAssessment, listQueue, lockConcernStatus, markInTriage, relatedChildrenConcerns,
  type AssessmentRow, type ConcernRow, type QueueRow,
} from './triage-store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
export const QUEUE_LIMIT = 200;
export const CHRONOLOGY_PREVIEW = 10;

export const childName = (c: Pick<ConcernRow, 'child_first_name' | 'child_last_name'>) => `${c.child_first_name} ${c.child_last_name}`.trim();
export const concernReference = (reference: number) => `C-${String(reference).padStart(6, '0')}`;

const facts = (c: ConcernRow) => ({ organisationId: c.organisation_id, raisedBy: c.raised_by, restricted: c.restricted });

export type Refusal = { ok: false; reason: 'not-found' | 'forbidden' };

/** Loads a concern the principal may triage: not-found when they may not even see it (no hint it exists). */
export async function concernForTriage(db: Queryable, principal: Principal, concernId: string): Promise<{ ok: true; concern: ConcernRow } | Refusal> {
  const concern = await getConcern(db, concernId);
  if (!concern || !canSeeConcern(principal, facts(concern))) return { ok: false, reason: 'not-found' };
  if (!canTriageConcern(principal, facts(concern))) return { ok: false, reason: 'forbidden' };
  return { ok: true, concern };
}

export interface QueueItem extends QueueRow {
  referenceText: string;
  waited: Waited;
}

export async function triageQueue(db: Db, principal: Principal, ctx: AuditContext, now = new Date()): Promise<{ items: QueueItem[]; total: number }> {
  return withReadScope(db, async (tx) => {
    const { rows, total } = await listQueue(tx, principal.organisationId, { includeRestricted: principal.role === 'dsl', limit: QUEUE_LIMIT });
    await recordAudit(tx, ctx, { action: 'triage.queue', details: { shown: rows.length, total } });
    // The rows become the items themselves: a queue is up to 200 of them, read many times a minute.
    const items = rows as QueueItem[];
    for (const item of items) {
      item.referenceText = concernReference(item.reference);
      item.waited = waitedSince(item.submitted_at, now);
    }
    return { items, total };
  });
}

export interface OpenedConcern {
  concern: ConcernRow;
  age: ChildAge;
  waited: Waited;
  warnings: PatternWarning[];
  chronology: EventRow[];
  moreChronology: boolean;
  assessment: AssessmentRow | null;
}

/** Pattern warnings as this viewer may see them: restricted (LADO) concerns count only for those who may see them. */
async function patternFor(tx: Queryable, principal: Principal, concern: ConcernRow, settings: PatternSettings, now: Date): Promise<PatternWarning[]> {
  const opts = { includeRestricted: canSeeRestricted(principal, concern.organisation_id) };
  const since = new Date(now.getTime() - settings.windowDays * DAY_MS);
  const householdSince = new Date(now.getTime() - settings.householdWindowDays * DAY_MS);
  const [own, related] = await Promise.all([
    childConcernDates(tx, concern.child_id, concern.organisation_id, since, opts),
    relatedChildrenConcerns(tx, concern.child_id, concern.organisation_id, householdSince, opts),
  ]);
  return patternWarnings({
    now, childConcernDates: own,
    related: related.map((r) => ({
      childId: r.child_id, name: r.name, relationship: r.reverse ? reverseRelationship(r.relationship, r.name) : r.relationship,
      concernDates: r.dates.map((d) => new Date(d)),
    })),
  }, settings);
}

/**
 * Opens a concern for triage. The first open moves it from new to in triage, with an event and an audit entry.
 * `patterns` are the service's settings for the pattern warning (src/config.ts).
 */
export async function openConcern(
  db: Db, principal: Principal, ctx: AuditContext, concernId: string, patterns: PatternSettings = PATTERN_SETTINGS, now = new Date(),
): Promise<{ ok: true; opened: OpenedConcern } | Refusal> {
  return withTransaction(db, async (tx) => {
    const found = await concernForTriage(tx, principal, concernId);
    if (!found.ok) return found;
    const { concern } = found;
    if (await markInTriage(tx, concern.id)) {
      concern.status = 'in_triage';
      await recordEvent(tx, {
        childId: concern.child_id, organisationId: concern.organisation_id, type: 'concern', occurredAt: now, recordedBy: principal.userId,
        summary: `Concern ${concernReference(concern.reference)} opened for triage`, detail: { status: 'in_triage' },
        sourceType: 'concern', sourceId: concern.id, restricted: concern.restricted,
      });
      await recordAudit(tx, ctx, { action: 'concern.triage-start', recordType: 'concern', recordId: concern.id, details: { from: 'new', to: 'in_triage' } });
    }
    const events = await listEvents(tx, concern.child_id, {
      organisationId: principal.organisationId, includeRestricted: canSeeRestricted(principal, principal.organisationId), limit: CHRONOLOGY_PREVIEW + 1,
    });
    const warnings = await patternFor(tx, principal, concern, patterns, now);
    const assessment = await latestAssessment(tx, concern.id);
    await recordAudit(tx, ctx, { action: 'concern.view', recordType: 'concern', recordId: concern.id, details: { page: 'triage', warnings: warnings.length } });
    // The page also shows the child's chronology and names siblings with their concerns: reads of those children's
    // records, so each is audited against the child, where a search of the audit log by child finds it.
    await recordAudit(tx, ctx, {
      action: 'triage.chronology', recordType: 'child', recordId: concern.child_id,
      details: { concernId: concern.id, entries: Math.min(events.length, CHRONOLOGY_PREVIEW) },
    });
    for (const childId of new Set(warnings.flatMap((w) => (w.childId ? [w.childId] : [])))) {
      await recordAudit(tx, ctx, { action: 'triage.pattern-warning', recordType: 'child', recordId: childId, details: { concernId: concern.id } });
    }
    return {
      ok: true as const,
      opened: {
        concern,
        age: childAge(concern.child_date_of_birth, concern.child_expected_due_date, londonDateOf(now)),
        waited: waitedSince(concern.submitted_at, now),
        warnings,
        chronology: events.slice(0, CHRONOLOGY_PREVIEW),
        moreChronology: events.length > CHRONOLOGY_PREVIEW,
        assessment,
      },
    };
  });
}

/** The concern and the partnership's current framework, for the assessment pages (read is audited). */
export async function assessmentContext(
  db: Db, registry: FrameworkRegistry, principal: Principal, ctx: AuditContext, concernId: string, now = new Date(),
): Promise<{ ok: true; concern: ConcernRow; framework: Framework; age: ChildAge } | Refusal | { ok: false; reason: 'no-framework' }> {
  return withTransaction(db, async (tx) => {
    const found = await concernForTriage(tx, principal, concernId);
    if (!found.ok) return found;
    const framework = await registry.get(found.concern.framework_id);
    if (!framework) return { ok: false as const, reason: 'no-framework' as const };
    await recordAudit(tx, ctx, { action: 'concern.view', recordType: 'concern', recordId: concernId, details: { page: 'assess' } });
    return {
      ok: true as const, concern: found.concern, framework,
      age: childAge(found.concern.child_date_of_birth, found.concern.child_expected_due_date, londonDateOf(now)),
    };
  });
}

export interface AssessInput {
  indicators: string[];
  immediateDanger: boolean;
  /** absent: show the suggestion only */
  chosenLevel?: string;
  overrideReason?: string;
}

export type AssessProblem = { ok: false; reason: 'invalid'; field: 'indicators' | 'immediateDanger' | 'chosenLevel' | 'overrideReason'; message: string };

/** The engine's suggestion for this child (age from the record). Pure apart from its inputs. */
export function suggest(framework: Framework, age: ChildAge, input: Pick<AssessInput, 'indicators' | 'immediateDanger'>): { ok: true; result: Assessment } | AssessProblem {
  const known = new Set(framework.indicators.map((i) => i.id));
  const unknown = input.indicators.filter((id) => !known.has(id));
  if (unknown.length) return { ok: false, reason: 'invalid', field: 'indicators', message: `Some indicators are not in ${framework.name} version ${framework.version}: tick the indicators again` };
  if (input.indicators.length === 0 && !input.immediateDanger) {
    return { ok: false, reason: 'invalid', field: 'indicators', message: 'Select at least one indicator that describes the child’s circumstances' };
  }
  try {
    const child = age.unborn ? { unborn: true } : age.ageInMonths !== undefined ? { ageInMonths: age.ageInMonths } : {};
    return { ok: true, result: assess(framework, { indicators: [...new Set(input.indicators)], child, immediateDanger: input.immediateDanger }) };
  } catch (e) {
    if (e instanceof ThresholdInputError) return { ok: false, reason: 'invalid', field: 'indicators', message: e.message };
    throw e;
  }
}

/**
 * Records the DSL's level-of-need assessment: the engine's suggestion with its reasons, and their judgement
 * (agreeing, or choosing another level with a reason). Pins the framework version it used.
 */
export async function assessConcern(
  db: Db, registry: FrameworkRegistry, principal: Principal, ctx: AuditContext, concernId: string, input: AssessInput, now = new Date(),
): Promise<{ ok: true; assessmentId: string; result: Assessment; chosenLevel: string; agreed: boolean } | Refusal | AssessProblem | { ok: false; reason: 'no-framework' | 'already-decided' }> {
  return withTransaction(db, async (tx) => {
    const found = await concernForTriage(tx, principal, concernId);
    if (!found.ok) return found;
    const { concern } = found;
    // The decision points at the assessment it was made on: one added afterwards would be left out of it.
    if ((await lockConcernStatus(tx, concern.id)) === 'decided') return { ok: false as const, reason: 'already-decided' as const };
    const framework = await registry.get(concern.framework_id);
    if (!framework) return { ok: false as const, reason: 'no-framework' as const };
    const age = childAge(concern.child_date_of_birth, concern.child_expected_due_date, londonDateOf(now));
    const suggestion = suggest(framework, age, input);
    if (!suggestion.ok) return suggestion;
    const result = suggestion.result;
    if (!input.chosenLevel) return { ok: false as const, reason: 'invalid' as const, field: 'chosenLevel' as const, message: 'Select whether you agree with the suggested level, or choose another level' };
    if (!result.levels.some((l) => l.id === input.chosenLevel)) {
      return { ok: false as const, reason: 'invalid' as const, field: 'chosenLevel' as const, message: 'Select a level from the list' };
    }
    let judgement;
    try {
      judgement = recordJudgement(result, input.chosenLevel, input.overrideReason);
    } catch (e) {
      if (e instanceof ThresholdInputError) {
        return { ok: false as const, reason: 'invalid' as const, field: 'overrideReason' as const, message: 'Enter your reason for choosing a different level from the suggested one' };
      }
      throw e;
    }
    const saved = await insertAssessment(tx, {
      childId: concern.child_id, concernId: concern.id, organisationId: concern.organisation_id,
      frameworkId: framework.id, frameworkVersion: framework.version, indicators: [...new Set(input.indicators)],
      childAgeMonths: age.ageInMonths ?? null, unborn: age.unborn, immediateDanger: input.immediateDanger,
      suggestedLevel: judgement.suggestedLevel, chosenLevel: judgement.chosenLevel, agreed: judgement.agreed,
      overrideReason: judgement.overrideReason, result, assessedBy: principal.userId,
    });
    const chosenName = result.levels.find((l) => l.id === judgement.chosenLevel)?.name ?? judgement.chosenLevel;
    await recordEvent(tx, {
      childId: concern.child_id, organisationId: concern.organisation_id, type: 'assessment', occurredAt: saved.assessed_at, recordedBy: principal.userId,
      summary: judgement.agreed
        ? `Level of need assessed as ${chosenName} (${framework.name}), agreeing with the suggested level`
        : `Level of need assessed as ${chosenName} (${framework.name}); the suggested level was ${result.level.name}`,
      detail: {
        concernId: concern.id, framework: { id: framework.id, version: framework.version }, suggestedLevel: result.level, chosenLevel: chosenName,
        agreed: judgement.agreed, ...(judgement.overrideReason ? { overrideReason: judgement.overrideReason } : {}), indicators: result.reasons.length,
      },
      sourceType: 'assessment', sourceId: saved.id, restricted: concern.restricted,
    });
    await recordAudit(tx, ctx, {
      action: 'assessment.create', recordType: 'concern', recordId: concern.id,
      details: { assessmentId: saved.id, framework: framework.id, version: framework.version, suggested: judgement.suggestedLevel, chosen: judgement.chosenLevel, agreed: judgement.agreed },
    });
    return { ok: true as const, assessmentId: saved.id, result, chosenLevel: judgement.chosenLevel, agreed: judgement.agreed };
  });
}
