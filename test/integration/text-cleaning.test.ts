// A NUL character cannot be stored by PostgreSQL: it is taken out of every request's body and query, so a field
// carrying one is saved (without it) or refused for its own reasons, never a 500.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { withoutNul } from '../../src/platform/http/text.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createChild } from '../support/children.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

test('withoutNul cleans strings at any depth and leaves everything else alone', () => {
  assert.deepEqual(withoutNul({ a: 'x\u0000y', b: ['\u0000', 1, null, { c: 'ok\u0000' }], d: true }), { a: 'xy', b: ['', 1, null, { c: 'ok' }], d: true });
  assert.equal(withoutNul('plain'), 'plain');
});

test('a form, a JSON body, a draft and a search carrying a NUL are handled, not a 500', async () => {
  const { organisationId } = await createOrganisation(t.db);
  const user = await createUser(t.db, 'practitioner', { organisationId });
  const child = await createChild(t.db, { organisationId, firstName: 'Nia', lastName: 'Null' });
  const c = new Client(t.app);
  await c.signIn(user);

  const page = await c.post(`/children/${child.id}/professionals`, { name: 'Dr \u0000Who', role: 'GP' });
  assert.equal(page.statusCode, 303, page.body);
  const api = await c.json('POST', `/api/v1/children/${child.id}/professionals`, { name: 'Jo\u0000 Patel', role: 'Health visitor' });
  assert.equal(api.statusCode, 201, api.body);
  const { rows } = await t.db.query('SELECT name FROM child_professionals WHERE child_id = $1 ORDER BY id', [child.id]);
  assert.deepEqual(rows.map((r) => r.name), ['Dr Who', 'Jo Patel']);

  const draft = await c.json('PUT', '/api/v1/drafts/note', { data: { note: 'a\u0000b' } });
  assert.equal(draft.statusCode, 200, draft.body);
  const search = await c.json('GET', `/api/v1/children?name=${encodeURIComponent('Nia\u0000 Null')}`);
  assert.equal(search.statusCode, 200, search.body);
  assert.equal(search.json().results[0]?.id, child.id);
});
