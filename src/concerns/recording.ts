// Recording a concern: submit, view, amend, and the drafts kept on the way. Each operation runs in one
// transaction that writes the change, its chronology event, its audit entry and any notifications.
import { v7 as timeOrderedUuid } from 'uuid';
import { recordEvent, recordEvents } from '../chronology/events.ts';
import { canAmendConcern, canSeeChild, canSeeConcern, type Principal } from '../platform/access/policy.ts';
import { appendRecordedAudit, claimAuditChain, recordAudit, type AuditContext } from '../platform/audit/audit.ts';
import { Batcher, batcherPer } from '../platform/db/batch.ts';
import { sendCommit, withTransaction, type Db, type Queryable } from '../platform/db/pool.ts';
import { claimDrafts, deleteDraft, loadDraft, mergeDraft } from '../platform/drafts/drafts.ts';
import { notifyEach, type Notice } from '../platform/notify/notify.ts';
import { cinFactorsFor } from './categories.ts';
import { AMENDABLE_FIELDS, formatReference, isUuid, type AmendmentInput, type ConcernDraft, type ConcernInput } from './form.ts';
import {
  childNames, childOrganisationIds, concernRecordingContexts, getConcern, insertAmendment, insertConcerns, listAmendments,
  listConcernDrafts, listRaisedBy, updateConcernField, userAndOrganisationNames,
  type AmendmentRow, type ConcernRow, type RecordingContext,
} from './store.ts';

export interface Actor {
  principal: Principal;
  audit: AuditContext;
}

export interface RecordingOptions {
  /** base address for links in emails, e.g. https://continuum.example.org */
  publicUrl: string;
}

export class ChildNotVisibleError extends Error {
  field = 'childId';
  constructor() { super('No child with that id that you can see'); }
}

/** The draft being sent has already been sent (a double click or a second tab): nothing more is recorded. */
export class DraftAlreadySentError extends Error {
  constructor() { super('This concern has already been sent'); }
}

export const draftKey = (draftId: string) => `concern:${draftId}`;
export const isDraftId = (s: string) => /^[a-z0-9]{8,32}$/.test(s);

/** The user's own draft of a concern, or an empty one. */
export async function loadConcernDraft(db: Queryable, userId: string, draftId: string): Promise<{ data: ConcernDraft; updatedAt: Date | null }> {
  const d = await loadDraft(db, userId, draftKey(draftId));
  return { data: (d?.data ?? {}) as ConcernDraft, updatedAt: d?.updatedAt ?? null };
}

/** Merge what was just typed into the saved draft. */
export async function saveConcernDraftStep(db: Db, userId: string, draftId: string, patch: Partial<ConcernDraft>): Promise<ConcernDraft> {
  // The same serialised merge as an autosave, so a step post and an autosave cannot lose each other's fields.
  return (await mergeDraft(db, userId, draftKey(draftId), patch as Record<string, unknown>)) as ConcernDraft;
}

export async function discardConcernDraft(db: Queryable, userId: string, draftId: string): Promise<void> {
  await deleteDraft(db, userId, draftKey(draftId));
}

export async function isChildVisible(db: Queryable, principal: Principal, childId: string): Promise<boolean> {
  if (!isUuid(childId)) return false;
  return canSeeChild(principal, await childOrganisationIds(db, childId));
}

export interface SubmittedConcern { id: string; reference: number; referenceText: string }

interface Submission { actor: Actor; input: ConcernInput; publicUrl: string; draftId?: string }

/**
 * Record a concern: the concern, its chronology event, its audit entry and the notices to the organisation's
 * DSL and deputies, in one transaction. Submissions that arrive together are written together (group
 * commit): one transaction and two round trips for the lot, each answered once it is committed.
 */
export async function recordConcern(db: Db, actor: Actor, input: ConcernInput, opts: RecordingOptions & { draftId?: string }): Promise<SubmittedConcern> {
  if (!isUuid(input.childId)) throw new ChildNotVisibleError();
  const result = await submissions(db).add({ actor, input, publicUrl: opts.publicUrl, draftId: opts.draftId });
  if (result instanceof Error) throw result;
  return result;
}

// Two batches in flight: one is with PostgreSQL while the next gathers. On two cores, three in flight made
// smaller batches and about 10% fewer submissions a second; one left PostgreSQL idle between batches.
type SubmissionOutcome = SubmittedConcern | ChildNotVisibleError | DraftAlreadySentError;

const submissions = batcherPer((db: Db) => new Batcher<Submission, SubmissionOutcome>(
  (batch) => writeSubmissions(db, batch), { maxWriting: 2, maxBatch: 100 },
));

const draftOf = (s: Submission) => `${s.actor.principal.userId} ${draftKey(s.draftId!)}`;

async function writeSubmissions(db: Db, batch: Submission[]): Promise<SubmissionOutcome[]> {
  return withTransaction(db, async (tx) => {
    const fromDrafts = batch.filter((s) => s.draftId);
    const [contexts, , unsent] = await Promise.all([
      concernRecordingContexts(tx, batch.map(({ actor: { principal: p }, input }) => (
        { childId: input.childId, userId: p.userId, organisationId: p.organisationId }))),
      claimAuditChain(tx),
      fromDrafts.length
        ? claimDrafts(tx, fromDrafts.map((s) => ({ userId: s.actor.principal.userId, formKey: draftKey(s.draftId!) })))
        : Promise.resolve(new Set<string>()),
    ]);
    // A draft is sent once: not when another transaction has sent it already, nor twice in this batch.
    const alreadySent = new Set<number>();
    batch.forEach((s, index) => {
      if (!s.draftId) return;
      if (unsent.has(draftOf(s))) unsent.delete(draftOf(s));
      else alreadySent.add(index);
    });
    // The policy decides for each submission; one the submitter may not make is refused alone.
    // Time-ordered ids (UUIDv7): each new concern's key, and its audit entry's record id, go to the right-hand
    // edge of their indexes instead of a random page of an index that outgrows memory.
    const allowed = batch.map((s, index) => ({ ...s, index, context: contexts[index]!, id: timeOrderedUuid() }))
      .filter((s) => !alreadySent.has(s.index) && canSeeChild(s.actor.principal, s.context.childOrganisationIds));
    const written = allowed.map((s) => ({ ...s, ref: formatReference(s.context.reference) }));
    // The concerns, everything that follows them and the COMMIT go to PostgreSQL together, in one round
    // trip: their references came with the contexts, and the audit chain was claimed with them.
    const concerns = written.length ? insertConcerns(tx, written.map(({ id, context, actor: { principal: p }, input }) => ({
      id, reference: context.reference, childId: input.childId, organisationId: p.organisationId, raisedBy: p.userId, whatHappened: input.whatHappened,
      childsWords: input.childsWords, occurredAt: input.occurredAt, occurredAtText: input.occurredAtText, location: input.location,
      present: input.present, injuries: input.injuries, categories: input.categories, immediateDanger: input.immediateDanger,
      called999: input.called999, toldDslInPerson: input.toldDslInPerson,
    }))) : Promise.resolve();
    const events = recordEvents(tx, written.map(({ id, ref, actor: { principal: p }, input, context }) => ({
      childId: input.childId, organisationId: p.organisationId, type: 'concern' as const,
      occurredAt: input.occurredAt ?? context.submittedAt, recordedBy: p.userId,
      summary: `Concern raised by ${context.userName} (${context.organisationName})`,
      detail: { concernId: id, reference: ref, categories: input.categories, cinFactors: cinFactorsFor(input.categories), immediateDanger: input.immediateDanger },
      sourceType: 'concern', sourceId: id, significant: input.immediateDanger,
    })));
    for (const { id, ref, actor, input } of written) {
      await recordAudit(tx, actor.audit, {
        action: 'concern.create', recordType: 'concern', recordId: id,
        details: { childId: input.childId, reference: ref, immediateDanger: input.immediateDanger, categories: input.categories.length },
      });
    }
    const notices = notifyEach(tx, written.map((s) => ({ userIds: s.context.safeguardingLeads.filter((lead) => lead !== s.actor.principal.userId), notice: newConcernNotice(s) })));
    const drafts = written.filter((s) => s.draftId).map((s) => deleteDraft(tx, s.actor.principal.userId, draftKey(s.draftId!)));
    await Promise.all([concerns, events, notices, ...drafts, appendRecordedAudit(tx), sendCommit(tx)]);
    const results = new Map(written.map((w) => [w.index, { id: w.id, reference: w.context.reference, referenceText: w.ref }]));
    return batch.map((_, i) => results.get(i) ?? (alreadySent.has(i) ? new DraftAlreadySentError() : new ChildNotVisibleError()));
  });
}

function newConcernNotice(s: { id: string; ref: string; publicUrl: string; input: ConcernInput; context: RecordingContext }): Notice {
  const { ref, context: names } = s;
  const link = `/concerns/${s.id}`;
  const url = `${s.publicUrl.replace(/\/+$/, '')}${link}`;
  const danger = s.input.immediateDanger;
  return {
    kind: 'concern.new',
    text: `New concern ${ref} raised by ${names.userName}${danger ? ' — the child was reported to be in immediate danger' : ''}`,
    link,
    email: {
      subject: `${danger ? 'URGENT: ' : ''}New safeguarding concern ${ref} at ${names.organisationName}`,
      body: [
        `New safeguarding concern ${ref} at ${names.organisationName}.`,
        ...(danger ? ['The person who raised it reported that the child is in immediate danger.'] : []),
        'Sign in to Continuum to read it:',
        url,
        '',
        'This email contains no details of the concern. Do not reply to it.',
      ].join('\n'),
    },
  };
}

export interface ConcernView { concern: ConcernRow; amendments: AmendmentRow[]; canAmend: boolean }

const factsOf = (c: ConcernRow) => ({ organisationId: c.organisationId, raisedBy: c.raisedBy, restricted: c.restricted });

/** A concern as its reader sees it, audited; null when it does not exist or this person may not see it. */
export async function viewConcern(db: Db, actor: Actor, id: string, action = 'concern.view'): Promise<ConcernView | null> {
  if (!isUuid(id)) return null;
  return withTransaction(db, async (tx) => {
    const concern = await getConcern(tx, id);
    if (!concern || !canSeeConcern(actor.principal, factsOf(concern))) return null;
    const amendments = await listAmendments(tx, id);
    await recordAudit(tx, actor.audit, { action, recordType: 'concern', recordId: id, details: { childId: concern.childId } });
    return { concern, amendments, canAmend: canAmendConcern(actor.principal, factsOf(concern)) };
  });
}

export type AmendResult =
  | { ok: true; amendmentId: number }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'forbidden' }
  | { ok: false; reason: 'unchanged' | 'invalid'; field: 'to'; message: string };

/** A correction: the new text replaces the current one, and the amendment keeps what it was, who and why. */
export async function amendConcern(db: Db, actor: Actor, id: string, input: AmendmentInput): Promise<AmendResult> {
  if (!isUuid(id)) return { ok: false, reason: 'not-found' };
  const p = actor.principal;
  return withTransaction(db, async (tx) => {
    const concern = await getConcern(tx, id, true);
    if (!concern || !canSeeConcern(p, factsOf(concern))) return { ok: false, reason: 'not-found' } as const;
    if (!canAmendConcern(p, factsOf(concern))) return { ok: false, reason: 'forbidden' } as const;
    const def = AMENDABLE_FIELDS[input.field];
    const from = concern[input.field] ?? null;
    const to = input.to.trim() === '' ? null : input.to;
    if (from === to) return { ok: false, reason: 'unchanged', field: 'to', message: 'The correction is the same as the current text' } as const;
    // A concern must say when it happened: the words may be blanked only when there is a date.
    if (input.field === 'occurredAtText' && to === null && !concern.occurredAt) {
      return { ok: false, reason: 'invalid', field: 'to', message: 'Enter what you know about when it happened' } as const;
    }
    await tx.query("SELECT set_config('continuum.amending', 'on', true)");
    await updateConcernField(tx, id, def.column, to);
    await tx.query("SELECT set_config('continuum.amending', 'off', true)");
    const amendment = await insertAmendment(tx, { concernId: id, amendedBy: p.userId, reason: input.reason, changes: { [input.field]: { from, to } } });
    const names = await userAndOrganisationNames(tx, p.userId);
    const ref = formatReference(concern.reference);
    await recordEvent(tx, {
      childId: concern.childId, organisationId: concern.organisationId, type: 'amendment', occurredAt: amendment.amendedAt, recordedBy: p.userId,
      summary: `Concern ${ref} corrected by ${names.userName} (${names.organisationName}): ${def.label.toLowerCase()}`,
      detail: { concernId: id, reference: ref, amendmentId: amendment.id, fields: [input.field] },
      sourceType: 'concern_amendment', sourceId: String(amendment.id), restricted: concern.restricted,
    });
    await recordAudit(tx, actor.audit, {
      action: 'concern.amend', recordType: 'concern', recordId: id, details: { field: input.field, amendmentId: amendment.id },
    });
    return { ok: true, amendmentId: amendment.id } as const;
  });
}

/** "My concerns": what this person raised in their organisation, audited because it names children. */
export async function listMyConcerns(db: Db, actor: Actor) {
  return withTransaction(db, async (tx) => {
    const rows = await listRaisedBy(tx, actor.principal.userId, actor.principal.organisationId);
    await recordAudit(tx, actor.audit, { action: 'concern.list-mine', recordType: 'concern', details: { results: rows.length } });
    return rows;
  });
}

export interface DraftSummary { draftId: string; childName: string | null; updatedAt: Date; whatHappened: string }

export async function listMyDrafts(db: Db, actor: Actor): Promise<DraftSummary[]> {
  return withTransaction(db, async (tx) => {
    const drafts = await listConcernDrafts(tx, actor.principal.userId);
    const ids = drafts.map((d) => String(d.data.childId ?? '')).filter(isUuid);
    const names = await childNames(tx, ids, actor.principal.organisationId);
    if (drafts.length) await recordAudit(tx, actor.audit, { action: 'concern.drafts.list', details: { results: drafts.length } });
    return drafts.map((d) => ({
      draftId: d.draftId,
      childName: names.get(String(d.data.childId ?? '')) ?? null,
      updatedAt: d.updatedAt,
      whatHappened: String(d.data.whatHappened ?? ''),
    }));
  });
}
