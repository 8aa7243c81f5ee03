// Concerns submitted together are written together (group commit): each is answered once committed, with
// its own event, audit entry and notices; one the submitter may not make, or one PostgreSQL refuses, fails alone;
// and each new concern's id sorts after the last (time-ordered UUIDv7).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChildNotVisibleError, draftKey, DraftAlreadySentError, recordConcern, type Actor } from '../../src/concerns/recording.ts';
import { claimDrafts, loadDraft, saveDraft } from '../../src/platform/drafts/drafts.ts';
import type { ConcernInput } from '../../src/concerns/form.ts';
import { verifyAudit } from '../../src/platform/audit/audit.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

const input = (childId: string, whatHappened = 'Said she was scared to go home.'): ConcernInput => ({
  childId, whatHappened, childsWords: 'I don’t want to go home', occurredAt: null, occurredAtText: 'This morning', location: 'Playground',
  present: 'Lunchtime supervisor', injuries: null, categories: ['emotional_abuse'], immediateDanger: false, called999: null, toldDslInPerson: false,
});

async function school() {
  const { organisationId, partnershipId } = await createOrganisation(t.db);
  const practitioner = await createUser(t.db, 'practitioner', { organisationId });
  const dsl = await createUser(t.db, 'dsl', { organisationId });
  const child = await createChild(t.db, { organisationId, firstName: 'Maya', lastName: 'Osei' });
  const actor: Actor = {
    principal: { userId: practitioner.id, role: 'practitioner', organisationId, partnershipId },
    audit: { userId: practitioner.id, role: 'practitioner', organisationId, ip: '127.0.0.1', requestId: 'group-commit' },
  };
  return { organisationId, practitioner, dsl, child, actor };
}

describe('recording concerns together', () => {
  test('thirty at once: fewer transactions than concerns, each with its event, audit entry and notice; a child not known is refused alone', async () => {
    const a = await school();
    const b = await school();
    const submissions = [
      ...Array.from({ length: 15 }, (_, i) => recordConcern(t.db, a.actor, input(a.child.id, `A ${i}`), { publicUrl: 'http://localhost' })),
      ...Array.from({ length: 14 }, (_, i) => recordConcern(t.db, b.actor, input(b.child.id, `B ${i}`), { publicUrl: 'http://localhost' })),
      recordConcern(t.db, a.actor, input(b.child.id, 'not ours'), { publicUrl: 'http://localhost' }),
    ];
    const settled = await Promise.allSettled(submissions);
    const refused = settled.filter((s) => s.status === 'rejected');
    assert.equal(refused.length, 1);
    assert.ok((refused[0] as PromiseRejectedResult).reason instanceof ChildNotVisibleError);
    const saved = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    assert.equal(new Set(saved.map((s) => s.reference)).size, 29);

    const ids = saved.map((s) => s.id);
    const concerns = (await t.db.query(
      'SELECT id, what_happened, organisation_id, xmin::text AS tx FROM concerns WHERE id = ANY($1::uuid[])', [ids])).rows;
    assert.equal(concerns.length, 29);
    assert.ok(new Set(concerns.map((c) => c.tx)).size < 29, 'written in shared transactions');
    assert.equal(concerns.filter((c) => c.organisation_id === a.organisationId).length, 15);
    assert.ok(!concerns.some((c) => c.what_happened === 'not ours'));
    // Each answer names its own concern: the reference returned is the one stored for that text.
    for (const s of saved) {
      const stored = (await t.db.query('SELECT reference, what_happened FROM concerns WHERE id = $1', [s.id])).rows[0];
      assert.equal(Number(stored.reference), s.reference);
      const event = (await t.db.query("SELECT detail FROM events WHERE source_type = 'concern' AND source_id = $1", [s.id])).rows;
      assert.equal(event.length, 1);
      assert.equal(event[0].detail.reference, s.referenceText);
    }
    const audited = (await t.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'concern.create' AND record_id = ANY($1)", [ids])).rows[0];
    assert.equal(audited.n, 29);
    const notices = (await t.db.query("SELECT user_id, count(*)::int AS n FROM notifications WHERE kind = 'concern.new' AND user_id = ANY($1::uuid[]) GROUP BY user_id",
      [[a.dsl.id, b.dsl.id]])).rows;
    assert.deepEqual(Object.fromEntries(notices.map((r) => [r.user_id, r.n])), { [a.dsl.id]: 15, [b.dsl.id]: 14 });
    assert.equal((await verifyAudit(t.db)).broken, null);
  });

  test('a draft is sent once: sent several times at once, or while another transaction holds it, one concern is recorded', async () => {
    const a = await school();
    const b = await school();
    const opts = (draftId: string) => ({ publicUrl: 'http://localhost', draftId });
    const concernsOf = async () => (await t.db.query('SELECT count(*)::int AS n FROM concerns WHERE raised_by = $1', [a.practitioner.id])).rows[0].n;

    await saveDraft(t.db, a.practitioner.id, draftKey('twiceatonce'), { whatHappened: 'x' });
    const settled = await Promise.allSettled([1, 2, 3, 4].map(() => recordConcern(t.db, a.actor, input(a.child.id), opts('twiceatonce'))));
    assert.equal(settled.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(settled.every((r) => r.status === 'fulfilled' || r.reason instanceof DraftAlreadySentError));
    assert.equal(await concernsOf(), 1);
    assert.equal(await loadDraft(t.db, a.practitioner.id, draftKey('twiceatonce')), null);

    // Another transaction is sending the draft: this one waits for it, then finds the draft gone.
    await saveDraft(t.db, a.practitioner.id, draftKey('heldbyanother'), { whatHappened: 'x' });
    const holder = await t.db.connect();
    try {
      await holder.query('BEGIN');
      assert.equal((await claimDrafts(holder, [{ userId: a.practitioner.id, formKey: draftKey('heldbyanother') }])).size, 1);
      const waiting = recordConcern(t.db, a.actor, input(a.child.id), opts('heldbyanother'));
      await new Promise((r) => setTimeout(r, 300));
      await holder.query('DELETE FROM drafts WHERE user_id = $1 AND form_key = $2', [a.practitioner.id, draftKey('heldbyanother')]);
      await holder.query('COMMIT');
      await assert.rejects(waiting, DraftAlreadySentError);
    } finally {
      holder.release();
    }
    assert.equal(await concernsOf(), 1);

    // A submission the policy refuses keeps its draft.
    await saveDraft(t.db, a.practitioner.id, draftKey('notourchild'), { whatHappened: 'x' });
    await assert.rejects(recordConcern(t.db, a.actor, input(b.child.id), opts('notourchild')), ChildNotVisibleError);
    assert.ok(await loadDraft(t.db, a.practitioner.id, draftKey('notourchild')));
  });

  test('one submission PostgreSQL refuses fails alone; the others in its batch are written', async () => {
    const a = await school();
    // A NUL character cannot be stored in PostgreSQL text: the batch holding it fails and each is tried alone.
    // The first three go at once, one per writer; the rest wait and go together, the bad one among them.
    const texts = ['w1', 'w2', 'w3', 'first', 'second', 'bad \u0000 text', 'third', 'fourth'];
    const settled = await Promise.allSettled(texts.map((text) => recordConcern(t.db, a.actor, input(a.child.id, text), { publicUrl: 'http://localhost' })));
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const stored = (await t.db.query('SELECT what_happened FROM concerns WHERE raised_by = $1', [a.practitioner.id])).rows;
    assert.deepEqual(stored.map((r) => r.what_happened).sort(), ['first', 'fourth', 'second', 'third', 'w1', 'w2', 'w3']);
    const events = (await t.db.query("SELECT count(*)::int AS n FROM events WHERE recorded_by = $1 AND type = 'concern'", [a.practitioner.id])).rows[0];
    assert.equal(events.n, 7);
  });

  test('concern ids are time-ordered (UUIDv7): each new one sorts after the last, so it lands at the edge of the key index', async () => {
    const a = await school();
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) ids.push((await recordConcern(t.db, a.actor, input(a.child.id, text), { publicUrl: 'http://localhost' })).id);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // PostgreSQL's own uuid ordering agrees with the order they were made in.
    const sorted = (await t.db.query('SELECT id FROM concerns WHERE id = ANY($1::uuid[]) ORDER BY id', [ids])).rows.map((r) => r.id);
    assert.deepEqual(sorted, ids);
  });
});
