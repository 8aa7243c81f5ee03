// The information-sharing log: decisions to share or not, countersignature, the one-week clock, the organisation log.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addCalendarDays } from '../../src/platform/calendar/iso-date.ts';
import { londonDateOf } from '../../src/platform/calendar/working-days.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createOrganisation, createUser, type TestUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';
import { createCase } from '../support/sharing.ts';

let t: TestApp;
let organisationId: string;
let dsl: TestUser;
let deputy: TestUser;
let manager: TestUser;
const clients: Record<string, Client> = {};
const today = londonDateOf(new Date());

before(async () => {
  t = await createTestApp();
  organisationId = (await createOrganisation(t.db)).organisationId;
  dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
  deputy = await createUser(t.db, 'deputy_dsl', { organisationId, enrolTotp: true });
  manager = await createUser(t.db, 'line_manager', { organisationId, enrolTotp: true });
  for (const [k, u] of Object.entries({ dsl, deputy, manager, auditor: await createUser(t.db, 'auditor', { organisationId, enrolTotp: true }) })) {
    clients[k] = new Client(t.app);
    await clients[k].signIn(u);
  }
});
after(async () => { await t.close(); });

const share = (overrides: Record<string, unknown> = {}) => ({
  share: true, what: 'The concern record and the school’s attendance log', recipient: 'Medway First Response', purpose: 'A child protection referral',
  article6: '6(1)(e)', article9: ['9(2)(g)'], decidedOn: today, ...overrides,
});

describe('recording decisions', () => {
  test('in a restricted (LADO) case the workforce admin can be the second person who countersigns; in no other case', async () => {
    const workforce = await createUser(t.db, 'workforce_admin', { organisationId, enrolTotp: true });
    const wf = new Client(t.app);
    await wf.signIn(workforce);
    const lado = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'lado', restricted: true });
    const recorded = await clients.dsl!.json('POST', `/api/v1/concerns/${lado.concernId}/sharing`, share({ recipient: 'The LADO' }));
    assert.equal(recorded.statusCode, 201, recorded.body);
    assert.equal(recorded.json().withoutConsent, true);
    assert.equal((await clients.manager!.json('POST', `/api/v1/sharing/${recorded.json().id}/countersign`, {})).statusCode, 404, 'a line manager may not see it');
    const signed = await wf.json('POST', `/api/v1/sharing/${recorded.json().id}/countersign`, {});
    assert.equal(signed.statusCode, 200, signed.body);

    const ordinary = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection' });
    const entry = await clients.dsl!.json('POST', `/api/v1/concerns/${ordinary.concernId}/sharing`, share());
    const refused = await wf.json('POST', `/api/v1/sharing/${entry.json().id}/countersign`, {});
    assert.ok([403, 404].includes(refused.statusCode), `${refused.statusCode}`);
  });

  test('sharing without consent awaits a countersignature; the person who decided cannot countersign; a manager can, once', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection' });
    let res = await clients.deputy!.json('POST', `/api/v1/concerns/${c.concernId}/sharing`, share());
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.equal(created.withoutConsent, true);
    assert.equal(created.shareBy, addCalendarDays(today, 7));
    const id = created.id;

    res = await clients.dsl!.json('GET', `/api/v1/concerns/${c.concernId}/sharing`);
    const entry = res.json().entries[0];
    assert.equal(entry.awaitingCountersignature, true);
    assert.ok(entry.states.includes('Awaiting countersignature'));
    assert.equal(entry.lawfulBasis, 'UK GDPR Article 6(1)(e); UK GDPR Article 9(2)(g); DPA 2018 Schedule 1 Part 2 paragraph 18');

    // The deputy has no countersigning permission at all.
    assert.equal((await clients.deputy!.json('POST', `/api/v1/sharing/${id}/countersign`, {})).statusCode, 403);
    // A DSL who recorded it cannot countersign their own decision.
    const own = await clients.dsl!.json('POST', `/api/v1/concerns/${c.concernId}/sharing`, share({ recipient: 'Kent Police' }));
    res = await clients.dsl!.json('POST', `/api/v1/sharing/${own.json().id}/countersign`, {});
    assert.equal(res.statusCode, 403);
    assert.match(res.json().message, /second person/);

    res = await clients.manager!.json('POST', `/api/v1/sharing/${id}/countersign`, { note: 'Agreed: risk of significant harm' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await clients.manager!.json('POST', `/api/v1/sharing/${id}/countersign`, {})).statusCode, 409);
    res = await clients.dsl!.json('GET', `/api/v1/concerns/${c.concernId}/sharing`);
    const signed = res.json().entries.find((e: { id: string }) => e.id === id);
    assert.equal(signed.awaitingCountersignature, false);

    const audit = (await t.db.query<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'sharing.%' AND (record_id = $1 OR record_id = $2)", [c.concernId, id])).rows.map((r) => r.action);
    assert.ok(audit.includes('sharing.record'));
    assert.ok(audit.includes('sharing.countersign'));
    assert.ok(audit.includes('sharing.view'));
    const ev = (await t.db.query<{ summary: string; type: string }>("SELECT summary, type FROM events WHERE child_id = $1 AND source_type = 'sharing' ORDER BY id", [c.childId])).rows;
    assert.equal(ev.length, 3);
    assert.ok(ev.every((e) => e.type === 'record'));
    assert.match(ev[0]!.summary, /Decided to share information with Medway First Response without consent/);
    assert.match(ev[2]!.summary, /countersigned/);
  });

  test('the one-week clock starts with the decision and stops when the information is shared', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection' });
    const id = (await clients.dsl!.json('POST', `/api/v1/concerns/${c.concernId}/sharing`, share())).json().id;
    let clock = (await t.db.query<{ definition_id: string; stopped_at: Date | null }>("SELECT definition_id, stopped_at FROM clocks WHERE subject_type = 'sharing-decision' AND subject_id = $1", [id])).rows;
    assert.equal(clock.length, 1);
    assert.equal(clock[0]!.definition_id, 'information-sharing');
    assert.equal(clock[0]!.stopped_at, null);
    let res = await clients.dsl!.json('POST', `/api/v1/sharing/${id}/shared`, { sharedOn: today });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'how');
    res = await clients.dsl!.json('POST', `/api/v1/sharing/${id}/shared`, { sharedOn: today, how: 'Secure email to the duty team' });
    assert.equal(res.statusCode, 200, res.body);
    clock = (await t.db.query<{ definition_id: string; stopped_at: Date | null }>("SELECT definition_id, stopped_at FROM clocks WHERE subject_type = 'sharing-decision' AND subject_id = $1", [id])).rows;
    assert.ok(clock[0]!.stopped_at);
  });

  test('with consent given there is nothing to countersign; a decision not to share keeps its reasons', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'early_help', dateOfBirth: '2018-01-01' });
    for (const a of c.adults.filter((x) => x.parentalResponsibility)) {
      await clients.dsl!.json('POST', `/api/v1/concerns/${c.concernId}/consent`, { subject: `person:${a.personId}`, status: 'given', date: today, method: 'in_writing' });
    }
    let res = await clients.dsl!.json('POST', `/api/v1/concerns/${c.concernId}/sharing`, share({ recipient: 'Family hub', article6: '6(1)(a)', article9: [] }));
    assert.equal(res.json().withoutConsent, false);
    assert.equal((await clients.manager!.json('POST', `/api/v1/sharing/${res.json().id}/countersign`, {})).statusCode, 409);

    res = await clients.dsl!.json('POST', `/api/v1/concerns/${c.concernId}/sharing`, { share: false, what: 'Health notes', recipient: 'Youth club', purpose: 'They asked', decidedOn: today });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().field, 'reasons');
    res = await clients.dsl!.json('POST', `/api/v1/concerns/${c.concernId}/sharing`, { share: false, what: 'Health notes', recipient: 'Youth club', purpose: 'They asked', reasons: 'Not necessary or proportionate', decidedOn: today });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().shareBy, null);
    const row = (await t.db.query<{ reasons: string; share: boolean }>('SELECT reasons, share FROM sharing_decisions WHERE id = $1', [res.json().id])).rows[0]!;
    assert.deepEqual(row, { reasons: 'Not necessary or proportionate', share: false });
  });

  test('400 names the field; anonymous 401; another organisation 404; line manager cannot record (403)', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'police' });
    const url = `/api/v1/concerns/${c.concernId}/sharing`;
    assert.equal((await clients.dsl!.json('POST', url, share({ article6: undefined }))).json().field, 'article6');
    assert.equal((await clients.dsl!.json('POST', url, share({ article9: ['9(2)(z)'] }))).json().field, 'article9.0');
    assert.equal((await clients.dsl!.json('POST', url, share({ decidedOn: addCalendarDays(today, 2) }))).json().field, 'decidedOn');
    assert.equal((await clients.dsl!.json('POST', url, share({ recipient: '  ' }))).json().field, 'recipient');
    assert.equal((await new Client(t.app).json('POST', url, share())).statusCode, 401);
    const other = new Client(t.app);
    await other.signIn(await createUser(t.db, 'dsl', { enrolTotp: true }));
    assert.equal((await other.json('GET', url)).statusCode, 404);
    assert.equal((await clients.manager!.json('POST', url, share())).statusCode, 403);
    await assert.rejects(t.db.query('DELETE FROM sharing_decisions'), /append-only/);
  });

  test('a date before 1900 is a 400 naming the field, for the decision and for when it was shared', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection' });
    const url = `/api/v1/concerns/${c.concernId}/sharing`;
    for (const date of ['1026-05-05', '0099-01-01']) {
      const res = await clients.dsl!.json('POST', url, share({ decidedOn: date }));
      assert.equal(res.statusCode, 400, `${date}: ${res.body}`);
      assert.equal(res.json().field, 'decidedOn');
      assert.match(res.json().message, /must be in 1900 or later/);
    }
    assert.equal((await t.db.query('SELECT 1 FROM sharing_decisions WHERE concern_id = $1', [c.concernId])).rows.length, 0);
    const id = (await clients.dsl!.json('POST', url, share())).json().id;
    for (const date of ['1026-05-05', '0099-01-01']) {
      const res = await clients.dsl!.json('POST', `/api/v1/sharing/${id}/shared`, { sharedOn: date, how: 'Secure email' });
      assert.equal(res.statusCode, 400, `${date}: ${res.body}`);
      assert.equal(res.json().field, 'sharedOn');
      assert.match(res.json().message, /must be in 1900 or later/);
    }
  });
});

describe('pages and the organisation-wide log', () => {
  test('recording by form keeps what was typed; countersigning by form; the log filters', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection' });
    let res = await clients.deputy!.get(`/concerns/${c.concernId}/sharing`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /seven golden rules/);
    const [y, m, d] = today.split('-');
    res = await clients.deputy!.post(`/concerns/${c.concernId}/sharing`, { share: 'yes', what: 'Body map', recipient: '', purpose: 'Referral', 'decidedOn-day': d!, 'decidedOn-month': m!, 'decidedOn-year': y! });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#recipient"/);
    assert.match(res.body, /href="#article6"/);
    assert.match(res.body, /Body map/);
    res = await clients.deputy!.post(`/concerns/${c.concernId}/sharing`, { share: 'yes', what: 'Body map', recipient: 'Medway First Response', purpose: 'Referral', article6: '6(1)(e)', article9: ['9(2)(g)', '9(2)(h)'], 'decidedOn-day': d!, 'decidedOn-month': m!, 'decidedOn-year': y! });
    assert.equal(res.statusCode, 303);
    res = await clients.deputy!.get(String(res.headers.location));
    assert.match(res.body, /Awaiting countersignature/);
    const id = /href="\/sharing\/([0-9a-f-]{36})"/.exec(res.body)![1]!;

    res = await clients.manager!.get(`/concerns/${c.concernId}/consent/approval`);
    assert.match(res.body, new RegExp(`/sharing/${id}/countersign`));
    res = await clients.manager!.get(`/sharing/${id}/countersign`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Countersign this decision/);

    res = await clients.dsl!.get('/sharing?awaiting=1');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(id));
    res = await clients.manager!.post(`/sharing/${id}/countersign`, { note: '' });
    assert.equal(res.statusCode, 303);
    res = await clients.dsl!.get('/sharing?awaiting=1');
    assert.doesNotMatch(res.body, new RegExp(id));
    res = await clients.auditor!.get(`/sharing?from=${today}&to=${today}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Jordan Reed/);
    res = await clients.auditor!.get('/sharing?from=2026-13-01');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Enter the from date as a real date/);
    assert.equal((await clients.manager!.get('/sharing')).statusCode, 403);
    const audit = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'sharing.log.view'")).rows[0]!.n;
    assert.ok(audit >= 3);
  });

  test('text over the limit is refused with the whole text shown back, not cut and saved', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection' });
    const long = `${'y'.repeat(6000)}END-OF-WHAT`;
    const [y, m, d] = today.split('-');
    const res = await clients.dsl!.post(`/concerns/${c.concernId}/sharing`, {
      share: 'no', what: long, recipient: 'Kent Police', purpose: 'They asked', reasons: 'Not proportionate', 'decidedOn-day': d!, 'decidedOn-month': m!, 'decidedOn-year': y!,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is a problem/);
    assert.match(res.body, /href="#what"/);
    assert.match(res.body, /Must be 5000 characters or fewer/);
    assert.ok(res.body.includes(long), 'the whole text is shown back');
    assert.equal((await t.db.query('SELECT 1 FROM sharing_decisions WHERE concern_id = $1', [c.concernId])).rows.length, 0);
  });

  test('overdue to share: a back-dated decision not yet shared', async () => {
    const c = await createCase(t.db, { organisationId, raisedBy: dsl.id, outcome: 'front_door_child_protection' });
    const id = (await clients.dsl!.json('POST', `/api/v1/concerns/${c.concernId}/sharing`, share({ decidedOn: addCalendarDays(today, -10) }))).json().id;
    const res = await clients.dsl!.json('GET', '/api/v1/sharing?overdue=1');
    assert.equal(res.statusCode, 200);
    const e = res.json().entries.find((x: { id: string }) => x.id === id);
    assert.ok(e.states.includes('Overdue to share'));
    assert.equal((await clients.dsl!.json('GET', '/api/v1/sharing?from=nope')).json().field, 'from');
  });

  test('the OpenAPI document lists the sharing endpoints', async () => {
    const doc = (await new Client(t.app).get('/api/v1/openapi.json')).json();
    for (const path of ['/api/v1/concerns/{id}/consent', '/api/v1/concerns/{id}/consent/approval', '/api/v1/concerns/{id}/sharing', '/api/v1/sharing/{id}/countersign']) {
      assert.ok(doc.paths[path], path);
    }
  });
});
