// Two instances of the service on one database behave as one: sessions, throttling, audit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyAudit } from '../../src/platform/audit/audit.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createUser, TEST_PASSWORD } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let database: TestDatabase;
let a: TestApp;
let b: TestApp;
before(async () => {
  database = await createTestDatabase();
  a = await createTestApp({}, database);
  b = await createTestApp({}, database);
});
after(async () => {
  await a.close();
  await b.close();
  await database.drop();
});

const transfer = (from: Client, to: Client) => { to.cookies = new Map(from.cookies); to.csrf = from.csrf; };

test('a session started on one instance works on the other, and signing out on either ends it on both', async () => {
  const user = await createUser(database.db, 'dsl', { enrolTotp: true });
  const onA = new Client(a.app);
  await onA.signIn(user);
  const onB = new Client(b.app);
  transfer(onA, onB);
  assert.equal((await onB.get('/account')).statusCode, 200);
  assert.equal((await onB.post('/sign-out')).statusCode, 303);
  assert.equal((await onA.get('/account')).statusCode, 303);
});

test('failed sign-ins on one instance count towards the lockout on the other', async () => {
  const user = await createUser(database.db, 'practitioner');
  const onA = new Client(a.app);
  const onB = new Client(b.app);
  await onA.get('/sign-in');
  await onB.get('/sign-in');
  for (let i = 0; i < 3; i += 1) await onA.post('/sign-in', { email: user.email, password: 'nope' });
  for (let i = 0; i < 2; i += 1) await onB.post('/sign-in', { email: user.email, password: 'nope' });
  assert.equal((await onA.post('/sign-in', { email: user.email, password: TEST_PASSWORD })).statusCode, 429);
});

test('both instances write one verifiable audit log concurrently', async () => {
  const users = await Promise.all(Array.from({ length: 6 }, () => createUser(database.db, 'practitioner')));
  await Promise.all(users.map(async (u, i) => {
    const c = new Client(i % 2 ? a.app : b.app);
    await c.signIn(u);
    for (let j = 0; j < 3; j += 1) await c.get('/account');
  }));
  const result = await verifyAudit(database.db);
  assert.equal(result.broken, null);
  const { rows } = await database.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.sign-in'");
  assert.ok(rows[0].n >= 6);
});
