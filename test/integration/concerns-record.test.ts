// The concern form end to end by plain form posts (as with JavaScript off): a draft at every step, the
// immediate-danger page, submission, read-only afterwards, amendments, visibility, audit and notifications.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser, type TestUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp({ publicUrl: 'https://continuum.example.org' }); });
after(async () => { await t.close(); });

const WORDS = 'He said "my dad hit me with the belt cos I was late" and\nthen "dont tell mum"';

async function draftOf(userId: string, draftId: string) {
  const { rows } = await t.db.query('SELECT data FROM drafts WHERE user_id = $1 AND form_key = $2', [userId, `concern:${draftId}`]);
  return rows[0]?.data as Record<string, unknown> | undefined;
}

async function setting(opts: { orgName?: string } = {}) {
  const { organisationId } = await createOrganisation(t.db, { name: opts.orgName });
  const practitioner = await createUser(t.db, 'practitioner', { organisationId });
  const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
  const deputy = await createUser(t.db, 'deputy_dsl', { organisationId, enrolTotp: true });
  const child = await createChild(t.db, { organisationId, firstName: 'Jayden', lastName: 'Okafor' });
  return { organisationId, practitioner, dsl, deputy, child };
}

/** Start a concern and return its draft id. */
async function start(c: Client, childId?: string) {
  const res = await c.get(`/concerns/new${childId ? `?childId=${childId}` : ''}`);
  assert.equal(res.statusCode, 303);
  const m = /^\/concerns\/new\/([a-z0-9]+)\/child/.exec(String(res.headers.location));
  assert.ok(m, String(res.headers.location));
  return m[1]!;
}

async function step(c: Client, draftId: string, name: string, form: Record<string, string | string[]>, expectNext?: string) {
  const res = await c.post(`/concerns/new/${draftId}/${name}`, form);
  if (expectNext) {
    assert.equal(res.statusCode, 303, `${name}: ${res.body.slice(0, 300)}`);
    assert.equal(res.headers.location, `/concerns/new/${draftId}/${expectNext}`);
  }
  return res;
}

/** The whole journey, answering every question; returns the new concern's id. */
async function recordWholeConcern(c: Client, childId: string, opts: { danger?: boolean } = {}) {
  const d = await answerEveryQuestion(c, childId, opts);
  const res = await c.post(`/concerns/new/${d}/check`);
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  const m = /^\/concerns\/([0-9a-f-]{36})\/sent$/.exec(String(res.headers.location));
  assert.ok(m);
  return { id: m[1]!, draftId: d };
}

/** Every question answered, up to "check your answers"; returns the draft's id. */
async function answerEveryQuestion(c: Client, childId: string, opts: { danger?: boolean } = {}) {
  const d = await start(c);
  await c.get(`/concerns/new/${d}/child`);
  await step(c, d, 'child', { childId }, 'what-happened');
  await step(c, d, 'what-happened', { whatHappened: 'Bruise on his arm at morning registration.' }, 'childs-words');
  await step(c, d, 'childs-words', { childsWords: WORDS }, 'when-where');
  await step(c, d, 'when-where', { whenDay: '3', whenMonth: '2', whenYear: '2026', whenTime: '8:50am', location: 'Classroom 4' }, 'present');
  await step(c, d, 'present', { present: 'Me and the teaching assistant' }, 'injuries');
  await step(c, d, 'injuries', { injuries: 'yes', injuriesDetail: 'Red mark 5cm long, back of left upper arm' }, 'categories');
  await step(c, d, 'categories', { categories: ['physical_abuse', 'domestic_abuse'] }, 'danger');
  if (opts.danger) {
    await step(c, d, 'danger', { immediateDanger: 'yes' }, 'call-999');
    await step(c, d, 'call-999', { called999: 'yes' }, 'told-dsl');
  } else {
    await step(c, d, 'danger', { immediateDanger: 'no' }, 'told-dsl');
  }
  await step(c, d, 'told-dsl', { toldDsl: 'no' }, 'check');
  return d;
}

describe('the concern form', () => {
  test('a practitioner answers every question; the draft holds everything at every step; mistakes lose nothing', async () => {
    const s = await setting({ orgName: 'Riverside Primary School' });
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await start(c);

    // Search for the child among the organisation's children (misspelt).
    const search = await c.get(`/concerns/new/${d}/child?q=Jaden%20Okafor`);
    assert.equal(search.statusCode, 200);
    assert.match(search.body, /Jayden Okafor/);
    assert.match(search.body, /href="\/children\/new\?returnTo=%2Fconcerns%2Fnew%2F[a-z0-9]+%2Fchild"/);
    const none = await step(c, d, 'child', {});
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Select the child you are worried about/);
    await step(c, d, 'child', { childId: s.child.id }, 'what-happened');
    assert.equal((await draftOf(s.practitioner.id, d))?.childId, s.child.id);

    const page = await c.get(`/concerns/new/${d}/what-happened`);
    assert.match(page.body, /Concern about Jayden Okafor/);
    const blank = await step(c, d, 'what-happened', { whatHappened: '   ' });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /govuk-error-summary/);
    assert.match(blank.body, /href="#whatHappened"/);
    await step(c, d, 'what-happened', { whatHappened: 'He flinched when I touched his shoulder.' }, 'childs-words');
    const childsWordsPage = await c.get(`/concerns/new/${d}/childs-words`);
    assert.match(childsWordsPage.body, /exactly what the child said/);
    await step(c, d, 'childs-words', { childsWords: WORDS }, 'when-where');
    assert.equal((await draftOf(s.practitioner.id, d))?.childsWords, WORDS, 'the words are kept exactly');

    // A half-answered page is refused with specific messages, and everything typed is kept and shown again.
    const partial = await step(c, d, 'when-where', { whenDay: '31', whenMonth: '2', whenYear: '2026', whenTime: '9am', location: 'The playground' });
    assert.equal(partial.statusCode, 400);
    assert.match(partial.body, /The date it happened must be a real date/);
    assert.match(partial.body, /value="The playground"/);
    assert.match(partial.body, /value="31"/);
    assert.equal((await draftOf(s.practitioner.id, d))?.location, 'The playground');
    const blankWhen = { whenDay: '', whenMonth: '', whenYear: '', whenTime: '' };
    const noWhen = await step(c, d, 'when-where', { ...blankWhen, whenText: '', location: 'The playground' });
    assert.match(noWhen.body, /Enter the date and time it happened, or what you know about when it happened/);
    await step(c, d, 'when-where', { ...blankWhen, whenText: 'Last weekend, at his dad’s', location: 'The playground' }, 'present');
    await step(c, d, 'present', { present: 'Only me' }, 'injuries');
    const noDetail = await step(c, d, 'injuries', { injuries: 'yes', injuriesDetail: '' });
    assert.match(noDetail.body, /where they are on the child’s body/);
    await step(c, d, 'injuries', { injuries: 'no' }, 'categories');
    const both = await step(c, d, 'categories', { categories: ['neglect', 'not_sure'] });
    assert.match(both.body, /Select “Not sure” on its own/);
    await step(c, d, 'categories', { categories: 'neglect' }, 'danger');

    // Immediate danger: the next page says call 999 now and asks whether they did.
    await step(c, d, 'danger', { immediateDanger: 'yes' }, 'call-999');
    const call = await c.get(`/concerns/new/${d}/call-999`);
    assert.match(call.body, /<h1 class="govuk-heading-xl">Call 999 now<\/h1>/);
    assert.match(call.body, /govuk-warning-text/);
    await step(c, d, 'call-999', { called999: 'no' }, 'told-dsl');
    await step(c, d, 'told-dsl', { toldDsl: 'yes' }, 'check');

    const draft = await draftOf(s.practitioner.id, d);
    assert.deepEqual(
      { ...draft },
      { childId: s.child.id, whatHappened: 'He flinched when I touched his shoulder.', childsWords: WORDS, whenText: 'Last weekend, at his dad’s',
        location: 'The playground', present: 'Only me', injuries: 'no', injuriesDetail: '', categories: ['neglect'], immediateDanger: 'yes', called999: 'no', toldDsl: 'yes',
        whenDay: '', whenMonth: '', whenYear: '', whenTime: '' },
    );

    // Check your answers, with change links that come back here.
    const check = await c.get(`/concerns/new/${d}/check`);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Check your answers before sending/);
    assert.match(check.body, /Call 999 now if you have not/);
    assert.match(check.body, new RegExp(`href="/concerns/new/${d}/present\\?change=1"`));
    const changed = await c.post(`/concerns/new/${d}/present?change=1`, { present: 'Only me, then Mrs Patel' });
    assert.equal(changed.headers.location, `/concerns/new/${d}/check`);

    const sent = await c.post(`/concerns/new/${d}/check`);
    assert.equal(sent.statusCode, 303);
    const id = /\/concerns\/([0-9a-f-]{36})\/sent/.exec(String(sent.headers.location))![1]!;
    const confirmation = await c.get(String(sent.headers.location));
    assert.match(confirmation.body, /govuk-panel--confirmation/);
    assert.match(confirmation.body, /<strong>C-\d{6}<\/strong>/);
    assert.match(confirmation.body, /Call 999 now if you have not/);
    assert.equal(await draftOf(s.practitioner.id, d), undefined, 'the draft is gone once sent');

    const { rows: [row] } = await t.db.query('SELECT * FROM concerns WHERE id = $1', [id]);
    assert.equal(row.childs_words, WORDS);
    assert.equal(row.occurred_at, null);
    assert.equal(row.occurred_at_text, 'Last weekend, at his dad’s');
    assert.equal(row.present, 'Only me, then Mrs Patel');
    assert.equal(row.injuries, null);
    assert.deepEqual(row.categories, ['neglect']);
    assert.equal(row.immediate_danger, true);
    assert.equal(row.called_999, false);
    assert.equal(row.told_dsl_in_person, true);
    assert.equal(row.raised_by, s.practitioner.id);

    const { rows: events } = await t.db.query("SELECT * FROM events WHERE child_id = $1 AND type = 'concern'", [s.child.id]);
    assert.equal(events.length, 1);
    assert.equal(events[0].summary, 'Concern raised by Test practitioner (Riverside Primary School)');
    assert.equal(events[0].significant, true);
    assert.equal(events[0].source_id, id);
    assert.deepEqual(events[0].detail.cinFactors, ['16A']);

    const { rows: audit } = await t.db.query("SELECT details FROM audit_log WHERE action = 'concern.create' AND record_id = $1", [id]);
    assert.equal(audit.length, 1);
    assert.doesNotMatch(JSON.stringify(audit[0].details), /Jayden|flinched|belt/);

    // Sending the same draft again records nothing: it no longer exists, and the list of concerns says so.
    const again = await c.post(`/concerns/new/${d}/check`);
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, '/concerns?draftGone=1');
    assert.match((await c.get('/concerns?draftGone=1')).body, /That concern is no longer a draft/);
    const { rows: [{ n }] } = await t.db.query('SELECT count(*)::int AS n FROM concerns WHERE raised_by = $1', [s.practitioner.id]);
    assert.equal(n, 1);
  });

  test('a concern sent twice at once (a double click, two tabs) is recorded once; the second lands on the list saying so', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    for (let round = 0; round < 3; round++) {
      const d = await answerEveryQuestion(c, s.child.id);
      const answers = await Promise.all([c.post(`/concerns/new/${d}/check`), c.post(`/concerns/new/${d}/check`)]);
      const where = answers.map((a) => `${a.statusCode} ${String(a.headers.location).replace(/[0-9a-f-]{36}/, 'ID')}`).sort();
      // The second waits for the first inside the database, or (arriving after it) finds the draft gone.
      assert.equal(where[0], '303 /concerns/ID/sent', `round ${round}`);
      assert.ok(['303 /concerns?alreadySent=1', '303 /concerns?draftGone=1'].includes(where[1]!), `round ${round}: ${where[1]}`);
      assert.equal(await draftOf(s.practitioner.id, d), undefined);
    }
    const { rows: [{ n }] } = await t.db.query('SELECT count(*)::int AS n FROM concerns WHERE raised_by = $1', [s.practitioner.id]);
    assert.equal(n, 3);
    const { rows: [{ notices }] } = await t.db.query('SELECT count(*)::int AS notices FROM notifications WHERE user_id = $1', [s.dsl.id]);
    assert.equal(notices, 3);
    const list = await c.get('/concerns?alreadySent=1');
    assert.match(list.body, /You have already sent this concern/);
    assert.doesNotMatch((await c.get('/concerns')).body, /already sent/);
  });

  test('an account over 20,000 characters is refused with an error, kept in full in the box and the draft', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await start(c);
    await step(c, d, 'child', { childId: s.child.id }, 'what-happened');
    const long = `${'x'.repeat(19990)}and the end`;
    assert.equal(long.length, 20001);
    const res = await step(c, d, 'what-happened', { whatHappened: long });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /href="#whatHappened"/);
    assert.match(res.body, /What happened must be 20,000 characters or fewer/);
    assert.ok(res.body.includes(long), 'the whole text is still in the box');
    assert.equal((await draftOf(s.practitioner.id, d))?.whatHappened, long);
  });

  test('a known date and time is stored as the London instant', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const { id } = await recordWholeConcern(c, s.child.id);
    const { rows: [row] } = await t.db.query('SELECT occurred_at FROM concerns WHERE id = $1', [id]);
    assert.equal(new Date(row.occurred_at).toISOString(), '2026-02-03T08:50:00.000Z');
  });

  test('"My concerns" lists what the practitioner raised, and "Save and come back later" keeps a draft', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const { id } = await recordWholeConcern(c, s.child.id);
    const mine = await c.get('/concerns');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, new RegExp(`href="/concerns/${id}">C-\\d{6}`));
    assert.match(mine.body, /Jayden Okafor/);
    assert.match(mine.body, /New/);

    const d = await start(c, s.child.id);
    const pre = await c.get(`/concerns/new/${d}/child?childId=${s.child.id}`);
    assert.match(pre.body, new RegExp(`value="${s.child.id}" checked`));
    await step(c, d, 'child', { childId: s.child.id }, 'what-happened');
    const later = await step(c, d, 'what-happened', { whatHappened: 'Not finished yet', _later: '1' });
    assert.equal(later.headers.location, '/concerns/drafts?saved=1');
    const drafts = await c.get('/concerns/drafts');
    assert.match(drafts.body, /Not finished yet/);
    assert.match(drafts.body, new RegExp(`href="/concerns/new/${d}/continue"`));
    const cont = await c.get(`/concerns/new/${d}/continue`);
    assert.equal(cont.headers.location, `/concerns/new/${d}/childs-words`);
    await c.post(`/concerns/drafts/${d}/delete`);
    assert.equal(await draftOf(s.practitioner.id, d), undefined);
  });

  test('a draft survives a forced sign-out: sign in again and continue with everything typed still there', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await start(c);
    await step(c, d, 'child', { childId: s.child.id }, 'what-happened');
    await step(c, d, 'what-happened', { whatHappened: 'Came in hungry again, third day running.' }, 'childs-words');
    await step(c, d, 'childs-words', { childsWords: WORDS }, 'when-where');

    await t.db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1', [s.practitioner.id]);
    const out = await c.get(`/concerns/new/${d}/when-where`);
    assert.equal(out.statusCode, 303);
    assert.match(String(out.headers.location), /^\/sign-in/);

    const again = new Client(t.app);
    await again.signIn(s.practitioner);
    const list = await again.get('/concerns/drafts');
    assert.match(list.body, /Jayden Okafor/);
    assert.match(list.body, /Came in hungry again/);
    const cont = await again.get(`/concerns/new/${d}/continue`);
    assert.equal(cont.headers.location, `/concerns/new/${d}/when-where`);
    const back = await again.get(`/concerns/new/${d}/childs-words`);
    assert.ok(back.body.includes('He said &quot;my dad hit me with the belt cos I was late&quot; and\nthen &quot;dont tell mum&quot;'));
    const what = await again.get(`/concerns/new/${d}/what-happened`);
    assert.match(what.body, /Came in hungry again, third day running\./);
  });

  test('autosave through the drafts API merges with the steps already saved', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await start(c);
    await step(c, d, 'child', { childId: s.child.id }, 'what-happened');
    const saved = await c.json('GET', `/api/v1/drafts/concern:${d}`);
    const put = await c.json('PUT', `/api/v1/drafts/concern:${d}`, { data: { ...saved.json().data, whatHappened: 'typed, not yet posted' } });
    assert.equal(put.statusCode, 200);
    const page = await c.get(`/concerns/new/${d}/what-happened`);
    assert.match(page.body, /typed, not yet posted/);
    assert.match(page.body, new RegExp(`data-autosave-key="concern:${d}"`));
    assert.match(page.body, /src="\/static\/concern-autosave.js"/);
  });

  test('a child id that is not a UUID gets the form\'s error, never a 500, and the draft stays usable', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await start(c);
    await step(c, d, 'what-happened', { whatHappened: 'Kept whatever the child id' });
    for (const bad of ['a'.repeat(36), '-'.repeat(36)]) {
      const res = await step(c, d, 'child', { childId: bad });
      assert.equal(res.statusCode, 400, bad);
      assert.match(res.body, /govuk-error-summary/);
      assert.match(res.body, /href="#childId">Select a child from the list/);
      assert.equal((await c.get('/concerns/drafts')).statusCode, 200);
      assert.equal((await c.get(`/concerns/new/${d}/continue`)).headers.location, `/concerns/new/${d}/child`);
      assert.equal((await c.get(`/concerns/new/${d}/check`)).headers.location, `/concerns/new/${d}/child`);
      assert.equal((await c.get(`/concerns/new/${d}/child`)).statusCode, 200);
      const send = await c.post(`/concerns/new/${d}/check`);
      assert.equal(send.statusCode, 400);
      assert.match(send.body, /Select a child from the list/);
    }
    // A bad id saved by autosave: the drafts page treats it as no child chosen.
    const e = await start(c);
    assert.equal((await c.json('PUT', `/api/v1/drafts/concern:${e}`, { data: { childId: '-'.repeat(36), whatHappened: 'Autosaved' } })).statusCode, 200);
    const drafts = await c.get('/concerns/drafts');
    assert.equal(drafts.statusCode, 200);
    assert.match(drafts.body, /Not chosen yet<\/td>\s*<td class="govuk-table__cell">Autosaved/);
    await step(c, d, 'child', { childId: s.child.id }, 'what-happened');

    // A concern id of the right length that is not a UUID is not found.
    const dashes = '-'.repeat(36);
    assert.equal((await c.get(`/concerns/${dashes}`)).statusCode, 404);
    assert.equal((await c.get(`/concerns/${dashes}/amend`)).statusCode, 404);
    assert.equal((await c.post(`/concerns/${dashes}/amend`, { field: 'location', to: 'Hall', reason: 'x' })).statusCode, 404);
  });
});

describe('after submission', () => {
  test('the concern is read-only; a correction is an amendment that keeps the original, with who and why', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const { id } = await recordWholeConcern(c, s.child.id);

    const view = await c.get(`/concerns/${id}`);
    assert.equal(view.statusCode, 200);
    assert.match(view.body, /Classroom 4/);
    assert.match(view.body, /read-only/);
    await assert.rejects(t.db.query("UPDATE concerns SET location = 'edited' WHERE id = $1", [id]), /only by an amendment/);
    await assert.rejects(t.db.query("UPDATE concerns SET categories = '{}' WHERE id = $1", [id]), /cannot be changed in place/);

    const choose = await c.get(`/concerns/${id}/amend`);
    assert.match(choose.body, /What do you want to correct\?/);
    const form = await c.get(`/concerns/${id}/amend?field=location`);
    assert.match(form.body, /Classroom 4/);
    const noReason = await c.post(`/concerns/${id}/amend`, { field: 'location', to: 'Classroom 5', reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Enter why you are making this correction/);
    assert.match(noReason.body, /Classroom 5/, 'the correction typed is kept');
    const same = await c.post(`/concerns/${id}/amend`, { field: 'location', to: 'Classroom 4', reason: 'no change' });
    assert.match(same.body, /same as the current text/);
    const ok = await c.post(`/concerns/${id}/amend`, { field: 'location', to: 'Classroom 5', reason: 'I wrote the wrong room' });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/concerns/${id}?amended=1`);

    const after = await c.get(`/concerns/${id}?amended=1`);
    assert.match(after.body, /Classroom 5/);
    assert.match(after.body, /I wrote the wrong room/);
    assert.match(after.body, /Where it happened – was/);
    assert.match(after.body, /Classroom 4/);
    assert.match(after.body, /by Test practitioner/);

    const { rows: amendments } = await t.db.query('SELECT amended_by, reason, changes FROM concern_amendments WHERE concern_id = $1', [id]);
    assert.deepEqual(amendments, [{ amended_by: s.practitioner.id, reason: 'I wrote the wrong room', changes: { location: { from: 'Classroom 4', to: 'Classroom 5' } } }]);
    await assert.rejects(t.db.query('DELETE FROM concern_amendments WHERE concern_id = $1', [id]), /append-only/);
    const { rows: events } = await t.db.query("SELECT summary, detail FROM events WHERE child_id = $1 AND type = 'amendment'", [s.child.id]);
    assert.equal(events.length, 1);
    assert.match(events[0].summary, /corrected by Test practitioner/);
    const { rows: audit } = await t.db.query("SELECT details FROM audit_log WHERE action = 'concern.amend' AND record_id = $1", [id]);
    assert.equal(audit[0].details.field, 'location');
  });

  test('visibility: the raiser and the DSL see it (audited); another practitioner or organisation does not', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const { id } = await recordWholeConcern(c, s.child.id);

    const colleague = await createUser(t.db, 'practitioner', { organisationId: s.organisationId });
    const cc = new Client(t.app);
    await cc.signIn(colleague);
    assert.equal((await cc.get(`/concerns/${id}`)).statusCode, 404);
    assert.equal((await cc.json('GET', `/api/v1/concerns/${id}`)).statusCode, 404);
    assert.equal((await cc.post(`/concerns/${id}/amend`, { field: 'location', to: 'x', reason: 'y' })).statusCode, 404);
    assert.doesNotMatch((await cc.get('/concerns')).body, /Jayden Okafor/);

    const other = await setting();
    const od = new Client(t.app);
    await od.signIn(other.dsl);
    assert.equal((await od.get(`/concerns/${id}`)).statusCode, 404);
    assert.equal((await od.json('GET', `/api/v1/concerns/${id}`)).statusCode, 404);

    const dc = new Client(t.app);
    await dc.signIn(s.dsl);
    const seen = await dc.get(`/concerns/${id}`);
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /Bruise on his arm/);
    const { rows } = await t.db.query("SELECT user_id FROM audit_log WHERE action = 'concern.view' AND record_id = $1 ORDER BY id", [id]);
    assert.deepEqual(rows.map((r) => r.user_id), [s.dsl.id]);
    const { rows: denied } = await t.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'concern.view' AND user_id = $1", [colleague.id]);
    assert.equal(denied[0].n, 0);
  });

  test('showing a child offered by ?childId= and the confirmation page are both audited reads', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await start(c, s.child.id);
    const offered = await c.get(`/concerns/new/${d}/child?childId=${s.child.id}`);
    assert.equal(offered.statusCode, 200);
    assert.match(offered.body, /Jayden Okafor/);
    const { rows: childReads } = await t.db.query(
      "SELECT action, details FROM audit_log WHERE user_id = $1 AND record_type = 'child' AND record_id = $2", [s.practitioner.id, s.child.id],
    );
    assert.deepEqual(childReads.map((r) => [r.action, r.details.step]), [['concern.draft.view', 'child']]);

    const { id } = await recordWholeConcern(c, s.child.id);
    const sent = await c.get(`/concerns/${id}/sent`);
    assert.equal(sent.statusCode, 200);
    const { rows: sentReads } = await t.db.query("SELECT user_id FROM audit_log WHERE action = 'concern.sent.view' AND record_id = $1", [id]);
    assert.deepEqual(sentReads.map((r) => r.user_id), [s.practitioner.id]);
    // Someone who may not see the concern gets 404, and nothing is recorded as read.
    const colleague = await createUser(t.db, 'practitioner', { organisationId: s.organisationId });
    const cc = new Client(t.app);
    await cc.signIn(colleague);
    assert.equal((await cc.get(`/concerns/${id}/sent`)).statusCode, 404);
  });

  test('the DSL and deputy are notified in the app and by email with no personal data; marking as read', async () => {
    const s = await setting({ orgName: 'Hilltop Academy' });
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const { id } = await recordWholeConcern(c, s.child.id, { danger: true });
    const { rows: [{ reference }] } = await t.db.query('SELECT reference FROM concerns WHERE id = $1', [id]);
    const ref = `C-${String(reference).padStart(6, '0')}`;

    const { rows: notes } = await t.db.query('SELECT user_id, kind, text, link FROM notifications WHERE link = $1 ORDER BY user_id', [`/concerns/${id}`]);
    assert.deepEqual(notes.map((n) => n.user_id).sort(), [s.dsl.id, s.deputy.id].sort());
    assert.match(notes[0].text, new RegExp(`${ref} raised by Test practitioner`));
    assert.match(notes[0].text, /immediate danger/);

    const { rows: mail } = await t.db.query('SELECT to_address, subject, body FROM email_outbox WHERE subject LIKE $1 ORDER BY to_address', [`%${ref}%`]);
    assert.deepEqual(mail.map((m) => m.to_address).sort(), [s.dsl.email, s.deputy.email].sort());
    assert.equal(mail[0].subject, `URGENT: New safeguarding concern ${ref} at Hilltop Academy`);
    assert.match(mail[0].body, new RegExp(`https://continuum.example.org/concerns/${id}`));
    assert.match(mail[0].body, /immediate danger/);
    for (const m of mail) assert.doesNotMatch(`${m.subject}\n${m.body}`, /Jayden|Okafor|Bruise|belt|Classroom/);

    const dc = new Client(t.app);
    await dc.signIn(s.dsl);
    const home = await dc.get('/');
    assert.match(home.body, /Notifications \(1 unread\)/);
    const page = await dc.get('/notifications');
    assert.match(page.body, new RegExp(`href="/concerns/${id}"`));
    const api = await dc.json('GET', '/api/v1/notifications');
    assert.equal(api.json().unread, 1);
    const [note] = api.json().items;
    await dc.post(`/notifications/${note.id}/read`);
    assert.doesNotMatch((await dc.get('/')).body, /unread\)/);
    // Someone else's notification cannot be marked by this user.
    const deputyNote = (await t.db.query('SELECT id FROM notifications WHERE user_id = $1', [s.deputy.id])).rows[0];
    await dc.post(`/notifications/${deputyNote.id}/read`);
    const { rows: [d] } = await t.db.query('SELECT read_at FROM notifications WHERE id = $1', [deputyNote.id]);
    assert.equal(d.read_at, null);
  });
});

describe('API', () => {
  test('anonymous callers get 401', async () => {
    const c = new Client(t.app);
    for (const [method, url] of [['GET', '/api/v1/concerns'], ['POST', '/api/v1/concerns'], ['GET', '/api/v1/notifications'], ['GET', '/api/v1/concerns/00000000-0000-0000-0000-000000000000']] as const) {
      const res = await c.json(method, url, method === 'POST' ? {} : undefined);
      assert.equal(res.statusCode, 401, `${method} ${url}`);
    }
  });

  test('record, read and amend a concern as JSON; 400 names the field', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const body = {
      childId: s.child.id, whatHappened: 'Disclosed at lunch', childsWords: 'he hurts mum', occurredAt: '2026-01-10T12:15:00Z',
      location: 'Dining hall', present: 'Lunch supervisor', categories: ['domestic_abuse'], immediateDanger: false, toldDslInPerson: true,
    };
    const missing = await c.json('POST', '/api/v1/concerns', { ...body, whatHappened: undefined });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().field, 'whatHappened');
    const badCategory = await c.json('POST', '/api/v1/concerns', { ...body, categories: ['nonsense'] });
    assert.equal(badCategory.json().field, 'categories.0');
    const danger = await c.json('POST', '/api/v1/concerns', { ...body, immediateDanger: true });
    assert.equal(danger.json().field, 'called999');
    const stranger = await createChild(t.db, { organisationId: (await createOrganisation(t.db)).organisationId });
    const unseen = await c.json('POST', '/api/v1/concerns', { ...body, childId: stranger.id });
    assert.equal(unseen.statusCode, 400);
    assert.equal(unseen.json().field, 'childId');

    const created = await c.json('POST', '/api/v1/concerns', body);
    assert.equal(created.statusCode, 201);
    const { id, reference } = created.json();
    assert.match(reference, /^C-\d{6}$/);
    const got = await c.json('GET', `/api/v1/concerns/${id}`);
    assert.equal(got.statusCode, 200);
    assert.equal(got.json().childsWords, 'he hurts mum');
    assert.deepEqual(got.json().cinFactors, ['3A', '3B']);

    const noReason = await c.json('POST', `/api/v1/concerns/${id}/amendments`, { field: 'location', to: 'Hall', reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().field, 'reason');
    const amended = await c.json('POST', `/api/v1/concerns/${id}/amendments`, { field: 'location', to: 'Main hall', reason: 'more precise' });
    assert.equal(amended.statusCode, 201);
    const again = await c.json('GET', `/api/v1/concerns/${id}`);
    assert.equal(again.json().location, 'Main hall');
    assert.deepEqual(again.json().amendments[0].changes, { location: { from: 'Dining hall', to: 'Main hall' } });
    assert.equal((await c.json('GET', '/api/v1/concerns/not-a-uuid')).statusCode, 404);
    const dashes = '-'.repeat(36);
    assert.equal((await c.json('GET', `/api/v1/concerns/${dashes}`)).statusCode, 404);
    assert.equal((await c.json('POST', `/api/v1/concerns/${dashes}/amendments`, { field: 'location', to: 'Hall', reason: 'x' })).statusCode, 404);

    const dc = new Client(t.app);
    await dc.signIn(s.dsl);
    const notes = await dc.json('GET', '/api/v1/notifications');
    assert.ok(notes.json().items.some((n: { link: string }) => n.link === `/concerns/${id}`));
  });
  test('the API refuses what the form refuses: a future time, "not sure" with others, 999 without danger', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const body = {
      childId: s.child.id, whatHappened: 'Disclosed at lunch', occurredAt: new Date().toISOString(), location: 'Dining hall',
      present: 'Lunch supervisor', categories: ['domestic_abuse'], immediateDanger: false, toldDslInPerson: true,
    };
    const refused = async (extra: Record<string, unknown>, field: string, message: RegExp) => {
      const res = await c.json('POST', '/api/v1/concerns', { ...body, ...extra });
      assert.equal(res.statusCode, 400, JSON.stringify(extra));
      assert.equal(res.json().field, field);
      assert.match(res.json().message, message);
    };
    await refused({ occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() }, 'occurredAt', /^occurredAt: The date and time it happened must be in the past$/);
    await refused({ occurredAt: '2099-01-01T10:00:00Z', occurredAtText: 'in the future' }, 'occurredAt', /in the past/);
    await refused({ categories: ['not_sure', 'physical_abuse'] }, 'categories', /^categories: Select “Not sure” on its own/);
    await refused({ called999: true }, 'called999', /^called999: .*immediate danger/);
    await refused({ called999: false }, 'called999', /immediate danger/);
    const { rows: [{ n }] } = await t.db.query('SELECT count(*)::int AS n FROM concerns WHERE raised_by = $1', [s.practitioner.id]);
    assert.equal(n, 0);

    // Within the form's five minutes of clock difference, "not sure" alone, and 999 with danger are all accepted.
    assert.equal((await c.json('POST', '/api/v1/concerns', { ...body, occurredAt: new Date(Date.now() + 60_000).toISOString() })).statusCode, 201);
    assert.equal((await c.json('POST', '/api/v1/concerns', { ...body, categories: ['not_sure'] })).statusCode, 201);
    assert.equal((await c.json('POST', '/api/v1/concerns', { ...body, immediateDanger: true, called999: true })).statusCode, 201);
    assert.equal((await c.json('POST', '/api/v1/concerns', { ...body, called999: null })).statusCode, 201);
  });
});

describe('defects found in review', () => {
  const apiBody = (childId: string, extra: Record<string, unknown>) => ({
    childId, whatHappened: 'Disclosed at lunch', location: 'Dining hall', present: 'Lunch supervisor',
    categories: ['domestic_abuse'], immediateDanger: false, toldDslInPerson: true, ...extra,
  });

  test('a date and "what you know about when" are both shown to the raiser and to the DSL', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await answerEveryQuestion(c, s.child.id);
    await step(c, d, 'when-where', { whenDay: '3', whenMonth: '2', whenYear: '2026', whenTime: '8:50am', whenText: 'just before the bell, after PE', location: 'Classroom 4' }, 'present');
    const sent = await c.post(`/concerns/new/${d}/check`);
    const id = /^\/concerns\/([0-9a-f-]{36})\/sent$/.exec(String(sent.headers.location))![1]!;
    const view = await c.get(`/concerns/${id}`);
    assert.match(view.body, /just before the bell, after PE/);
    const dc = new Client(t.app);
    await dc.signIn(s.dsl);
    const triage = await dc.get(`/triage/${id}`);
    assert.equal(triage.statusCode, 200);
    assert.match(triage.body, /just before the bell, after PE/);
  });

  test('"when" in words cannot be corrected to blank when the concern has no date; it can when there is one', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const textOnly = (await c.json('POST', '/api/v1/concerns', apiBody(s.child.id, { occurredAtText: 'last weekend' }))).json().id;
    const page = await c.post(`/concerns/${textOnly}/amend`, { field: 'occurredAtText', to: '  ', reason: 'not sure after all' });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /govuk-error-summary/);
    assert.match(page.body, /Enter what you know about when it happened/);
    assert.match(page.body, /not sure after all/, 'the reason typed is kept');
    const api = await c.json('POST', `/api/v1/concerns/${textOnly}/amendments`, { field: 'occurredAtText', to: '', reason: 'x' });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().field, 'to');
    const { rows } = await t.db.query('SELECT occurred_at_text FROM concerns WHERE id = $1', [textOnly]);
    assert.equal(rows[0].occurred_at_text, 'last weekend');

    const dated = (await c.json('POST', '/api/v1/concerns', apiBody(s.child.id, { occurredAt: '2026-01-10T12:15:00Z', occurredAtText: 'at lunch' }))).json().id;
    const ok = await c.post(`/concerns/${dated}/amend`, { field: 'occurredAtText', to: '', reason: 'the date says it' });
    assert.equal(ok.statusCode, 303);
  });

  test('changing the child from check your answers: the search keeps the change, and choosing returns to check', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await answerEveryQuestion(c, s.child.id);
    const page = await c.get(`/concerns/new/${d}/child?change=1`);
    const search = /<form method="get"[\s\S]*?<\/form>/.exec(page.body)![0];
    assert.match(search, /<input type="hidden" name="change" value="1">/);
    const results = await c.get(`/concerns/new/${d}/child?change=1&q=Jayden`);
    assert.match(results.body, new RegExp(`action="/concerns/new/${d}/child\\?change=1&amp;q=Jayden"`));
    assert.match(results.body, new RegExp(`href="/concerns/new/${d}/check" class="govuk-back-link"`));
    const chosen = await c.post(`/concerns/new/${d}/child?change=1&q=Jayden`, { childId: s.child.id });
    assert.equal(chosen.headers.location, `/concerns/new/${d}/check`);
  });

  test('a stale "Call 999" page posted after "No" to danger goes on as the danger answer would, keeping what was sent', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await answerEveryQuestion(c, s.child.id);
    await step(c, d, 'call-999', { called999: 'yes' }, 'check');
    assert.equal((await draftOf(s.practitioner.id, d))!.called999, 'yes');

    const partial = await start(c);
    await step(c, partial, 'child', { childId: s.child.id }, 'what-happened');
    await step(c, partial, 'danger', { immediateDanger: 'no' }, 'told-dsl');
    await step(c, partial, 'call-999', {}, 'told-dsl');
  });

  test('autosave sends one page\'s fields: they are merged, never erasing answers saved from another tab', async () => {
    const s = await setting();
    const c = new Client(t.app);
    await c.signIn(s.practitioner);
    const d = await answerEveryQuestion(c, s.child.id);
    const put = await c.json('PUT', `/api/v1/drafts/concern:${d}`, { data: { whatHappened: 'typed in an old tab' } });
    assert.equal(put.statusCode, 200);
    const draft = (await draftOf(s.practitioner.id, d))!;
    assert.equal(draft.whatHappened, 'typed in an old tab');
    assert.equal(draft.location, 'Classroom 4');
    assert.equal(draft.toldDsl, 'no');
    assert.equal((await c.get(`/concerns/new/${d}/check`)).statusCode, 200, 'still complete');

    // Autosaves and step posts at once: every field of every one is kept.
    const e = await start(c);
    await Promise.all([
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((k) => c.json('PUT', `/api/v1/drafts/concern:${e}`, { data: { [`autosaved_${k}`]: k } })),
      step(c, e, 'present', { present: 'Me' }), step(c, e, 'what-happened', { whatHappened: 'Posted' }),
    ]);
    const all = (await draftOf(s.practitioner.id, e))!;
    assert.deepEqual(Object.keys(all).sort(), ['autosaved_a', 'autosaved_b', 'autosaved_c', 'autosaved_d', 'autosaved_e', 'autosaved_f', 'present', 'whatHappened']);
  });
});
