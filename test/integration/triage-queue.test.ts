// The DSL's triage queue, opening a concern, pattern warnings and the level-of-need assessment against Medway.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listQueue } from '../../src/concerns/triage-store.ts';
import type { Queryable } from '../../src/platform/db/pool.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createConcern, linkSiblings } from '../support/concerns.ts';
import { createOrganisation, createUser, type TestUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

const DAY = 24 * 60 * 60 * 1000;

async function school() {
  const { organisationId } = await createOrganisation(t.db);
  const dsl = await createUser(t.db, 'dsl', { organisationId, enrolTotp: true });
  const deputy = await createUser(t.db, 'deputy_dsl', { organisationId, enrolTotp: true });
  const practitioner = await createUser(t.db, 'practitioner', { organisationId });
  return { organisationId, dsl, deputy, practitioner };
}

async function signedIn(user: TestUser) {
  const c = new Client(t.app);
  await c.signIn(user);
  return c;
}

/** A concern about a child of six, a Medway level 2 indicator to assess it with, and its DSL signed in. */
async function concernToAssess() {
  const s = await school();
  const child = await createChild(t.db, { organisationId: s.organisationId, dateOfBirth: '2019-05-01' });
  const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
  const fw = await t.db.query<{ content: { indicators: { id: string; level: string }[] } }>("SELECT content FROM framework_versions WHERE framework_id = 'medway'");
  const l2 = fw.rows[0]!.content.indicators.find((i) => i.level === 'level-2')!;
  return { s, child, concern, l2, c: await signedIn(s.dsl) };
}

describe('triage queue', () => {
  test('lists new and in-triage concerns of the organisation: immediate danger first, then oldest first, with time waited', async () => {
    const s = await school();
    const other = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Amelia', lastName: 'Jones' });
    const newest = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 1 * DAY) });
    const oldest = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 9 * DAY) });
    const danger = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 2 * 60 * 60 * 1000), immediateDanger: true });
    await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, status: 'decided' });
    const otherChild = await createChild(t.db, { organisationId: other.organisationId, firstName: 'Zara', lastName: 'Other' });
    await createConcern(t.db, { childId: otherChild.id, organisationId: other.organisationId, raisedBy: other.practitioner.id });

    const c = await signedIn(s.dsl);
    const page = await c.get('/triage');
    assert.equal(page.statusCode, 200);
    const order = [...page.body.matchAll(/href="\/triage\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    assert.deepEqual(order, [danger.id, oldest.id, newest.id]);
    assert.match(page.body, /Immediate danger/);
    assert.match(page.body, /Amelia Jones/);
    assert.doesNotMatch(page.body, /Zara Other/);
    assert.match(page.body, /working days? \(\d+ hours\)/);

    const api = await c.json('GET', '/api/v1/triage');
    assert.equal(api.statusCode, 200);
    const body = api.json();
    assert.deepEqual(body.concerns.map((x: { id: string }) => x.id), [danger.id, oldest.id, newest.id]);
    assert.ok(body.concerns[1].waited.hours >= 9 * 24 - 1);
    assert.ok(body.concerns[1].waited.workingDays >= 5);
    // The answer is serialised by its documented schema, so every field the API promises must come through it.
    assert.equal(body.total, 3);
    assert.deepEqual(Object.keys(body.concerns[0]).sort(), ['categories', 'child', 'id', 'immediateDanger', 'raisedBy', 'reference', 'status', 'submittedAt', 'waited']);
    assert.deepEqual(Object.keys(body.concerns[0].child).sort(), ['id', 'name']);
    assert.match(body.concerns[0].child.name, /\S/);
    assert.match(body.concerns[0].reference, /^C-\d{6}$/);
    assert.equal(new Date(body.concerns[0].submittedAt).toISOString(), body.concerns[0].submittedAt);
    const documented = (await c.json('GET', '/api/v1/openapi.json')).json().paths['/api/v1/triage'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(documented.properties.concerns.items.properties).sort(), Object.keys(body.concerns[0]).sort());

    const deputy = await signedIn(s.deputy);
    assert.equal((await deputy.get('/triage')).statusCode, 200);
    const practitioner = await signedIn(s.practitioner);
    assert.equal((await practitioner.get('/triage')).statusCode, 403);
    assert.equal((await practitioner.json('GET', '/api/v1/triage')).statusCode, 403);
    assert.equal((await new Client(t.app).json('GET', '/api/v1/triage')).statusCode, 401);

    const { rows } = await t.db.query("SELECT details FROM audit_log WHERE user_id = $1 AND action = 'triage.queue'", [s.dsl.id]);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].details.shown, 3);
  });

  test('counts the queue from its index alone, without reading each concern from the table', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Noah', lastName: 'Taylor' });
    for (let i = 0; i < 3; i++) await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    // The statement listQueue sends, explained on a connection of its own where only index scans are allowed:
    // the count needs each concern's `restricted` flag, so it can be index-only only if the index holds it.
    let sent: { text: string; values: unknown[] } | undefined;
    const spy = { query: async (text: string, values: unknown[]) => { sent = { text, values }; return t.db.query(text, values); } } as unknown as Queryable;
    const { total } = await listQueue(spy, s.organisationId, { includeRestricted: false, limit: 200 });
    assert.equal(total, 3);
    const client = await t.db.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const { rows: [explained] } = await client.query(`EXPLAIN (FORMAT JSON) ${sent!.text}`, sent!.values);
      type PlanNode = { 'Node Type': string; 'Index Name'?: string; 'Parent Relationship'?: string; Plans?: PlanNode[] };
      const below = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(below)];
      const count = below(explained['QUERY PLAN'][0].Plan).find((n) => n['Parent Relationship'] === 'InitPlan' || n['Parent Relationship'] === 'SubPlan');
      assert.ok(count, 'the count is a subquery of its own');
      const reads = below(count).filter((n) => n['Index Name']).map((n) => `${n['Node Type']} using ${n['Index Name']}`);
      assert.deepEqual(reads, ['Index Only Scan using concerns_queue_idx']);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  test('opening a concern moves it into triage once, with an event and an audit entry, and shows the chronology beside it', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Ben', lastName: 'Carter' });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const c = await signedIn(s.dsl);
    const page = await c.get(`/triage/${concern.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Came to school with a bruise/);
    assert.match(page.body, /Mummy’s friend shouts/);
    assert.match(page.body, /See the whole chronology/);
    assert.match(page.body, /opened for triage/);
    await c.get(`/triage/${concern.id}`);
    const status = await t.db.query('SELECT status FROM concerns WHERE id = $1', [concern.id]);
    assert.equal(status.rows[0].status, 'in_triage');
    const events = await t.db.query("SELECT summary FROM events WHERE source_id = $1 AND summary LIKE '%opened for triage%'", [concern.id]);
    assert.equal(events.rowCount, 1);
    const audit = await t.db.query("SELECT action FROM audit_log WHERE record_id = $1 ORDER BY id", [concern.id]);
    assert.deepEqual(audit.rows.map((r) => r.action), ['concern.triage-start', 'concern.view', 'concern.view']);
  });

  test('another organisation gets 404, a practitioner 403; a bad id is 404, not an error', async () => {
    const s = await school();
    const other = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const outsider = await signedIn(other.dsl);
    assert.equal((await outsider.get(`/triage/${concern.id}`)).statusCode, 404);
    assert.equal((await outsider.get(`/triage/${concern.id}/assess`)).statusCode, 404);
    assert.equal((await outsider.json('POST', `/api/v1/concerns/${concern.id}/assessments`, { indicators: [], immediateDanger: true, chosenLevel: 'level-3' })).statusCode, 404);
    const practitioner = await signedIn(s.practitioner);
    assert.equal((await practitioner.get(`/triage/${concern.id}`)).statusCode, 403);
    const dsl = await signedIn(s.dsl);
    assert.equal((await dsl.get('/triage/not-a-uuid')).statusCode, 404);
    const status = await t.db.query('SELECT status FROM concerns WHERE id = $1', [concern.id]);
    assert.equal(status.rows[0].status, 'new');
  });

  test('warns of a pattern: three concerns in 90 days, or a sibling who is the subject of concerns', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Cara', lastName: 'Doyle' });
    const sibling = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Dylan', lastName: 'Doyle' });
    const first = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 80 * DAY) });
    const c = await signedIn(s.dsl);
    const quiet = await c.get(`/triage/${first.id}`);
    assert.doesNotMatch(quiet.body, /A pattern of concerns/);
    await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 30 * DAY) });
    const third = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const repeated = await c.get(`/triage/${third.id}`);
    assert.match(repeated.body, /A pattern of concerns/);
    assert.match(repeated.body, /3 concerns in the last 90 days/);

    await linkSiblings(t.db, child.id, sibling.id);
    await createConcern(t.db, { childId: sibling.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 5 * DAY) });
    const withSibling = await c.get(`/triage/${first.id}`);
    assert.match(withSibling.body, /Dylan Doyle \(sibling\) has been the subject of 1 concern/);
    // Both children's records were read: each read is in the audit log against that child.
    const byChild = await t.db.query("SELECT record_id, action FROM audit_log WHERE record_type = 'child' AND action LIKE 'triage.%' AND details->>'concernId' = $1", [first.id]);
    assert.ok(byChild.rows.some((r) => r.record_id === child.id && r.action === 'triage.chronology'));
    assert.ok(byChild.rows.some((r) => r.record_id === sibling.id && r.action === 'triage.pattern-warning'));
    // The link works both ways.
    const siblingConcern = await createConcern(t.db, { childId: sibling.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const fromSibling = await c.get(`/triage/${siblingConcern.id}`);
    assert.match(fromSibling.body, /Cara Doyle \(sibling\) has been the subject of 3 concerns/);
  });

  test('restricted (LADO) concerns count towards a pattern only for a viewer who may see them: the DSL, not a deputy', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Hana', lastName: 'Iles' });
    const sibling = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Ivo', lastName: 'Iles' });
    await linkSiblings(t.db, child.id, sibling.id);
    const restrict = async (id: string) => {
      await t.db.query('UPDATE concerns SET restricted = true WHERE id = $1', [id]);
      await t.db.query("UPDATE events SET restricted = true WHERE source_type = 'concern' AND source_id = $1", [id]);
    };
    // The sibling's only concern, and one of the child's three, are restricted.
    await restrict((await createConcern(t.db, { childId: sibling.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 5 * DAY) })).id);
    await restrict((await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 40 * DAY) })).id);
    await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 20 * DAY) });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });

    const deputy = await signedIn(s.deputy);
    const seenByDeputy = await deputy.get(`/triage/${concern.id}`);
    assert.equal(seenByDeputy.statusCode, 200);
    assert.doesNotMatch(seenByDeputy.body, /A pattern of concerns/);
    assert.doesNotMatch(seenByDeputy.body, /Ivo Iles/);
    assert.doesNotMatch(seenByDeputy.body, /3 concerns in the last 90 days/);

    const dsl = await signedIn(s.dsl);
    const seenByDsl = await dsl.get(`/triage/${concern.id}`);
    assert.match(seenByDsl.body, /A pattern of concerns/);
    assert.match(seenByDsl.body, /Ivo Iles \(sibling\) has been the subject of 1 concern/);
    assert.match(seenByDsl.body, /3 concerns in the last 90 days/);
  });

  test('a child sharing an adult in the household is pointed out too', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Eve', lastName: 'Fox' });
    const cousin = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Finn', lastName: 'Grey' });
    const p = await t.db.query<{ id: string }>("INSERT INTO people (partnership_id, first_name, last_name) SELECT partnership_id, 'Gail', 'Fox' FROM children WHERE id = $1 RETURNING id", [child.id]);
    await t.db.query("INSERT INTO household_members (child_id, person_id, relationship) VALUES ($1, $3, 'Mother'), ($2, $3, 'Aunt')", [child.id, cousin.id, p.rows[0]!.id]);
    await createConcern(t.db, { childId: cousin.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 10 * DAY) });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const c = await signedIn(s.dsl);
    const page = await c.get(`/triage/${concern.id}`);
    assert.match(page.body, /Finn Grey \(shares a household member: Mother\) has been the subject of 1 concern/);
  });

  test('children who list the same child in their households are linked to each other', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Gus', lastName: 'Hart' });
    const other = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Hope', lastName: 'Hart' });
    const shared = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Ida', lastName: 'Hart' });
    await t.db.query("INSERT INTO household_members (child_id, related_child_id, relationship) VALUES ($1, $3, 'half-sister'), ($2, $3, 'half-sister')", [child.id, other.id, shared.id]);
    await createConcern(t.db, { childId: other.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 10 * DAY) });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const page = await (await signedIn(s.dsl)).get(`/triage/${concern.id}`);
    assert.match(page.body, /Hope Hart \(shares a household member: half-sister\) has been the subject of 1 concern/);
  });

  test('two children listed only in a third child’s household are linked to each other', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Max', lastName: 'Hill' });
    const other = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Noa', lastName: 'Hill' });
    const host = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Ora', lastName: 'Hill' });
    await t.db.query("INSERT INTO household_members (child_id, related_child_id, relationship) VALUES ($1, $2, 'brother'), ($1, $3, 'sister')", [host.id, child.id, other.id]);
    await createConcern(t.db, { childId: other.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 10 * DAY) });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const dsl = await signedIn(s.dsl);
    const page = await dsl.get(`/triage/${concern.id}`);
    assert.match(page.body, /Noa Hill \(listed with this child in Ora Hill’s household\) has been the subject of 1 concern/);
    // A third child this organisation does not know is not named.
    const elsewhere = await createChild(t.db, { organisationId: (await createOrganisation(t.db)).organisationId, firstName: 'Pia', lastName: 'Hill' });
    await t.db.query("DELETE FROM household_members WHERE child_id = $1", [host.id]);
    await t.db.query("INSERT INTO household_members (child_id, related_child_id, relationship) VALUES ($1, $2, 'brother'), ($1, $3, 'sister')", [elsewhere.id, child.id, other.id]);
    const unnamed = await dsl.get(`/triage/${concern.id}`);
    assert.match(unnamed.body, /Noa Hill \(listed with this child in another child’s household\)/);
    assert.doesNotMatch(unnamed.body, /Pia Hill/);
  });

  test('a link recorded only on the other child’s record keeps its relationship, or says where it is recorded', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Jack', lastName: 'King' });
    const cousin = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Kit', lastName: 'Lane' });
    const uncle = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Leo', lastName: 'King' });
    await t.db.query("INSERT INTO household_members (child_id, related_child_id, relationship) VALUES ($1, $3, 'cousin'), ($2, $3, 'nephew')", [cousin.id, uncle.id, child.id]);
    for (const id of [cousin.id, uncle.id]) await createConcern(t.db, { childId: id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 10 * DAY) });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const page = await (await signedIn(s.dsl)).get(`/triage/${concern.id}`);
    assert.match(page.body, /Kit Lane \(cousin\) has been the subject of 1 concern/);
    assert.match(page.body, /Leo King \(linked in Leo King’s household\) has been the subject of 1 concern/);
    assert.doesNotMatch(page.body, /\(sibling\)/);
  });

  test('the thresholds are the service’s settings: configured as 2 in 30 days, it warns at two concerns', async () => {
    const configured = await createTestApp({ patterns: { recentConcerns: 2, windowDays: 30, householdWindowDays: 365 } }, t);
    try {
      const s = await school();
      const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Mae', lastName: 'Nash' });
      await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id, submittedAt: new Date(Date.now() - 20 * DAY) });
      const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
      const c = new Client(configured.app);
      await c.signIn(s.dsl);
      const page = await c.get(`/triage/${concern.id}`);
      assert.match(page.body, /A pattern of concerns/);
      assert.match(page.body, /2 concerns in the last 30 days/);
      // The default service does not: two is under its three (the deputy signs in: a code cannot be used twice).
      assert.doesNotMatch((await (await signedIn(s.deputy)).get(`/triage/${concern.id}`)).body, /A pattern of concerns/);
    } finally {
      await configured.close();
    }
  });
});

describe('level-of-need assessment', () => {
  test('an unborn child with a domestic-abuse indicator is suggested Medway Level 3; the DSL agrees; stored with the framework version', async () => {
    const s = await school();
    const unborn = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Baby', lastName: 'Hughes', dateOfBirth: null, expectedDueDate: '2027-02-01' });
    const concern = await createConcern(t.db, { childId: unborn.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const c = await signedIn(s.dsl);

    const picker = await c.get(`/triage/${concern.id}/assess?q=domestic+abuse`);
    assert.equal(picker.statusCode, 200);
    assert.match(picker.body, /Medway/);
    assert.match(picker.body, /Unborn/);
    assert.match(picker.body, /Concerns about domestic abuse and coercive control/);
    assert.doesNotMatch(picker.body, /medway\.l1\.child-development\.01"/);

    const fw = await t.db.query<{ content: { indicators: { id: string; text: string }[] } }>("SELECT content FROM framework_versions WHERE framework_id = 'medway'");
    const da = fw.rows[0]!.content.indicators.find((i) => i.text === 'Concerns about domestic abuse and coercive control')!;
    // Filtering keeps ticks that the filter hides.
    const filtered = await c.get(`/triage/${concern.id}/assess?indicators=${da.id}&q=zzzz-nothing`);
    assert.match(filtered.body, new RegExp(`type="hidden" name="indicators" value="${da.id.replace(/\./g, '\\.')}"`));

    const suggestion = await c.get(`/triage/${concern.id}/assess/suggestion?indicators=${da.id}&immediateDanger=no`);
    assert.equal(suggestion.statusCode, 200);
    assert.match(suggestion.body, /Suggested level: Level 3/);
    assert.match(suggestion.body, /Domestic abuse with an unborn child or a child under one/);
    assert.match(suggestion.body, /Source: /);

    const saved = await c.post(`/triage/${concern.id}/assess`, { indicators: da.id, immediateDanger: 'no', agree: 'yes' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/triage/${concern.id}/decide?assessed=1`);
    const { rows } = await t.db.query('SELECT * FROM assessments WHERE concern_id = $1', [concern.id]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].framework_id, 'medway');
    assert.equal(rows[0].framework_version, '2024-12');
    assert.deepEqual(rows[0].indicators, [da.id]);
    assert.equal(rows[0].unborn, true);
    assert.equal(rows[0].suggested_level, 'level-3');
    assert.equal(rows[0].chosen_level, 'level-3');
    assert.equal(rows[0].agreed, true);
    assert.equal(rows[0].result.level.id, 'level-3');
    assert.ok(rows[0].result.reasons.some((r: { id: string }) => r.id === 'domestic-abuse-unborn-or-under-one'));
    const ev = await t.db.query("SELECT summary FROM events WHERE type = 'assessment' AND child_id = $1", [unborn.id]);
    assert.match(ev.rows[0].summary, /Level 3.*agreeing/);
    const audit = await t.db.query("SELECT details FROM audit_log WHERE action = 'assessment.create' AND record_id = $1", [concern.id]);
    assert.equal(audit.rows[0].details.version, '2024-12');
  });

  test('choosing another level without a reason is refused and keeps every answer; with a reason it is stored', async () => {
    const { s, concern, l2, c } = await concernToAssess();
    const refused = await c.post(`/triage/${concern.id}/assess`, { indicators: l2.id, immediateDanger: 'no', agree: 'no', chosenLevel: 'level-3', overrideReason: '   ' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /govuk-error-summary/);
    assert.match(refused.body, /href="#overrideReason">Enter your reason for choosing a different level/);
    assert.match(refused.body, /value="level-3" checked/);
    assert.match(refused.body, new RegExp(`name="indicators" value="${l2.id.replace(/\./g, '\\.')}"`));
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM assessments WHERE concern_id = $1', [concern.id])).rows[0].n, 0);

    // A reason over the limit is refused and shown back whole, never cut.
    const longReason = `${'Cumulative neglect. '.repeat(520)}END-OF-REASON`;
    const tooLong = await c.post(`/triage/${concern.id}/assess`, { indicators: l2.id, immediateDanger: 'no', agree: 'no', chosenLevel: 'level-3', overrideReason: longReason });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /href="#overrideReason">Your reason must be 10,000 characters or fewer/);
    assert.match(tooLong.body, /END-OF-REASON/);

    const api = await c.json('POST', `/api/v1/concerns/${concern.id}/assessments`, { indicators: [l2.id], immediateDanger: false, chosenLevel: 'level-3' });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().field, 'overrideReason');
    const badBody = await c.json('POST', `/api/v1/concerns/${concern.id}/assessments`, { indicators: 'x', immediateDanger: false, chosenLevel: 'level-3' });
    assert.equal(badBody.statusCode, 400);
    assert.equal(badBody.json().field, 'indicators');

    const ok = await c.post(`/triage/${concern.id}/assess`, { indicators: l2.id, immediateDanger: 'no', agree: 'no', chosenLevel: 'level-3', overrideReason: 'Third concern this term; cumulative neglect.' });
    assert.equal(ok.statusCode, 303);
    const { rows } = await t.db.query('SELECT agreed, suggested_level, chosen_level, override_reason FROM assessments WHERE concern_id = $1', [concern.id]);
    assert.deepEqual(rows[0], { agreed: false, suggested_level: 'level-2', chosen_level: 'level-3', override_reason: 'Third concern this term; cumulative neglect.' });

    const viaApi = await c.json('POST', `/api/v1/concerns/${concern.id}/assessments`, { indicators: [l2.id], immediateDanger: false, chosenLevel: 'level-2' });
    assert.equal(viaApi.statusCode, 201);
    assert.equal(viaApi.json().framework.version, '2024-12');
    assert.equal(viaApi.json().agreed, true);
  });

  test('a child whose expected due date has passed is not assessed as unborn; the page asks for the date of birth', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId, firstName: 'Ned', lastName: 'Owen', dateOfBirth: null, expectedDueDate: '2025-01-15' });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const c = await signedIn(s.dsl);
    const picker = await c.get(`/triage/${concern.id}/assess`);
    assert.equal(picker.statusCode, 200);
    assert.match(picker.body, /<strong>Not known<\/strong>/);
    assert.doesNotMatch(picker.body, /<strong>Unborn<\/strong>/);
    assert.match(picker.body, /expected due date has passed/);
    assert.match(picker.body, new RegExp(`Record their date of birth on <a class="govuk-link" href="/children/${child.id}">Ned Owen’s record</a>`));

    const fw = await t.db.query<{ content: { indicators: { id: string; text: string }[] } }>("SELECT content FROM framework_versions WHERE framework_id = 'medway'");
    const da = fw.rows[0]!.content.indicators.find((i) => i.text === 'Concerns about domestic abuse and coercive control')!;
    const api = await c.json('POST', `/api/v1/concerns/${concern.id}/assessments`, { indicators: [da.id], immediateDanger: false, chosenLevel: 'level-3', overrideReason: 'Checking' });
    assert.equal(api.statusCode, 201);
    const { rows } = await t.db.query('SELECT unborn, child_age_months FROM assessments WHERE concern_id = $1', [concern.id]);
    assert.deepEqual(rows[0], { unborn: false, child_age_months: null });
  });

  test('once the concern is decided, no more assessments: the pages say so and the API answers 409', async () => {
    const { s, concern, l2, c } = await concernToAssess();
    const first = await c.json('POST', `/api/v1/concerns/${concern.id}/assessments`, { indicators: [l2.id], immediateDanger: false, chosenLevel: 'level-2' });
    assert.equal(first.statusCode, 201);
    const decided = await c.json('POST', `/api/v1/concerns/${concern.id}/decisions`, { outcome: 'early_help', rationale: 'Family want support.' });
    assert.equal(decided.statusCode, 201);

    const page = await c.post(`/triage/${concern.id}/assess`, { indicators: l2.id, immediateDanger: 'no', agree: 'yes' });
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /A decision has already been recorded/);
    for (const path of [`/triage/${concern.id}/assess`, `/triage/${concern.id}/assess/suggestion?indicators=${l2.id}&immediateDanger=no`]) {
      const shown = await c.get(path);
      assert.equal(shown.statusCode, 409, path);
      assert.match(shown.body, /A decision has already been recorded/);
    }
    const api = await c.json('POST', `/api/v1/concerns/${concern.id}/assessments`, { indicators: [l2.id], immediateDanger: false, chosenLevel: 'level-2' });
    assert.equal(api.statusCode, 409);
    assert.match(api.json().message, /already been recorded/);
    const { rows } = await t.db.query('SELECT a.id, d.assessment_id FROM assessments a JOIN decisions d ON d.concern_id = a.concern_id WHERE a.concern_id = $1', [concern.id]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].assessment_id, first.json().id);
  });

  test('asks for the immediate-danger answer and at least one indicator, keeping what was ticked', async () => {
    const s = await school();
    const child = await createChild(t.db, { organisationId: s.organisationId });
    const concern = await createConcern(t.db, { childId: child.id, organisationId: s.organisationId, raisedBy: s.practitioner.id });
    const c = await signedIn(s.dsl);
    const none = await c.get(`/triage/${concern.id}/assess/suggestion?immediateDanger=no`);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /href="#indicators">Select at least one indicator/);
    const noDanger = await c.get(`/triage/${concern.id}/assess/suggestion`);
    assert.match(noDanger.body, /href="#immediateDanger"/);
  });
});
