// The front door knows the children referred to it: it finds them (misspelt too) by page and API, a contact from
// the public about one of them is offered that child instead of a duplicate, and a child it was never told about
// stays hidden from it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { createReferralCase, startReferralApp, type ReferralSetup } from '../support/referrals.ts';
import type { TestCase } from '../support/sharing.ts';

let t: TestApp;
let s: ReferralSetup;
let dsl: Client;
let frontDoor: Client;
let referred: TestCase;
let referralId: string;

before(async () => {
  ({ t, s, dsl, frontDoor } = await startReferralApp());
  referred = await createReferralCase(t.db, s);
});
after(async () => { await t.close(); });

const searchPage = (c: Client, name: string) => c.get(`/children?name=${encodeURIComponent(name)}`);
const searchApi = async (c: Client, name: string) => {
  const res = await c.json('GET', `/api/v1/children?name=${encodeURIComponent(name)}`);
  assert.equal(res.statusCode, 200, res.body);
  return (res.json().results as { id: string }[]).map((r) => r.id);
};
const contactForm = (over: Record<string, string> = {}) => ({
  channel: 'telephone', callerName: '', callerPhone: '', relationship: 'Aunt', anonymity: 'no',
  firstName: 'Jordan', lastName: 'Reid', 'dob-day': '', 'dob-month': '', 'dob-year': '', dobUnknown: 'yes', address: '', postcode: '',
  worries: 'He came to my house hungry again and said he was scared to go home.', immediateDanger: 'no', ...over,
});
const countChildren = async (firstName: string, lastName: string) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM children WHERE first_name = $1 AND last_name = $2', [firstName, lastName])).rows[0]!.n;

describe('the front door and the children referred to it', () => {
  test('before the referral the front door cannot find or see the child; once it is sent, it finds him by a misspelt name (page and API)', async () => {
    assert.doesNotMatch((await searchPage(frontDoor, 'Jordon Reid')).body, new RegExp(referred.childId));
    assert.ok(!(await searchApi(frontDoor, 'Jordon Reid')).includes(referred.childId));
    assert.equal((await frontDoor.get(`/children/${referred.childId}`)).statusCode, 404);

    const sent = await dsl.json('POST', `/api/v1/concerns/${referred.concernId}/referrals`, { method: 'online' });
    assert.equal(sent.statusCode, 201, sent.body);
    referralId = sent.json().referral.id;

    // linked in the same transaction as the referral, and audited with what made the link
    const links = (await t.db.query<{ organisation_id: string }>('SELECT organisation_id FROM child_organisations WHERE child_id = $1', [referred.childId])).rows;
    assert.deepEqual(links.map((l) => l.organisation_id).sort(), [s.schoolId, s.frontDoorId].sort());
    const audit = (await t.db.query<{ details: Record<string, unknown>; user_id: string }>(
      `SELECT details, user_id FROM audit_log WHERE action = 'child.known-to' AND record_id = $1`, [referred.childId])).rows;
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]!.details, { organisationId: s.frontDoorId, via: 'referral', referralId });
    assert.equal(audit[0]!.user_id, s.dsl.id);

    const page = await searchPage(frontDoor, 'Jordon Reid');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`href="/children/${referred.childId}"`));
    assert.doesNotMatch(page.body, /href="\/children\/new"/, 'the front door is not offered a page it may not use');
    assert.ok((await searchApi(frontDoor, 'Jordon Reid')).includes(referred.childId));

    const child = await frontDoor.get(`/children/${referred.childId}`);
    assert.equal(child.statusCode, 200);
    assert.match(child.body, /Jordan Reed/);
    for (const link of ['/edit"', '/chronology"', '/household/new"', '/professionals/new"', '/names/new"']) {
      assert.ok(!child.body.includes(`href="/children/${referred.childId}${link}`), `no ${link} link for the front door`);
    }
    assert.doesNotMatch(child.body, /Raise a concern about this child/);
    assert.equal((await frontDoor.json('GET', `/api/v1/children/${referred.childId}`)).statusCode, 200);
    // still not the referrer's chronology or concerns
    assert.equal((await frontDoor.get(`/children/${referred.childId}/chronology`)).statusCode, 403);
    assert.notEqual((await frontDoor.get(`/concerns/${referred.concernId}`)).statusCode, 200);
  });

  test('a contact from the public about that child is offered the existing record (page and API), and no duplicate is made', async () => {
    assert.ok(referralId, 'runs after the referral is sent');
    const before = await countChildren('Jordan', 'Reid');

    const offered = await frontDoor.post('/front-door/contacts/new', contactForm());
    assert.equal(offered.statusCode, 400);
    assert.match(offered.body, /The front door may already know this child/);
    assert.match(offered.body, new RegExp(`name="childId" type="radio" value="${referred.childId}"`));
    assert.match(offered.body, /He came to my house hungry again/, 'what was typed is kept');
    assert.equal(await countChildren('Jordan', 'Reid'), before, 'no new child while the match is on offer');

    const api = await frontDoor.json('POST', '/api/v1/front-door/contacts', {
      caller: { relationship: 'Aunt', anonymityRequested: false }, channel: 'telephone', worries: 'Hungry again.', immediateDanger: false,
      child: { firstName: 'Jordon', lastName: 'Reed', dateOfBirth: '2011-01-15' },
    });
    assert.equal(api.statusCode, 409, api.body);
    assert.equal(api.json().field, 'child');
    assert.ok((api.json().matches as { id: string }[]).some((m) => m.id === referred.childId));
    assert.equal(await countChildren('Jordon', 'Reed'), 0);

    // answering without choosing keeps the question open; choosing "none of these" is the confirmation
    const unanswered = await frontDoor.post('/front-door/contacts/new', contactForm({ firstName: 'Jordana', lastName: 'Reid' }));
    assert.equal(unanswered.statusCode, 400);
    assert.match(unanswered.body, /name="childId" type="radio" value="new"/);
    assert.doesNotMatch(unanswered.body, /name="childId" type="radio" value="new" checked/, 'nothing is chosen for them');
    const different = await frontDoor.post('/front-door/contacts/new', contactForm({ firstName: 'Jordana', lastName: 'Reid', childId: 'new' }));
    assert.equal(different.statusCode, 303, different.body);
    assert.equal(await countChildren('Jordana', 'Reid'), 1, 'a new record for a different child');

    // choosing the child records the contact against the existing record
    const chosen = await frontDoor.post('/front-door/contacts/new', contactForm({ childId: referred.childId }));
    assert.equal(chosen.statusCode, 303, chosen.body);
    const contactId = String(chosen.headers.location).split('/').pop();
    const row = (await t.db.query('SELECT child_id FROM referrals WHERE id = $1', [contactId])).rows[0];
    assert.equal(row.child_id, referred.childId);
    assert.equal(await countChildren('Jordan', 'Reid'), before);
    // the front door already knew the child: no second link, no second audit entry
    const known = (await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'child.known-to' AND record_id = $1`, [referred.childId])).rows[0].n;
    assert.equal(known, 1);
  });

  test('a child never referred or contacted about stays hidden from the front door, and another front door does not see a referred child', async () => {
    const unknown = await createChild(t.db, { organisationId: s.schoolId, firstName: 'Priyanka', lastName: 'Castellano', dateOfBirth: '2012-06-01' });
    assert.deepEqual(await searchApi(frontDoor, 'Priyanka Castellano'), []);
    assert.doesNotMatch((await searchPage(frontDoor, 'Priyanka Castelano')).body, new RegExp(unknown.id));
    assert.equal((await frontDoor.get(`/children/${unknown.id}`)).statusCode, 404);
    assert.equal((await frontDoor.json('GET', `/api/v1/children/${unknown.id}`)).statusCode, 404);
    const contact = await frontDoor.json('POST', '/api/v1/front-door/contacts', {
      caller: { relationship: 'Neighbour', anonymityRequested: true }, channel: 'in_person', childId: unknown.id, worries: 'Left alone.', immediateDanger: false,
    });
    assert.equal(contact.statusCode, 404, 'a contact cannot be attached to a child the front door does not know');
    const links = (await t.db.query<{ organisation_id: string }>('SELECT organisation_id FROM child_organisations WHERE child_id = $1', [unknown.id])).rows;
    assert.deepEqual(links.map((l) => l.organisation_id), [s.schoolId]);

    const otherFrontDoor = (await createOrganisation(t.db, { name: 'Zeta front door', type: 'front_door' })).organisationId;
    const other = new Client(t.app);
    await other.signIn(await createUser(t.db, 'front_door_manager', { organisationId: otherFrontDoor, enrolTotp: true }));
    assert.ok(!(await searchApi(other, 'Jordan Reed')).includes(referred.childId));
    assert.equal((await other.get(`/children/${referred.childId}`)).statusCode, 404);
  });
});
