// Clock operations against PostgreSQL: started and stopped by events, met and missed, stages, restarts,
// partnership sets, audit entries and chronology events; reminders sent exactly once with two workers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clockTimes, londonInstant } from '../../src/clocks/clock.ts';
import { shippedCatalogue } from '../../src/clocks/definitions.ts';
import { ClockError, onEvent, startClock, stopClocks, systemActor } from '../../src/clocks/operations.ts';
import { reminderText, sendDueReminders } from '../../src/clocks/reminders.ts';
import { withTransaction } from '../../src/platform/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let t: TestDatabase;
before(async () => { t = await createTestDatabase(); });
after(async () => { await t.drop(); });

const HOUR = 3_600_000;
const actorFor = (userId: string, organisationId: string) => ({ userId, role: 'dsl', organisationId, ip: '127.0.0.1', requestId: 'test' });
const ref = (n: string) => ({ type: 'referral', id: `R-${n}-${Math.random().toString(36).slice(2, 8)}` });

async function setup() {
  const { organisationId, partnershipId } = await createOrganisation(t.db);
  const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
  const deputy = await createUser(t.db, 'deputy_dsl', { organisationId, enrolTotp: true });
  const practitioner = await createUser(t.db, 'practitioner', { organisationId });
  const child = await createChild(t.db, { organisationId });
  return { organisationId, partnershipId, dsl, deputy, practitioner, child, actor: actorFor(dsl.id, organisationId) };
}

describe('starting and stopping through events', () => {
  test('a referral sent starts the Medway clocks; acknowledging it on time stops two as met, with audit and chronology', async () => {
    const s = await setup();
    const subject = ref('a');
    const sentAt = londonInstant('2026-12-24', '15:00');
    const started = await withTransaction(t.db, (tx) => onEvent(tx, 'referral.sent', {
      organisationId: s.organisationId, childId: s.child.id, subject, occurredAt: sentAt, actor: s.actor, now: sentAt,
    }));
    assert.equal(started.set, 'medway');
    assert.deepEqual(started.started.map((c) => c.definitionId).sort(), ['outcome-to-referrer', 'referral-acknowledgement', 'referral-chase']);
    const ack = started.started.find((c) => c.definitionId === 'referral-acknowledgement')!;
    assert.equal(ack.dueDate, '2026-12-29');
    assert.equal(ack.dueAt.getTime(), londonInstant('2026-12-29', '17:00').getTime());
    assert.equal(ack.status, 'running');

    const stopped = await withTransaction(t.db, (tx) => onEvent(tx, 'referral.acknowledged', {
      organisationId: s.organisationId, subject, occurredAt: londonInstant('2026-12-29', '16:59'), actor: s.actor,
    }));
    assert.deepEqual(stopped.stopped.map((x) => [x.clock.definitionId, x.status]).sort(), [['referral-acknowledgement', 'met'], ['referral-chase', 'met']]);
    assert.deepEqual(stopped.started, []);

    const { rows } = await t.db.query('SELECT definition_id, status, stop_event, stopped_at FROM clocks WHERE subject_id = $1 ORDER BY definition_id', [subject.id]);
    assert.deepEqual(rows.map((r) => [r.definition_id, r.status, r.stop_event]), [
      ['outcome-to-referrer', 'running', null], ['referral-acknowledgement', 'met', 'referral.acknowledged'], ['referral-chase', 'met', 'referral.acknowledged'],
    ]);
    const audit = await t.db.query(
      `SELECT action, details FROM audit_log WHERE record_type = 'clock' AND record_id = ANY($1::text[]) ORDER BY id`,
      [started.started.map((c) => c.id)],
    );
    assert.equal(audit.rows.filter((a) => a.action === 'clock.start').length, 3);
    assert.equal(audit.rows.filter((a) => a.action === 'clock.stop').length, 2);
    for (const a of audit.rows) assert.doesNotMatch(JSON.stringify(a.details), /Jayden|Smith/, 'no names in audit details');
    const events = await t.db.query(`SELECT summary, type FROM events WHERE child_id = $1 AND source_type = 'clock' ORDER BY id`, [s.child.id]);
    assert.equal(events.rows.length, 5);
    assert.ok(events.rows.every((e) => e.type === 'record'));
    assert.ok(events.rows.some((e) => e.summary === 'Clock started: Acknowledge a referral, due by 5pm Tuesday 29 December 2026'));
    assert.ok(events.rows.some((e) => e.summary === 'Clock met: Acknowledge a referral (was due by 5pm Tuesday 29 December 2026)'));
  });

  test('stopped after its due time, a clock is missed', async () => {
    const s = await setup();
    const subject = ref('b');
    const phoned = new Date(Date.now() - 72 * HOUR);
    await withTransaction(t.db, (tx) => onEvent(tx, 'referral.telephoned', { organisationId: s.organisationId, childId: s.child.id, subject, occurredAt: phoned, actor: s.actor }));
    const r = await withTransaction(t.db, (tx) => stopClocks(tx, { subject, stopEvent: 'referral.written-confirmation-sent', stoppedAt: new Date(), organisationId: s.organisationId, actor: s.actor }));
    assert.equal(r.length, 1);
    assert.equal(r[0]!.status, 'missed');
    const { rows } = await t.db.query('SELECT status, stopped_at IS NOT NULL AS stopped FROM clocks WHERE subject_id = $1', [subject.id]);
    assert.deepEqual(rows, [{ status: 'missed', stopped: true }]);
    const ev = await t.db.query(`SELECT summary FROM events WHERE child_id = $1 AND summary LIKE 'Clock missed:%'`, [s.child.id]);
    assert.equal(ev.rows.length, 1);
  });

  test('a stop dated before its clock started counts at the start (a day-only date), or is refused when asked', async () => {
    const s = await setup();
    const subject = ref('early');
    const phoned = new Date(Date.now() - HOUR);
    await withTransaction(t.db, (tx) => onEvent(tx, 'referral.telephoned', { organisationId: s.organisationId, subject, occurredAt: phoned, actor: s.actor }));
    const earlier = new Date(phoned.getTime() - 3 * HOUR);
    await assert.rejects(
      withTransaction(t.db, (tx) => stopClocks(tx, { subject, stopEvent: 'referral.written-confirmation-sent', stoppedAt: earlier, organisationId: s.organisationId, actor: s.actor, beforeStart: 'refuse' })),
      (e: unknown) => e instanceof ClockError && e.code === 'before-start',
    );
    const r = await withTransaction(t.db, (tx) => stopClocks(tx, { subject, stopEvent: 'referral.written-confirmation-sent', stoppedAt: earlier, organisationId: s.organisationId, actor: s.actor }));
    assert.equal(r[0]!.status, 'met');
    const { rows } = await t.db.query('SELECT started_at, stopped_at FROM clocks WHERE subject_id = $1', [subject.id]);
    assert.equal(rows[0].stopped_at.getTime(), rows[0].started_at.getTime());
  });

  test('the same start event twice starts nothing new; an event that stops nothing running stops nothing', async () => {
    const s = await setup();
    const subject = ref('c');
    const first = await withTransaction(t.db, (tx) => onEvent(tx, 'referral.telephoned', { organisationId: s.organisationId, subject, actor: s.actor }));
    const second = await withTransaction(t.db, (tx) => onEvent(tx, 'referral.telephoned', { organisationId: s.organisationId, subject, actor: s.actor }));
    assert.equal(first.started.length, 1);
    assert.deepEqual(second.notStarted, [{ definitionId: 'telephone-referral-confirmation', reason: 'already-running' }]);
    const none = await withTransaction(t.db, (tx) => onEvent(tx, 'icpc.held', { organisationId: s.organisationId, subject, actor: s.actor }));
    assert.deepEqual([none.stopped.length, none.started.length], [0, 0]);
  });

  test('escalation: each stage has its own 5-working-day clock, up to 4 stages', async () => {
    const s = await setup();
    const subject = { type: 'escalation', id: `E-${Date.now()}` };
    const at = (d: string) => londonInstant(d, '10:00');
    const run = (event: string, d: string) => withTransaction(t.db, (tx) => onEvent(tx, event, { organisationId: s.organisationId, subject, occurredAt: at(d), actor: s.actor }));
    const one = await run('escalation.raised', '2026-05-01');
    assert.equal(one.started[0]!.stage, 1);
    assert.equal(one.started[0]!.dueDate, '2026-05-11', 'Friday 1 May + 5 working days skips the early May bank holiday');
    const two = await run('escalation.escalated', '2026-05-12');
    assert.deepEqual(two.stopped.map((x) => x.status), ['missed']);
    assert.equal(two.started[0]!.stage, 2);
    await run('escalation.escalated', '2026-05-13');
    const four = await run('escalation.escalated', '2026-05-14');
    assert.equal(four.started[0]!.stage, 4);
    const five = await run('escalation.escalated', '2026-05-15');
    assert.deepEqual(five.notStarted, [{ definitionId: 'escalation-stage-response', reason: 'last-stage-reached' }]);
    const done = await run('escalation.resolved', '2026-05-15');
    assert.deepEqual(done.stopped, []);
  });

  test('an early help review stops one review clock and starts the next', async () => {
    const s = await setup();
    const subject = { type: 'early-help-plan', id: `P-${Date.now()}` };
    const run = (event: string, d: string) => withTransaction(t.db, (tx) => onEvent(tx, event, { organisationId: s.organisationId, childId: s.child.id, subject, occurredAt: londonInstant(d, '10:00'), actor: s.actor }));
    const agreed = await run('early-help-plan.agreed', '2026-01-05');
    assert.equal(agreed.started[0]!.dueDate, '2026-03-02');
    const reviewed = await run('early-help-plan.reviewed', '2026-02-23');
    assert.deepEqual(reviewed.stopped.map((x) => x.status), ['met']);
    assert.equal(reviewed.started[0]!.dueDate, '2026-04-20');
  });

  test('a partnership without its own file uses the default set (front door decision in 1 working day)', async () => {
    const p = await t.db.query<{ id: string }>(`INSERT INTO partnerships (slug, name, framework_id) VALUES ('dudley', 'Dudley', 'dudley') RETURNING id`);
    const o = await t.db.query<{ id: string }>(`INSERT INTO organisations (partnership_id, name, type, cin_referral_source) VALUES ($1, 'Dudley front door', 'front_door', '5A') RETURNING id`, [p.rows[0]!.id]);
    const worker = await createUser(t.db, 'front_door_worker', { organisationId: o.rows[0]!.id });
    const subject = { type: 'contact', id: `C-${Date.now()}` };
    const r = await withTransaction(t.db, (tx) => onEvent(tx, 'contact.received', { organisationId: o.rows[0]!.id, subject, occurredAt: londonInstant('2026-04-02', '11:00'), actor: actorFor(worker.id, o.rows[0]!.id) }));
    assert.equal(r.set, 'default');
    assert.equal(r.started[0]!.dueDate, '2026-04-07', 'Thursday before Easter → Tuesday after');
    // Medway's is 24 hours.
    const medway = await setup();
    const m = await withTransaction(t.db, (tx) => onEvent(tx, 'contact.received', { organisationId: medway.organisationId, subject: { type: 'contact', id: `C-${Date.now()}-m` }, occurredAt: londonInstant('2026-04-02', '11:00'), actor: medway.actor }));
    assert.equal(m.started[0]!.dueDate, null);
    assert.equal(m.started[0]!.dueAt.getTime() - londonInstant('2026-04-02', '11:00').getTime(), 24 * HOUR);
    // An event in one partnership never stops another partnership's clock on a subject with the same id.
    const other = await withTransaction(t.db, (tx) => onEvent(tx, 'contact.decided', { organisationId: medway.organisationId, subject, actor: medway.actor }));
    assert.deepEqual(other.stopped, []);
  });

  test('startClock by definition and partnership slug; unknown events and definitions are refused', async () => {
    const s = await setup();
    const r = await withTransaction(t.db, (tx) => startClock(tx, {
      definitionId: 'induction-safeguarding-training', partnershipSlug: 'medway', organisationId: s.organisationId,
      subject: { type: 'user', id: s.practitioner.id }, startedAt: londonInstant('2026-01-31', '09:00'), actor: s.actor,
    }));
    assert.ok(r.started);
    if (r.started) assert.equal(r.clock.dueDate, '2026-04-30');
    await assert.rejects(withTransaction(t.db, (tx) => onEvent(tx, 'referral.snet', { organisationId: s.organisationId, subject: ref('x'), actor: s.actor })), (e: unknown) => e instanceof ClockError && e.code === 'unknown-event');
    await assert.rejects(withTransaction(t.db, (tx) => startClock(tx, { definitionId: 'nope', organisationId: s.organisationId, subject: ref('y'), startedAt: new Date(), actor: s.actor })), (e: unknown) => e instanceof ClockError && e.code === 'unknown-definition');
  });
});

describe('reminders', () => {
  test('go to the DSL and deputy on the right day: due soon on the due date, overdue after 5pm', async () => {
    const s = await setup();
    const subject = ref('rem');
    const r = await withTransaction(t.db, (tx) => onEvent(tx, 'referral.sent', { organisationId: s.organisationId, childId: s.child.id, subject, occurredAt: londonInstant('2026-12-24', '15:00'), actor: s.actor }));
    const ack = r.started.find((c) => c.definitionId === 'referral-acknowledgement')!;
    const mine = async () => (await t.db.query(
      `SELECT n.user_id, n.kind, n.text FROM notifications n WHERE n.link = $1 ORDER BY n.id`, [`/clocks#clock-${ack.id}`])).rows;
    // On the bank holidays in between, nothing is due.
    await sendDueReminders(t.db, londonInstant('2026-12-28', '12:00'));
    assert.deepEqual(await mine(), []);
    await sendDueReminders(t.db, londonInstant('2026-12-29', '09:00'));
    let sent = await mine();
    assert.deepEqual(sent.map((n) => n.user_id).sort(), [s.dsl.id, s.deputy.id].sort());
    assert.ok(sent.every((n) => n.kind === 'clock.due-soon' && n.text === 'Due soon: Acknowledge a referral, for a referral, is due by 5pm Tuesday 29 December 2026.'));
    await sendDueReminders(t.db, londonInstant('2026-12-29', '17:00'));
    assert.equal((await mine()).length, 2, 'at 5pm exactly it is not yet overdue');
    await sendDueReminders(t.db, new Date(londonInstant('2026-12-29', '17:00').getTime() + 1000));
    sent = await mine();
    assert.equal(sent.length, 4);
    assert.ok(sent.slice(2).every((n) => n.kind === 'clock.overdue' && /^Overdue: Acknowledge a referral/.test(n.text)));
    assert.ok(!sent.some((n) => n.user_id === s.practitioner.id));
    assert.ok(!sent.some((n) => /Jayden|Smith/.test(n.text)), 'no child names in notifications');
    await sendDueReminders(t.db, londonInstant('2027-01-15', '12:00'));
    assert.equal((await mine()).length, 4, 'each state is reminded once');
    const { rows } = await t.db.query('SELECT status, due_soon_reminded_at IS NOT NULL AS ds, overdue_reminded_at IS NOT NULL AS od FROM clocks WHERE id = $1', [ack.id]);
    assert.deepEqual(rows[0], { status: 'overdue', ds: true, od: true });
    const audit = await t.db.query(`SELECT details FROM audit_log WHERE action = 'clock.remind' AND record_id = $1 ORDER BY id`, [ack.id]);
    assert.deepEqual(audit.rows.map((a) => [a.details.state, a.details.recipients]), [['due-soon', 2], ['overdue', 2]]);
  });

  test('a clock about an allegation reminds only those who may see it: the DSL, not the deputy', async () => {
    const s = await setup();
    const subject = { type: 'allegation', id: ref('alg').id };
    const r = await withTransaction(t.db, (tx) => onEvent(tx, 'referral.sent', { organisationId: s.organisationId, childId: s.child.id, subject, occurredAt: londonInstant('2026-12-24', '15:00'), actor: s.actor }));
    const ack = r.started.find((c) => c.definitionId === 'referral-acknowledgement')!;
    await sendDueReminders(t.db, londonInstant('2026-12-29', '09:00'));
    const told = await t.db.query('SELECT user_id FROM notifications WHERE link = $1', [`/clocks#clock-${ack.id}`]);
    assert.deepEqual(told.rows.map((n) => n.user_id), [s.dsl.id]);
  });

  test('two workers at once send each reminder exactly once', async () => {
    const s = await setup();
    const startedAt = new Date(Date.now() - 10 * 24 * HOUR);
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 60; i++) {
        await onEvent(tx, 'referral.telephoned', { organisationId: s.organisationId, subject: ref(`w${i}`), occurredAt: startedAt, actor: systemActor(s.organisationId) });
      }
    });
    const ids = (await t.db.query<{ id: string }>(`SELECT id FROM clocks WHERE organisation_id = $1`, [s.organisationId])).rows.map((r) => r.id);
    assert.equal(ids.length, 60);
    const now = new Date();
    const [a, b] = await Promise.all([sendDueReminders(t.db, now, 7), sendDueReminders(t.db, now, 7)]);
    assert.ok(a.overdue + b.overdue >= 60);
    const { rows } = await t.db.query(
      `SELECT link, user_id, count(*)::int AS n FROM notifications WHERE link = ANY($1::text[]) GROUP BY link, user_id`,
      [ids.map((id) => `/clocks#clock-${id}`)],
    );
    assert.equal(rows.length, 120, 'every clock reached the DSL and the deputy');
    assert.ok(rows.every((r) => r.n === 1), 'and nobody was told twice');
    const again = await Promise.all([sendDueReminders(t.db, now), sendDueReminders(t.db, now)]);
    assert.equal(again[0].notifications + again[1].notifications, 0);
  });

  test('a minimum period reminds only when it is about to end, and is never overdue', async () => {
    const s = await setup();
    const subject = { type: 'early-help-plan', id: `SD-${Date.now()}` };
    const r = await withTransaction(t.db, (tx) => onEvent(tx, 'step-down.to-early-help', { organisationId: s.organisationId, subject, occurredAt: londonInstant('2026-01-05', '10:00'), actor: s.actor }));
    const c = r.started[0]!;
    const times = clockTimes(shippedCatalogue().get('medway')!.clocks.find((d) => d.id === 'step-down-early-help-minimum')!, londonInstant('2026-01-05', '10:00'), '17:00');
    assert.equal(c.dueAt.getTime(), times.dueAt.getTime());
    await sendDueReminders(t.db, londonInstant('2026-03-20', '09:00'));
    const n = await t.db.query(`SELECT kind FROM notifications WHERE link = $1`, [`/clocks#clock-${c.id}`]);
    assert.deepEqual(n.rows.map((x) => x.kind), ['clock.due-soon', 'clock.due-soon'], 'to the DSL and the deputy');
    await sendDueReminders(t.db, londonInstant('2026-06-01', '09:00'));
    assert.equal((await t.db.query(`SELECT 1 FROM notifications WHERE link = $1`, [`/clocks#clock-${c.id}`])).rows.length, 2, 'nothing more once the period is complete');
    const early = await withTransaction(t.db, (tx) => onEvent(tx, 'step-down.to-universal', { organisationId: s.organisationId, subject, occurredAt: londonInstant('2026-03-02', '10:00'), actor: s.actor }));
    assert.deepEqual(early.stopped.map((x) => x.status), ['missed'], 'stepping down before 12 weeks is missed');
  });

  test('reminder text names the clock and subject, never a person', () => {
    assert.equal(reminderText({ definition: { name: 'Response to an escalation (each stage)', stages: 4 }, stage: 2, subject: { type: 'escalation', id: 'x' }, dueAt: londonInstant('2026-03-03', '17:00') } as never, 'overdue'),
      'Overdue: Response to an escalation (each stage) (stage 2), for an escalation, was due by 5pm Tuesday 3 March 2026.');
  });
});
