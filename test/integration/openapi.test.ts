import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

test('/api/v1/openapi.json documents every /api/v1 route the service registers', async () => {
  const res = await t.app.inject({ url: '/api/v1/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  const undocumented = t.app.routeCatalogue
    .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json' && r.method !== 'HEAD')
    .map((r) => ({ method: r.method.toLowerCase(), path: r.url.replace(/:([A-Za-z]+)/g, '{$1}') }))
    .filter(({ method, path }) => !doc.paths[path]?.[method])
    .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
  assert.deepEqual(undocumented, []);
});
