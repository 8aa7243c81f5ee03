import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t.close(); });

test('adds working days over the bank holidays, without sign-in', async () => {
  const cases: [string, number, string][] = [
    ['2022-06-01', 1, '2022-06-06'], // Spring bank holiday moved to 2 June, Platinum Jubilee 3 June
    ['2022-09-16', 1, '2022-09-20'], // State funeral 19 September
    ['2023-05-05', 1, '2023-05-09'], // Coronation 8 May
    ['2026-12-24', 1, '2026-12-29'], // Boxing Day substitute 28 December
  ];
  for (const [from, days, date] of cases) {
    const res = await t.app.inject({ url: `/api/v1/calendar/working-days/add?from=${from}&days=${days}` });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { date });
  }
});

test('an impossible date or a non-numeric days is a 400 naming the parameter', async () => {
  const badDate = await t.app.inject({ url: '/api/v1/calendar/working-days/add?from=2023-02-29&days=1' });
  assert.equal(badDate.statusCode, 400);
  assert.equal(badDate.json().field, 'from');
  const badDays = await t.app.inject({ url: '/api/v1/calendar/working-days/add?from=2023-02-28&days=three' });
  assert.equal(badDays.statusCode, 400);
  assert.equal(badDays.json().field, 'days');
});

test('counts working days between two dates', async () => {
  const res = await t.app.inject({ url: '/api/v1/calendar/working-days/between?from=2025-12-24&to=2026-01-02' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { workingDays: 4 }); // 24→ 29, 30, 31 Dec, 2 Jan (25, 26 Dec and 1 Jan are holidays)
});
