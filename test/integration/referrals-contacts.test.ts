// A contact from a member of the public, recorded by the front door: inbox, anonymity, clocks, chronology, audit, access, API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { createReferralSetup, type ReferralSetup } from '../support/referrals.ts';

let t: TestApp;
let s: ReferralSetup;
let frontDoor: Client;

before(async () => {
  t = await createTestApp();
  s = await createReferralSetup(t.db);
  frontDoor = new Client(t.app);
  await frontDoor.signIn(s.frontDoorWorker);
});
after(async () => { await t.close(); });

const form = (over: Record<string, string> = {}) => ({
  channel: 'telephone', callerName: 'Petunia Quill', callerPhone: '07700 900123', relationship: 'Neighbour', anonymity: 'yes',
  firstName: 'Marnie', lastName: 'Oakhurst', 'dob-day': '', 'dob-month': '', 'dob-year': '', dobUnknown: 'yes', address: '4 Mill Lane', postcode: 'ME4 4QU',
  worries: 'Shouting every night and the child is left alone for days.', immediateDanger: 'no', action: 'record', ...over,
});

describe('a contact from a member of the public', () => {
  test('the inbox links to the page; an anonymous contact lands in the inbox, starts the clocks and names no caller in the chronology or audit', async () => {
    const inbox = await frontDoor.get('/front-door/referrals');
    assert.equal(inbox.statusCode, 200);
    assert.match(inbox.body, /href="\/front-door\/contacts\/new"/);
    const page = await frontDoor.get('/front-door/contacts/new');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Does the caller ask to remain anonymous\?/);

    const res = await frontDoor.post('/front-door/contacts/new', form());
    assert.equal(res.statusCode, 303, res.body);
    const id = /^\/front-door\/contacts\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1];
    assert.ok(id, String(res.headers.location));

    const shown = await frontDoor.get(`/front-door/contacts/${id}`);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Caller asked to remain anonymous/);
    assert.match(shown.body, /Petunia Quill/, 'the front door sees the caller’s details');

    const row = (await t.db.query('SELECT referrer_type, anonymity_requested, receiving_organisation_id, child_id, content FROM referrals WHERE id = $1', [id])).rows[0];
    assert.equal(row.referrer_type, 'public');
    assert.equal(row.anonymity_requested, true);
    assert.equal(row.receiving_organisation_id, s.frontDoorId);
    assert.doesNotMatch(JSON.stringify(row.content.referrer), /Petunia|Neighbour/, 'the document that may be sent on does not name or describe an anonymous caller');
    const linked = (await t.db.query<{ organisation_id: string }>('SELECT organisation_id FROM child_organisations WHERE child_id = $1', [row.child_id])).rows;
    assert.ok(linked.some((l) => l.organisation_id === s.frontDoorId), 'the new child is known to the front door');

    const list = await frontDoor.get('/front-door/referrals');
    assert.match(list.body, new RegExp(`/front-door/referrals/${id}`));
    assert.match(list.body, /Caller asked to remain anonymous/);
    assert.match(list.body, /Marnie Oakhurst/);

    const clocks = (await t.db.query<{ definition_id: string; organisation_id: string; stopped_at: Date | null }>('SELECT definition_id, organisation_id, stopped_at FROM clocks WHERE subject_id = $1', [id])).rows;
    assert.ok(clocks.some((c) => c.definition_id === 'front-door-decision' && c.organisation_id === s.frontDoorId && !c.stopped_at), JSON.stringify(clocks));

    const events = (await t.db.query<{ summary: string; detail: unknown }>(`SELECT summary, detail FROM events WHERE source_id = $1`, [id])).rows;
    assert.equal(events.length, 1);
    assert.match(events[0]!.summary, /member of the public.*asked to remain anonymous/);
    assert.doesNotMatch(JSON.stringify(events), /Petunia|07700|Neighbour/);

    const audit = (await t.db.query<{ action: string; details: unknown }>('SELECT action, details FROM audit_log WHERE record_id = $1 ORDER BY at, seq', [id])).rows;
    assert.ok(audit.some((a) => a.action === 'referral.public-contact'));
    assert.doesNotMatch(JSON.stringify(audit), /Petunia|07700|Shouting/);

    // the referral page the inbox links to still works for a contact from the public
    const fd = await frontDoor.get(`/front-door/referrals/${id}`);
    assert.equal(fd.statusCode, 200);
    assert.doesNotMatch(fd.body, /Petunia/);
  });

  test('a caller who gives their name; immediate danger says call 999', async () => {
    const res = await frontDoor.post('/front-door/contacts/new', form({ anonymity: 'no', firstName: 'Tobias', lastName: 'Wrenfield', dobUnknown: '', 'dob-day': '1', 'dob-month': '5', 'dob-year': '2016', immediateDanger: 'yes' }));
    assert.equal(res.statusCode, 303, res.body);
    const shown = await frontDoor.get(String(res.headers.location));
    assert.match(shown.body, /call 999 now/);
    assert.doesNotMatch(shown.body, /Caller asked to remain anonymous/);
    const id = String(res.headers.location).split('/').pop();
    const row = (await t.db.query('SELECT anonymity_requested, content, kind FROM referrals WHERE id = $1', [id])).rows[0];
    assert.equal(row.anonymity_requested, false);
    assert.equal(row.content.referrer.name, 'Petunia Quill');
    assert.equal(row.content.child.dateOfBirth, '2016-05-01');
    assert.equal(row.kind, 'significant_harm');
  });

  test('bad input is refused with specific messages and loses nothing typed', async () => {
    const res = await frontDoor.post('/front-door/contacts/new', form({ relationship: '', anonymity: '', immediateDanger: '', dobUnknown: '', 'dob-day': '31', 'dob-month': '2', 'dob-year': '2015' }));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Enter the caller’s relationship to the child/);
    assert.match(res.body, /Select whether the caller asks to remain anonymous/);
    assert.match(res.body, /Select whether the child is in immediate danger/);
    assert.match(res.body, /Date of birth must be a real date/);
    assert.match(res.body, /Petunia Quill/);
    assert.match(res.body, /Shouting every night/);
    assert.match(res.body, /value="31"/);
  });

  test('a child’s date of birth more than 25 years ago is refused on the date of birth field, as on the child’s record', async () => {
    const res = await frontDoor.post('/front-door/contacts/new', form({ dobUnknown: '', 'dob-day': '1', 'dob-month': '1', 'dob-year': '0001' }));
    assert.equal(res.statusCode, 400, res.body.slice(0, 500));
    assert.match(res.body, /href="#dob">Date of birth must be within the last 25 years/);
    assert.match(res.body, /value="0001"/);
    const api = await frontDoor.json('POST', '/api/v1/front-door/contacts', {
      caller: { relationship: 'Neighbour', anonymityRequested: true }, channel: 'telephone', immediateDanger: false, worries: 'Left alone.',
      child: { firstName: 'Wilf', lastName: 'Ancient', dateOfBirth: '1990-01-01' },
    });
    assert.equal(api.statusCode, 400, api.body);
    assert.equal(JSON.parse(api.body).field, 'child.dateOfBirth');
    assert.match(JSON.parse(api.body).message, /within the last 25 years/);
  });

  test('a new child and the contact about them are one transaction: a contact that cannot be stored leaves no child behind', async () => {
    const body = {
      caller: { relationship: 'Neighbour', anonymityRequested: true }, channel: 'telephone', immediateDanger: false,
      child: { firstName: 'Orla', lastName: 'Quennell-Marsh', dateOfBirth: 'not-known' }, worries: 'Refuse this contact: test marker.',
    };
    const traces = async () => (await t.db.query<{ children: number; names: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM children WHERE last_name = 'Quennell-Marsh') AS children,
              (SELECT count(*)::int FROM child_names WHERE last_name = 'Quennell-Marsh') AS names,
              (SELECT count(*)::int FROM events e JOIN children c ON c.id = e.child_id WHERE c.last_name = 'Quennell-Marsh') AS events`)).rows[0]!;
    // The database refuses this one contact (a constraint added for the test, checking new rows only).
    await t.db.query(`ALTER TABLE referrals ADD CONSTRAINT test_refuse_marked_contact
      CHECK (content->'concern'->>'whatHappened' IS DISTINCT FROM 'Refuse this contact: test marker.') NOT VALID`);
    try {
      const failed = await frontDoor.json('POST', '/api/v1/front-door/contacts', body);
      assert.equal(failed.statusCode, 500);
      assert.doesNotMatch(failed.body, /test_refuse|INSERT|Quennell/, 'no SQL or personal data in the answer');
      assert.deepEqual(await traces(), { children: 0, names: 0, events: 0 }, 'no orphan child');
      const page = await frontDoor.post('/front-door/contacts/new', form({ firstName: 'Orla', lastName: 'Quennell-Marsh', address: '', postcode: '', worries: body.worries }));
      assert.equal(page.statusCode, 500);
      assert.deepEqual(await traces(), { children: 0, names: 0, events: 0 }, 'no orphan child from the page either');
    } finally {
      await t.db.query('ALTER TABLE referrals DROP CONSTRAINT test_refuse_marked_contact');
    }
    const ok = await frontDoor.json('POST', '/api/v1/front-door/contacts', body);
    assert.equal(ok.statusCode, 201, ok.body);
    const after = await traces();
    assert.deepEqual([after.children, after.names], [1, 1], 'the same contact, once it can be stored, creates the child with it');
    assert.ok(after.events >= 2, 'the record’s creation and the contact are on the chronology');
  });

  test('only the front door may record a contact', async () => {
    const dsl = new Client(t.app);
    await dsl.signIn(s.dsl);
    assert.equal((await dsl.get('/front-door/contacts/new')).statusCode, 403);
    assert.equal((await dsl.post('/front-door/contacts/new', form())).statusCode, 403);
    assert.equal((await dsl.json('POST', '/api/v1/front-door/contacts', {})).statusCode, 403);
    const practitioner = new Client(t.app);
    await practitioner.signIn(await createUser(t.db, 'practitioner', { organisationId: s.schoolId }));
    assert.equal((await practitioner.get('/front-door/contacts/new')).statusCode, 403);
  });

  test('API: 201 with referrerType public, 400 naming the field, 401 when not signed in', async () => {
    const child = await createChild(t.db, { organisationId: s.frontDoorId, firstName: 'Ada', lastName: 'Pennywhistle', dateOfBirth: '2018-02-02' });
    const body = { caller: { relationship: 'Grandparent', anonymityRequested: false, name: 'Gran Pennywhistle' }, channel: 'in_person', childId: child.id, worries: 'Bruises on her arms.', immediateDanger: false };
    const ok = await frontDoor.json('POST', '/api/v1/front-door/contacts', body);
    assert.equal(ok.statusCode, 201, ok.body);
    const c = JSON.parse(ok.body).contact;
    assert.equal(c.referrerType, 'public');
    assert.equal(c.childId, child.id);
    const bad = await frontDoor.json('POST', '/api/v1/front-door/contacts', { ...body, caller: { ...body.caller, relationship: '' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).field, 'caller.relationship');
    const noWorries = await frontDoor.json('POST', '/api/v1/front-door/contacts', { ...body, worries: undefined });
    assert.equal(noWorries.statusCode, 400);
    assert.equal(JSON.parse(noWorries.body).field, 'worries');
    const anon = new Client(t.app);
    assert.equal((await anon.json('POST', '/api/v1/front-door/contacts', body)).statusCode, 401);
    const spec = (await import('../../src/referrals/routes.ts')).referralsOpenApiPaths;
    assert.ok(spec['/api/v1/front-door/contacts']);
  });
});
