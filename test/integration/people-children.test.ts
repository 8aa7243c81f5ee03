// Children's records end to end over HTTP: create (pages and API), likely matches, search tolerant of
// misspellings, visibility across organisations, edits with history, household and siblings, audit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { householdOf } from '../../src/people/operations.ts';
import { getChildForViewer, searchChildren } from '../../src/people/search.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser, type TestUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

async function practitioner(organisationId?: string): Promise<{ user: TestUser; c: Client; principal: { userId: string; role: 'practitioner'; organisationId: string; partnershipId: string } }> {
  const orgId = organisationId ?? (await createOrganisation(t.db)).organisationId;
  const user = await createUser(t.db, 'practitioner', { organisationId: orgId });
  const c = new Client(t.app);
  await c.signIn(user);
  const p = await t.db.query<{ partnership_id: string }>('SELECT partnership_id FROM organisations WHERE id = $1', [orgId]);
  return { user, c, principal: { userId: user.id, role: 'practitioner', organisationId: orgId, partnershipId: p.rows[0]!.partnership_id } };
}

async function patch(c: Client, url: string, body: unknown) {
  return t.app.inject({
    method: 'PATCH', url, payload: JSON.stringify(body),
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': c.csrf, accept: 'application/json', 'content-type': 'application/json' },
  });
}

const auditActions = async (userId: string) =>
  (await t.db.query<{ action: string; record_id: string | null; details: Record<string, unknown> }>('SELECT action, record_id, details FROM audit_log WHERE user_id = $1 ORDER BY id', [userId])).rows;

const NEW_CHILD_FORM = {
  firstName: 'Ava', middleNames: 'Rose', lastName: 'Smith-Jones', knownAs: '',
  'dateOfBirth-day': '2', 'dateOfBirth-month': '5', 'dateOfBirth-year': '2019',
  sex: 'female', interpreterNeeded: 'no', senStatus: 'sen_support', schoolOrSetting: 'Riverside Primary School',
  nhsNumber: '943 476 5919', upn: 'B801200005001', flags: ['childInNeed', 'youngCarer'],
  addressLine1: '1 High Street', addressTown: 'Chatham', addressPostcode: 'me4 4tr',
};

describe('creating and viewing a child', () => {
  test('the form creates the record, linked to the organisation, with an event and audit entries', async () => {
    const { c, user, principal } = await practitioner();
    assert.equal((await c.get('/children/new')).statusCode, 200);
    const res = await c.post('/children/new', NEW_CHILD_FORM);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const id = /\/children\/([0-9a-f-]{36})/.exec(String(res.headers.location))![1]!;
    const row = await t.db.query('SELECT * FROM children WHERE id = $1', [id]);
    assert.equal(row.rows[0].nhs_number, '9434765919');
    assert.equal(row.rows[0].upn, 'B801200005001');
    assert.equal(row.rows[0].child_in_need, true);
    assert.equal(row.rows[0].young_carer, true);
    assert.equal(row.rows[0].looked_after, false);
    const orgs = await t.db.query('SELECT organisation_id FROM child_organisations WHERE child_id = $1', [id]);
    assert.deepEqual(orgs.rows.map((r) => r.organisation_id), [principal.organisationId]);
    const addr = await t.db.query('SELECT postcode FROM child_addresses WHERE child_id = $1', [id]);
    assert.equal(addr.rows[0].postcode, 'ME4 4TR');
    const ev = await t.db.query("SELECT type, summary FROM events WHERE child_id = $1", [id]);
    assert.deepEqual(ev.rows.map((r) => r.type), ['record']);

    const page = await c.get(`/children/${id}?created=1`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Ava Smith-Jones/);
    assert.match(page.body, /943 476 5919/);
    assert.match(page.body, /govuk-tag[^"]*">\s*Child in need/);
    assert.match(page.body, /href="\/concerns\/new\?childId=[0-9a-f-]{36}"/);
    assert.doesNotMatch(page.body, new RegExp(`href="/children/${id}/chronology"`), 'a practitioner is not offered the chronology, which the policy keeps for the leads');
    const audit = await auditActions(user.id);
    assert.deepEqual(audit.filter((a) => a.action.startsWith('child.')).map((a) => [a.action, a.record_id]), [['child.create', id], ['child.view', id]]);
    // Audit details carry no names.
    assert.doesNotMatch(JSON.stringify(audit), /Ava|Smith/);
  });

  test('a validation error keeps everything typed and names the problem', async () => {
    const { c } = await practitioner();
    await c.get('/children/new');
    const res = await c.post('/children/new', { ...NEW_CHILD_FORM, nhsNumber: '943 476 5918', 'dateOfBirth-day': '30', 'dateOfBirth-month': '2' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, /href="#nhsNumber">Enter a valid NHS number/);
    assert.match(res.body, /href="#dateOfBirth-day">Date of birth must be a real date/);
    assert.match(res.body, /value="943 476 5918"/);
    assert.match(res.body, /value="Smith-Jones"/);
    assert.match(res.body, /value="Riverside Primary School"/);
    assert.match(res.body, /value="youngCarer" checked/);
  });

  test('likely existing records are shown before a new one is created, and can be overridden', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const existing = await createChild(t.db, { organisationId, firstName: 'Jayden', lastName: 'Smith', dateOfBirth: '2018-03-14', postcode: 'ME4 4TR' });
    await c.get('/children/new');
    const form = { firstName: 'Jaden', lastName: 'Smyth', 'dateOfBirth-day': '14', 'dateOfBirth-month': '3', 'dateOfBirth-year': '2018', interpreterNeeded: 'no' };
    const res = await c.post('/children/new', form);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Is this a child you already have a record for\?/);
    assert.match(res.body, new RegExp(`href="/children/${existing.id}"`));
    assert.match(res.body, /Jayden Smith/);
    assert.match(res.body, /name="confirmNew" value="yes"/);
    assert.match(res.body, /name="firstName" value="Jaden"/);
    const before = await t.db.query('SELECT count(*)::int AS n FROM children');
    const confirmed = await c.post('/children/new', { ...form, confirmNew: 'yes' });
    assert.equal(confirmed.statusCode, 303);
    const afterCount = await t.db.query('SELECT count(*)::int AS n FROM children');
    assert.equal(afterCount.rows[0].n, before.rows[0].n + 1);
  });

  test('"add a new child" from the concern form returns to the draft with the new child chosen', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const draftId = /^\/concerns\/new\/([a-z0-9]+)\/child/.exec(String((await c.get('/concerns/new')).headers.location))![1]!;
    await c.post(`/concerns/new/${draftId}/what-happened`, { whatHappened: 'Typed before adding the child' });
    const childPage = await c.get(`/concerns/new/${draftId}/child`);
    const href = /href="(\/children\/new\?returnTo=[^"]+)"/.exec(childPage.body)![1]!.replace(/&amp;/g, '&');
    const returnTo = `/concerns/new/${draftId}/child`;
    const form = await c.get(href);
    assert.match(form.body, new RegExp(`<input type="hidden" name="returnTo" value="${returnTo}">`));
    // Through a validation error, and through the likely-matches step.
    const invalid = await c.post('/children/new', { firstName: '', lastName: 'Quill', returnTo });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, new RegExp(`<input type="hidden" name="returnTo" value="${returnTo}">`));
    const existing = await createChild(t.db, { organisationId, firstName: 'Zebedee', lastName: 'Quillfeather', dateOfBirth: '2017-02-01' });
    const typed = { firstName: 'Zebedee', lastName: 'Quillfeather', 'dateOfBirth-day': '1', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2017', interpreterNeeded: 'no', returnTo };
    const matches = await c.post('/children/new', typed);
    assert.match(matches.body, /Is this a child you already have a record for\?/);
    assert.match(matches.body, new RegExp(`<input type="hidden" name="returnTo" value="${returnTo}">`));
    assert.equal(matches.body.match(/name="returnTo"/g)!.length, 1, 'sent once');
    assert.ok(matches.body.includes(`href="${returnTo}?childId=${existing.id}">Use this child`), 'an existing record is chosen in the draft too');
    const created = await c.post('/children/new', { ...typed, confirmNew: 'yes' });
    assert.equal(created.statusCode, 303);
    const m = new RegExp(`^/concerns/new/${draftId}/child\\?childId=([0-9a-f-]{36})$`).exec(String(created.headers.location));
    assert.ok(m, String(created.headers.location));
    assert.notEqual(m[1], existing.id);
    const back = await c.get(String(created.headers.location));
    assert.equal(back.statusCode, 200);
    assert.match(back.body, new RegExp(`value="${m[1]}" checked`));
    const chosen = await c.post(`/concerns/new/${draftId}/child`, { childId: m[1]! });
    assert.equal(chosen.headers.location, `/concerns/new/${draftId}/what-happened`);
    assert.match((await c.get(`/concerns/new/${draftId}/what-happened`)).body, /Typed before adding the child/);

    // From check your answers the change is kept, so choosing goes back to check.
    const changing = await c.get(`/concerns/new/${draftId}/child?change=1`);
    const changeHref = /href="(\/children\/new\?returnTo=[^"]+)"/.exec(changing.body)![1]!.replace(/&amp;/g, '&');
    const changeReturn = new URL(changeHref, 'http://x').searchParams.get('returnTo')!;
    assert.equal(changeReturn, `/concerns/new/${draftId}/child?change=1`);
    const another = await c.post('/children/new', { firstName: 'Oona', lastName: 'Brightwater', 'dateOfBirth-day': '9', 'dateOfBirth-month': '9', 'dateOfBirth-year': '2015', returnTo: changeReturn });
    assert.match(String(another.headers.location), new RegExp(`^/concerns/new/${draftId}/child\\?childId=[0-9a-f-]{36}&change=1$`));

    // Anywhere else is ignored: the new record's page, as without a returnTo.
    let n = 0;
    for (const unsafe of ['//evil.example/concerns/new/x/child', 'https://evil.example/concerns/new/x/child', '/concerns/new//evil.example',
      '/children', '/concerns/new/x/child\\evil', ' /concerns/new/x/child', 'javascript:alert(1)']) {
      const shown = await c.get(`/children/new?returnTo=${encodeURIComponent(unsafe)}`);
      assert.doesNotMatch(shown.body, /name="returnTo"/, unsafe);
      const res = await c.post('/children/new', { firstName: 'Safe', lastName: `Redirect${'x'.repeat(++n)}`, 'dateOfBirth-day': '3', 'dateOfBirth-month': '3', 'dateOfBirth-year': '2016', confirmNew: 'yes', returnTo: unsafe });
      assert.equal(res.statusCode, 303, unsafe);
      assert.match(String(res.headers.location), /^\/children\/[0-9a-f-]{36}\?created=1$/, unsafe);
    }
  });

  test('another organisation cannot see, change or find the child', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const child = await createChild(t.db, { organisationId, firstName: 'Private', lastName: 'Child', nhsNumber: '4010232137', dateOfBirth: '2016-03-09', postcode: 'ME4 6QA' });
    const other = await practitioner();
    assert.equal((await other.c.get(`/children/${child.id}`)).statusCode, 404);
    assert.equal((await other.c.get(`/children/${child.id}/edit`)).statusCode, 404);
    assert.equal((await other.c.json('GET', `/api/v1/children/${child.id}`)).statusCode, 404);
    assert.equal((await patch(other.c, `/api/v1/children/${child.id}`, { schoolOrSetting: 'X' })).statusCode, 404);
    // Every way of searching, including those that read the partnership's records (date of birth, postcode, NHS
    // number): the other organisation, in the same partnership, finds nothing, and the child's own finds it.
    const own = await practitioner(organisationId);
    for (const query of ['nhsNumber=4010232137', 'dateOfBirth=2016-03-09', 'postcode=ME4%206QA', 'postcode=ME4', 'name=Private%20Child', 'name=Privat']) {
      assert.deepEqual((await other.c.json('GET', `/api/v1/children?${query}`)).json().results, [], query);
      assert.deepEqual((await own.c.json('GET', `/api/v1/children?${query}`)).json().results.map((r: { id: string }) => r.id), [child.id], query);
    }
    assert.equal(await getChildForViewer(t.db, other.principal, child.id), null);
    assert.equal((await getChildForViewer(t.db, own.principal, child.id))?.id, child.id);
  });

  test('roles without children:view get 403; anonymous callers get 401 from the API and sign-in from pages', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const auditor = await createUser(t.db, 'auditor', { organisationId, enrolTotp: true });
    const c = new Client(t.app);
    await c.signIn(auditor);
    assert.equal((await c.get('/children')).statusCode, 403);
    assert.equal((await c.json('GET', '/api/v1/children?name=x')).statusCode, 403);
    const anon = new Client(t.app);
    assert.equal((await anon.json('GET', '/api/v1/children?name=x')).statusCode, 401);
    assert.equal((await anon.json('POST', '/api/v1/children', { firstName: 'A' })).statusCode, 401);
    assert.equal((await anon.json('GET', '/api/v1/children/00000000-0000-0000-0000-000000000000')).statusCode, 401);
    const page = await anon.get('/children');
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/sign-in\?/);
  });
});

describe('search', () => {
  let org: string;
  let c: Client;
  let principal: Awaited<ReturnType<typeof practitioner>>['principal'];
  const ids: Record<string, string> = {};
  before(async () => {
    org = (await createOrganisation(t.db)).organisationId;
    ({ c, principal } = await practitioner(org));
    ids.jayden = (await createChild(t.db, { organisationId: org, firstName: 'Jayden', lastName: 'Smith', dateOfBirth: '2018-03-14', postcode: 'ME4 4TR', nhsNumber: '9434765919' })).id;
    ids.ava = (await createChild(t.db, { organisationId: org, firstName: 'Ava', lastName: 'Smith-Jones', dateOfBirth: '2019-05-02', postcode: 'ME7 1AA' })).id;
    ids.mohammed = (await createChild(t.db, { organisationId: org, firstName: 'Mohammed', lastName: 'Khan', dateOfBirth: '2016-11-20', postcode: 'ME5 9QT' })).id;
    ids.unrelated = (await createChild(t.db, { organisationId: org, firstName: 'Zofia', lastName: 'Nowak', dateOfBirth: '2012-01-09' })).id;
    // Same name, other organisation: never found.
    await createChild(t.db, { organisationId: (await createOrganisation(t.db)).organisationId, firstName: 'Jayden', lastName: 'Smith', dateOfBirth: '2018-03-14' });
  });

  const top = async (query: Parameters<typeof searchChildren>[2]) => (await searchChildren(t.db, principal, query)).map((r) => r.id);

  test('misspellings and variants: Jaden → Jayden, Smyth → Smith, Mohammad Kahn → Mohammed Khan', async () => {
    assert.equal((await top({ name: 'Jaden Smith' }))[0], ids.jayden);
    assert.equal((await top({ name: 'Jayden Smyth' }))[0], ids.jayden);
    assert.equal((await top({ name: 'jaden smyth' }))[0], ids.jayden);
    assert.equal((await top({ name: 'Smyth' }))[0], ids.jayden);
    assert.equal((await top({ name: 'Mohammad Kahn' }))[0], ids.mohammed);
    assert.ok(!(await top({ name: 'Jaden Smyth' })).includes(ids.unrelated!));
  });

  test('hyphenated and reordered names', async () => {
    assert.equal((await top({ name: 'Smith-Jones Ava' }))[0], ids.ava);
    assert.equal((await top({ name: 'Ava Smith Jones' }))[0], ids.ava);
    assert.equal((await top({ name: 'Ava Jones' }))[0], ids.ava);
    assert.equal((await top({ name: 'Smith Jayden' }))[0], ids.jayden);
  });

  test('by date of birth, postcode (full or outward code) and NHS number, only within the organisation', async () => {
    assert.deepEqual(await top({ dateOfBirth: '2018-03-14' }), [ids.jayden]);
    assert.equal((await top({ dateOfBirth: '2018-03-15' }))[0], ids.jayden);
    // day and month swapped still finds, ranked below an exact date
    assert.ok((await top({ dateOfBirth: '2019-02-05' })).includes(ids.ava!));
    assert.deepEqual(await top({ postcode: 'me4 4tr' }), [ids.jayden]);
    assert.deepEqual(await top({ postcode: 'ME7' }), [ids.ava]);
    assert.deepEqual(await top({ nhsNumber: '943-476-5919' }), [ids.jayden]);
    const scored = await searchChildren(t.db, principal, { name: 'Jaden Smyth', dateOfBirth: '2018-03-14' });
    assert.equal(scored[0]!.id, ids.jayden);
    assert.ok(scored[0]!.score >= 80, String(scored[0]!.score));
    assert.equal(scored[0]!.postcode, 'ME4 4TR');
  });

  test('a partial postcode with a space is the outward code and sector: "ME4 4" is not ME44', async () => {
    const sector = await createChild(t.db, { organisationId: org, firstName: 'Saffron', lastName: 'Hale', postcode: 'ME4 4TR' });
    const otherSector = await createChild(t.db, { organisationId: org, firstName: 'Tobias', lastName: 'Hale', postcode: 'ME4 6AB' });
    const me44 = await createChild(t.db, { organisationId: org, firstName: 'Wren', lastName: 'Hale', postcode: 'ME44 1AA' });
    const found = await top({ postcode: 'ME4 4' });
    assert.ok(found.includes(sector.id) && found.includes(ids.jayden!), JSON.stringify(found));
    assert.ok(!found.includes(me44.id), 'ME44 is another district');
    assert.ok(!found.includes(otherSector.id), 'ME4 6 is another sector');
    assert.ok((await top({ postcode: 'me4 ' })).includes(otherSector.id), 'the outward code alone, with a trailing space');
    assert.deepEqual(await top({ postcode: 'ME44' }), [me44.id]);
    const api = await (await practitioner(org)).c.json('GET', '/api/v1/children?postcode=ME4%204');
    assert.equal(api.statusCode, 200);
    assert.ok(!api.json().results.some((r: { id: string }) => r.id === me44.id));
    assert.ok(api.json().results.some((r: { id: string }) => r.id === sector.id));
  });

  test('a child is listed once, even with two addresses at the searched postcode', async () => {
    const moved = await createChild(t.db, { organisationId: org, firstName: 'Rhys', lastName: 'Pryce', postcode: 'ME2 4LL' });
    await t.db.query("INSERT INTO child_addresses (child_id, line1, town, postcode) VALUES ($1, '9 Other Road', 'Strood', 'ME2 4LL')", [moved.id]);
    assert.deepEqual(await top({ postcode: 'ME2 4LL' }), [moved.id]);
  });

  test('the search page works as a plain GET form and audits the search without its terms', async () => {
    const res = await c.get('/children?name=Jaden+Smyth&dateOfBirth-day=&dateOfBirth-month=&dateOfBirth-year=&postcode=&nhsNumber=');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`href="/children/${ids.jayden}">Jayden Smith</a>`));
    const bad = await c.get('/children?name=&dateOfBirth-day=31&dateOfBirth-month=2&dateOfBirth-year=2018&postcode=&nhsNumber=123');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#dateOfBirth-day">Date of birth must be a real date/);
    assert.match(bad.body, /href="#nhsNumber">NHS number must be 10 digits/);
    const rows = (await t.db.query("SELECT details FROM audit_log WHERE action = 'child.search' AND user_id = $1", [principal.userId])).rows;
    assert.ok(rows.length >= 1);
    assert.equal(rows.at(-1).details.byName, true);
    assert.doesNotMatch(JSON.stringify(rows), /Jaden|Smyth/i);
    // Which children were shown is recorded (their ids, not names).
    assert.ok(rows.some((r) => r.details.childIds?.includes(ids.jayden)));
  });

  test('the API search, with 400s naming the field', async () => {
    const res = await c.json('GET', '/api/v1/children?name=Jaden%20Smyth');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().results[0].id, ids.jayden);
    assert.deepEqual(Object.keys(res.json().results[0]).sort(), ['dateOfBirth', 'expectedDueDate', 'firstName', 'id', 'knownAs', 'lastName', 'postcode', 'score']);
    const bad = await c.json('GET', '/api/v1/children?nhsNumber=9434765918');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'nhsNumber');
    const none = await c.json('GET', '/api/v1/children');
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().field, 'name');
  });
});

describe('the API', () => {
  test('creates, reads and changes a child; 400 names the field; 409 offers likely matches', async () => {
    const { c, user } = await practitioner();
    const bad = await c.json('POST', '/api/v1/children', { firstName: 'Leo', lastName: 'Brown', dateOfBirth: '2020-01-01', nhsNumber: '9434765918' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'nhsNumber');
    const badUpn = await c.json('POST', '/api/v1/children', { firstName: 'Leo', lastName: 'Brown', dateOfBirth: '2020-01-01', upn: 'A801200005001' });
    assert.equal(badUpn.json().field, 'upn');
    const badPostcode = await c.json('POST', '/api/v1/children', { firstName: 'Leo', lastName: 'Brown', dateOfBirth: '2020-01-01', address: { line1: '1 Road', postcode: 'nope' } });
    assert.equal(badPostcode.json().field, 'address.postcode');
    const noDate = await c.json('POST', '/api/v1/children', { firstName: 'Leo', lastName: 'Brown' });
    assert.equal(noDate.json().field, 'dateOfBirth');

    const created = await c.json('POST', '/api/v1/children', { firstName: 'Leo', lastName: 'Brown', expectedDueDate: new Date(Date.now() + 60 * 86400000).toISOString().slice(0, 10), address: { line1: '3 Mill Lane', postcode: 'ME4 6AA' } });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().child.id;
    assert.equal(created.json().child.dateOfBirth, null);

    const again = await c.json('POST', '/api/v1/children', { firstName: 'Leo', lastName: 'Browne', dateOfBirth: new Date().toISOString().slice(0, 10), address: { line1: '3 Mill Lane', postcode: 'ME4 6AA' } });
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().matches[0].id, id);

    const read = await c.json('GET', `/api/v1/children/${id}`);
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().child.addresses[0].postcode, 'ME4 6AA');
    // The API does not say which other organisations know the child, nor its partnership (the page shows neither).
    for (const answer of [created.json(), read.json()]) {
      assert.equal('organisationIds' in answer.child, false);
      assert.equal('partnershipId' in answer.child, false);
    }

    const changed = await patch(c, `/api/v1/children/${id}`, { dateOfBirth: new Date().toISOString().slice(0, 10), firstName: 'Leon', address: { line1: '9 New Road', postcode: 'ME5 1AB', fromDate: new Date().toISOString().slice(0, 10) } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(changed.json().changed.sort(), ['address', 'dateOfBirth', 'expectedDueDate', 'firstName']);
    assert.equal(changed.json().child.expectedDueDate, null);
    assert.equal('organisationIds' in changed.json().child, false);
    assert.equal('partnershipId' in changed.json().child, false);
    assert.deepEqual(changed.json().child.addresses.map((a: { postcode: string; current: boolean }) => [a.postcode, a.current]), [['ME5 1AB', true], ['ME4 6AA', false]]);
    assert.ok(changed.json().child.names.some((n: { kind: string; firstName: string }) => n.kind === 'previous' && n.firstName === 'Leo'));
    const ev = await t.db.query("SELECT summary, detail FROM events WHERE child_id = $1 AND type = 'record' ORDER BY id", [id]);
    assert.equal(ev.rows.length, 2);
    assert.deepEqual(ev.rows[1].detail.fields.sort(), ['address', 'dateOfBirth', 'expectedDueDate', 'firstName']);
    assert.doesNotMatch(JSON.stringify(ev.rows), /Leon|ME5/);
    const audit = await auditActions(user.id);
    const update = audit.find((a) => a.action === 'child.update' && a.record_id === id);
    assert.deepEqual(String(update?.details.fields).split(',').sort(), ['address', 'dateOfBirth', 'expectedDueDate', 'firstName']);

    const patchBad = await patch(c, `/api/v1/children/${id}`, { nhsNumber: '0000000061' });
    assert.equal(patchBad.statusCode, 400);
    assert.equal(patchBad.json().field, 'nhsNumber');
    const unknownField = await patch(c, `/api/v1/children/${id}`, { shoeSize: 3 });
    assert.equal(unknownField.statusCode, 400);

    // An edit may not leave neither a date of birth nor an expected due date; a date not sent keeps its value.
    for (const body of [{ dateOfBirth: null }, { dateOfBirth: '' }, { dateOfBirth: null, expectedDueDate: null }]) {
      const blanked = await patch(c, `/api/v1/children/${id}`, body);
      assert.equal(blanked.statusCode, 400, JSON.stringify(body));
      assert.equal(blanked.json().field, 'dateOfBirth');
    }
    assert.notEqual((await t.db.query('SELECT date_of_birth FROM children WHERE id = $1', [id])).rows[0].date_of_birth, null);
    assert.equal((await patch(c, `/api/v1/children/${id}`, { expectedDueDate: null })).statusCode, 200);

    // Anonymous PATCH is refused.
    const anon = await t.app.inject({ method: 'PATCH', url: `/api/v1/children/${id}`, payload: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(anon.statusCode, 401);
  });

  test('a move ends the previous address the day before the new one began, so the history does not overlap', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const child = await createChild(t.db, { organisationId, firstName: 'Ruby', lastName: 'Hale' });
    assert.equal((await patch(c, `/api/v1/children/${child.id}`, { address: { line1: '1 Old Road', postcode: 'ME4 4TR', fromDate: '2020-02-01' } })).statusCode, 200);
    assert.equal((await patch(c, `/api/v1/children/${child.id}`, { address: { line1: '2 New Road', postcode: 'ME5 1AB', fromDate: '2024-06-01' } })).statusCode, 200);
    const rows = (await t.db.query('SELECT line1, from_date, to_date FROM child_addresses WHERE child_id = $1 ORDER BY id', [child.id])).rows;
    assert.deepEqual(rows, [
      { line1: '1 Old Road', from_date: '2020-02-01', to_date: '2024-05-31' },
      { line1: '2 New Road', from_date: '2024-06-01', to_date: null },
    ]);
  });

  test('openapi fragment documents every /api/v1/children endpoint', async () => {
    const { peopleOpenApiPaths } = await import('../../src/people/routes.ts');
    assert.deepEqual(Object.keys(peopleOpenApiPaths['/api/v1/children']).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(peopleOpenApiPaths['/api/v1/children/{id}']).sort(), ['get', 'patch']);
    assert.ok(peopleOpenApiPaths['/api/v1/children/{id}/household'].post);
    assert.doesNotMatch(JSON.stringify(peopleOpenApiPaths), /\$ref/);
    // What the API enforces is what the document says: a date of birth or an expected due date is required.
    const newChild = peopleOpenApiPaths['/api/v1/children'].post.requestBody.content['application/json'].schema as { oneOf: { required: string[] }[]; description: string };
    assert.deepEqual(newChild.oneOf.map((s) => s.required), [['dateOfBirth'], ['expectedDueDate']]);
    assert.match(newChild.description, /date of birth.*expected due date/i);
    const page = peopleOpenApiPaths['/api/v1/children/{id}'].get.responses[200].content?.['application/json'].schema as { properties: { household: { items: { properties: Record<string, unknown> } } } };
    for (const f of ['address', 'notes']) assert.ok(f in page.properties.household.items.properties, f);
  });
});

describe('household, siblings and professionals', () => {
  test('adults, siblings both ways and professionals show on the child pages, and householdOf reports them', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c, user } = await practitioner(organisationId);
    const a = await createChild(t.db, { organisationId, firstName: 'Mia', lastName: 'Taylor' });
    const b = await createChild(t.db, { organisationId, firstName: 'Noah', lastName: 'Taylor', dateOfBirth: '2015-06-01' });
    const hidden = await createChild(t.db, { organisationId: (await createOrganisation(t.db)).organisationId, firstName: 'Hidden', lastName: 'Taylor' });

    await c.get(`/children/${a.id}/household/new`);
    const missing = await c.post(`/children/${a.id}/household`, { firstName: 'Sarah', lastName: '', relationship: 'Mother', parentalResponsibility: 'yes' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /href="#lastName">Enter their last name/);
    assert.match(missing.body, /href="#livesWithChild">Choose whether they live with the child/);
    assert.match(missing.body, /value="Sarah"/);
    const added = await c.post(`/children/${a.id}/household`, {
      firstName: 'Sarah', lastName: 'Taylor', relationship: 'Mother', parentalResponsibility: 'yes', livesWithChild: 'yes',
      address: '12 Dock Road, Chatham ME4 4TR', notes: 'Works nights <on weekdays>',
    });
    assert.equal(added.statusCode, 303);

    const find = await c.get(`/children/${a.id}/household/new?siblingName=Noah+Taylor`);
    assert.match(find.body, new RegExp(`name="relatedChildId" value="${b.id}"`));
    assert.doesNotMatch(find.body, new RegExp(hidden.id));
    assert.equal((await c.post(`/children/${a.id}/siblings`, { relatedChildId: b.id, relationship: 'Brother', livesWithChild: 'yes' })).statusCode, 303);
    assert.equal((await c.post(`/children/${a.id}/siblings`, { relatedChildId: b.id })).statusCode, 400);
    assert.equal((await c.post(`/children/${a.id}/siblings`, { relatedChildId: hidden.id })).statusCode, 400);

    await c.get(`/children/${a.id}/professionals/new`);
    const badEmail = await c.post(`/children/${a.id}/professionals`, { name: 'Jo Patel', role: 'Health visitor', email: 'not-an-email' });
    assert.equal(badEmail.statusCode, 400);
    assert.match(badEmail.body, /href="#email">/);
    assert.equal((await c.post(`/children/${a.id}/professionals`, { name: 'Jo Patel', role: 'Health visitor', organisation: 'Medway Community Healthcare' })).statusCode, 303);
    assert.equal((await c.post(`/children/${a.id}/names`, { kind: 'alias', firstName: 'Mimi', lastName: '' })).statusCode, 303);

    const pageA = await c.get(`/children/${a.id}`);
    assert.match(pageA.body, /Sarah Taylor/);
    // What was recorded about a household member is shown, escaped.
    assert.match(pageA.body, /12 Dock Road, Chatham ME4 4TR/);
    assert.match(pageA.body, /Works nights &lt;on weekdays&gt;/);
    const apiA = (await c.json('GET', `/api/v1/children/${a.id}`)).json();
    assert.equal(apiA.household[0].address, '12 Dock Road, Chatham ME4 4TR');
    assert.equal(apiA.household[0].notes, 'Works nights <on weekdays>');
    assert.match(pageA.body, new RegExp(`href="/children/${b.id}">Noah Taylor</a>`));
    assert.match(pageA.body, /Brother/);
    assert.match(pageA.body, /Jo Patel/);
    assert.match(pageA.body, /Mimi/);
    const pageB = await c.get(`/children/${b.id}`);
    assert.match(pageB.body, new RegExp(`href="/children/${a.id}">Mia Taylor</a>`));

    const hA = await householdOf(t.db, a.id);
    assert.deepEqual(hA.siblingChildIds, [b.id]);
    assert.equal(hA.members[0]!.relationship, 'Mother');
    assert.equal(hA.members[0]!.parentalResponsibility, true);
    assert.deepEqual((await householdOf(t.db, b.id)).siblingChildIds, [a.id]);

    // Aliases are searchable too.
    const alias = await c.json('GET', '/api/v1/children?name=Mimi%20Taylor');
    assert.equal(alias.json().results[0].id, a.id);

    const api = await c.json('POST', `/api/v1/children/${b.id}/household`, { firstName: 'Dan', lastName: 'Taylor', relationship: 'Father', parentalResponsibility: true, livesWithChild: false });
    assert.equal(api.statusCode, 201);
    const apiBad = await c.json('POST', `/api/v1/children/${b.id}/household`, { firstName: 'Dan', lastName: 'Taylor', relationship: 'Father', livesWithChild: false });
    assert.equal(apiBad.statusCode, 400);
    assert.equal(apiBad.json().field, 'parentalResponsibility');

    const actions = (await auditActions(user.id)).map((x) => x.action);
    for (const a2 of ['child.household.add', 'child.sibling.link', 'child.professional.add', 'child.name.add']) assert.ok(actions.includes(a2), a2);
  });
});

describe('children linked through the household', () => {
  test('a child page shows children linked through a shared adult or a third child, and reads a reverse link from its own side', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const a = await createChild(t.db, { organisationId, firstName: 'Ada', lastName: 'Quinn' });
    const b = await createChild(t.db, { organisationId, firstName: 'Ben', lastName: 'Quinn' });
    const host = await createChild(t.db, { organisationId, firstName: 'Cal', lastName: 'Quinn' });
    const cousin = await createChild(t.db, { organisationId, firstName: 'Dee', lastName: 'Rowe' });
    const uncle = await createChild(t.db, { organisationId, firstName: 'Eli', lastName: 'Quinn' });
    // The host's record lists Ada and Ben; neither lists the other. Dee's mother is Ada's aunt. Eli lists Ada as his niece.
    await t.db.query("INSERT INTO household_members (child_id, related_child_id, relationship) VALUES ($1, $2, 'sister'), ($1, $3, 'brother'), ($4, $2, 'niece')", [host.id, a.id, b.id, uncle.id]);
    const p = await t.db.query<{ id: string }>("INSERT INTO people (partnership_id, first_name, last_name) SELECT partnership_id, 'Fay', 'Rowe' FROM children WHERE id = $1 RETURNING id", [a.id]);
    await t.db.query("INSERT INTO household_members (child_id, person_id, relationship) VALUES ($1, $3, 'Aunt'), ($2, $3, 'Mother')", [a.id, cousin.id, p.rows[0]!.id]);

    const page = (await c.get(`/children/${a.id}`)).body;
    assert.match(page, /Other children linked through the household/);
    assert.match(page, new RegExp(`href="/children/${b.id}">Ben Quinn</a>[^<]* – listed with this child in Cal Quinn’s household`));
    assert.match(page, new RegExp(`href="/children/${cousin.id}">Dee Rowe</a>[^<]* – shares a household member \\(this child’s aunt\\)`));
    // Recorded on the other children's records: "sister" reads as sibling from here; "niece" cannot be turned round.
    assert.match(page, new RegExp(`href="/children/${host.id}">Cal Quinn</a>[^<]* – Sibling`));
    assert.match(page, new RegExp(`href="/children/${uncle.id}">Eli Quinn</a>[^<]* – Linked in Eli Quinn’s household`));
    assert.doesNotMatch(page, new RegExp(`href="/children/${host.id}">Cal Quinn</a>[^<]* – listed`), 'a direct link is not listed again');
  });
});

describe('editing through the form', () => {
  test('changes are saved, history is kept and the form is prefilled', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const child = await createChild(t.db, { organisationId, firstName: 'Ella', lastName: 'Green', dateOfBirth: '2017-09-09', postcode: 'ME4 4TR' });
    const form = await c.get(`/children/${child.id}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="firstName"[^>]*value="Ella"/);
    const bad = await c.post(`/children/${child.id}/edit`, { firstName: 'Ella', lastName: 'Green', 'dateOfBirth-day': '9', 'dateOfBirth-month': '9', 'dateOfBirth-year': '2017', upn: 'X123', schoolOrSetting: 'Hill School' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#upn">/);
    assert.match(bad.body, /value="Hill School"/);
    const noDate = await c.post(`/children/${child.id}/edit`, { firstName: 'Ella', lastName: 'Green', schoolOrSetting: 'Hill School', interpreterNeeded: 'no' });
    assert.equal(noDate.statusCode, 400);
    assert.match(noDate.body, /href="#dateOfBirth-day">Enter the child’s date of birth, or an expected due date/);
    assert.match(noDate.body, /id="dateOfBirth-error"/);
    assert.equal((await t.db.query('SELECT date_of_birth FROM children WHERE id = $1', [child.id])).rows[0].date_of_birth, '2017-09-09');
    const ok = await c.post(`/children/${child.id}/edit`, {
      firstName: 'Ella', lastName: 'Green', 'dateOfBirth-day': '9', 'dateOfBirth-month': '9', 'dateOfBirth-year': '2017',
      schoolOrSetting: 'Hill School', flags: 'lookedAfter', interpreterNeeded: 'no',
      addressLine1: '5 Castle View', addressPostcode: 'ME1 1AA',
    });
    assert.equal(ok.statusCode, 303);
    const row = (await t.db.query('SELECT school_or_setting, looked_after FROM children WHERE id = $1', [child.id])).rows[0];
    assert.deepEqual(row, { school_or_setting: 'Hill School', looked_after: true });
    const addresses = (await t.db.query('SELECT postcode, to_date IS NULL AS current FROM child_addresses WHERE child_id = $1 ORDER BY id', [child.id])).rows;
    assert.deepEqual(addresses, [{ postcode: 'ME4 4TR', current: false }, { postcode: 'ME1 1AA', current: true }]);
    const ev = (await t.db.query("SELECT detail FROM events WHERE child_id = $1 AND type = 'record'", [child.id])).rows;
    assert.deepEqual(ev[0].detail.fields, ['schoolOrSetting', 'lookedAfter', 'address']);
  });
});

describe('dates the record and its forms accept', () => {
  test('a child with neither a date of birth nor a due date shows "Date of birth: Not known", not an unborn child', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const child = await createChild(t.db, { organisationId, firstName: 'Nell', lastName: 'Unsure', dateOfBirth: null });
    const page = await c.get(`/children/${child.id}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /unborn|Expected due date/);
    assert.match(page.body, /Date of birth\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Not known/);
  });

  test('a search or match check by a date in the first days of year 1 is refused or handled, never a 500', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c, principal } = await practitioner(organisationId);
    assert.deepEqual(await searchChildren(t.db, principal, { dateOfBirth: '0001-01-01' }), []);
    const api = await c.json('GET', '/api/v1/children?dateOfBirth=0001-01-01');
    assert.equal(api.statusCode, 400, api.body);
    assert.equal(api.json().field, 'dateOfBirth');
    // A date ahead finds an unborn child by due date, up to a year ahead.
    assert.equal((await c.json('GET', `/api/v1/children?dateOfBirth=${new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10)}`)).statusCode, 200);
    const future = await c.json('GET', `/api/v1/children?dateOfBirth=${new Date(Date.now() + 400 * 86400000).toISOString().slice(0, 10)}`);
    assert.equal(future.statusCode, 400);
    assert.equal(future.json().field, 'dateOfBirth');
    const page = await c.get('/children?name=&dateOfBirth-day=1&dateOfBirth-month=1&dateOfBirth-year=0001&postcode=&nhsNumber=');
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /href="#dateOfBirth-day">Date of birth must be 1 January 1900 or later/);
    assert.match(page.body, /id="dateOfBirth-day"[^>]*value="1"/);
    assert.equal((await c.json('GET', '/api/v1/children?dateOfBirth=1900-01-01')).statusCode, 200);
  });

  test('a household adult’s date of birth is not in the future nor more than 120 years ago', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const child = await createChild(t.db, { organisationId, firstName: 'Ivy', lastName: 'Marsh' });
    await c.get(`/children/${child.id}/household/new`);
    const adult = { firstName: 'Rose', lastName: 'Marsh', relationship: 'Grandmother', parentalResponsibility: 'no', livesWithChild: 'no' };
    const old = await c.post(`/children/${child.id}/household`, { ...adult, 'personDateOfBirth-day': '1', 'personDateOfBirth-month': '1', 'personDateOfBirth-year': '1800' });
    assert.equal(old.statusCode, 400);
    assert.match(old.body, /href="#personDateOfBirth-day">Date of birth must be within the last 120 years/);
    assert.match(old.body, /value="1800"/);
    const nextYear = String(new Date().getUTCFullYear() + 1);
    const future = await c.post(`/children/${child.id}/household`, { ...adult, 'personDateOfBirth-day': '1', 'personDateOfBirth-month': '1', 'personDateOfBirth-year': nextYear });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /href="#personDateOfBirth-day">Date of birth must be today or in the past/);
    const api = await c.json('POST', `/api/v1/children/${child.id}/household`, { ...adult, parentalResponsibility: false, livesWithChild: false, dateOfBirth: '0001-01-01' });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().field, 'dateOfBirth');
    assert.equal((await c.post(`/children/${child.id}/household`, { ...adult, 'personDateOfBirth-day': '1', 'personDateOfBirth-month': '1', 'personDateOfBirth-year': '1950' })).statusCode, 303);
  });

  test('the date a child moved in is not in the future, nor before they moved in to the current address', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const child = await createChild(t.db, { organisationId, firstName: 'Otto', lastName: 'Lane', dateOfBirth: '2015-04-04' });
    assert.equal((await patch(c, `/api/v1/children/${child.id}`, { address: { line1: '1 Old Road', fromDate: '2022-06-01' } })).statusCode, 200);
    const tomorrow = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
    const future = await patch(c, `/api/v1/children/${child.id}`, { address: { line1: '2 New Road', fromDate: tomorrow } });
    assert.equal(future.statusCode, 400);
    assert.equal(future.json().field, 'address.fromDate');
    const earlier = await patch(c, `/api/v1/children/${child.id}`, { address: { line1: '2 New Road', fromDate: '2021-01-01' } });
    assert.equal(earlier.statusCode, 400, earlier.body);
    assert.equal(earlier.json().field, 'address.fromDate');

    const form = {
      firstName: 'Otto', lastName: 'Lane', 'dateOfBirth-day': '4', 'dateOfBirth-month': '4', 'dateOfBirth-year': '2015', interpreterNeeded: 'no',
      addressLine1: '2 New Road', 'addressFrom-day': '1', 'addressFrom-month': '1', 'addressFrom-year': '2021',
    };
    await c.get(`/children/${child.id}/edit`);
    const page = await c.post(`/children/${child.id}/edit`, form);
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /href="#addressFrom-day">Date they moved in must be on or after 1 June 2022, when they moved in to their current address/);
    assert.match(page.body, /value="2 New Road"/);
    assert.match(page.body, /name="addressFrom-year"[^>]*value="2021"|value="2021"[^>]*name="addressFrom-year"/);
    const futurePage = await c.post(`/children/${child.id}/edit`, { ...form, 'addressFrom-day': tomorrow.slice(8), 'addressFrom-month': tomorrow.slice(5, 7), 'addressFrom-year': tomorrow.slice(0, 4) });
    assert.equal(futurePage.statusCode, 400);
    assert.match(futurePage.body, /href="#addressFrom-day">Date they moved in must be today or in the past/);
    const rows = (await t.db.query('SELECT line1, to_date FROM child_addresses WHERE child_id = $1 ORDER BY id', [child.id])).rows;
    assert.deepEqual(rows, [{ line1: '1 Old Road', to_date: null }], 'nothing was changed');
    assert.equal((await c.post(`/children/${child.id}/edit`, { ...form, 'addressFrom-year': '2023' })).statusCode, 303);
  });
});

describe('linking a sibling from the page', () => {
  test('asks their relationship and whether they live with the child, refusing a link without the answer', async () => {
    const { organisationId } = await createOrganisation(t.db);
    const { c } = await practitioner(organisationId);
    const a = await createChild(t.db, { organisationId, firstName: 'Pip', lastName: 'Harrow' });
    const b = await createChild(t.db, { organisationId, firstName: 'Kit', lastName: 'Harrow', dateOfBirth: '2016-02-02' });
    const found = await c.get(`/children/${a.id}/household/new?siblingName=Kit+Harrow`);
    assert.equal(found.statusCode, 200);
    assert.match(found.body, new RegExp(`id="relationship-${b.id}" name="relationship" type="text" value="Sibling"`));
    assert.match(found.body, new RegExp(`name="livesWithChild"[^>]*value="yes"`));
    assert.doesNotMatch(found.body, new RegExp(`id="livesWithChild-${b.id}"[^>]*checked`), 'no answer is chosen for them');

    const missing = await c.post(`/children/${a.id}/siblings`, { relatedChildId: b.id, relationship: 'Half-brother', siblingName: 'Kit Harrow' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /govuk-error-summary/);
    assert.match(missing.body, new RegExp(`href="#livesWithChild-${b.id}">Choose whether they live with the child`));
    assert.match(missing.body, new RegExp(`name="relatedChildId" value="${b.id}"`), 'the search results are kept');
    assert.match(missing.body, /value="Half-brother"/, 'what was typed is kept');
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM household_members WHERE child_id = $1', [a.id])).rows[0].n, 0);

    const linked = await c.post(`/children/${a.id}/siblings`, { relatedChildId: b.id, relationship: 'Half-brother', livesWithChild: 'no' });
    assert.equal(linked.statusCode, 303);
    const row = (await t.db.query('SELECT relationship, lives_with_child FROM household_members WHERE child_id = $1', [a.id])).rows[0];
    assert.deepEqual(row, { relationship: 'Half-brother', lives_with_child: false });
  });
});
