// Decisions with their rationale and follow-up tasks; LADO as a restricted record; completing a task.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addWorkingDays, londonDateOf } from '../../src/platform/calendar/working-days.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createConcern } from '../support/concerns.ts';
import { createOrganisation, createUser, type TestUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

async function school() {
  const { organisationId } = await createOrganisation(t.db);
  const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
  const deputy = await createUser(t.db, 'deputy_dsl', { organisationId, enrolTotp: true });
  const practitioner = await createUser(t.db, 'practitioner', { organisationId });
  const workforce = await createUser(t.db, 'workforce_admin', { organisationId, enrolTotp: true });
  const child = await createChild(t.db, { organisationId, firstName: 'Holly', lastName: 'Irwin' });
  const concern = await createConcern(t.db, { childId: child.id, organisationId, raisedBy: practitioner.id });
  return { organisationId, dsl, deputy, practitioner, workforce, child, concern };
}

async function signedIn(user: TestUser) {
  const c = new Client(t.app);
  await c.signIn(user);
  return c;
}

const dateParts = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return { day: String(Number(d)), month: String(Number(m)), year: y! };
};

describe('decisions', () => {
  test('a front-door referral suggests "Contact the front door" due in 1 working day, creates the tasks and closes the concern', async () => {
    const s = await school();
    const c = await signedIn(s.dsl);
    const form = await c.get(`/triage/${s.concern.id}/decide`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Contact the front door: child protection \(section 47\)/);
    assert.match(form.body, /LADO/);

    const missing = await c.post(`/triage/${s.concern.id}/decide`, { outcome: 'front_door_child_protection', rationale: '' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /href="#rationale">Enter the reasons for your decision/);
    assert.match(missing.body, /value="front_door_child_protection" checked/);

    const step2 = await c.post(`/triage/${s.concern.id}/decide`, { outcome: 'front_door_child_protection', rationale: 'Disclosure of harm at home; Level 3.' });
    assert.equal(step2.statusCode, 200);
    assert.match(step2.body, /value="Contact the front door \(First Response\)"/);
    const due = dateParts(addWorkingDays(londonDateOf(new Date()), 1));
    assert.match(step2.body, new RegExp(`name="task-0-due-day" type="text" value="${due.day}"|name="task-0-due-day"[^>]*value="${due.day}"`));

    const badTask = await c.post(`/triage/${s.concern.id}/decide/confirm`, {
      outcome: 'front_door_child_protection', rationale: 'Disclosure of harm at home; Level 3.', reasonsNotReferring: '',
      'task-0-title': 'Contact the front door (First Response)', 'task-0-owner': s.dsl.id, 'task-0-due-day': '31', 'task-0-due-month': '2', 'task-0-due-year': '2030',
    });
    assert.equal(badTask.statusCode, 400);
    assert.match(badTask.body, /href="#task-0-due-day">Enter a real due date for task 1/);
    assert.match(badTask.body, /value="Contact the front door \(First Response\)"/);

    const done = await c.post(`/triage/${s.concern.id}/decide/confirm`, {
      outcome: 'front_door_child_protection', rationale: 'Disclosure of harm at home; Level 3.', reasonsNotReferring: '',
      'task-0-title': 'Contact the front door (First Response)', 'task-0-owner': s.dsl.id, ...prefix('task-0-due', due),
      'task-1-title': 'Tell the class teacher to watch for changes', 'task-1-owner': s.practitioner.id, ...prefix('task-1-due', dateParts(addWorkingDays(londonDateOf(new Date()), 5))),
    });
    assert.equal(done.statusCode, 303);
    const decisionId = /\/decisions\/([0-9a-f-]{36})\?created=1/.exec(String(done.headers.location))![1]!;
    const page = await c.get(`/decisions/${decisionId}?created=1`);
    assert.match(page.body, /Decision recorded/);
    assert.match(page.body, /Tell the class teacher/);

    const concern = await t.db.query('SELECT status, restricted FROM concerns WHERE id = $1', [s.concern.id]);
    assert.deepEqual(concern.rows[0], { status: 'decided', restricted: false });
    const tasks = await t.db.query('SELECT title, owner_id, due_date FROM tasks WHERE decision_id = $1 ORDER BY due_date', [decisionId]);
    assert.equal(tasks.rowCount, 2);
    assert.equal(tasks.rows[0].due_date, addWorkingDays(londonDateOf(new Date()), 1));
    const ev = await t.db.query("SELECT summary, detail FROM events WHERE type = 'decision' AND source_id = $1", [decisionId]);
    assert.match(ev.rows[0].summary, /child protection/);
    assert.equal(ev.rows[0].detail.rationale, 'Disclosure of harm at home; Level 3.');
    const audit = await t.db.query("SELECT details FROM audit_log WHERE action = 'decision.create' AND record_id = $1", [s.concern.id]);
    assert.deepEqual(audit.rows[0].details, { decisionId, outcome: 'front_door_child_protection', tasks: 2, restricted: false });

    // Deciding twice is not possible; it is no longer in the queue.
    const again = await c.get(`/triage/${s.concern.id}/decide`);
    assert.equal(again.statusCode, 409);
    assert.doesNotMatch((await c.get('/triage')).body, new RegExp(s.concern.id));

    // The practitioner owns a task: it is on their tasks page; completing it puts the outcome on the chronology.
    const p = await signedIn(s.practitioner);
    const mine = await p.get('/tasks');
    assert.match(mine.body, /Tell the class teacher/);
    assert.match(mine.body, /Due soon|Open/);
    const taskId = (await t.db.query("SELECT id FROM tasks WHERE owner_id = $1", [s.practitioner.id])).rows[0].id;
    const empty = await p.post(`/tasks/${taskId}/complete`, { outcome: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Enter what was done/);
    const completed = await p.post(`/tasks/${taskId}/complete`, { outcome: 'Class teacher briefed on 1 March.' });
    assert.equal(completed.statusCode, 303);
    const taskEvent = await t.db.query("SELECT summary, detail FROM events WHERE type = 'task' AND source_id = $1", [taskId]);
    assert.equal(taskEvent.rows[0].detail.outcome, 'Class teacher briefed on 1 March.');
    assert.equal((await p.json('POST', `/api/v1/tasks/${taskId}/complete`, { outcome: 'again' })).statusCode, 409);
  });

  test('a decision not to refer keeps its reasons for not referring; "monitor" suggests a review in 4 weeks', async () => {
    const s = await school();
    const c = await signedIn(s.dsl);
    const noReason = await c.post(`/triage/${s.concern.id}/decide`, { outcome: 'monitor', rationale: 'Minor, first concern.' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Enter why you are not referring/);
    assert.match(noReason.body, /Minor, first concern\./);
    const step2 = await c.post(`/triage/${s.concern.id}/decide`, { outcome: 'monitor', rationale: 'Minor, first concern.', reasonsNotReferring: 'Below Level 2; parents engaging.' });
    assert.match(step2.body, /value="Review in 4 weeks"/);

    const api = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, { outcome: 'no_further_action', rationale: 'Explained.' });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().field, 'reasonsNotReferring');
    const badOutcome = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, { outcome: 'shrug', rationale: 'x' });
    assert.equal(badOutcome.json().field, 'outcome');
    const ok = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, {
      outcome: 'monitor', rationale: 'Minor, first concern.', reasonsNotReferring: 'Below Level 2; parents engaging.',
      tasks: [{ title: 'Review in 4 weeks', ownerId: s.dsl.id, dueDate: addWorkingDays(londonDateOf(new Date()), 20) }],
    });
    assert.equal(ok.statusCode, 201);
    const d = await t.db.query('SELECT outcome, reasons_not_referring FROM decisions WHERE id = $1', [ok.json().id]);
    assert.deepEqual(d.rows[0], { outcome: 'monitor', reasons_not_referring: 'Below Level 2; parents engaging.' });
    const tasks = await c.json('GET', '/api/v1/tasks');
    assert.equal(tasks.json().tasks[0].title, 'Review in 4 weeks');
  });

  test('the API refuses an impossible or past due date, naming the task field', async () => {
    const s = await school();
    const c = await signedIn(s.dsl);
    const body = (dueDate: string) => ({ outcome: 'monitor', rationale: 'Minor.', reasonsNotReferring: 'Parents engaging.', tasks: [
      { title: 'Review', ownerId: s.dsl.id, dueDate: addWorkingDays(londonDateOf(new Date()), 5) }, { title: 'Check in', ownerId: s.dsl.id, dueDate },
    ] });
    for (const dueDate of ['2026-02-30', '2030-02-30', '2031-13-01', '2001-01-01']) {
      const r = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, body(dueDate));
      assert.equal(r.statusCode, 400, dueDate);
      assert.equal(r.json().field, 'tasks.1.dueDate', dueDate);
    }
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM decisions WHERE concern_id = $1', [s.concern.id])).rows[0].n, 0);
    // Today (in London) is allowed.
    assert.equal((await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, body(londonDateOf(new Date())))).statusCode, 201);
  });

  test('tasks go only to people who can see and complete them: not auditors or system admins', async () => {
    const s = await school();
    const auditor = await createUser(t.db, 'auditor', { organisationId: s.organisationId, enrolTotp: true });
    const sysadmin = await createUser(t.db, 'system_admin', { organisationId: s.organisationId, enrolTotp: true });
    const c = await signedIn(s.dsl);
    const step2 = await c.post(`/triage/${s.concern.id}/decide`, { outcome: 'front_door_child_protection', rationale: 'Level 3.' });
    assert.equal(step2.statusCode, 200);
    assert.match(step2.body, new RegExp(`value="${s.practitioner.id}"`));
    assert.doesNotMatch(step2.body, new RegExp(`value="${auditor.id}"`));
    assert.doesNotMatch(step2.body, new RegExp(`value="${sysadmin.id}"`));
    for (const owner of [auditor, sysadmin]) {
      const r = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, {
        outcome: 'front_door_child_protection', rationale: 'Level 3.',
        tasks: [{ title: 'Contact the front door', ownerId: owner.id, dueDate: addWorkingDays(londonDateOf(new Date()), 1) }],
      });
      assert.equal(r.statusCode, 400, owner.role);
      assert.equal(r.json().field, 'tasks.0.ownerId');
    }
  });

  test('LADO routes to a restricted record: the DSL and workforce admin see it; the deputy and practitioner do not', async () => {
    const s = await school();
    const c = await signedIn(s.dsl);
    const deputy = await signedIn(s.deputy);
    // A LADO decision's tasks can go only to those who may see the record.
    const step2 = await c.post(`/triage/${s.concern.id}/decide`, { outcome: 'lado', rationale: 'Allegation about a member of staff.' });
    assert.match(step2.body, /restricted record/);
    assert.doesNotMatch(step2.body, new RegExp(`value="${s.deputy.id}"`));
    assert.match(step2.body, new RegExp(`value="${s.workforce.id}"`));
    const wrongOwner = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, {
      outcome: 'lado', rationale: 'Allegation about a member of staff.', tasks: [{ title: 'Refer to the LADO', ownerId: s.deputy.id, dueDate: addWorkingDays(londonDateOf(new Date()), 1) }],
    });
    assert.equal(wrongOwner.statusCode, 400);
    assert.equal(wrongOwner.json().field, 'tasks.0.ownerId');
    // A deputy cannot route to LADO (they could not see the result).
    const byDeputy = await deputy.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, { outcome: 'lado', rationale: 'x' });
    assert.equal(byDeputy.statusCode, 400);
    // Consent recorded during triage, and a task already made from the concern, become restricted with it.
    const understanding = await c.json('POST', `/api/v1/concerns/${s.concern.id}/consent/understanding`, { sufficientUnderstanding: true, reasons: 'Understands what sharing means.' });
    assert.equal(understanding.statusCode, 201, understanding.body);
    const consent = await c.json('POST', `/api/v1/concerns/${s.concern.id}/consent`, { subject: 'child', status: 'given', date: londonDateOf(new Date()), method: 'in_person' });
    assert.equal(consent.statusCode, 201, consent.body);
    await t.db.query(
      `INSERT INTO tasks (child_id, concern_id, organisation_id, title, owner_id, due_date, created_by) VALUES ($1, $2, $3, 'Tell the parent', $4, $5, $4)`,
      [s.child.id, s.concern.id, s.organisationId, s.deputy.id, londonDateOf(new Date())],
    );
    const before = await t.db.query(`SELECT count(*)::int AS n FROM events WHERE child_id = $1 AND source_type = 'consent' AND NOT restricted`, [s.child.id]);
    assert.equal(before.rows[0].n, 1);

    const ok = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, {
      outcome: 'lado', rationale: 'Allegation about a member of staff.',
      tasks: [{ title: 'Agree next steps with the workforce administrator', ownerId: s.workforce.id, dueDate: addWorkingDays(londonDateOf(new Date()), 2) }],
    });
    assert.equal(ok.statusCode, 201);
    assert.equal(ok.json().restricted, true);
    const decisionId = ok.json().id;
    const rows = await t.db.query('SELECT c.restricted AS c, d.restricted AS d FROM concerns c JOIN decisions d ON d.concern_id = c.id WHERE c.id = $1', [s.concern.id]);
    assert.deepEqual(rows.rows[0], { c: true, d: true });
    const ev = await t.db.query('SELECT type, restricted FROM events WHERE child_id = $1 ORDER BY id', [s.child.id]);
    assert.ok(ev.rows.some((e) => e.type === 'record'), 'the consent is on the chronology');
    assert.ok(ev.rows.every((e) => e.restricted), 'every entry about the concern is restricted');
    const openTasks = await t.db.query('SELECT restricted FROM tasks WHERE concern_id = $1', [s.concern.id]);
    assert.ok(openTasks.rows.length === 2 && openTasks.rows.every((r) => r.restricted), 'every task made from the concern is restricted');
    assert.doesNotMatch((await deputy.get('/tasks')).body, /Tell the parent/);

    assert.equal((await c.get(`/decisions/${decisionId}`)).statusCode, 200);
    const wf = await signedIn(s.workforce);
    const wfPage = await wf.get(`/decisions/${decisionId}`);
    assert.equal(wfPage.statusCode, 200);
    assert.match(wfPage.body, /Allegation about a member of staff/);
    assert.match((await wf.get('/tasks')).body, /Agree next steps/);
    assert.equal((await deputy.get(`/decisions/${decisionId}`)).statusCode, 404);
    assert.equal((await deputy.get(`/triage/${s.concern.id}`)).statusCode, 404);
    const practitioner = await signedIn(s.practitioner);
    assert.equal((await practitioner.get(`/decisions/${decisionId}`)).statusCode, 404);
    const deputyChronology = await deputy.json('GET', `/api/v1/children/${s.child.id}/chronology`);
    assert.equal(deputyChronology.json().events.length, 0);
    const dslChronology = await c.json('GET', `/api/v1/children/${s.child.id}/chronology`);
    assert.ok(dslChronology.json().events.some((e: { type: string; restricted: boolean }) => e.type === 'decision' && e.restricted));

    const other = await createOrganisation(t.db);
    const outsider = await signedIn(await createUser(t.db, 'dsl', { organisationId: other.organisationId, enrolTotp: true }));
    assert.equal((await outsider.get(`/decisions/${decisionId}`)).statusCode, 404);
    assert.equal((await outsider.get(`/triage/${s.concern.id}/decide`)).statusCode, 404);
    const taskId = (await t.db.query('SELECT id FROM tasks WHERE decision_id = $1', [decisionId])).rows[0].id;
    assert.equal((await outsider.json('POST', `/api/v1/tasks/${taskId}/complete`, { outcome: 'x' })).statusCode, 404);
    assert.equal((await deputy.json('POST', `/api/v1/tasks/${taskId}/complete`, { outcome: 'x' })).statusCode, 404);
  });

  test('a LADO decision tells the workforce admin (in the app and by an email that names no one) and is listed under Allegations for them and the DSL only', async () => {
    const s = await school();
    const secondDsl = await createUser(t.db, 'dsl', { organisationId: s.organisationId, enrolTotp: true });
    const c = await signedIn(s.dsl);
    const decided = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, {
      outcome: 'lado', rationale: 'Allegation about a member of staff.',
      tasks: [{ title: 'Refer to the LADO', ownerId: s.dsl.id, dueDate: addWorkingDays(londonDateOf(new Date()), 1) }],
    });
    assert.equal(decided.statusCode, 201, decided.body);
    const decisionId = decided.json().id;

    const told = await t.db.query(`SELECT user_id, text, link FROM notifications WHERE kind = 'allegation.new' AND link = $1 ORDER BY user_id`, [`/decisions/${decisionId}`]);
    assert.deepEqual(told.rows.map((r) => r.user_id).sort(), [s.workforce.id, secondDsl.id].sort(), 'the workforce admin and the other DSL; not the decider, deputy or practitioner');
    assert.match(told.rows[0].text, /routed to the LADO/);
    const emails = await t.db.query('SELECT to_address, subject, body FROM email_outbox WHERE to_address = $1', [s.workforce.email]);
    assert.equal(emails.rowCount, 1);
    assert.match(emails.rows[0].body, new RegExp(`/decisions/${decisionId}`));
    assert.doesNotMatch(`${emails.rows[0].subject}\n${emails.rows[0].body}`, /Holly|Irwin|member of staff/);

    const wf = await signedIn(s.workforce);
    assert.match((await wf.get('/notifications')).body, /routed to the LADO/);
    const page = await wf.get('/allegations');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`href="/decisions/${decisionId}"`));
    assert.match(page.body, /Holly Irwin/);
    assert.match(page.body, /1 open task, next due/);
    assert.match(page.body, /href="\/allegations"/, 'in the navigation');
    const api = await wf.json('GET', '/api/v1/allegations');
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().allegations.length, 1);
    assert.equal(api.json().allegations[0].child.id, s.child.id);
    assert.equal(api.json().allegations[0].openTasks, 1);
    const audited = await t.db.query(`SELECT details FROM audit_log WHERE action = 'allegations.list' AND user_id = $1 ORDER BY seq`, [s.workforce.id]);
    assert.equal(audited.rowCount, 2);
    assert.equal(audited.rows[0].details.shown, 1);
    assert.equal((await c.get('/allegations')).statusCode, 200);

    // Nobody else sees the list, and another organisation's DSL sees only their own (none).
    for (const user of [s.deputy, s.practitioner]) {
      const other = await signedIn(user);
      assert.equal((await other.get('/allegations')).statusCode, 403, user.role);
      assert.equal((await other.json('GET', '/api/v1/allegations')).statusCode, 403, user.role);
      assert.doesNotMatch((await other.get('/')).body, /href="\/allegations"/, user.role);
    }
    const outsider = await signedIn(await createUser(t.db, 'dsl', { organisationId: (await createOrganisation(t.db)).organisationId, enrolTotp: true }));
    assert.deepEqual((await outsider.json('GET', '/api/v1/allegations')).json().allegations, []);
    assert.match((await outsider.get('/allegations')).body, /has not routed any allegations/);
    assert.equal((await new Client(t.app).json('GET', '/api/v1/allegations')).statusCode, 401);
  });

  test('tasks are for those who can own one: the front door, auditors and system admins have no Tasks page', async () => {
    const s = await school();
    const practitioner = await signedIn(s.practitioner);
    assert.match((await practitioner.get('/')).body, /href="\/tasks"/);
    for (const role of ['front_door_worker', 'front_door_manager', 'auditor', 'system_admin'] as const) {
      const c = await signedIn(await createUser(t.db, role, { organisationId: s.organisationId, enrolTotp: true }));
      assert.doesNotMatch((await c.get('/')).body, /href="\/tasks"/, role);
      assert.equal((await c.get('/tasks')).statusCode, 403, role);
    }
  });

  test('text over its limit is refused and shown back whole; a deputy choosing LADO is told at once, before any tasks', async () => {
    const s = await school();
    const c = await signedIn(s.dsl);
    const rationale = `${'Reasons. '.repeat(1400)}END-OF-RATIONALE`;
    const long = await c.post(`/triage/${s.concern.id}/decide`, { outcome: 'early_help', rationale });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /href="#rationale">The reasons for your decision must be 10,000 characters or fewer/);
    assert.match(long.body, /END-OF-RATIONALE/);
    const title = `${'Long title '.repeat(20)}END-OF-TITLE`;
    const due = dateParts(addWorkingDays(londonDateOf(new Date()), 2));
    const longTitle = await c.post(`/triage/${s.concern.id}/decide/confirm`, {
      outcome: 'early_help', rationale: 'Level 2.', 'task-0-title': title, 'task-0-owner': s.dsl.id, ...prefix('task-0-due', due),
    });
    assert.equal(longTitle.statusCode, 400);
    assert.match(longTitle.body, /href="#task-0-title">What needs to be done for task 1 must be 200 characters or fewer/);
    assert.match(longTitle.body, /END-OF-TITLE/);
    assert.equal((await t.db.query('SELECT status FROM concerns WHERE id = $1', [s.concern.id])).rows[0].status !== 'decided', true);

    const decided = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, {
      outcome: 'early_help', rationale: 'Level 2.', tasks: [{ title: 'Early help assessment', ownerId: s.dsl.id, dueDate: addWorkingDays(londonDateOf(new Date()), 2) }],
    });
    const taskId = decided.json().tasks[0];
    const outcome = `${'What happened. '.repeat(400)}END-OF-OUTCOME`;
    const longOutcome = await c.post(`/tasks/${taskId}/complete`, { outcome });
    assert.equal(longOutcome.statusCode, 400);
    assert.match(longOutcome.body, /END-OF-OUTCOME/);
    assert.equal((await t.db.query('SELECT status FROM tasks WHERE id = $1', [taskId])).rows[0].status, 'open');

    const other = await school();
    const deputy = await signedIn(other.deputy);
    const lado = await deputy.post(`/triage/${other.concern.id}/decide`, { outcome: 'lado', rationale: 'Allegation about a member of staff.' });
    assert.equal(lado.statusCode, 400);
    assert.match(lado.body, /href="#outcome">Only the designated safeguarding lead can route a concern to the LADO/);
    assert.match(lado.body, /Allegation about a member of staff/);
  });

  test('other decisions tell no one beyond the usual', async () => {
    const s = await school();
    const c = await signedIn(s.dsl);
    const decided = await c.json('POST', `/api/v1/concerns/${s.concern.id}/decisions`, { outcome: 'early_help', rationale: 'Level 2 needs.' });
    assert.equal(decided.statusCode, 201, decided.body);
    const told = await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'allegation.new' AND link = $1`, [`/decisions/${decided.json().id}`]);
    assert.equal(told.rows[0].n, 0);
  });
});

function prefix(name: string, parts: { day: string; month: string; year: string }) {
  return { [`${name}-day`]: parts.day, [`${name}-month`]: parts.month, [`${name}-year`]: parts.year };
}
