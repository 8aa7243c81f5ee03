// Walk every route × every role (and no one signed in) and check the answer agrees with the policy module.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { can, type Permission } from '../../src/platform/access/policy.ts';
import { ROLES, type Role } from '../../src/platform/access/roles.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createOrganisation, createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

// Sample values for path parameters so each route can be reached.
const SAMPLE_PARAMS: Record<string, string> = { key: 'sample-form', '*': 'govuk-frontend.min.css', id: 'medway' };
const fill = (url: string) => url.replace(/:([A-Za-z]+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x').replace('*', SAMPLE_PARAMS['*']!);

// Routes that end the session or change it; they are exercised last for each role.
const SESSION_ENDING = ['POST /account/sign-out-other-sessions', 'POST /sign-out'];
const order = (r: { method: string; url: string }) => SESSION_ENDING.indexOf(`${r.method} ${r.url}`);

test('every route answers each role as the policy says', async () => {
  const { organisationId } = await createOrganisation(t.db);
  const routes = t.app.routeCatalogue
    .filter((r) => r.method === 'GET' || r.method === 'POST' || r.method === 'PUT')
    .sort((a, b) => order(a) - order(b));
  assert.ok(routes.length >= 15, `expected the full route table, found ${routes.length}`);
  const checked: string[] = [];

  for (const role of [null, ...ROLES] as (Role | null)[]) {
    const c = new Client(t.app);
    if (role) await c.signIn(await createUser(t.db, role, { organisationId, enrolTotp: true }));
    else await c.get('/sign-in');
    for (const route of routes) {
      const url = fill(route.url);
      const res = route.method === 'GET' ? await c.get(url, url.startsWith('/api/') ? { accept: 'application/json' } : {})
        : route.method === 'PUT' ? await c.json('PUT', url, { data: {} })
        : url.startsWith('/api/') ? await c.json('POST', url, {}) : await c.post(url, {});
      const label = `${route.method} ${route.url} as ${role ?? 'anonymous'} → ${res.statusCode}`;
      checked.push(label);
      const deniedForAnonymous = res.statusCode === 401 || (res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in?'));
      if (route.access === 'public') {
        assert.ok(res.statusCode !== 401 && res.statusCode !== 403, label);
      } else if (!role) {
        assert.ok(deniedForAnonymous, label);
      } else if (route.access === 'signing-in') {
        assert.ok(res.statusCode !== 401 && res.statusCode !== 403, label);
      } else {
        const allowed = can({ userId: 'x', role, organisationId, partnershipId: 'x' }, route.access as Permission);
        if (allowed) assert.ok(res.statusCode !== 403 && res.statusCode !== 401 && !deniedForAnonymous, label);
        else assert.equal(res.statusCode, 403, label);
      }
    }
  }
  assert.equal(checked.length, routes.length * (ROLES.length + 1));
});

test('a route registered without a declared access is refused at start-up (deny by default)', async () => {
  const { default: Fastify } = await import('fastify');
  const { registerGuard } = await import('../../src/platform/http/guard.ts');
  const app = Fastify();
  await app.register((await import('@fastify/cookie')).default);
  registerGuard(app, t.db, { idleMinutes: 30, secureCookies: true });
  assert.throws(() => app.get('/undeclared', async () => 'hello'), /does not declare its access/);
  await app.close();
});
