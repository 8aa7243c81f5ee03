import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_WORKING_DAYS,
  addWorkingDaysEndpoint,
  addWorkingDaysResponseSchema,
  parseAddWorkingDaysQuery,
  parseWorkingDaysBetweenQuery,
  workingDaysBetweenEndpoint,
  workingDaysBetweenResponseSchema,
} from '../../src/platform/calendar/api.ts';

test('add: valid queries', () => {
  assert.deepEqual(parseAddWorkingDaysQuery({ from: '2022-06-01', days: '1' }), { ok: true, from: '2022-06-01', days: 1 });
  assert.deepEqual(parseAddWorkingDaysQuery({ from: '2024-01-01', days: '0' }), { ok: true, from: '2024-01-01', days: 0 });
  assert.deepEqual(parseAddWorkingDaysQuery({ from: '2024-01-01', days: '007' }), { ok: true, from: '2024-01-01', days: 7 });
  assert.deepEqual(parseAddWorkingDaysQuery({ from: '2024-01-01', days: 5 }), { ok: true, from: '2024-01-01', days: 5 });
  assert.deepEqual(parseAddWorkingDaysQuery({ from: '2024-01-01', days: String(MAX_WORKING_DAYS) }), {
    ok: true,
    from: '2024-01-01',
    days: 10_000,
  });
  // Extra parameters are ignored; a null-prototype object (as some query parsers build) works.
  const q = Object.assign(Object.create(null) as Record<string, unknown>, { from: '2023-05-05', days: '1', x: 'y' });
  assert.deepEqual(parseAddWorkingDaysQuery(q), { ok: true, from: '2023-05-05', days: 1 });
});

test('add: errors name the offending parameter', () => {
  const cases: [unknown, 'from' | 'days', RegExp][] = [
    [{ from: '2023-02-29', days: '1' }, 'from', /not a real calendar date/],
    [{ from: '2024-13-01', days: '1' }, 'from', /not a real calendar date/],
    [{ from: '2024-1-1', days: '1' }, 'from', /YYYY-MM-DD/],
    [{ from: '2024-01-01T00:00', days: '1' }, 'from', /YYYY-MM-DD/],
    [{ from: '', days: '1' }, 'from', /YYYY-MM-DD/],
    [{ from: ['2024-01-01', '2024-01-02'], days: '1' }, 'from', /single date/],
    [{ days: '1' }, 'from', /required/],
    [{ from: '2014-12-31', days: '1' }, 'from', /between 2015-01-01 and 2099-12-31/],
    [{ from: '2100-01-01', days: '1' }, 'from', /between/],
    [{ from: '2024-01-01' }, 'days', /required/],
    [{ from: '2024-01-01', days: '' }, 'days', /whole number/],
    [{ from: '2024-01-01', days: 'abc' }, 'days', /whole number/],
    [{ from: '2024-01-01', days: '-1' }, 'days', /whole number/],
    [{ from: '2024-01-01', days: '1.5' }, 'days', /whole number/],
    [{ from: '2024-01-01', days: '1e3' }, 'days', /whole number/],
    [{ from: '2024-01-01', days: ' 5' }, 'days', /whole number/],
    [{ from: '2024-01-01', days: '0x10' }, 'days', /whole number/],
    [{ from: '2024-01-01', days: -3 }, 'days', /whole number/],
    [{ from: '2024-01-01', days: Number.NaN }, 'days', /whole number/],
    [{ from: '2024-01-01', days: '10001' }, 'days', /at most 10000/],
    [{ from: '2024-01-01', days: '99999999999999999999999' }, 'days', /at most 10000/],
    [{ from: '2024-01-01', days: ['1', '2'] }, 'days', /single whole number/],
    [{ from: '2090-01-01', days: '10000' }, 'days', /beyond 2099-12-31/],
    [undefined, 'from', /required/],
    [null, 'from', /required/],
    ['from=2024-01-01&days=1', 'from', /required/],
  ];
  for (const [query, field, message] of cases) {
    const r = parseAddWorkingDaysQuery(query);
    assert.equal(r.ok, false, JSON.stringify(query));
    if (!r.ok) {
      assert.equal(r.field, field, JSON.stringify(query));
      assert.match(r.message, message, JSON.stringify(query));
    }
  }
  // Both wrong: the first parameter is reported.
  const both = parseAddWorkingDaysQuery({ from: 'x', days: 'y' });
  assert.equal(!both.ok && both.field, 'from');
});

test('add endpoint computes the date', () => {
  assert.deepEqual(addWorkingDaysEndpoint({ from: '2022-06-01', days: '1' }), { ok: true, body: { date: '2022-06-06' } });
  assert.deepEqual(addWorkingDaysEndpoint({ from: '2026-12-24', days: '1' }), { ok: true, body: { date: '2026-12-29' } });
  assert.deepEqual(addWorkingDaysEndpoint({ from: '2024-01-06', days: '0' }), { ok: true, body: { date: '2024-01-06' } });
  const r = addWorkingDaysEndpoint({ from: '2024-01-01', days: '10000' });
  assert.ok(r.ok);
  assert.ok(addWorkingDaysResponseSchema.safeParse(r.body).success);
  assert.deepEqual(addWorkingDaysEndpoint({ from: '2023-02-29', days: '1' }), {
    ok: false,
    field: 'from',
    message: 'from is not a real calendar date',
  });
});

test('between: parsing and errors', () => {
  assert.deepEqual(parseWorkingDaysBetweenQuery({ from: '2024-01-01', to: '2024-01-31' }), {
    ok: true,
    from: '2024-01-01',
    to: '2024-01-31',
  });
  const cases: [unknown, 'from' | 'to', RegExp][] = [
    [{ from: '2023-02-29', to: '2024-01-01' }, 'from', /not a real calendar date/],
    [{ from: '2024-01-01', to: '2024-02-30' }, 'to', /not a real calendar date/],
    [{ from: '2024-01-01' }, 'to', /required/],
    [{ to: '2024-01-01' }, 'from', /required/],
    [{ from: '2024-01-01', to: '2101-01-01' }, 'to', /between/],
    [{ from: '2024-01-01', to: ['2024-01-02'] }, 'to', /single date/],
  ];
  for (const [query, field, message] of cases) {
    const r = parseWorkingDaysBetweenQuery(query);
    assert.equal(r.ok, false, JSON.stringify(query));
    if (!r.ok) {
      assert.equal(r.field, field, JSON.stringify(query));
      assert.match(r.message, message, JSON.stringify(query));
    }
  }
});

test('between endpoint computes the count, negative when reversed', () => {
  assert.deepEqual(workingDaysBetweenEndpoint({ from: '2023-12-01', to: '2024-01-01' }), { ok: true, body: { workingDays: 18 } });
  assert.deepEqual(workingDaysBetweenEndpoint({ from: '2024-01-01', to: '2023-12-01' }), { ok: true, body: { workingDays: -18 } });
  const r = workingDaysBetweenEndpoint({ from: '2015-01-01', to: '2099-12-31' });
  assert.ok(r.ok && workingDaysBetweenResponseSchema.safeParse(r.body).success);
});

test('property: parsing never throws, whatever the query', () => {
  fc.assert(
    fc.property(fc.anything(), (query) => {
      const r = parseAddWorkingDaysQuery(query);
      assert.ok(r.ok || r.field === 'from' || r.field === 'days');
      const s = parseWorkingDaysBetweenQuery(query);
      assert.ok(s.ok || s.field === 'from' || s.field === 'to');
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.record({ from: fc.string(), days: fc.oneof(fc.string(), fc.integer(), fc.double()) }), (query) => {
      const r = addWorkingDaysEndpoint(query);
      if (r.ok) assert.match(r.body.date, /^\d{4}-\d{2}-\d{2}$/);
    }),
    { numRuns: 500 },
  );
});
