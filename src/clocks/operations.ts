// Starting and stopping clocks. Other domains call onEvent(tx, 'referral.sent', …) inside their own
// transaction; the partnership's definitions decide which clocks that starts or stops. Each start and stop
// writes its audit entry and, when a child is involved, an entry on the child's chronology, in that same
// transaction.
import { recordEvent } from '../chronology/events.ts';
import { recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import type { Tx } from '../platform/db/pool.ts';
import { clockStatus, clockTimes, dueInWords, type ClockStatus } from './clock.ts';
import { shippedCatalogue, type ClockCatalogue } from './definitions.ts';
import type { ResolvedSet } from './schema.ts';
import {
  countClocks, insertClock, lockRunningOnSubject, markStopped, partnershipBySlug, partnershipOfOrganisation, subjectRestricted,
  type ClockRow, type PartnershipFacts, type Subject,
} from './store.ts';

export type ClockErrorCode = 'unknown-partnership' | 'unknown-organisation' | 'unknown-definition' | 'unknown-event' | 'before-start';

export class ClockError extends Error {
  readonly code: ClockErrorCode;
  constructor(code: ClockErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Who is acting: a signed-in user's audit context, or the system (userId null). */
export type Actor = AuditContext;

export const systemActor = (organisationId: string | null = null): Actor => ({ userId: null, role: 'system', organisationId, ip: null, requestId: null });

interface Common {
  actor: Actor;
  /** for tests and back-dated events: the instant the status snapshot is taken at */
  now?: Date;
  catalogue?: ClockCatalogue;
}

export interface StartClockInput extends Common {
  definitionId: string;
  /** partnerships.slug; defaults to the organisation's own partnership */
  partnershipSlug?: string;
  organisationId: string;
  childId?: string | null;
  subject: Subject;
  startedAt: Date;
  /** the event that started it; defaults to the definition's first start event */
  startEvent?: string;
}

export type StartResult =
  | { started: true; clock: ClockRow }
  | { started: false; definitionId: string; reason: 'already-running' | 'last-stage-reached' };

async function partnershipFor(tx: Tx, organisationId: string, slug?: string): Promise<PartnershipFacts> {
  if (slug) {
    const p = await partnershipBySlug(tx, slug);
    if (!p) throw new ClockError('unknown-partnership', `no partnership "${slug}"`);
    return p;
  }
  const p = await partnershipOfOrganisation(tx, organisationId);
  if (!p) throw new ClockError('unknown-organisation', 'no such organisation');
  return p;
}

const setFor = (catalogue: ClockCatalogue, p: PartnershipFacts) => catalogue.forPartnership({ slug: p.slug, frameworkId: p.frameworkId });

/** Whether the subject's clocks are restricted, asked at most once for an event however many clocks it touches. */
function restrictedOnce(tx: Tx, subject: Subject): () => Promise<boolean> {
  let answer: Promise<boolean> | undefined;
  return () => (answer ??= subjectRestricted(tx, subject));
}

async function startIn(
  tx: Tx, set: ResolvedSet, partnership: PartnershipFacts, input: StartClockInput, restricted = restrictedOnce(tx, input.subject),
): Promise<StartResult> {
  const definition = set.clocks.find((c) => c.id === input.definitionId);
  if (!definition) throw new ClockError('unknown-definition', `no clock "${input.definitionId}" in the ${set.id} set`);
  const previous = await countClocks(tx, input.organisationId, input.subject, definition.id);
  if (definition.stages && previous >= definition.stages) return { started: false, definitionId: definition.id, reason: 'last-stage-reached' };
  const times = clockTimes(definition, input.startedAt, set.endOfWorkingDay);
  const clock = await insertClock(tx, {
    partnershipId: partnership.id,
    organisationId: input.organisationId,
    childId: input.childId ?? null,
    subject: input.subject,
    definitionSet: set.id,
    definition,
    stage: definition.stages ? previous + 1 : 1,
    startEvent: input.startEvent ?? definition.startsOn[0]!,
    startedAt: input.startedAt,
    startedBy: input.actor.userId,
    dueDate: times.dueDate,
    dueAt: times.dueAt,
    dueSoonAt: times.dueSoonAt,
    status: clockStatus({ kind: definition.kind, dueAt: times.dueAt, dueSoonAt: times.dueSoonAt, stoppedAt: null }, input.now ?? new Date()),
  });
  if (!clock) return { started: false, definitionId: definition.id, reason: 'already-running' };
  await recordAudit(tx, input.actor, {
    action: 'clock.start', recordType: 'clock', recordId: clock.id,
    details: {
      definition: definition.id, set: set.id, subjectType: input.subject.type, subjectId: input.subject.id,
      stage: clock.stage, dueAt: times.dueAt.toISOString(), childId: clock.childId,
    },
  });
  if (clock.childId) {
    await recordEvent(tx, {
      childId: clock.childId, organisationId: clock.organisationId, type: 'record', occurredAt: input.startedAt,
      recordedBy: input.actor.userId,
      summary: `Clock started: ${definition.name}${definition.stages ? ` (stage ${clock.stage})` : ''}, due by ${dueInWords(times.dueAt)}`,
      detail: { clockId: clock.id, definitionId: definition.id, dueAt: times.dueAt.toISOString(), subjectType: input.subject.type, subjectId: input.subject.id },
      sourceType: 'clock', sourceId: clock.id, restricted: await restricted(),
    });
  }
  return { started: true, clock };
}

/** Start one clock. A second start of a definition already running on the subject starts nothing. */
export async function startClock(tx: Tx, input: StartClockInput): Promise<StartResult> {
  const catalogue = input.catalogue ?? shippedCatalogue();
  const partnership = await partnershipFor(tx, input.organisationId, input.partnershipSlug);
  return startIn(tx, setFor(catalogue, partnership), partnership, input);
}

export interface StopClocksInput extends Common {
  subject: Subject;
  stopEvent: string;
  stoppedAt: Date;
  /** the acting organisation: only its own clocks are stopped */
  organisationId: string;
  /**
   * A stop dated before the clock started: 'clamp' counts it at the start (a day-only date, such as "shared
   * yesterday", stands for noon and may fall before a start later that day); 'refuse' throws (an exact time given
   * through the API, which would otherwise read as met however late it was).
   */
  beforeStart?: 'clamp' | 'refuse';
}

export interface StoppedClock { clock: ClockRow; status: Extract<ClockStatus, 'met' | 'missed'> }

/** Stop every running clock on the subject whose definition stops on this event; each is met or missed. */
export async function stopClocks(tx: Tx, input: StopClocksInput, restricted = restrictedOnce(tx, input.subject)): Promise<StoppedClock[]> {
  const running = await lockRunningOnSubject(tx, input.organisationId, input.subject);
  const stopped: StoppedClock[] = [];
  for (const clock of running) {
    if (!clock.definition.stopsOn.includes(input.stopEvent)) continue;
    let stoppedAt = input.stoppedAt;
    if (stoppedAt < clock.startedAt) {
      if (input.beforeStart === 'refuse') {
        throw new ClockError('before-start', `${clock.definition.name} started at ${clock.startedAt.toISOString()}; it cannot stop before it started`);
      }
      stoppedAt = clock.startedAt;
    }
    const status = clockStatus({ kind: clock.kind, dueAt: clock.dueAt, dueSoonAt: clock.dueSoonAt, stoppedAt }, stoppedAt) as StoppedClock['status'];
    await markStopped(tx, clock.id, { stoppedAt, stoppedBy: input.actor.userId, stopEvent: input.stopEvent, stopReason: input.stopEvent, status });
    await recordAudit(tx, input.actor, {
      action: 'clock.stop', recordType: 'clock', recordId: clock.id,
      details: { definition: clock.definitionId, event: input.stopEvent, status, subjectType: clock.subject.type, subjectId: clock.subject.id, childId: clock.childId },
    });
    if (clock.childId) {
      await recordEvent(tx, {
        childId: clock.childId, organisationId: clock.organisationId, type: 'record', occurredAt: stoppedAt, recordedBy: input.actor.userId,
        summary: `Clock ${status === 'met' ? 'met' : 'missed'}: ${clock.definition.name}${clock.definition.stages ? ` (stage ${clock.stage})` : ''} (was due by ${dueInWords(clock.dueAt)})`,
        detail: { clockId: clock.id, definitionId: clock.definitionId, status, event: input.stopEvent },
        sourceType: 'clock', sourceId: clock.id, restricted: await restricted(),
      });
    }
    stopped.push({ clock: { ...clock, stoppedAt, stopEvent: input.stopEvent, stopReason: input.stopEvent, status }, status });
  }
  return stopped;
}

export interface EventInput extends Common {
  organisationId: string;
  childId?: string | null;
  subject: Subject;
  /** when it happened; defaults to now */
  occurredAt?: Date;
  /** see StopClocksInput */
  beforeStart?: 'clamp' | 'refuse';
}

export interface EventResult {
  set: string;
  stopped: StoppedClock[];
  started: ClockRow[];
  notStarted: { definitionId: string; reason: 'already-running' | 'last-stage-reached' }[];
}

/** The events a partnership's clocks respond to. */
export async function eventsFor(tx: Pick<Tx, 'query'>, organisationId: string, catalogue = shippedCatalogue()): Promise<ResolvedSet | null> {
  const p = await partnershipOfOrganisation(tx, organisationId);
  return p ? setFor(catalogue, p) : null;
}

/**
 * Something happened: stop the clocks it stops, then start the clocks it starts (so an early help review
 * closes one review clock and opens the next, and escalating closes one stage and opens the next).
 */
export async function onEvent(tx: Tx, eventName: string, input: EventInput): Promise<EventResult> {
  const catalogue = input.catalogue ?? shippedCatalogue();
  const partnership = await partnershipFor(tx, input.organisationId);
  const set = setFor(catalogue, partnership);
  if (!(eventName in set.events)) throw new ClockError('unknown-event', `"${eventName}" is not an event the ${set.id} clocks know`);
  const at = input.occurredAt ?? input.now ?? new Date();
  const restricted = restrictedOnce(tx, input.subject);
  const stopped = await stopClocks(tx, { ...input, catalogue, stopEvent: eventName, stoppedAt: at }, restricted);
  const started: ClockRow[] = [];
  const notStarted: EventResult['notStarted'] = [];
  for (const definition of set.clocks.filter((c) => c.startsOn.includes(eventName))) {
    const r = await startIn(tx, set, partnership, { ...input, catalogue, definitionId: definition.id, startedAt: at, startEvent: eventName }, restricted);
    if (r.started) started.push(r.clock);
    else notStarted.push({ definitionId: r.definitionId, reason: r.reason });
  }
  return { set: set.id, stopped, started, notStarted };
}
