// One referral per concern: the API answers a second send with 409 naming concernId and the referral already sent;
// the pages link to that referral instead of offering to make another; racing sends make exactly one referral; and
// migration 011 keeps a database that already holds repeats.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { ensureDatabase } from '../../src/platform/db/connect.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createPool } from '../../src/platform/db/pool.ts';
import { sendReferral } from '../../src/referrals/operations.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { testServerUrl } from '../support/db.ts';
import { Client } from '../support/http.ts';
import { createReferralCase, createReferralSetup, type ReferralSetup } from '../support/referrals.ts';
import { createCase } from '../support/sharing.ts';

let t: TestApp;
let s: ReferralSetup;
let dsl: Client;

before(async () => {
  t = await createTestApp();
  s = await createReferralSetup(t.db);
  dsl = new Client(t.app);
  await dsl.signIn(s.dsl);
});
after(async () => { await t.close(); });

const referralsOf = async (concernId: string) =>
  (await t.db.query<{ id: string }>('SELECT id FROM referrals WHERE concern_id = $1', [concernId])).rows.map((r) => r.id);
const principalOf = async (userId: string) => {
  const { rows: [u] } = await t.db.query<{ organisation_id: string; partnership_id: string }>(
    'SELECT u.organisation_id, o.partnership_id FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1', [userId]);
  return { userId, role: 'dsl' as const, organisationId: u!.organisation_id, partnershipId: u!.partnership_id };
};
const ctxOf = (userId: string, organisationId: string) => ({ userId, role: 'dsl', organisationId, ip: '127.0.0.1', requestId: 'test' });

describe('a concern is referred once', () => {
  test('API: a second send is 409 naming concernId, with the referral already sent; nothing more is recorded', async () => {
    const c = await createReferralCase(t.db, s);
    const first = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online' });
    assert.equal(first.statusCode, 201, first.body);
    const id = first.json().referral.id as string;
    const events = async () => (await t.db.query(`SELECT count(*)::int AS n FROM events WHERE child_id = $1`, [c.childId])).rows[0].n;
    const eventsBefore = await events();

    const second = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'telephone', telephone: { spokenTo: 'Duty worker', spokenAt: new Date().toISOString() } });
    assert.equal(second.statusCode, 409, second.body);
    const body = second.json();
    assert.equal(body.field, 'concernId');
    assert.equal(body.referralId, id);
    assert.equal(body.reference, first.json().referral.reference);
    assert.match(body.message, /^concernId: this concern has already been referred/);
    assert.deepEqual(await referralsOf(c.concernId), [id]);
    assert.equal(await events(), eventsBefore, 'no chronology event for a referral that was not made');
    const spec = (await import('../../src/referrals/routes.ts')).referralsOpenApiPaths['/api/v1/concerns/{concernId}/referrals']!;
    assert.match(JSON.stringify(spec.post), /referralId/);
  });

  test('pages: the journey links to the referral already sent instead of offering to make it; sending again is refused with the link', async () => {
    const c = await createReferralCase(t.db, s);
    const decisionBefore = await dsl.get(`/decisions/${c.decisionId}`);
    assert.match(decisionBefore.body, /Make the referral to the front door/);
    await dsl.post(`/concerns/${c.concernId}/referral/method`, { method: 'online' });
    const sent = await dsl.post(`/concerns/${c.concernId}/referral/send`, {});
    assert.equal(sent.statusCode, 303, sent.body);
    const id = /^\/referrals\/([0-9a-f-]{36})/.exec(String(sent.headers.location))![1]!;
    const reference = (await t.db.query('SELECT reference FROM referrals WHERE id = $1', [id])).rows[0].reference as number;
    const ref = `R-${String(reference).padStart(6, '0')}`;

    for (const page of ['', '/analysis', '/method', '/check']) {
      const res = await dsl.get(`/concerns/${c.concernId}/referral${page}`);
      assert.equal(res.statusCode, 200, page);
      assert.match(res.body, /<h1[^>]*>This concern has already been referred<\/h1>/, page);
      assert.match(res.body, /govuk-notification-banner/, page);
      assert.match(res.body, new RegExp(`href="/referrals/${id}"[^>]*>View referral ${ref}`), page);
      assert.doesNotMatch(res.body, new RegExp(`href="/concerns/${c.concernId}/referral/analysis"`), `${page}: no way on to make it again`);
      assert.doesNotMatch(res.body, /action="[^"]*\/referral\/send"/, `${page}: no send button`);
    }

    const again = await dsl.post(`/concerns/${c.concernId}/referral/send`, {});
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /govuk-error-summary/);
    assert.match(again.body, new RegExp(`<a href="/referrals/${id}">This concern has already been referred: referral ${ref} was not sent again</a>`));
    assert.equal((await dsl.post(`/concerns/${c.concernId}/referral/analysis`, { worries: 'More' })).statusCode, 409);
    assert.deepEqual(await referralsOf(c.concernId), [id]);

    const decision = await dsl.get(`/decisions/${c.decisionId}`);
    assert.match(decision.body, new RegExp(`href="/referrals/${id}">See referral ${ref}, sent to the front door`));
    assert.doesNotMatch(decision.body, /Make the referral to the front door/);
  });

  test('sends racing each other make exactly one referral; the others are told of it', async () => {
    const c = await createReferralCase(t.db, s);
    const results = await Promise.all(Array.from({ length: 4 }, () => dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online' })));
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [201, 409, 409, 409], results.map((r) => r.body).join('\n'));
    const ids = await referralsOf(c.concernId);
    assert.equal(ids.length, 1);
    for (const r of results.filter((x) => x.statusCode === 409)) assert.equal(r.json().referralId, ids[0]);
    const clocks = (await t.db.query(`SELECT count(*)::int AS n FROM clocks WHERE subject_type = 'referral' AND subject_id = $1`, [ids[0]])).rows[0].n;
    assert.ok(clocks > 0);
    const orphanClocks = (await t.db.query(
      `SELECT count(*)::int AS n FROM clocks k WHERE k.subject_type = 'referral' AND k.child_id = $1 AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.id::text = k.subject_id)`, [c.childId])).rows[0].n;
    assert.equal(orphanClocks, 0, 'the losing sends left nothing behind');
  });

  test('the database is the last word: a send that passed the check before another committed is answered with that referral', async () => {
    const c = await createReferralCase(t.db, s);
    const principal = await principalOf(s.dsl.id);
    // Another send of this concern, inserted and not yet committed: the check cannot see it, the unique index waits for it.
    const other = await t.db.connect();
    try {
      await other.query('BEGIN');
      const { rows: [row] } = await other.query<{ id: string }>(
        `INSERT INTO referrals (partnership_id, referring_organisation_id, receiving_organisation_id, child_id, concern_id, decision_id, kind, method, content, sent_by)
         SELECT o.partnership_id, $1, $2, $3, $4, $5, 'significant_harm', 'online', '{}'::jsonb, $6 FROM organisations o WHERE o.id = $1 RETURNING id`,
        [s.schoolId, s.frontDoorId, c.childId, c.concernId, c.decisionId, s.dsl.id]);
      const racing = sendReferral(t.db, principal, ctxOf(s.dsl.id, s.schoolId), c.concernId, { method: 'online' });
      let waited = false;
      for (let i = 0; i < 400 && !waited; i += 1) {
        waited = (await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO referrals%'`)).rows[0].n > 0;
        if (!waited) await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(waited, 'the send passed the check and waits on the unique index');
      await other.query('COMMIT');
      const res = await racing;
      assert.equal(res.ok, false);
      assert.ok(!res.ok && res.reason === 'already-referred' && res.referral.id === row!.id, JSON.stringify(res));
    } finally {
      other.release();
    }
    assert.equal((await referralsOf(c.concernId)).length, 1);
  });

  test('contacts from the public (no concern) are not limited; a referral cannot be marked as a repeat', async () => {
    const fd = new Client(t.app);
    await fd.signIn(s.frontDoorWorker);
    const call = (worries: string, child: Record<string, unknown>) => fd.json('POST', '/api/v1/front-door/contacts', {
      caller: { relationship: 'Neighbour', anonymityRequested: false }, channel: 'telephone', worries, immediateDanger: false, ...child,
    });
    const first = await call('First call.', { child: { firstName: 'Wilhelmina', lastName: 'Ashcombe-Tey', dateOfBirth: '2014-04-04' } });
    assert.equal(first.statusCode, 201, first.body);
    const second = await call('Second call.', { childId: first.json().contact.childId });
    assert.equal(second.statusCode, 201, second.body);
    const c = await createReferralCase(t.db, s);
    const sent = await dsl.json('POST', `/api/v1/concerns/${c.concernId}/referrals`, { method: 'online' });
    const id = sent.json().referral.id as string;
    const other = (await t.db.query<{ id: string }>(`SELECT id FROM referrals WHERE id <> $1 LIMIT 1`, [id])).rows[0]!.id;
    await assert.rejects(t.db.query('UPDATE referrals SET repeat_of = $2 WHERE id = $1', [id, other]), /referred once/);
  });
});

describe('migration 011 on a database that already holds repeats', () => {
  test('keeps every referral, marks the later ones as repeats of the first, and then refuses another', async () => {
    const name = `continuum_test_m011_${Date.now()}`;
    const server = testServerUrl();
    const db = createPool(await ensureDatabase(server, name), 3);
    const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'continuum-m011-'));
    try {
      const files = (await readdir(source)).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort();
      for (const f of files.filter((x) => x < '011')) await copyFile(path.join(source, f), path.join(dir, f));
      await migrate(db, dir);
      const legacy = await createReferralSetup(db);
      const c = await createCase(db, { organisationId: legacy.schoolId, raisedBy: legacy.dsl.id, outcome: 'front_door_child_protection' });
      const insert = (sentAt: string) => db.query<{ id: string }>(
        `INSERT INTO referrals (partnership_id, referring_organisation_id, receiving_organisation_id, child_id, concern_id, decision_id, kind, method, content, sent_by, sent_at)
         SELECT o.partnership_id, $1, $2, $3, $4, $5, 'significant_harm', 'online', '{}'::jsonb, $6, $7 FROM organisations o WHERE o.id = $1 RETURNING id`,
        [legacy.schoolId, legacy.frontDoorId, c.childId, c.concernId, c.decisionId, legacy.dsl.id, sentAt]).then((r) => r.rows[0]!.id);
      const later = await insert('2026-03-02T11:00:00Z');
      const first = await insert('2026-03-02T10:00:00Z');
      const third = await insert('2026-03-03T10:00:00Z');

      for (const f of files.filter((x) => x >= '011')) await copyFile(path.join(source, f), path.join(dir, f));
      assert.ok((await migrate(db, dir)).includes('011_one_referral_per_concern'));
      const { rows } = await db.query<{ id: string; repeat_of: string | null }>('SELECT id, repeat_of FROM referrals WHERE concern_id = $1', [c.concernId]);
      assert.equal(rows.length, 3, 'nothing deleted');
      const repeatOf = new Map(rows.map((r) => [r.id, r.repeat_of]));
      assert.deepEqual([repeatOf.get(first), repeatOf.get(later), repeatOf.get(third)], [null, first, first]);
      await assert.rejects(insert('2026-03-04T10:00:00Z'), /referrals_one_per_concern/);
    } finally {
      await db.end();
      await rm(dir, { recursive: true, force: true });
      const admin = new pg.Client({ connectionString: server });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    }
  });
});
