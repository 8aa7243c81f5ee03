// A child's chronology: every entry newest first, filters, significant events, the PDF, audit and access.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { renderChronologyPdf } from '../../src/chronology/pdf.ts';
import { addWorkingDays, londonDateOf } from '../../src/platform/calendar/working-days.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createConcern } from '../support/concerns.ts';
import { createOrganisation, createUser, type TestUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { pdfText } from '../support/pdf.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

const DAY = 24 * 60 * 60 * 1000;

async function signedIn(user: TestUser) {
  const c = new Client(t.app);
  await c.signIn(user);
  return c;
}

describe('chronology', () => {
  test('shows every concern, assessment, decision, task outcome and significant event, newest first, with filters, and a PDF', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
    const practitioner = await createUser(t.db, 'practitioner', { organisationId });
    const child = await createChild(t.db, { organisationId, firstName: 'Isla', lastName: 'James', dateOfBirth: '2025-06-01' });
    await createConcern(t.db, { childId: child.id, organisationId, raisedBy: practitioner.id, submittedAt: new Date(Date.now() - 40 * DAY) });
    const concern = await createConcern(t.db, { childId: child.id, organisationId, raisedBy: practitioner.id, submittedAt: new Date(Date.now() - 1 * DAY) });
    const c = await signedIn(dsl);
    await c.get(`/triage/${concern.id}`);
    const fw = await t.db.query<{ content: { indicators: { id: string; tags: string[] }[] } }>("SELECT content FROM framework_versions WHERE framework_id = 'medway'");
    const da = fw.rows[0]!.content.indicators.find((i) => i.tags.includes('domestic-abuse'))!;
    assert.equal((await c.json('POST', `/api/v1/concerns/${concern.id}/assessments`, { indicators: [da.id], immediateDanger: false, chosenLevel: 'level-3', overrideReason: 'Repeated incidents.' })).statusCode, 201);
    const decision = await c.json('POST', `/api/v1/concerns/${concern.id}/decisions`, {
      outcome: 'early_help', rationale: 'Family asked for help; consent given.',
      tasks: [{ title: 'Start the early help assessment', ownerId: dsl.id, dueDate: addWorkingDays(londonDateOf(new Date()), 10) }],
    });
    assert.equal(decision.statusCode, 201);
    assert.equal((await c.json('POST', `/api/v1/tasks/${decision.json().tasks[0]}/complete`, { outcome: 'Assessment started with mum.' })).statusCode, 200);

    // Add a significant event by hand: errors keep what was typed.
    const bad = await c.post(`/children/${child.id}/chronology/events`, { 'date-day': '30', 'date-month': '2', 'date-year': '2026', summary: 'Moved house', detail: 'To Gillingham' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#date-day">The date of the event must be a real date/);
    assert.match(bad.body, /value="Moved house"/);
    assert.match(bad.body, /To Gillingham/);
    // Too much detail is refused, not cut off: the whole text stays in the box.
    const long = `${'a'.repeat(11990)}END-OF-TEXT`;
    const tooLong = await c.post(`/children/${child.id}/chronology/events`, { 'date-day': '1', 'date-month': '1', 'date-year': '2026', summary: 'Moved house', detail: long });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /href="#detail">The detail must be 10,000 characters or fewer/);
    assert.match(tooLong.body, new RegExp(`<textarea[^>]*name="detail"[^>]*>${long}</textarea>`));
    const tenDaysAgo = londonDateOf(new Date(Date.now() - 10 * DAY));
    const [y, m, d] = tenDaysAgo.split('-');
    const added = await c.post(`/children/${child.id}/chronology/events`, { 'date-day': d!, 'date-month': m!, 'date-year': y!, summary: 'Moved house', detail: 'To Gillingham' });
    assert.equal(added.statusCode, 303);
    const apiAdd = await c.json('POST', `/api/v1/children/${child.id}/events`, { date: 'yesterday', summary: 'x' });
    assert.equal(apiAdd.statusCode, 400);
    assert.equal(apiAdd.json().field, 'date');

    const page = await c.get(`/children/${child.id}/chronology`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Task completed: Start the early help assessment/);
    assert.match(page.body, /Assessment started with mum\./);
    assert.match(page.body, /Family asked for help; consent given\./);
    assert.match(page.body, /Level of need assessed as Level 3/);
    assert.match(page.body, /Moved house/);
    assert.match(page.body, /Significant/);
    assert.match(page.body, /href="\/chronology\/print.css" media="print"/);

    const all = (await c.json('GET', `/api/v1/children/${child.id}/chronology`)).json();
    const types = all.events.map((e: { type: string }) => e.type);
    assert.deepEqual(types.slice(0, 4), ['task', 'decision', 'assessment', 'concern']);
    assert.deepEqual(types.slice(-3), ['concern', 'significant_event', 'concern']);
    const times = all.events.map((e: { occurredAt: string }) => Date.parse(e.occurredAt));
    assert.deepEqual(times, [...times].sort((a: number, b: number) => b - a));

    const decisionsOnly = (await c.json('GET', `/api/v1/children/${child.id}/chronology?type=decision`)).json();
    assert.deepEqual(decisionsOnly.events.map((e: { type: string }) => e.type), ['decision']);
    const fromDate = londonDateOf(new Date(Date.now() - 20 * DAY));
    const toDate = londonDateOf(new Date(Date.now() - 5 * DAY));
    const window = (await c.json('GET', `/api/v1/children/${child.id}/chronology?from=${fromDate}&to=${toDate}`)).json();
    assert.deepEqual(window.events.map((e: { summary: string }) => e.summary), ['Moved house']);
    const badFilter = await c.json('GET', `/api/v1/children/${child.id}/chronology?from=2026-13-01`);
    assert.equal(badFilter.statusCode, 400);
    assert.equal(badFilter.json().field, 'from');
    const badPage = await c.get(`/children/${child.id}/chronology?from=2026-13-01&type=decision`);
    assert.equal(badPage.statusCode, 400);
    assert.match(badPage.body, /href="#from"/);
    assert.match(badPage.body, /value="2026-13-01"/);
    const filteredPage = await c.get(`/children/${child.id}/chronology?type=significant_event&type=task`);
    assert.match(filteredPage.body, /Moved house/);
    assert.doesNotMatch(filteredPage.body, /Level of need assessed/);
    assert.match(filteredPage.body, /chronology\.pdf\?type=task&amp;type=significant_event|chronology\.pdf\?type=significant_event&amp;type=task/);

    const pdf = await c.get(`/children/${child.id}/chronology.pdf?type=decision`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.rawPayload.toString("latin1"), /\/Title /);
    assert.match(pdf.rawPayload.toString("latin1"), /\(Chronology for Isla James\)/);
    assert.match(pdf.rawPayload.toString('latin1'), /\/Lang \(en-GB\)/);

    // The text itself, uncompressed.
    const events = (await t.db.query('SELECT e.*, NULL AS recorded_by_name FROM events e WHERE child_id = $1 ORDER BY occurred_at DESC', [child.id])).rows;
    const shown = pdfText(await renderChronologyPdf({
      child: { id: child.id, first_name: 'Isla', last_name: 'James', known_as: null, date_of_birth: '2025-06-01', expected_due_date: null, organisation_ids: [organisationId] },
      events, query: { types: [] }, truncated: false, compress: false,
    }));
    assert.match(shown, /Chronology for Isla James/);
    assert.match(shown, /Moved house/);
    assert.match(shown, /Family asked for help/);

    const audit = await t.db.query("SELECT action, details FROM audit_log WHERE record_id = $1 AND action LIKE 'chronology.%' ORDER BY id", [child.id]);
    const actions = audit.rows.map((r) => r.action);
    assert.ok(actions.includes('chronology.view'));
    assert.ok(actions.includes('chronology.pdf'));
    assert.ok(actions.includes('chronology.add-event'));
    assert.equal(audit.rows.find((r) => r.action === 'chronology.pdf').details.types, 'decision');
  });

  test('a significant event added by hand is at midday in England, summer and winter', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
    const child = await createChild(t.db, { organisationId, dateOfBirth: '2020-01-01' });
    const c = await signedIn(dsl);
    for (const date of ['2025-07-15', '2025-12-15']) {
      const res = await c.json('POST', `/api/v1/children/${child.id}/events`, { date, summary: `Event on ${date}` });
      assert.equal(res.statusCode, 201, res.body);
    }
    const at = (await t.db.query('SELECT occurred_at FROM events WHERE child_id = $1 AND significant ORDER BY occurred_at', [child.id])).rows
      .map((r) => r.occurred_at.toISOString());
    // BST is UTC+1, so midday in July is 11:00 UTC; in December it is 12:00 UTC.
    assert.deepEqual(at, ['2025-07-15T11:00:00.000Z', '2025-12-15T12:00:00.000Z']);
    const page = (await c.get(`/children/${child.id}/chronology`)).body;
    assert.match(page, /15 July 2025 at/);
    assert.doesNotMatch(page, /15 July 2025 at 1:00/);
  });

  test('impossible filters and dates are refused with the field named; a long summary is kept whole for correcting', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
    const child = await createChild(t.db, { organisationId, dateOfBirth: '2020-01-01' });
    const c = await signedIn(dsl);
    const api = await c.json('GET', `/api/v1/children/${child.id}/chronology?from=0000-01-01`);
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().field, 'from');
    const page = await c.get(`/children/${child.id}/chronology?to=0000-06-01`);
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /href="#to">The to date must be a real date/);
    // The PDF link is not offered for a filter that cannot be applied, and the PDF address explains it on the page.
    const reversed = await c.get(`/children/${child.id}/chronology?from=2026-03-02&to=2026-03-01`);
    assert.equal(reversed.statusCode, 400);
    assert.doesNotMatch(reversed.body, /Download as PDF/);
    const pdf = await c.get(`/children/${child.id}/chronology.pdf?from=2026-03-02&to=2026-03-01`);
    assert.equal(pdf.statusCode, 303);
    assert.equal(pdf.headers.location, `/children/${child.id}/chronology?from=2026-03-02&to=2026-03-01`);

    const early = await c.json('POST', `/api/v1/children/${child.id}/events`, { date: '0026-03-27', summary: 'A slip of the year' });
    assert.equal(early.statusCode, 400);
    assert.match(early.json().message, /date: must be in 1900 or later/);
    const form = await c.post(`/children/${child.id}/chronology/events`, { 'date-day': '27', 'date-month': '3', 'date-year': '0026', summary: 'A slip of the year' });
    assert.equal(form.statusCode, 400);
    assert.match(form.body, /must be in 1900 or later/);
    const summary = `${'Long summary '.repeat(90)}END-OF-SUMMARY`;
    const long = await c.post(`/children/${child.id}/chronology/events`, { 'date-day': '1', 'date-month': '3', 'date-year': '2026', summary });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /The summary must be 300 characters or fewer/);
    assert.match(long.body, /END-OF-SUMMARY/);
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM events WHERE child_id = $1', [child.id])).rows[0].n, 0);
  });

  test('the OpenAPI document matches what the chronology API accepts and answers', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    const type = doc.paths['/api/v1/children/{id}/chronology'].get.parameters.find((p: { name: string }) => p.name === 'type');
    assert.equal(type.schema.type, 'array');
    assert.equal(type.explode, true);
    assert.match(type.description, /comma-separated/);
    const post = doc.paths['/api/v1/children/{id}/events'].post;
    assert.equal(post.requestBody.content['application/json'].schema.properties.detail.maxLength, 10000);
    assert.ok(post.responses[403], 'a missing CSRF token is a 403');
  });

  test('no chronology for a practitioner (403) or another organisation (404)', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const other = await createOrganisation(t.db);
    const practitioner = await createUser(t.db, 'practitioner', { organisationId });
    const outsider = await createUser(t.db, 'dsl', { organisationId: other.organisationId, enrolTotp: true });
    const child = await createChild(t.db, { organisationId });
    const p = await signedIn(practitioner);
    assert.equal((await p.get(`/children/${child.id}/chronology`)).statusCode, 403);
    const o = await signedIn(outsider);
    assert.equal((await o.get(`/children/${child.id}/chronology`)).statusCode, 404);
    assert.equal((await o.get(`/children/${child.id}/chronology.pdf`)).statusCode, 404);
    assert.equal((await o.json('GET', `/api/v1/children/${child.id}/chronology`)).statusCode, 404);
    assert.equal((await o.json('POST', `/api/v1/children/${child.id}/events`, { date: '2026-01-01', summary: 'x' })).statusCode, 404);
    assert.equal((await new Client(t.app).json('GET', `/api/v1/children/${child.id}/chronology`)).statusCode, 401);
    // An anonymous POST gets 401 whatever its body: not a 403 for the missing CSRF token.
    for (const [label, headers, payload] of [
      ['no body', {}, undefined],
      ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, 'date=2026-01-01&summary=x'],
      ['a JSON body', { 'content-type': 'application/json' }, JSON.stringify({ date: '2026-01-01', summary: 'x' })],
    ] as const) {
      const anon = await t.app.inject({ method: 'POST', url: `/api/v1/children/${child.id}/events`, headers, payload });
      assert.equal(anon.statusCode, 401, label);
      assert.deepEqual(anon.json(), { error: 'Unauthorized', message: 'Sign in to use this service' }, label);
    }
    const n = await t.db.query("SELECT count(*)::int AS n FROM events WHERE child_id = $1", [child.id]);
    assert.equal(n.rows[0].n, 0);
  });
});
