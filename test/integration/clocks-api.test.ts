// The clocks dashboard, the public definitions page and the /api/v1/clocks endpoints: who may use them,
// 400s naming the field, overdue shown on the right day, and an audit entry for every read and write.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clockTimes, dueInWords, londonInstant } from '../../src/clocks/clock.ts';
import { shippedCatalogue } from '../../src/clocks/definitions.ts';
import { addCalendarDays, addWorkingDays, londonDateOf } from '../../src/platform/calendar/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

async function signedIn(role: 'dsl' | 'deputy_dsl' | 'front_door_worker' | 'practitioner', organisationId?: string) {
  const org = organisationId ?? (await createOrganisation(t.db)).organisationId;
  const user = await createUser(t.db, role, { organisationId: org, enrolTotp: role !== 'practitioner' });
  const client = new Client(t.app);
  await client.signIn(user);
  return { client, user, organisationId: org };
}

const uniq = () => Math.random().toString(36).slice(2, 10);

describe('POST /api/v1/clocks/events', () => {
  test('a DSL records a referral sent and acknowledged: clocks start, then stop as met; every call audited', async () => {
    const { client, user, organisationId } = await signedIn('dsl');
    const child = await createChild(t.db, { organisationId });
    const subjectId = `R-${uniq()}`;
    const sent = await client.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId, childId: child.id });
    assert.equal(sent.statusCode, 200, sent.body);
    const body = sent.json();
    assert.equal(body.set, 'medway');
    assert.deepEqual(body.started.map((c: { definitionId: string }) => c.definitionId).sort(), ['outcome-to-referrer', 'referral-acknowledgement', 'referral-chase']);
    assert.match(body.started[0].due, /^due by \d{1,2}(:\d\d)?(am|pm) \w+day \d{1,2} \w+ \d{4}$/);

    const ack = await client.json('POST', '/api/v1/clocks/events', { event: 'referral.acknowledged', subjectType: 'referral', subjectId });
    assert.equal(ack.statusCode, 200);
    assert.deepEqual(ack.json().stopped.map((s: { status: string }) => s.status), ['met', 'met']);

    const list = await client.json('GET', '/api/v1/clocks');
    assert.equal(list.statusCode, 200);
    const clocks = list.json().clocks as { definitionId: string; status: string; subjectId: string; childId: string }[];
    assert.deepEqual(clocks.filter((c) => c.subjectId === subjectId).map((c) => [c.definitionId, c.status]).sort(), [
      ['outcome-to-referrer', 'running'], ['referral-acknowledgement', 'met'], ['referral-chase', 'met'],
    ]);
    const running = await client.json('GET', '/api/v1/clocks?state=running');
    assert.deepEqual(running.json().clocks.map((c: { status: string }) => c.status), ['running']);

    const audit = await t.db.query(`SELECT action, details FROM audit_log WHERE user_id = $1 AND action LIKE 'clock.%' ORDER BY id`, [user.id]);
    const actions = audit.rows.map((a) => a.action);
    assert.equal(actions.filter((a) => a === 'clock.event').length, 2);
    assert.equal(actions.filter((a) => a === 'clock.start').length, 3);
    assert.equal(actions.filter((a) => a === 'clock.stop').length, 2);
    assert.equal(actions.filter((a) => a === 'clock.api-list').length, 2);
    assert.ok(audit.rows.every((a) => !/Jayden|Smith/.test(JSON.stringify(a.details))));
  });

  test("an organisation's events start, stop and block only its own clocks, even on a subject another organisation names", async () => {
    const a = await signedIn('dsl');
    const b = await signedIn('dsl');
    const child = await createChild(t.db, { organisationId: a.organisationId });
    const subjectId = `R-${uniq()}`;
    const sentA = await a.client.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId, childId: child.id });
    assert.equal(sentA.json().started.length, 3);
    const sentB = await b.client.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId });
    assert.equal(sentB.json().started.length, 3, 'not refused as already running');
    assert.deepEqual(sentB.json().notStarted, []);
    const ackB = await b.client.json('POST', '/api/v1/clocks/events', { event: 'referral.acknowledged', subjectType: 'referral', subjectId });
    assert.equal(ackB.json().stopped.length, 2);
    const mine = (await a.client.json('GET', '/api/v1/clocks?state=running')).json().clocks.filter((c: { subjectId: string }) => c.subjectId === subjectId);
    assert.equal(mine.length, 3, "the first organisation's clocks still run");
    const written = await t.db.query(`SELECT count(*)::int AS n FROM events WHERE child_id = $1 AND recorded_by = $2`, [child.id, b.user.id]);
    assert.equal(written.rows[0].n, 0, "nothing written on the first organisation's child");
  });

  test('a stop dated before its clock started is refused, naming occurredAt', async () => {
    const { client } = await signedIn('dsl');
    const subjectId = `C-${uniq()}`;
    await client.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId });
    const early = await client.json('POST', '/api/v1/clocks/events', { event: 'referral.acknowledged', subjectType: 'referral', subjectId, occurredAt: '2016-01-01T00:00:00Z' });
    assert.equal(early.statusCode, 400, early.body);
    assert.equal(early.json().field, 'occurredAt');
    const still = (await client.json('GET', '/api/v1/clocks?state=running')).json().clocks.filter((c: { subjectId: string }) => c.subjectId === subjectId);
    assert.equal(still.length, 3, 'nothing stopped');
  });

  test('clocks about an allegation are seen only by the DSL (and the workforce admin), and their chronology entries are restricted', async () => {
    const dsl = await signedIn('dsl');
    const deputy = await signedIn('deputy_dsl', dsl.organisationId);
    const child = await createChild(t.db, { organisationId: dsl.organisationId });
    const subjectId = `A-${uniq()}`;
    const started = await dsl.client.json('POST', '/api/v1/clocks/events', { event: 'staff.started', subjectType: 'allegation', subjectId, childId: child.id });
    assert.equal(started.statusCode, 200, started.body);
    assert.ok(started.json().started.length >= 1);
    const about = (c: { subjectId: string }) => c.subjectId === subjectId;
    assert.ok((await dsl.client.json('GET', '/api/v1/clocks')).json().clocks.some(about));
    assert.ok(!(await deputy.client.json('GET', '/api/v1/clocks')).json().clocks.some(about));
    assert.match((await dsl.client.get('/clocks')).body, new RegExp(`href="/children/${child.id}"`));
    assert.doesNotMatch((await deputy.client.get('/clocks')).body, new RegExp(`href="/children/${child.id}"`));
    const entries = await t.db.query(`SELECT restricted FROM events WHERE child_id = $1 AND source_type = 'clock'`, [child.id]);
    assert.ok(entries.rowCount! >= 1 && entries.rows.every((e) => e.restricted));
  });

  test('the dashboard counts every clock, not only those listed, and the API says when there are more', async () => {
    const { client } = await signedIn('dsl');
    for (let i = 0; i < 55; i++) {
      const subjectId = `C-${uniq()}`;
      await client.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId });
      const ack = await client.json('POST', '/api/v1/clocks/events', { event: 'referral.acknowledged', subjectType: 'referral', subjectId });
      assert.equal(ack.statusCode, 200, ack.body);
    }
    const stopped = await client.json('GET', '/api/v1/clocks?state=stopped');
    assert.equal(stopped.json().clocks.length, 50);
    assert.deepEqual(stopped.json().hasMore, { running: false, stopped: true });
    const page = await client.get('/clocks');
    assert.match(page.body, /110 met, 0 missed\. The 50 most recent are listed\./);
    assert.match(page.body, /Running<\/strong> 55</);
  });

  test('bad input gets a 400 naming the field', async () => {
    const { client } = await signedIn('front_door_worker');
    const cases: [Record<string, unknown>, string][] = [
      [{ subjectType: 'referral', subjectId: 'x' }, 'event'],
      [{ event: 'Referral Sent', subjectType: 'referral', subjectId: 'x' }, 'event'],
      [{ event: 'referral.snet', subjectType: 'referral', subjectId: 'x' }, 'event'],
      [{ event: 'referral.sent', subjectType: 'Referral!', subjectId: 'x' }, 'subjectType'],
      [{ event: 'referral.sent', subjectType: 'referral', subjectId: '' }, 'subjectId'],
      [{ event: 'referral.sent', subjectType: 'referral', subjectId: 'x', childId: 'not-a-uuid' }, 'childId'],
      [{ event: 'referral.sent', subjectType: 'referral', subjectId: 'x', occurredAt: '2026-02-30T10:00:00Z' }, 'occurredAt'],
      [{ event: 'referral.sent', subjectType: 'referral', subjectId: 'x', occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, 'occurredAt'],
      [{ event: 'referral.sent', subjectType: 'referral', subjectId: 'x', occurredAt: '2001-01-01T10:00:00Z' }, 'occurredAt'],
    ];
    for (const [payload, field] of cases) {
      const res = await client.json('POST', '/api/v1/clocks/events', payload);
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} → ${res.body}`);
      assert.equal(res.json().field, field, JSON.stringify(payload));
      assert.ok(res.json().message.startsWith(`${field}:`), res.json().message);
      assert.doesNotMatch(res.body, /stack|SELECT|at Object/);
    }
    const q = await client.json('GET', '/api/v1/clocks?state=sometimes');
    assert.equal(q.statusCode, 400);
    assert.equal(q.json().field, 'state');
  });

  test('401 without a session, 403 for roles without clocks:view, for another organisation\'s child, and without the CSRF token', async () => {
    const anon = new Client(t.app);
    assert.equal((await anon.json('GET', '/api/v1/clocks')).statusCode, 401);
    assert.equal((await anon.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId: 'x' })).statusCode, 401);
    const page = await anon.get('/clocks');
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/sign-in/);

    const { client: practitioner } = await signedIn('practitioner');
    assert.equal((await practitioner.json('GET', '/api/v1/clocks')).statusCode, 403);
    assert.equal((await practitioner.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId: 'x' })).statusCode, 403);
    assert.equal((await practitioner.get('/clocks')).statusCode, 403);

    const { client: dsl, user } = await signedIn('dsl');
    const elsewhere = await createOrganisation(t.db);
    const otherChild = await createChild(t.db, { organisationId: elsewhere.organisationId });
    const res = await dsl.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId: `R-${uniq()}`, childId: otherChild.id });
    assert.equal(res.statusCode, 403);
    const ghost = await dsl.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId: `R-${uniq()}`, childId: '00000000-0000-4000-8000-000000000000' });
    assert.equal(ghost.statusCode, 403, 'an unknown child looks the same as someone else\'s');
    const noCsrf = await dsl.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId: 'x' }, { 'x-csrf-token': '' });
    assert.equal(noCsrf.statusCode, 403);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM clocks WHERE started_by = $1`, [user.id]);
    assert.equal(rows[0].n, 0, 'nothing was started by refused calls');
  });
});

describe('GET /api/v1/clocks/definitions and /clocks/definitions (public)', () => {
  test('the default and Medway sets, with citations; an unknown set is a 400 naming it', async () => {
    const anon = new Client(t.app);
    const d = await anon.json('GET', '/api/v1/clocks/definitions');
    assert.equal(d.statusCode, 200);
    assert.equal(d.json().set, 'default');
    assert.equal(d.json().endOfWorkingDay, '17:00');
    assert.ok(d.json().clocks.every((c: { citations: unknown[] }) => c.citations.length > 0));
    assert.deepEqual(d.json().sets.map((s: { id: string }) => s.id), ['default', 'medway']);
    const m = await anon.json('GET', '/api/v1/clocks/definitions?set=medway');
    assert.equal(m.json().clocks.find((c: { id: string }) => c.id === 'front-door-decision').unit, 'hours');
    const bad = await anon.json('GET', '/api/v1/clocks/definitions?set=narnia');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'set');

    const page = await anon.get('/clocks/definitions?set=medway');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /First Response decision on a contact/);
    assert.match(page.body, /24 hours/);
    assert.match(page.body, /We aim to make a decision on every contact within 24 hours\./);
    assert.match(page.body, /due by 5pm \(England time\)/);
    assert.equal((await anon.get('/clocks/definitions?set=narnia')).statusCode, 404);
  });
});

describe('GET /clocks', () => {
  test('shows the organisation\'s clocks, overdue on the right day, with the child named only within the organisation that knows the child', async () => {
    const { client, user, organisationId } = await signedIn('dsl');
    const child = await createChild(t.db, { organisationId, firstName: 'Ada', lastName: 'Okafor' });
    const subjectId = `R-${uniq()}`;
    const sent = await client.json('POST', '/api/v1/clocks/events', { event: 'referral.sent', subjectType: 'referral', subjectId, childId: child.id });
    assert.equal(sent.statusCode, 200);
    // Move the acknowledgement clock back, with SQL, to the latest day whose 1-working-day deadline has passed.
    const def = shippedCatalogue().get('medway')!.clocks.find((c) => c.id === 'referral-acknowledgement')!;
    const today = londonDateOf(new Date());
    let startDay = addCalendarDays(today, -1);
    while (addWorkingDays(startDay, 1) >= today) startDay = addCalendarDays(startDay, -1);
    const startedAt = londonInstant(startDay, '10:00');
    const times = clockTimes(def, startedAt, '17:00');
    await t.db.query(
      `UPDATE clocks SET started_at = $2, due_date = $3, due_at = $4, due_soon_at = $5 WHERE subject_id = $1 AND definition_id = 'referral-acknowledgement'`,
      [subjectId, startedAt, times.dueDate, times.dueAt, times.dueSoonAt],
    );
    assert.ok(times.dueAt < new Date(), 'due before now');

    const page = await client.get('/clocks');
    assert.equal(page.statusCode, 200);
    const row = new RegExp(`<tr[^>]*data-status="overdue"[^>]*>[\\s\\S]*?Acknowledge a referral[\\s\\S]*?Ada Okafor[\\s\\S]*?due by ${dueInWords(times.dueAt)}[\\s\\S]*?Overdue[\\s\\S]*?</tr>`);
    assert.match(page.body, row);
    assert.match(page.body, /Outcome of a contact to the referrer \(Medway MASH\)/);
    assert.match(page.body, /Referral acknowledged by the front door/, 'what stops each clock');
    const audit = await t.db.query(`SELECT details FROM audit_log WHERE user_id = $1 AND action = 'clock.list' ORDER BY id DESC LIMIT 1`, [user.id]);
    assert.ok(audit.rows[0].details.childrenNamed >= 1);

    // A front door worker in the same organisation sees the clocks and, as front-door roles now see the children
    // their organisation knows (children:view), the child's name too.
    const fd = await createUser(t.db, 'front_door_worker', { organisationId, enrolTotp: true });
    const fdClient = new Client(t.app);
    await fdClient.signIn(fd);
    const fdPage = await fdClient.get('/clocks');
    assert.equal(fdPage.statusCode, 200);
    assert.match(fdPage.body, /Acknowledge a referral/);
    assert.match(fdPage.body, /Ada Okafor/);

    // Another organisation's DSL sees none of it.
    const { client: other } = await signedIn('dsl');
    const otherPage = await other.get('/clocks');
    assert.doesNotMatch(otherPage.body, /Ada Okafor|Acknowledge a referral<\/a>/);
    assert.match(otherPage.body, /No clocks are running/);

    // Stopped late, it moves to "met or missed" as missed.
    const ack = await client.json('POST', '/api/v1/clocks/events', { event: 'referral.acknowledged', subjectType: 'referral', subjectId });
    assert.deepEqual(ack.json().stopped.map((s: { definitionId: string; status: string }) => [s.definitionId, s.status]).sort(), [['referral-acknowledgement', 'missed'], ['referral-chase', 'met']]);
    const after = await client.get('/clocks');
    assert.match(after.body, /id="recent-clocks"[\s\S]*data-status="missed"[\s\S]*Acknowledge a referral[\s\S]*Missed/);
  });
});
