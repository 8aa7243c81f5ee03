// The statements every request runs must be planned once per connection, not on every execution: PostgreSQL
// keeps re-planning a prepared statement when a plan for the values at hand looks cheaper than its general
// plan (optional filters written as "$n IS NULL OR …", or arrays whose length it reads from the values).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listEvents } from '../../src/chronology/store.ts';
import { concernRecordingContexts } from '../../src/concerns/store.ts';
import { listQueue } from '../../src/concerns/triage-store.ts';
import { searchChildren } from '../../src/people/search.ts';
import { createSession, loadSession } from '../../src/platform/auth/sessions.ts';
import { createPool, type Db } from '../../src/platform/db/pool.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createConcern } from '../support/concerns.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';

let t: TestApp;
let one: Db;
before(async () => { t = await createTestApp(); one = createPool(t.url, 1); });
after(async () => { await one.end(); await t.close(); });

test('the hot statements settle on one plan per connection', async () => {
  const { organisationId, partnershipId } = await createOrganisation(t.db);
  const dsl = await createUser(t.db, 'dsl', { organisationId });
  const child = await createChild(t.db, { organisationId, firstName: 'Olivia', lastName: 'Jones' });
  for (let i = 0; i < 3; i++) await createConcern(t.db, { childId: child.id, organisationId, raisedBy: dsl.id });
  const token = await createSession(t.db, dsl.id, { ip: null, idleMinutes: 30, secondFactorDone: true });
  const principal = { userId: dsl.id, role: 'dsl' as const, organisationId, partnershipId };
  for (let i = 0; i < 10; i++) {
    await loadSession(one, token, 30, true);
    await listEvents(one, child.id, { organisationId, includeRestricted: true, limit: 50 });
    await listQueue(one, organisationId, { includeRestricted: true, limit: 200 });
    await searchChildren(one, principal, { name: 'olivia jones' });
    await concernRecordingContexts(one, [{ childId: child.id, userId: dsl.id, organisationId }]);
  }
  const { rows } = await one.query<{ statement: string; generic_plans: number; custom_plans: number }>(
    'SELECT statement, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE custom_plans + generic_plans >= 10');
  assert.equal(rows.length, 5, rows.map((r) => r.statement.slice(0, 60)).join('\n'));
  for (const r of rows) assert.ok(r.generic_plans > 0, `planned on every execution: ${r.statement.replace(/\s+/g, ' ').slice(0, 100)}`);
});
