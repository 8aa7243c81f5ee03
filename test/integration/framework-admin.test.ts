import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { createFrameworkRegistry } from '../../src/thresholds/registry.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createUser } from '../support/fixtures.ts';
import { Client } from '../support/http.ts';

let t: TestApp;
let admin: Client;
let medwayYaml: string;
before(async () => {
  t = await createTestApp();
  admin = new Client(t.app);
  await admin.signIn(await createUser(t.db, 'system_admin', { enrolTotp: true }));
  medwayYaml = await readFile(new URL('../../src/thresholds/frameworks/medway.yaml', import.meta.url), 'utf8');
});
after(async () => { await t.close(); });

test('a system admin loads a new version; it becomes current and the old one stays readable', async () => {
  const registry = createFrameworkRegistry(t.db);
  const before = await registry.get('medway');
  const next = parse(medwayYaml);
  next.version = '2026-11-test';
  next.levels[0].description = `${next.levels[0].description} (revised)`;
  const page = await admin.get('/admin/frameworks');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Medway/);

  const res = await admin.post('/admin/frameworks', { content: stringify(next) });
  assert.equal(res.statusCode, 303);
  assert.match(String(res.headers.location), /loaded=.*2026-11-test/);
  const current = await registry.get('medway');
  assert.equal(current?.version, '2026-11-test');
  const old = await registry.get('medway', before!.version);
  assert.equal(old?.levels[0]?.description, before!.levels[0]!.description);
  const versions = await registry.versions('medway');
  assert.deepEqual(versions.map((v) => v.current), [true, false]);

  // The same content again changes nothing; the same version with other words is refused.
  const again = await admin.post('/admin/frameworks', { content: stringify(next) });
  assert.match(decodeURIComponent(String(again.headers.location)), /already loaded, unchanged/);
  next.levels[0].description = 'different words';
  const clash = await admin.post('/admin/frameworks', { content: stringify(next) });
  assert.equal(clash.statusCode, 400);
  assert.match(clash.body, /already loaded with different content/);

  const { rows } = await t.db.query("SELECT record_id FROM audit_log WHERE action = 'framework.load' ORDER BY id");
  assert.deepEqual(rows.map((r) => r.record_id), ['medway@2026-11-test', 'medway@2026-11-test']);
});

test('a broken framework is refused with every problem listed and the pasted text kept', async () => {
  const broken = parse(medwayYaml);
  broken.version = 'broken';
  broken.indicators[3].level = 'level-9';
  const res = await admin.post('/admin/frameworks', { content: stringify(broken) });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /govuk-error-summary/);
  assert.match(res.body, /indicators\[3\]\.level/);
  assert.ok(res.body.includes('level-9'), 'what was pasted is still in the textarea');

  const syntax = await admin.post('/admin/frameworks', { content: 'id: medway\nlevels: [unclosed' });
  assert.equal(syntax.statusCode, 400);
  assert.match(syntax.body, /YAML syntax error at line \d+/);

  const empty = await admin.post('/admin/frameworks', { content: '   ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Paste the framework file/);
});

test('pasted text is parsed as pasted: an indented paste loads, and error lines match the text', async () => {
  const next = parse(medwayYaml);
  next.version = '2026-12-indented';
  const indented = `\n\n${stringify(next).split('\n').map((l) => (l === '' ? l : `  ${l}`)).join('\n')}`;
  const res = await admin.post('/admin/frameworks', { content: indented });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  assert.match(decodeURIComponent(String(res.headers.location)), /version 2026-12-indented/);

  const broken = parse(medwayYaml);
  broken.version = 'broken-lines';
  broken.indicators[3].level = 'level-9';
  const text = `\n\n\n${stringify(broken)}`;
  const line = text.split('\n').findIndex((l) => l.includes('level: level-9')) + 1;
  const bad = await admin.post('/admin/frameworks', { content: text });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.body.includes(`indicators[3].level: unknown level &quot;level-9&quot;: levels are level-1, level-2, level-3 (line ${line})`), 'the line is counted in the text as pasted');
});

test('deeply nested rule conditions are refused with a 400 naming the rule, not a crash', async () => {
  const fw = parse(medwayYaml);
  fw.version = 'deep';
  fw.rules[1].when = '__WHEN__';
  // Built as text: JSON.stringify would itself overflow on a value this deep.
  const content = JSON.stringify(fw).replace('"__WHEN__"', `${'{"not":'.repeat(20_000)}{"unborn":true}${'}'.repeat(20_000)}`);
  const res = await admin.post('/admin/frameworks', { content });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /rules\[1\]\.when: conditions are nested too deeply/);
});
