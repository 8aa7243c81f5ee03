// Health, error pages, API errors and settings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/platform/db/pool.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

describe('service', () => {
  test('GET /health answers ok after a database round trip', async () => {
    const res = await t.app.inject({ url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('a broken database gives a friendly 500 — no stack trace, no SQL', async () => {
    const dead = createPool('postgres://postgres@127.0.0.1:1/none', 1);
    const app = await buildApp({ config: t.config, db: dead, logger: false });
    const api = await app.inject({ url: '/health' });
    assert.equal(api.statusCode, 500);
    const html = await app.inject({ url: '/sign-in', headers: { cookie: 'continuum_session=abc' } });
    assert.equal(html.statusCode, 500);
    assert.match(html.body, /Sorry, there is a problem with the service/);
    for (const body of [api.body, html.body]) {
      assert.doesNotMatch(body, /ECONNREFUSED|at .*\.ts:\d+|SELECT|node_modules/);
    }
    await app.close();
    await dead.end();
  });

  test('unknown pages get the GOV.UK 404 page; unknown API paths get JSON', async () => {
    const page = await t.app.inject({ url: '/no-such-page' });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /Page not found/);
    const api = await t.app.inject({ url: '/api/v1/no-such-thing' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error, 'Not Found');
  });

  test('a role without permission gets the 403 page', async () => {
    const c = new Client(t.app);
    await c.signIn(await createUser(t.db, 'practitioner'));
    const res = await c.get('/audit');
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /You do not have access to this page/);
  });

  test('bad API input gets a 400 naming the field', async () => {
    const c = new Client(t.app);
    await c.signIn(await createUser(t.db, 'practitioner'));
    const bad = await c.json('PUT', '/api/v1/drafts/concern', { data: 'not an object' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().field, 'data');
    const badKey = await c.json('PUT', '/api/v1/drafts/BAD KEY', { data: {} });
    assert.equal(badKey.statusCode, 400);
    assert.equal(badKey.json().field, 'key');
    const malformed = await c.json('PUT', '/api/v1/drafts/concern', undefined, { 'content-type': 'application/json' });
    assert.equal(malformed.statusCode, 400);
  });

  test('drafts saved by script are kept per user and read back', async () => {
    const c = new Client(t.app);
    const user = await createUser(t.db, 'practitioner');
    await c.signIn(user);
    const saved = await c.json('PUT', '/api/v1/drafts/concern:new', { data: { what: 'Bruise on left arm', words: '“Dad did it”' } });
    assert.equal(saved.statusCode, 200);
    const read = await c.json('GET', '/api/v1/drafts/concern:new');
    assert.deepEqual(read.json().data, { what: 'Bruise on left arm', words: '“Dad did it”' });
    const other = new Client(t.app);
    await other.signIn(await createUser(t.db, 'practitioner'));
    assert.equal((await other.json('GET', '/api/v1/drafts/concern:new')).statusCode, 404);
  });
});

describe('settings', () => {
  test('production refuses to start without SESSION_SECRET or without DATABASE_URL', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@localhost/db' }), ConfigError);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }), /embedded database/);
    const ok = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://x@localhost/db' });
    assert.equal(ok.databaseUrl, 'postgres://x@localhost/db');
  });

  test('bad settings are named', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
  });

  test('the demo defaults: port 3000, data under ./data, a generated session secret', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.match(c.dataDir, /\/data$/);
    assert.equal(c.sessionSecret.length, 64);
  });
});
