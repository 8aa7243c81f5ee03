// The Notifications page and API list a person's notifications newest first; the navigation counts unread
// ones up to 99 and then says "99+", while the API gives the exact number. A notice reaches each active
// recipient once, in the app and (when it has one) by email.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { withTransaction } from '../../src/platform/db/pool.ts';
import { notifyEach } from '../../src/platform/notify/notify.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

async function addNotices(userId: string, count: number, from: number) {
  await t.db.query(
    `INSERT INTO notifications (user_id, kind, text, link, created_at)
     SELECT $1, 'test', 'Notice ' || n, NULL, now() - (1000 - n) * interval '1 minute' FROM generate_series($2::int, $3::int) n`,
    [userId, from, from + count - 1],
  );
}

test('notifications newest first; the navigation shows up to 99 unread, then 99+', async () => {
  const { organisationId } = await createOrganisation(t.db);
  const user = await createUser(t.db, 'practitioner', { organisationId });
  const c = new Client(t.app);
  await c.signIn(user);
  await addNotices(user.id, 99, 1);
  assert.match((await c.get('/')).body, /Notifications \(99 unread\)/);

  await addNotices(user.id, 1, 100);
  const home = (await c.get('/')).body;
  assert.match(home, /Notifications \(99\+ unread\)/);
  const api = (await c.json('GET', '/api/v1/notifications')).json();
  assert.equal(api.unread, 100);
  assert.deepEqual(api.items.slice(0, 3).map((i: { text: string }) => i.text), ['Notice 100', 'Notice 99', 'Notice 98']);
  assert.equal(api.items.length, 50);
  const page = (await c.get('/notifications')).body;
  assert.ok(page.indexOf('Notice 100') >= 0 && page.indexOf('Notice 100') < page.indexOf('Notice 99'), 'the page lists the newest first');

  await c.post('/notifications/read-all');
  assert.doesNotMatch((await c.get('/')).body, /unread\)/);
});

test("a notice reaches each active recipient once, in the app and by email, and no deactivated user's", async () => {
  const { organisationId } = await createOrganisation(t.db);
  const [dsl, deputy, left] = await Promise.all([
    createUser(t.db, 'dsl', { organisationId }), createUser(t.db, 'deputy_dsl', { organisationId }), createUser(t.db, 'deputy_dsl', { organisationId }),
  ]);
  await t.db.query('UPDATE users SET active = false WHERE id = $1', [left.id]);
  const sent = await withTransaction(t.db, (tx) => notifyEach(tx, [
    { userIds: [dsl.id, left.id, dsl.id], notice: { kind: 'test.notice', text: 'First', link: null, email: { subject: 'First notice', body: 'Sign in' } } },
    { userIds: [deputy.id], notice: { kind: 'test.notice', text: 'Second', link: null } },
  ]));
  assert.equal(sent, 2);
  const { rows: inApp } = await t.db.query(
    "SELECT user_id, text FROM notifications WHERE kind = 'test.notice' AND user_id = ANY($1) ORDER BY text", [[dsl.id, deputy.id, left.id]]);
  assert.deepEqual(inApp.map((r) => [r.user_id, r.text]), [[dsl.id, 'First'], [deputy.id, 'Second']]);
  const { rows: emails } = await t.db.query(
    'SELECT lower(to_address) AS to_address, subject FROM email_outbox WHERE lower(to_address) = ANY($1)', [[dsl.email, deputy.email, left.email].map((e) => e.toLowerCase())]);
  assert.deepEqual(emails, [{ to_address: dsl.email.toLowerCase(), subject: 'First notice' }], 'the notice without an email sends none');
});
