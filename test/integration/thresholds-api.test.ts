// The threshold JSON API: public, no sign-in, every 400 naming its field, old versions readable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeFrameworkVersion } from '../../src/thresholds/registry.ts';
import type { Framework } from '../../src/thresholds/schema.ts';
import { loadShippedFrameworks } from '../../src/thresholds/validate.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

const MEDWAY_DOMESTIC_ABUSE = 'medway.l2.family-environment.10';

const get = (url: string) => t.app.inject({ method: 'GET', url });
const postJson = (url: string, body: unknown) =>
  t.app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const assessMedway = (body: unknown) => postJson('/api/v1/frameworks/medway/assess', body);

function expectBadRequest(res: Awaited<ReturnType<typeof get>>, field: string) {
  assert.equal(res.statusCode, 400, res.body);
  assert.match(res.headers['content-type'] as string, /application\/json/);
  const body = res.json();
  assert.equal(body.error, 'Bad Request');
  assert.equal(body.field, field, res.body);
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.startsWith(`${field}: `), body.message);
  return body;
}

describe('GET /api/v1/frameworks', () => {
  test('lists the current version of every framework with its levels, lowest first, without sign-in', async () => {
    const res = await get('/api/v1/frameworks');
    assert.equal(res.statusCode, 200);
    const list = res.json() as { id: string; name: string; version: string; levels: { id: string; rank: number; name: string }[] }[];
    assert.deepEqual(list.map((f) => f.id).sort(), ['dudley', 'kent-medway-tiers', 'medway', 'stoke-on-trent']);
    const medway = list.find((f) => f.id === 'medway')!;
    assert.equal(medway.name, 'Medway Threshold Guidance');
    assert.equal(medway.version, '2024-12');
    assert.deepEqual(medway.levels.map((l) => [l.id, l.rank]), [['level-1', 1], ['level-2', 2], ['level-3', 3]]);
    for (const l of medway.levels) assert.deepEqual(Object.keys(l).sort(), ['id', 'name', 'rank']);
    assert.equal(list.find((f) => f.id === 'stoke-on-trent')!.levels.length, 5);
  });
});

describe('GET /api/v1/frameworks/:id', () => {
  test('gives levels, domains, indicators with citations, rules and versions', async () => {
    const res = await get('/api/v1/frameworks/medway');
    assert.equal(res.statusCode, 200);
    const fw = res.json();
    assert.equal(fw.id, 'medway');
    assert.equal(fw.version, '2024-12');
    assert.match(fw.publisher, /Medway Safeguarding Children Partnership/);
    assert.equal(fw.source.document, 'seeds/000_f047b6a3c0b373cb.txt');
    const levelIds = fw.levels.map((l: { id: string }) => l.id);
    assert.deepEqual(levelIds, ['level-1', 'level-2', 'level-3']);
    const level3 = fw.levels[2];
    for (const key of ['description', 'response', 'consent']) assert.ok(level3[key], `level has ${key}`);
    assert.match(level3.response.summary, /Statutory Social Care/);
    assert.equal(level3.consent.required, false);
    assert.match(level3.consent.note, /Consent should be sought wherever possible/);
    assert.deepEqual(fw.domains.map((d: { id: string }) => d.id), ['child-development', 'family-environment', 'parents-carers']);
    assert.ok(Array.isArray(fw.domains[0].subdomains));
    const da = fw.indicators.find((i: { id: string }) => i.id === MEDWAY_DOMESTIC_ABUSE);
    assert.equal(da.text, 'Concerns about domestic abuse and coercive control');
    assert.equal(da.level, 'level-2');
    assert.equal(da.domain, 'family-environment');
    assert.deepEqual(da.tags, ['domestic-abuse']);
    assert.deepEqual(da.source, { section: 'Medway Levels of Need and Support — Level 2 — Family & Environment', lines: '322' });
    for (const i of fw.indicators) assert.ok(levelIds.includes(i.level), `${i.id} names a level id`);
    assert.ok(fw.rules.some((r: { id: string }) => r.id === 'domestic-abuse-unborn-or-under-one'));
    assert.equal(fw.versions.length, 1);
    assert.equal(fw.versions[0].version, '2024-12');
    assert.equal(fw.versions[0].current, true);
    assert.ok(!Number.isNaN(Date.parse(fw.versions[0].loadedAt)));
  });

  test('an unknown framework or version is a 404 in JSON', async () => {
    const missing = await get('/api/v1/frameworks/nowhere');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error, 'Not Found');
    assert.match(missing.json().message, /nowhere/);
    const version = await get('/api/v1/frameworks/medway?version=1999-01');
    assert.equal(version.statusCode, 404);
    assert.match(version.json().message, /no version "1999-01"/);
  });
});

describe('POST /api/v1/frameworks/:id/assess', () => {
  test('Medway: an unborn child with a domestic-abuse indicator is at Level 3, with the rule as a reason', async () => {
    const res = await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE], child: { unborn: true } });
    assert.equal(res.statusCode, 200, res.body);
    const a = res.json();
    assert.deepEqual(a.framework, { id: 'medway', name: 'Medway Threshold Guidance', version: '2024-12' });
    assert.deepEqual(a.level, { id: 'level-3', rank: 3, name: 'Level 3: Children with complex/multiple needs or in need of protection' });
    assert.equal(a.indicatorLevel.id, 'level-2');
    assert.equal(a.immediateDanger, false);
    const rule = a.reasons.find((r: { kind: string; id: string }) => r.kind === 'rule' && r.id === 'domestic-abuse-unborn-or-under-one');
    assert.ok(rule, 'the unborn/under-one domestic abuse rule is a reason');
    assert.match(rule.text, /unborn children and those\s+under one are automatically at significant risk of harm/);
    assert.equal(rule.source.lines, '322');
    const indicator = a.reasons.find((r: { kind: string }) => r.kind === 'indicator');
    assert.deepEqual([indicator.id, indicator.text], [MEDWAY_DOMESTIC_ABUSE, 'Concerns about domestic abuse and coercive control']);
    for (const r of a.reasons) {
      assert.ok(['indicator', 'rule'].includes(r.kind));
      assert.ok(r.id && r.text && r.source?.section, 'every reason has an id, text and source');
    }
    assert.ok(a.advice.some((x: string) => /MARAC/.test(x)), 'advice includes considering MARAC');
    assert.match(a.advice.at(-1), /does not replace professional judgement/);
    assert.match(a.response.summary, /Statutory Social Care/);
    assert.ok(Array.isArray(a.response.contacts) && a.response.contacts.length > 0);
    assert.match(a.response.consent.note, /Consent should be sought wherever possible/);
    assert.equal(a.response.callNow, undefined);
  });

  test('the same indicator for a four-year-old stays at Level 2', async () => {
    const res = await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE], child: { ageInMonths: 48 } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().level.id, 'level-2');
    assert.ok(!res.json().reasons.some((r: { id: string }) => r.id === 'domestic-abuse-unborn-or-under-one'));
  });

  test('immediate danger: the response says to call 999 now, the framework’s own instruction first', async () => {
    const res = await assessMedway({ indicators: [], child: {}, immediateDanger: true });
    assert.equal(res.statusCode, 200, res.body);
    const a = res.json();
    assert.equal(a.immediateDanger, true);
    assert.match(a.advice[0], /^If the child is at risk of immediate harm call the police – 999/);
    assert.match(a.response.immediateDangerInstruction, /999/);
    assert.match(a.response.callNow, /^Call 999 now/);
    assert.equal(a.level.id, 'level-3');

    // Kent and Medway's instruction does not mention 999; the response still does.
    const kent = await postJson('/api/v1/frameworks/kent-medway-tiers/assess', { indicators: [], child: {}, immediateDanger: true });
    assert.equal(kent.statusCode, 200, kent.body);
    assert.match(kent.json().advice[0], /immediate referral to Children's Social Services/);
    assert.match(kent.json().response.callNow, /999/);
  });

  test('unknown indicator ids are a 400 naming the position in the list', async () => {
    const body = expectBadRequest(
      await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE, 'medway.l1.child-development.01', 'no-such-indicator'], child: {} }),
      'indicators[2]',
    );
    assert.match(body.message, /no-such-indicator/);
  });

  test('a negative, fractional or non-numeric age is a 400 naming child.ageInMonths', async () => {
    expectBadRequest(await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE], child: { ageInMonths: -1 } }), 'child.ageInMonths');
    const frac = expectBadRequest(await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE], child: { ageInMonths: 5.5 } }), 'child.ageInMonths');
    assert.match(frac.message, /whole number/);
    expectBadRequest(await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE], child: { ageInMonths: '12' } }), 'child.ageInMonths');
  });

  test('both an age and unborn is a 400 naming child', async () => {
    const body = expectBadRequest(await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE], child: { ageInMonths: 3, unborn: true } }), 'child');
    assert.match(body.message, /not both/);
  });

  test('malformed bodies are a 400 naming the field, or the body', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/frameworks/medway/assess', payload: '{"indicators": [', headers: { 'content-type': 'application/json' } });
    expectBadRequest(bad, 'body');
    expectBadRequest(await assessMedway([MEDWAY_DOMESTIC_ABUSE]), 'body');
    expectBadRequest(await assessMedway({ child: {} }), 'indicators');
    expectBadRequest(await assessMedway({ indicators: MEDWAY_DOMESTIC_ABUSE, child: {} }), 'indicators');
    expectBadRequest(await assessMedway({ indicators: [42], child: {} }), 'indicators[0]');
    expectBadRequest(await assessMedway({ indicators: [], child: {}, immediateDanger: 'yes' }), 'immediateDanger');
    expectBadRequest(await assessMedway({ indicators: [], child: { unborn: 'no' } }), 'child.unborn');
    // A misspelt field must not be ignored: "immediate_danger: true" silently dropped would hide a 999 call.
    const typo = expectBadRequest(await assessMedway({ indicators: [], child: {}, immediate_danger: true }), 'immediate_danger');
    assert.match(typo.message, /unknown field/);
    expectBadRequest(await assessMedway({ indicators: [], child: { age: 3 } }), 'child.age');
  });

  test('an unknown framework or version is a 404', async () => {
    const res = await postJson('/api/v1/frameworks/nowhere/assess', { indicators: [], child: {} });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error, 'Not Found');
    const version = await assessMedway({ indicators: [], child: {}, version: '1999-01' });
    assert.equal(version.statusCode, 404);
    assert.match(version.json().message, /1999-01/);
  });

  test('a form post without a CSRF token is refused: only JSON is exempt', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/frameworks/medway/assess', payload: 'indicators=x', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 403);
  });
});

describe('GET /api/v1/frameworks/:id/crosswalk', () => {
  test('translates Medway Level 3 to Dudley with the band and caveats', async () => {
    const res = await get('/api/v1/frameworks/medway/crosswalk?to=dudley&level=level-3');
    assert.equal(res.statusCode, 200, res.body);
    const x = res.json();
    assert.equal(x.from.framework.id, 'medway');
    assert.equal(x.from.level.id, 'level-3');
    assert.equal(x.to.framework.id, 'dudley');
    assert.deepEqual(x.to.levels.map((l: { id: string }) => l.id), ['level-4']);
    assert.equal(x.to.levels[0].rank, 4);
    assert.equal(x.band.id, 'significant-harm');
    assert.deepEqual(x.bands.map((b: { id: string }) => b.id), ['child-in-need', 'significant-harm']);
    assert.ok(x.caveats.length > 0);
    assert.ok(x.caveats.some((c: string) => /\(Source: /.test(c)), 'caveats cite their sources');
  });

  test('a level that spans two tiers returns both and says so', async () => {
    const res = await get('/api/v1/frameworks/medway/crosswalk?to=kent-medway-tiers&level=level-3');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().to.levels.map((l: { id: string }) => l.id), ['tier-3', 'tier-4']);
    assert.match(res.json().caveats[0], /corresponds to 2 levels/);
  });

  test('bad parameters are a 400 naming the parameter; an unknown framework is a 404', async () => {
    expectBadRequest(await get('/api/v1/frameworks/medway/crosswalk?level=level-3'), 'to');
    expectBadRequest(await get('/api/v1/frameworks/medway/crosswalk?to=dudley'), 'level');
    expectBadRequest(await get('/api/v1/frameworks/medway/crosswalk?to=atlantis&level=level-3'), 'to');
    expectBadRequest(await get('/api/v1/frameworks/medway/crosswalk?to=dudley&level=level-9'), 'level');
    const missing = await get('/api/v1/frameworks/nowhere/crosswalk?to=dudley&level=level-3');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error, 'Not Found');
  });
});

describe('versions', () => {
  test('after a new version is stored, it is current and the old version stays readable and usable', async () => {
    const shipped = (await loadShippedFrameworks()).find((f) => f.id === 'medway')!;
    // A revised file, as an admin would load it: new version string, one indicator reworded.
    const next: Framework = {
      ...shipped,
      version: '2099-01',
      indicators: shipped.indicators.map((i) => (i.id === MEDWAY_DOMESTIC_ABUSE ? { ...i, text: 'Concerns about domestic abuse (revised wording)' } : i)),
    };
    assert.equal(await storeFrameworkVersion(t.db, next, { source: 'test: revised copy' }), 'loaded');

    const list = (await get('/api/v1/frameworks')).json() as { id: string; version: string }[];
    assert.equal(list.find((f) => f.id === 'medway')!.version, '2099-01');
    const current = (await get('/api/v1/frameworks/medway')).json();
    assert.equal(current.version, '2099-01');
    assert.deepEqual(current.versions.map((v: { version: string; current: boolean }) => [v.version, v.current]), [['2099-01', true], ['2024-12', false]]);

    const oldRes = await get('/api/v1/frameworks/medway?version=2024-12');
    assert.equal(oldRes.statusCode, 200);
    assert.equal(oldRes.json().version, '2024-12');
    assert.equal(oldRes.json().indicators.find((i: { id: string }) => i.id === MEDWAY_DOMESTIC_ABUSE).text, 'Concerns about domestic abuse and coercive control');

    const newAssess = (await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE], child: { unborn: true } })).json();
    assert.equal(newAssess.framework.version, '2099-01');
    assert.equal(newAssess.reasons.find((r: { kind: string }) => r.kind === 'indicator').text, 'Concerns about domestic abuse (revised wording)');
    const oldAssess = (await assessMedway({ indicators: [MEDWAY_DOMESTIC_ABUSE], child: { unborn: true }, version: '2024-12' })).json();
    assert.equal(oldAssess.framework.version, '2024-12');
    assert.equal(oldAssess.level.id, 'level-3');
    assert.equal(oldAssess.reasons.find((r: { kind: string }) => r.kind === 'indicator').text, 'Concerns about domestic abuse and coercive control');
  });
});
