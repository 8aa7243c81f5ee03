// The statutory clocks on a child's case: what clocksForChild returns to whom, and the clocks on the DSL's
// triage view and the child's page, with no extra audit entry for reading them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clocksForChild } from '../../src/clocks/case.ts';
import { clockTimes } from '../../src/clocks/clock.ts';
import { shippedCatalogue } from '../../src/clocks/definitions.ts';
import { insertClock, markStopped } from '../../src/clocks/store.ts';
import type { Principal } from '../../src/platform/access/policy.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createConcern } from '../support/concerns.ts';
import { createOrganisation, createUser, type TestUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

const DAY = 86_400_000;
const definition = (id: string) => {
  const d = shippedCatalogue().get('default')!.clocks.find((c) => c.id === id);
  assert.ok(d, `definition ${id}`);
  return d;
};

async function addClock(o: {
  organisationId: string; partnershipId: string; childId: string; definitionId: string; startedAt: Date;
  subject?: { type: string; id: string }; stoppedAt?: Date;
}) {
  const d = definition(o.definitionId);
  const times = clockTimes(d, o.startedAt, '17:00');
  const row = await insertClock(t.db, {
    partnershipId: o.partnershipId, organisationId: o.organisationId, childId: o.childId,
    subject: o.subject ?? { type: 'referral', id: `R-${Math.random().toString(36).slice(2, 10)}` },
    definitionSet: 'default', definition: d, stage: 1, startEvent: d.startsOn[0]!, startedAt: o.startedAt, startedBy: null,
    dueDate: times.dueDate, dueAt: times.dueAt, dueSoonAt: times.dueSoonAt, status: 'running',
  });
  assert.ok(row);
  if (o.stoppedAt) {
    await markStopped(t.db, row.id, { stoppedAt: o.stoppedAt, stoppedBy: null, stopEvent: d.stopsOn[0]!, stopReason: 'test', status: o.stoppedAt <= row.dueAt ? 'met' : 'missed' });
  }
  return row;
}

const principalOf = (u: TestUser, partnershipId: string): Principal => ({ userId: u.id, role: u.role, organisationId: u.organisationId, partnershipId });

async function setup() {
  const { organisationId, partnershipId } = await createOrganisation(t.db);
  const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
  const deputy = await createUser(t.db, 'deputy_dsl', { organisationId, enrolTotp: true });
  const practitioner = await createUser(t.db, 'practitioner', { organisationId });
  const child = await createChild(t.db, { organisationId, firstName: 'Ruby', lastName: 'Clockson' });
  const now = Date.now();
  // Overdue: a 1-working-day clock started three weeks ago.
  const overdue = await addClock({ organisationId, partnershipId, childId: child.id, definitionId: 'front-door-decision', startedAt: new Date(now - 21 * DAY) });
  // Running, not yet due soon: a 12-month review started today.
  const running = await addClock({ organisationId, partnershipId, childId: child.id, definitionId: 'early-help-plan-review', startedAt: new Date(now) });
  // Met: stopped within its time, five days ago.
  const met = await addClock({ organisationId, partnershipId, childId: child.id, definitionId: 'front-door-decision', startedAt: new Date(now - 6 * DAY), stoppedAt: new Date(now - 6 * DAY + 60_000) });
  // Stopped too long ago to show.
  const old = await addClock({ organisationId, partnershipId, childId: child.id, definitionId: 'front-door-decision', startedAt: new Date(now - 50 * DAY), stoppedAt: new Date(now - 49 * DAY) });
  // About a restricted (LADO) concern: only the DSL sees it.
  const restrictedConcern = await createConcern(t.db, { childId: child.id, organisationId, raisedBy: practitioner.id });
  await t.db.query('UPDATE concerns SET restricted = true WHERE id = $1', [restrictedConcern.id]);
  const restricted = await addClock({ organisationId, partnershipId, childId: child.id, definitionId: 'front-door-decision', startedAt: new Date(now), subject: { type: 'concern', id: restrictedConcern.id } });
  // Another organisation's clock on the same child is not this organisation's to show.
  const other = await createOrganisation(t.db);
  await t.db.query('INSERT INTO child_organisations (child_id, organisation_id) VALUES ($1, $2)', [child.id, other.organisationId]);
  const othersClock = await addClock({ organisationId: other.organisationId, partnershipId, childId: child.id, definitionId: 'front-door-decision', startedAt: new Date(now) });
  const concern = await createConcern(t.db, { childId: child.id, organisationId, raisedBy: practitioner.id });
  return { organisationId, partnershipId, dsl, deputy, practitioner, child, concern, clocks: { overdue, running, met, old, restricted, othersClock }, other };
}

describe('clocksForChild', () => {
  test('running and recently stopped clocks of the organisation, with statuses and the dashboard wording', async () => {
    const s = await setup();
    const r = await clocksForChild(t.db, principalOf(s.dsl, s.partnershipId), s.child.id);
    assert.ok(r);
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();
    assert.deepEqual(ids(r.running), [s.clocks.overdue.id, s.clocks.running.id, s.clocks.restricted.id].sort());
    assert.deepEqual(ids(r.stopped), [s.clocks.met.id]);
    const byId = new Map([...r.running, ...r.stopped].map((c) => [c.id, c]));
    assert.equal(byId.get(s.clocks.overdue.id)!.status, 'overdue');
    assert.equal(byId.get(s.clocks.overdue.id)!.tag.text, 'Overdue');
    assert.equal(byId.get(s.clocks.running.id)!.status, 'running');
    assert.equal(byId.get(s.clocks.met.id)!.status, 'met');
    assert.match(byId.get(s.clocks.running.id)!.dueWords, /^\d{1,2}(:\d\d)?(am|pm) [A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}$/);
    // Soonest due first among the running clocks.
    assert.equal(r.running[0]!.id, s.clocks.overdue.id);
  });

  test('restricted (LADO) clocks only for those who may see restricted records', async () => {
    const s = await setup();
    const r = await clocksForChild(t.db, principalOf(s.deputy, s.partnershipId), s.child.id);
    assert.ok(r);
    assert.ok(!r.running.some((c) => c.id === s.clocks.restricted.id));
    assert.equal(r.running.length, 2);
  });

  test('a sharing clock recorded before the concern went to the LADO becomes restricted with it', async () => {
    const s = await setup();
    const { rows: [sharing] } = await t.db.query(
      `INSERT INTO sharing_decisions (concern_id, child_id, organisation_id, share, what, recipient, purpose, article6, consent_status, without_consent, decided_by, decided_on, share_by)
       VALUES ($1, $2, $3, true, 'The concern', 'School nurse', 'Support', '6(1)(e)', 'given', false, $4, current_date, current_date) RETURNING id`,
      [s.concern.id, s.child.id, s.organisationId, s.dsl.id],
    );
    const clock = await addClock({ organisationId: s.organisationId, partnershipId: s.partnershipId, childId: s.child.id, definitionId: 'front-door-decision', startedAt: new Date(), subject: { type: 'sharing-decision', id: sharing.id } });
    const seen = async () => (await clocksForChild(t.db, principalOf(s.deputy, s.partnershipId), s.child.id))!.running.some((c) => c.id === clock.id);
    assert.equal(await seen(), true, 'an ordinary case: the deputy sees it');
    await t.db.query('UPDATE concerns SET restricted = true WHERE id = $1', [s.concern.id]);
    assert.equal(await seen(), false);
    assert.ok((await clocksForChild(t.db, principalOf(s.dsl, s.partnershipId), s.child.id))!.running.some((c) => c.id === clock.id));
  });

  test('nothing for a practitioner, another organisation\'s staff who do not know the child, or no such child', async () => {
    const s = await setup();
    assert.equal(await clocksForChild(t.db, principalOf(s.practitioner, s.partnershipId), s.child.id), null);
    const stranger = await createUser(t.db, 'dsl', { enrolTotp: true });
    assert.equal(await clocksForChild(t.db, principalOf(stranger, s.partnershipId), s.child.id), null);
    assert.equal(await clocksForChild(t.db, principalOf(s.dsl, s.partnershipId), '00000000-0000-4000-8000-000000000000'), null);
    // The other organisation, which knows the child, sees only its own clock.
    const theirs = await createUser(t.db, 'dsl', { organisationId: s.other.organisationId, enrolTotp: true });
    const r = await clocksForChild(t.db, principalOf(theirs, s.partnershipId), s.child.id);
    assert.deepEqual(r?.running.map((c) => c.id), [s.clocks.othersClock.id]);
  });
});

const auditCount = async (userId: string) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE user_id = $1', [userId])).rows[0]!.n;

describe('on the pages', () => {
  test('the triage view and the child page show the clocks with their tags, without another audit entry', async () => {
    const s = await setup();
    const c = new Client(t.app);
    await c.signIn(s.deputy);
    for (const url of [`/triage/${s.concern.id}`, `/children/${s.child.id}`]) {
      const before = await auditCount(s.deputy.id);
      const res = await c.get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<h2[^>]*>Statutory clocks<\/h2>/, url);
      assert.match(res.body, new RegExp(`id="case-clock-${s.clocks.overdue.id}" data-status="overdue"`), url);
      assert.match(res.body, new RegExp(`id="case-clock-${s.clocks.met.id}" data-status="met"`), url);
      assert.match(res.body, /govuk-tag--red">Overdue</, url);
      assert.match(res.body, /due by \d{1,2}(:\d\d)?(am|pm) /, url);
      assert.ok(!res.body.includes(s.clocks.restricted.id), `${url}: no restricted clock for a deputy`);
      assert.ok(!res.body.includes(s.clocks.old.id), url);
      assert.ok(!res.body.includes(s.clocks.othersClock.id), url);
      const added = (await auditCount(s.deputy.id)) - before;
      // The triage page records the concern read, the chronology read beside it and, the first time, the concern
      // being opened for triage; reading the clocks adds nothing.
      assert.ok(added >= 1 && added <= 3, `${url}: ${added} audit entries`);
    }
    const audit = await t.db.query("SELECT 1 FROM audit_log WHERE user_id = $1 AND record_type = 'clock'", [s.deputy.id]);
    assert.equal(audit.rowCount, 0);
  });

  test('"No clocks are running" for a child without clocks; no section for a practitioner', async () => {
    const s = await setup();
    const child = await createChild(t.db, { organisationId: s.organisationId });
    const c = new Client(t.app);
    await c.signIn(s.dsl);
    const res = await c.get(`/children/${child.id}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Statutory clocks/);
    assert.match(res.body, /No clocks are running\./);
    const p = new Client(t.app);
    await p.signIn(s.practitioner);
    const seen = await p.get(`/children/${s.child.id}`);
    assert.equal(seen.statusCode, 200);
    assert.ok(!seen.body.includes('Statutory clocks'));
  });
});
