// Consent: who is asked, recording it, what the rules say, a manager's approval and the tell-the-parent task.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addCalendarMonths } from '../../src/platform/calendar/iso-date.ts';
import { addWorkingDays, londonDateOf } from '../../src/platform/calendar/working-days.ts';
import { TELL_PARENT_TASK_TITLE } from '../../src/sharing/consent.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createOrganisation, createUser, type TestUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { createCase } from '../support/sharing.ts';

let t: TestApp;
let organisationId: string;
let dsl: TestUser;
let manager: TestUser;
let dslClient: Client;
let managerClient: Client;
const today = londonDateOf(new Date());
const agedExactly = (years: number) => addCalendarMonths(today, -12 * years);

before(async () => {
  t = await createTestApp();
  organisationId = (await createOrganisation(t.db)).organisationId;
  dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
  manager = await createUser(t.db, 'line_manager', { organisationId, enrolTotp: true });
  dslClient = new Client(t.app);
  await dslClient.signIn(dsl);
  managerClient = new Client(t.app);
  await managerClient.signIn(manager);
});
after(async () => { await t.close(); });

const auditCount = async (action: string, recordId: string) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND record_id = $2', [action, recordId])).rows[0]!.n;
const events = async (childId: string, sourceType: string) =>
  (await t.db.query<{ type: string; summary: string; restricted: boolean }>('SELECT type, summary, restricted FROM events WHERE child_id = $1 AND source_type = $2 ORDER BY id', [childId, sourceType])).rows;

describe('consent for two parents with parental responsibility and a 15-year-old', () => {
  test('everyone who must be asked is listed, consent is recorded per person, audited and on the chronology', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help', dateOfBirth: agedExactly(15) });
    let res = await dslClient.json('GET', `/api/v1/concerns/${c.concernId}/consent`);
    assert.equal(res.statusCode, 200);
    let body = res.json();
    assert.equal(body.requirement, 'required');
    assert.equal(body.childAge, 15);
    assert.deepEqual(body.people.map((p: { subject: string }) => p.subject).sort(), [`person:${c.adults[0]!.personId}`, `person:${c.adults[1]!.personId}`, 'child'].sort());
    assert.ok(!body.people.some((p: { personId: string }) => p.personId === c.adults[2]!.personId), 'an adult without parental responsibility is not asked');
    assert.equal(body.rules.proceed, false);

    for (const subject of [`person:${c.adults[0]!.personId}`, `person:${c.adults[1]!.personId}`]) {
      res = await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject, status: 'given', date: today, method: 'in_writing' });
      assert.equal(res.statusCode, 201, res.body);
    }
    res = await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: 'child', status: 'given', date: today, method: 'in_person', childsView: 'I want help for my mum.' });
    assert.equal(res.statusCode, 201, res.body);
    body = res.json().consent;
    assert.deepEqual(body.people.map((p: { status: string }) => p.status), ['given', 'given', 'given']);
    assert.equal(body.rules.proceed, true);
    assert.equal(body.consentStatus, 'given');
    assert.equal(body.history.find((h: { subject: string }) => h.subject === 'child').childsView, 'I want help for my mum.');

    assert.equal(await auditCount('consent.record', c.concernId), 3);
    assert.ok(await auditCount('consent.view', c.concernId) >= 1);
    const ev = await events(c.childId, 'consent');
    assert.equal(ev.length, 3);
    assert.ok(ev.every((e) => e.type === 'record'));
    assert.match(ev[0]!.summary, /Consent given: Sam Reed \(Mother\)/);
    const details = (await t.db.query<{ details: Record<string, unknown> }>("SELECT details FROM audit_log WHERE action = 'consent.record' AND record_id = $1", [c.concernId])).rows;
    assert.ok(details.every((d) => !JSON.stringify(d.details).includes('Reed')), 'no names in audit details');
  });

  test('a new record supersedes the last and the history is kept; withdrawing needs consent first; records cannot be edited', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help', dateOfBirth: agedExactly(15) });
    const mum = `person:${c.adults[0]!.personId}`;
    let res = await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: mum, status: 'withdrawn', date: today, method: 'telephone' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'status');
    res = await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: mum, status: 'given', date: today, method: 'telephone' });
    const first = res.json().id;
    res = await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: mum, status: 'withdrawn', date: today, method: 'telephone', reasonText: 'Changed her mind' });
    assert.equal(res.statusCode, 201);
    const history = res.json().consent.history.filter((h: { subject: string }) => h.subject === mum);
    assert.deepEqual(history.map((h: { status: string }) => h.status), ['withdrawn', 'given']);
    assert.equal(history[0].supersedes, first);
    await assert.rejects(t.db.query("UPDATE consent_records SET status = 'given' WHERE id = $1", [first]), /append-only/);
  });

  test('bad input is a 400 naming the field; anonymous is 401; another organisation sees 404; a practitioner 403', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help' });
    const url = `/api/v1/concerns/${c.concernId}/consent`;
    let res = await dslClient.json('POST', url, { subject: 'child', status: 'given', date: today });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'method');
    res = await dslClient.json('POST', url, { subject: `person:${c.adults[0]!.personId}`, status: 'not_sought', date: today });
    assert.equal(res.json().field, 'notSoughtReason');
    res = await dslClient.json('POST', url, { subject: `person:${c.adults[0]!.personId}`, status: 'maybe', date: today, method: 'in_writing' });
    assert.equal(res.json().field, 'status');
    res = await dslClient.json('POST', url, { subject: `person:${c.adults[0]!.personId}`, status: 'given', date: '2026-02-30', method: 'in_writing' });
    assert.equal(res.json().field, 'date');
    res = await dslClient.json('POST', url, { subject: `person:${c.adults[2]!.personId}`, status: 'given', date: today, method: 'in_writing' });
    assert.equal(res.statusCode, 400, 'an adult without parental responsibility is not asked');
    assert.equal(res.json().field, 'subject');

    const anonymous = new Client(t.app);
    assert.equal((await anonymous.json('GET', url)).statusCode, 401);
    const other = await createUser(t.db, 'dsl', { enrolTotp: true });
    const otherClient = new Client(t.app);
    await otherClient.signIn(other);
    assert.equal((await otherClient.json('GET', url)).statusCode, 404);
    const practitioner = await createUser(t.db, 'practitioner', { organisationId });
    const pc = new Client(t.app);
    await pc.signIn(practitioner);
    assert.equal((await pc.json('GET', url)).statusCode, 403);
  });

  test('a 13-year-old is asked only once judged of sufficient understanding; a 14-year-old always; an unborn child never', async () => {
    const c13 = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help', dateOfBirth: agedExactly(13) });
    let body = (await dslClient.json('GET', `/api/v1/concerns/${c13.concernId}/consent`)).json();
    assert.equal(body.people.length, 2);
    assert.equal(body.childUnderstandingCanBeJudged, true);
    let res = await dslClient.json('POST', `/api/v1/concerns/${c13.concernId}/consent/understanding`, { sufficientUnderstanding: true });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'reasons');
    res = await dslClient.json('POST', `/api/v1/concerns/${c13.concernId}/consent/understanding`, { sufficientUnderstanding: true, reasons: 'Understands what early help is and can weigh it up.' });
    assert.equal(res.statusCode, 201);
    body = (await dslClient.json('GET', `/api/v1/concerns/${c13.concernId}/consent`)).json();
    assert.ok(body.people.some((p: { subject: string }) => p.subject === 'child'));

    const c14 = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help', dateOfBirth: agedExactly(14) });
    body = (await dslClient.json('GET', `/api/v1/concerns/${c14.concernId}/consent`)).json();
    assert.ok(body.people.some((p: { subject: string }) => p.subject === 'child'));

    const unborn = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help', dateOfBirth: null, expectedDueDate: addCalendarMonths(today, 3) });
    body = (await dslClient.json('GET', `/api/v1/concerns/${unborn.concernId}/consent`)).json();
    assert.equal(body.unborn, true);
    assert.ok(!body.people.some((p: { subject: string }) => p.subject === 'child'));
    res = await dslClient.json('POST', `/api/v1/concerns/${unborn.concernId}/consent/understanding`, { sufficientUnderstanding: true, reasons: 'x' });
    assert.equal(res.statusCode, 400);
  });
});

describe('proceeding without consent', () => {
  test('a refusal for early help blocks, and a manager cannot approve going ahead', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help', dateOfBirth: agedExactly(10) });
    await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${c.adults[0]!.personId}`, status: 'refused', date: today, method: 'in_person', reasonText: 'Does not want services involved' });
    const res = await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${c.adults[1]!.personId}`, status: 'given', date: today, method: 'in_person' });
    const rules = res.json().consent.rules;
    assert.deepEqual([rules.proceed, rules.needsManagerApproval, rules.frontDoorMustBeTold], [false, false, null]);
    assert.match(rules.reasons.join(' '), /Consent is required/);
    const approval = await managerClient.json('POST', `/api/v1/concerns/${c.concernId}/consent/approval`, { reasons: 'Worried', tellParentUnsafe: false });
    assert.equal(approval.statusCode, 400);
    assert.equal(approval.json().field, 'reasons');
    assert.match(approval.json().message, /Consent is required/);
  });

  test('child protection proceeds without consent with a manager’s approval: front door told, tell-parent task for the referrer', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection', dateOfBirth: agedExactly(8) });
    const url = `/api/v1/concerns/${c.concernId}/consent`;
    await dslClient.json('POST', url, { subject: `person:${c.adults[0]!.personId}`, status: 'not_sought', date: today, notSoughtReason: 'increased_risk_to_child' });
    let res = await dslClient.json('POST', url, { subject: `person:${c.adults[1]!.personId}`, status: 'refused', date: today, method: 'telephone' });
    let rules = res.json().consent.rules;
    assert.deepEqual([rules.proceed, rules.needsManagerApproval, rules.frontDoorMustBeTold], [false, true, 'withheld']);

    // The referrer cannot approve their own referral without consent, even as a manager.
    res = await dslClient.json('POST', `${url}/approval`, { reasons: 'Risk of significant harm', tellParentUnsafe: false });
    assert.equal(res.statusCode, 403);
    res = await managerClient.json('POST', `${url}/approval`, { reasons: 'Risk of significant harm outweighs the parents’ wishes', tellParentUnsafe: false });
    assert.equal(res.statusCode, 201, res.body);
    const approved = res.json();
    assert.deepEqual([approved.rules.proceed, approved.rules.frontDoorMustBeTold, approved.rules.tellParentAfterwards], [true, 'withheld', true]);
    assert.equal(approved.taskDueDate, addWorkingDays(today, 3));
    const task = (await t.db.query<{ owner_id: string; title: string; due_date: string; concern_id: string }>('SELECT owner_id, title, due_date, concern_id FROM tasks WHERE id = $1', [approved.taskId])).rows[0]!;
    assert.deepEqual(task, { owner_id: dsl.id, title: TELL_PARENT_TASK_TITLE, due_date: addWorkingDays(today, 3), concern_id: c.concernId });

    rules = (await dslClient.json('GET', url)).json().rules;
    assert.equal(rules.proceed, true);
    assert.equal(await auditCount('consent.approve', c.concernId), 1);
    assert.equal((await events(c.childId, 'consent_approval')).length, 1);
  });

  test('no task when telling the parent is recorded as unsafe, and that needs a reason', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'police', dateOfBirth: agedExactly(9) });
    for (const a of c.adults.filter((x) => x.parentalResponsibility)) {
      await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${a.personId}`, status: 'not_sought', date: today, notSoughtReason: 'police_investigation' });
    }
    let res = await managerClient.json('POST', `/api/v1/concerns/${c.concernId}/consent/approval`, { reasons: 'Police investigation', tellParentUnsafe: true });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'unsafeReason');
    res = await managerClient.json('POST', `/api/v1/concerns/${c.concernId}/consent/approval`, { reasons: 'Police investigation', tellParentUnsafe: true, unsafeReason: 'Police asked that the family is not told yet' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().taskId, null);
    assert.deepEqual([res.json().rules.proceed, res.json().rules.frontDoorMustBeTold, res.json().rules.tellParentAfterwards], [true, 'not_sought', false]);
    const tasks = (await t.db.query('SELECT 1 FROM tasks WHERE concern_id = $1', [c.concernId])).rows;
    assert.equal(tasks.length, 0);
  });

  test('approval is given once for a decision, even by two managers at once; the form is not offered again', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection', dateOfBirth: agedExactly(8) });
    for (const a of c.adults.filter((x) => x.parentalResponsibility)) {
      await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${a.personId}`, status: 'refused', date: today, method: 'in_person' });
    }
    const secondManager = new Client(t.app);
    await secondManager.signIn(await createUser(t.db, 'line_manager', { organisationId, enrolTotp: true }));
    const url = `/api/v1/concerns/${c.concernId}/consent/approval`;
    const results = await Promise.all([
      managerClient.json('POST', url, { reasons: 'Risk of significant harm', tellParentUnsafe: false }),
      secondManager.json('POST', url, { reasons: 'Risk of significant harm, agreed', tellParentUnsafe: false }),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 400], results.map((r) => r.body).join('\n'));
    const refused = results.find((r) => r.statusCode === 400)!.json();
    assert.equal(refused.field, 'reasons');
    assert.match(refused.message, /already been approved/);
    const tasks = (await t.db.query<{ title: string }>('SELECT title FROM tasks WHERE concern_id = $1', [c.concernId])).rows;
    assert.deepEqual(tasks.map((x) => x.title), [TELL_PARENT_TASK_TITLE]);
    assert.equal(await auditCount('consent.approve', c.concernId), 1);

    let res = await managerClient.json('POST', url, { reasons: 'Again', tellParentUnsafe: false });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /already been approved/);
    res = await secondManager.get(`/concerns/${c.concernId}/consent/approval`);
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /name="reasons"/);
    assert.match(res.body, /Latest approval/);

    // a change to someone's consent after the approval may be approved afresh
    res = await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${c.adults[0]!.personId}`, status: 'not_sought', date: today, notSoughtReason: 'increased_risk_to_child' });
    assert.equal(res.statusCode, 201, res.body);
    res = await secondManager.get(`/concerns/${c.concernId}/consent/approval`);
    assert.match(res.body, /name="reasons"/);
    res = await secondManager.json('POST', url, { reasons: 'Still a risk of significant harm', tellParentUnsafe: true, unsafeReason: 'He is the alleged perpetrator' });
    assert.equal(res.statusCode, 201, res.body);
  });

  test('a consent date before 1900 is a 400 naming the date', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help' });
    for (const date of ['1026-05-05', '0099-01-01']) {
      const res = await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${c.adults[0]!.personId}`, status: 'given', date, method: 'in_writing' });
      assert.equal(res.statusCode, 400, `${date}: ${res.body}`);
      assert.equal(res.json().field, 'date');
      assert.match(res.json().message, /must be in 1900 or later/);
    }
    assert.equal((await t.db.query('SELECT 1 FROM consent_records WHERE concern_id = $1', [c.concernId])).rows.length, 0);
  });

  test('the approval waits until everyone listed has something recorded', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection', dateOfBirth: agedExactly(8) });
    const res = await managerClient.json('POST', `/api/v1/concerns/${c.concernId}/consent/approval`, { reasons: 'x', tellParentUnsafe: false });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /Record consent/);
  });
});

describe('consent pages, JavaScript off', () => {
  test('recording consent by form keeps what was typed on an error, then redirects', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection', dateOfBirth: agedExactly(15) });
    let res = await dslClient.get(`/concerns/${c.concernId}/consent`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Sam Reed/);
    assert.match(res.body, /Needs a manager’s approval/);
    assert.doesNotMatch(res.body, /Chris Lane/);
    const form = `/concerns/${c.concernId}/consent/${c.adults[0]!.personId}`;
    res = await dslClient.get(form);
    assert.equal(res.statusCode, 200);
    res = await dslClient.post(form, { status: 'refused', reasonText: 'Said no on the doorstep', 'date-day': '31', 'date-month': '2', 'date-year': '2026' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, /href="#method"/);
    assert.match(res.body, /href="#date-day"/);
    assert.match(res.body, /Said no on the doorstep/);
    assert.match(res.body, /value="refused" checked/);
    const [y, m, d] = today.split('-');
    res = await dslClient.post(form, { status: 'refused', method: 'in_person', reasonText: 'Said no on the doorstep', 'date-day': d!, 'date-month': m!, 'date-year': y! });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/concerns/${c.concernId}/consent?done=consent`);
    res = await dslClient.get(String(res.headers.location));
    assert.match(res.body, /Consent recorded/);
    assert.match(res.body, /Refused/);
  });

  test('a reason over 5000 characters is refused with the whole text shown back, not cut and saved', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection', dateOfBirth: agedExactly(8) });
    const long = `${'z'.repeat(6000)}END-OF-REASON`;
    const [y, m, d] = today.split('-');
    const res = await dslClient.post(`/concerns/${c.concernId}/consent/${c.adults[0]!.personId}`, { status: 'refused', method: 'in_person', reasonText: long, 'date-day': d!, 'date-month': m!, 'date-year': y! });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, /href="#reasonText"/);
    assert.match(res.body, /Must be 5000 characters or fewer/);
    assert.ok(res.body.includes(long), 'the whole text is shown back');
    assert.equal((await t.db.query('SELECT 1 FROM consent_records WHERE concern_id = $1', [c.concernId])).rows.length, 0);
  });

  test('the approval page: managers only; the DSL with the permission still cannot approve their own referral', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection', dateOfBirth: agedExactly(8) });
    for (const a of c.adults.filter((x) => x.parentalResponsibility)) {
      await dslClient.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${a.personId}`, status: 'not_sought', date: today, notSoughtReason: 'fgm' });
    }
    let res = await managerClient.get(`/concerns/${c.concernId}/consent/approval`);
    assert.equal(res.statusCode, 200);
    res = await managerClient.post(`/concerns/${c.concernId}/consent/approval`, { reasons: '', tellParentUnsafe: 'no' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Enter the reasons for going ahead without consent/);
    res = await dslClient.post(`/concerns/${c.concernId}/consent/approval`, { reasons: 'Suspected FGM', tellParentUnsafe: 'no' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /A manager other than the person making the referral/);
    res = await managerClient.post(`/concerns/${c.concernId}/consent/approval`, { reasons: 'Suspected FGM', tellParentUnsafe: 'yes', unsafeReason: 'Risk the child is taken abroad' });
    assert.equal(res.statusCode, 303);
    res = await managerClient.get(String(res.headers.location));
    assert.match(res.body, /Approval recorded/);
    assert.match(res.body, /Risk the child is taken abroad/);
  });
});
