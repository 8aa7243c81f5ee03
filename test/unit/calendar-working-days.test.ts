import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addHours,
  addWorkingDays,
  dueDate,
  isWorkingDay,
  londonDateOf,
  workingDaysBetween,
} from '../../src/platform/calendar/working-days.ts';
import { CalendarRangeError } from '../../src/platform/calendar/bank-holidays.ts';
import {
  InvalidDateError,
  addCalendarDays,
  addCalendarMonths,
  fromEpochDay,
  isoWeekday,
  parseIsoDate,
  toEpochDay,
} from '../../src/platform/calendar/iso-date.ts';
import { OFFICIAL_BANK_HOLIDAYS } from '../../src/platform/calendar/official-bank-holidays.ts';

// Naive reference built only on the official list and Date: one day at a time.
const OFFICIAL = new Set(OFFICIAL_BANK_HOLIDAYS.map((h) => h.date));
function next(date: string, days = 1): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function refIsWorkingDay(date: string): boolean {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6 && !OFFICIAL.has(date);
}
function refAdd(from: string, n: number): string {
  let d = from;
  for (let left = n; left > 0; ) {
    d = next(d);
    if (refIsWorkingDay(d)) left--;
  }
  return d;
}
function refBetween(from: string, to: string): number {
  if (to < from) return 0 - refBetween(to, from);
  let count = 0;
  for (let d = next(from); d <= to; d = next(d)) if (refIsWorkingDay(d)) count++;
  return count;
}
function refPrevWorkingDay(date: string): string {
  let d = next(date, -1);
  while (!refIsWorkingDay(d)) d = next(d, -1);
  return d;
}

const YEARS = Array.from({ length: 11 }, (_, i) => 2020 + i);

test('hand-checked clocks around one-offs, substitutes and moved holidays', () => {
  const cases: [string, number, string][] = [
    ['2022-06-01', 1, '2022-06-06'], // Spring bank holiday moved to Thu 2 June, jubilee Fri 3 June
    ['2023-05-05', 1, '2023-05-09'], // coronation Mon 8 May
    ['2022-09-16', 1, '2022-09-20'], // state funeral Mon 19 September
    ['2026-12-24', 1, '2026-12-29'], // Christmas Fri, Boxing Day substitute Mon 28
    ['2020-05-07', 1, '2020-05-11'], // VE Day Fri 8 May 2020
    ['2020-05-01', 1, '2020-05-04'], // 4 May 2020 was an ordinary Monday
    ['2022-05-27', 1, '2022-05-30'], // so was 30 May 2022
    ['2020-12-24', 1, '2020-12-29'],
    ['2021-12-24', 1, '2021-12-29'], // 27 and 28 December 2021 both substitutes
    ['2021-12-31', 1, '2022-01-04'], // New Year's Day substitute Mon 3 January 2022
    ['2022-12-23', 1, '2022-12-28'],
    ['2027-12-24', 1, '2027-12-29'],
    ['2024-03-28', 1, '2024-04-02'], // Easter 2024
    ['2024-03-28', 2, '2024-04-03'],
    ['2024-12-20', 5, '2024-12-31'],
    ['2024-12-20', 6, '2025-01-02'],
    ['2024-01-05', 5, '2024-01-12'],
    ['2024-01-05', 0, '2024-01-05'],
    ['2024-01-06', 0, '2024-01-06'], // 0 leaves even a Saturday alone
    ['2024-01-06', 1, '2024-01-08'], // Saturday + 1 is Monday
    ['2022-06-03', 1, '2022-06-06'], // started on a bank holiday
    ['2024-09-02', 45, '2024-11-04'], // child and family assessment, no holidays in range
  ];
  for (const [from, n, expected] of cases) {
    assert.equal(addWorkingDays(from, n), expected, `${from} + ${n}`);
    assert.equal(refAdd(from, n), expected, `reference ${from} + ${n}`);
  }
});

test('every bank holiday 2020–2030: a 1-day clock started the working day before lands after it', () => {
  let checked = 0;
  for (const h of OFFICIAL_BANK_HOLIDAYS) {
    const year = Number(h.date.slice(0, 4));
    if (year < 2020 || year > 2030) continue;
    assert.equal(isWorkingDay(h.date), false, h.date);
    const before = refPrevWorkingDay(h.date);
    const due = addWorkingDays(before, 1);
    assert.ok(due > h.date, `${before} + 1 = ${due} should be after ${h.date} (${h.name})`);
    assert.equal(isWorkingDay(due), true);
    assert.equal(due, refAdd(before, 1));
    assert.equal(workingDaysBetween(before, due), 1);
    checked++;
  }
  assert.ok(checked >= 11 * 8, `checked ${checked}`);
});

for (const year of YEARS) {
  test(`${year}: clocks across Christmas and New Year match the reference`, () => {
    for (let from = `${year}-12-15`; from <= `${year + 1}-01-05`; from = next(from)) {
      if (Number(from.slice(0, 4)) > 2030) break; // the reference only knows the official list
      for (let n = 0; n <= 12; n++) {
        const due = addWorkingDays(from, n);
        if (due > '2030-12-31') continue;
        assert.equal(due, refAdd(from, n), `${from} + ${n}`);
        assert.equal(workingDaysBetween(from, due), n);
      }
      const to = `${year + 1}-01-10`;
      if (to <= '2030-12-31') {
        assert.equal(workingDaysBetween(from, to), refBetween(from, to), `${from}..${to}`);
        assert.equal(workingDaysBetween(to, from), refBetween(to, from), `${to}..${from}`);
      }
    }
  });

  test(`${year}: clocks across Easter match the reference`, () => {
    const goodFriday = OFFICIAL_BANK_HOLIDAYS.find((h) => h.date.startsWith(`${year}-`) && h.name === 'Good Friday');
    assert.ok(goodFriday);
    for (let from = next(goodFriday.date, -8); from <= next(goodFriday.date, 5); from = next(from)) {
      for (let n = 0; n <= 8; n++) assert.equal(addWorkingDays(from, n), refAdd(from, n), `${from} + ${n}`);
      const to = next(goodFriday.date, 14);
      assert.equal(workingDaysBetween(from, to), refBetween(from, to));
    }
    // Thursday before Good Friday + 1 working day is the Tuesday after Easter Monday.
    assert.equal(addWorkingDays(next(goodFriday.date, -1), 1), next(goodFriday.date, 4));
  });
}

test('whole calendar 2015–2030: isWorkingDay agrees with the reference', () => {
  for (let d = '2015-01-01'; d <= '2030-12-31'; d = next(d)) assert.equal(isWorkingDay(d), refIsWorkingDay(d), d);
});

test('workingDaysBetween counts after `from` up to and including `to`', () => {
  assert.equal(workingDaysBetween('2024-01-01', '2024-01-01'), 0);
  assert.equal(workingDaysBetween('2024-01-05', '2024-01-08'), 1); // Fri -> Mon
  assert.equal(workingDaysBetween('2024-01-06', '2024-01-07'), 0); // Sat -> Sun
  assert.equal(workingDaysBetween('2024-01-08', '2024-01-05'), -1);
  assert.ok(Object.is(workingDaysBetween('2024-01-07', '2024-01-06'), 0), 'no negative zero');
  assert.equal(workingDaysBetween('2023-12-01', '2024-01-01'), 18);
  assert.equal(workingDaysBetween('2024-01-01', '2023-12-01'), -18);
  assert.equal(workingDaysBetween('2015-01-01', '2030-12-31'), refBetween('2015-01-01', '2030-12-31'));
});

// Dates 2015-01-01 .. 2060-12-31, as ISO strings.
const isoDateArb = fc
  .integer({ min: toEpochDay('2015-01-01'), max: toEpochDay('2060-12-31') })
  .map((d) => fromEpochDay(d));
const countArb = fc.integer({ min: 0, max: 400 });

test('property: the result of adding n >= 1 working days is a working day', () => {
  fc.assert(
    fc.property(isoDateArb, fc.integer({ min: 1, max: 400 }), (from, n) => isWorkingDay(addWorkingDays(from, n))),
    { numRuns: 500 },
  );
});

test('property: workingDaysBetween(from, addWorkingDays(from, n)) === n', () => {
  fc.assert(
    fc.property(isoDateArb, countArb, (from, n) => workingDaysBetween(from, addWorkingDays(from, n)) === n),
    { numRuns: 500 },
  );
});

test('property: addWorkingDays is strictly increasing in n', () => {
  fc.assert(
    fc.property(isoDateArb, countArb, countArb, (from, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const x = addWorkingDays(from, lo);
      const y = addWorkingDays(from, hi);
      return lo === hi ? x === y : x < y;
    }),
    { numRuns: 500 },
  );
});

test('property: adding in two steps equals adding at once', () => {
  fc.assert(
    fc.property(isoDateArb, countArb, countArb, (from, a, b) =>
      addWorkingDays(addWorkingDays(from, a), b) === addWorkingDays(from, a + b),
    ),
    { numRuns: 300 },
  );
});

test('property: workingDaysBetween is antisymmetric and additive', () => {
  fc.assert(
    fc.property(isoDateArb, isoDateArb, isoDateArb, (a, b, c) => {
      assert.equal(workingDaysBetween(a, b), 0 - workingDaysBetween(b, a));
      assert.equal(workingDaysBetween(a, b) + workingDaysBetween(b, c), workingDaysBetween(a, c));
    }),
    { numRuns: 300 },
  );
});

test('property: workingDaysBetween equals a day-by-day count with isWorkingDay', () => {
  fc.assert(
    fc.property(isoDateArb, fc.integer({ min: -800, max: 800 }), (from, span) => {
      const to = addCalendarDays(from, span);
      if (to < '2015-01-01' || to > '2099-12-31') return;
      const [lo, hi] = span >= 0 ? [from, to] : [to, from];
      let count = 0;
      for (let d = next(lo); d <= hi; d = next(d)) if (isWorkingDay(d)) count++;
      assert.equal(workingDaysBetween(from, to), span >= 0 ? count : 0 - count);
    }),
    { numRuns: 200 },
  );
});

test('property: matches the naive reference within the official years', () => {
  const arb = fc
    .integer({ min: toEpochDay('2015-01-01'), max: toEpochDay('2029-06-30') })
    .map((d) => fromEpochDay(d));
  fc.assert(
    fc.property(arb, fc.integer({ min: 0, max: 300 }), (from, n) => addWorkingDays(from, n) === refAdd(from, n)),
    { numRuns: 300 },
  );
});

test('parseIsoDate accepts real dates and rejects impossible or malformed ones', () => {
  for (const ok of ['2024-02-29', '2000-02-29', '2023-12-31', '2015-01-01', '1999-06-30']) {
    assert.equal(parseIsoDate(ok), ok);
  }
  const bad: [unknown, string][] = [
    ['2023-02-29', 'impossible'],
    ['2024-13-01', 'impossible'],
    ['2024-00-10', 'impossible'],
    ['2024-04-31', 'impossible'],
    ['2024-01-00', 'impossible'],
    ['1900-02-29', 'impossible'],
    ['2100-02-29', 'impossible'],
    // There was no year 0, and PostgreSQL refuses it: accepting it made a chronology filter a 500.
    ['0000-01-01', 'impossible'],
    ['2024-1-05', 'format'],
    ['2024-01-05T00:00:00Z', 'format'],
    [' 2024-01-05', 'format'],
    ['2024-01-05\n', 'format'],
    ['05/01/2024', 'format'],
    ['', 'format'],
    ['２０２４-01-05', 'format'],
    [20240105, 'not-a-string'],
    [null, 'not-a-string'],
    [undefined, 'not-a-string'],
    [new Date('2024-01-05'), 'not-a-string'],
  ];
  for (const [input, reason] of bad) {
    assert.throws(
      () => parseIsoDate(input),
      (err: unknown) => err instanceof InvalidDateError && err.reason === reason && err.input === input,
      String(input),
    );
  }
});

test('property: parseIsoDate agrees with a Date round trip for any dddd-dd-dd string', () => {
  const d2 = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
  fc.assert(
    fc.property(fc.integer({ min: 1000, max: 9999 }), d2, d2, (y, m, d) => {
      const s = `${y}-${m}-${d}`;
      const t = new Date(`${s}T00:00:00Z`);
      const real = !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === s;
      let accepted = true;
      try {
        parseIsoDate(s);
      } catch (err) {
        assert.ok(err instanceof InvalidDateError);
        accepted = false;
      }
      assert.equal(accepted, real, s);
    }),
    { numRuns: 2000 },
  );
});

test('epoch-day conversion and weekday', () => {
  assert.equal(toEpochDay('1970-01-01'), 0);
  assert.equal(fromEpochDay(toEpochDay('2024-02-29')), '2024-02-29');
  assert.equal(isoWeekday('2024-01-01'), 1);
  assert.equal(isoWeekday('2023-12-31'), 7);
  assert.equal(isoWeekday('1969-12-31'), 3);
});

test('working-day functions validate their input', () => {
  assert.throws(() => addWorkingDays('2023-02-29', 1), InvalidDateError);
  assert.throws(() => addWorkingDays('2024-13-01', 1), InvalidDateError);
  assert.throws(() => addWorkingDays('2024-01-01', -1), RangeError);
  assert.throws(() => addWorkingDays('2024-01-01', 1.5), RangeError);
  assert.throws(() => addWorkingDays('2024-01-01', Number.NaN), RangeError);
  assert.throws(() => addWorkingDays('2014-12-31', 1), CalendarRangeError);
  assert.throws(() => addWorkingDays('2099-12-30', 5), CalendarRangeError);
  assert.equal(addWorkingDays('2099-12-29', 2), '2099-12-31');
  assert.throws(() => isWorkingDay('2100-01-04'), CalendarRangeError);
  assert.throws(() => workingDaysBetween('2024-01-01', '2024-02-30'), InvalidDateError);
  assert.throws(() => workingDaysBetween('2010-01-01', '2024-02-01'), CalendarRangeError);
});

test('addHours is plain elapsed time, across daylight-saving changes', () => {
  // Clocks go forward 31 March 2024 and back 27 October 2024.
  assert.equal(addHours(new Date('2024-03-30T10:00:00Z'), 48).toISOString(), '2024-04-01T10:00:00.000Z');
  assert.equal(addHours(new Date('2024-10-26T09:00:00Z'), 48).toISOString(), '2024-10-28T09:00:00.000Z');
  assert.equal(addHours(new Date('2024-01-01T00:00:00Z'), 1.5).toISOString(), '2024-01-01T01:30:00.000Z');
  const start = new Date('2024-05-01T12:00:00Z');
  addHours(start, 48);
  assert.equal(start.toISOString(), '2024-05-01T12:00:00.000Z', 'input not mutated');
  assert.throws(() => addHours(new Date('nope'), 1), TypeError);
  assert.throws(() => addHours(start, -1), RangeError);
  assert.throws(() => addHours(start, Number.POSITIVE_INFINITY), RangeError);
});

test('londonDateOf uses the date in England, not UTC', () => {
  assert.equal(londonDateOf(new Date('2024-06-03T23:30:00Z')), '2024-06-04'); // 00:30 BST
  assert.equal(londonDateOf(new Date('2024-01-03T23:30:00Z')), '2024-01-03'); // 23:30 GMT
  assert.equal(londonDateOf(new Date('2024-03-31T00:30:00Z')), '2024-03-31');
});

test('dueDate for each clock unit', () => {
  const at = (iso: string): Date => new Date(iso);
  assert.deepEqual(dueDate({ length: 48, unit: 'hours' }, at('2024-03-30T10:00:00Z')), {
    kind: 'instant',
    instant: at('2024-04-01T10:00:00Z'),
  });
  // Front-door decision: 1 working day, contact late on Thursday 1 June 2022 (BST).
  assert.deepEqual(dueDate({ length: 1, unit: 'working-days' }, at('2022-06-01T22:30:00Z')), {
    kind: 'date',
    date: '2022-06-06',
  });
  assert.deepEqual(dueDate({ length: 1, unit: 'working-days' }, at('2022-06-01T12:00:00Z')), {
    kind: 'date',
    date: '2022-06-06',
  });
  assert.deepEqual(dueDate({ length: 45, unit: 'working-days' }, at('2024-09-02T09:00:00Z')), {
    kind: 'date',
    date: '2024-11-04',
  });
  assert.deepEqual(dueDate({ length: 0, unit: 'working-days' }, at('2024-01-06T09:00:00Z')), {
    kind: 'date',
    date: '2024-01-06',
  });
  assert.deepEqual(dueDate({ length: 6, unit: 'weeks' }, at('2024-01-31T09:00:00Z')), { kind: 'date', date: '2024-03-13' });
  assert.deepEqual(dueDate({ length: 12, unit: 'weeks' }, at('2024-01-01T09:00:00Z')), { kind: 'date', date: '2024-03-25' });
  assert.deepEqual(dueDate({ length: 7, unit: 'calendar-days' }, at('2024-12-28T09:00:00Z')), {
    kind: 'date',
    date: '2025-01-04',
  });
  assert.deepEqual(dueDate({ length: 1, unit: 'months' }, at('2024-01-31T09:00:00Z')), { kind: 'date', date: '2024-02-29' });
  assert.deepEqual(dueDate({ length: 1, unit: 'months' }, at('2023-01-31T09:00:00Z')), { kind: 'date', date: '2023-02-28' });
  assert.deepEqual(dueDate({ length: 3, unit: 'months' }, at('2024-11-30T09:00:00Z')), { kind: 'date', date: '2025-02-28' });
  assert.deepEqual(dueDate({ length: 36, unit: 'months' }, at('2024-02-29T09:00:00Z')), { kind: 'date', date: '2027-02-28' });
  assert.throws(() => dueDate({ length: -1, unit: 'weeks' }, at('2024-01-01T00:00:00Z')), RangeError);
  assert.throws(() => dueDate({ length: 1.5, unit: 'months' }, at('2024-01-01T00:00:00Z')), RangeError);
  assert.throws(() => dueDate({ length: 1, unit: 'working-days' }, new Date(Number.NaN)), TypeError);
});

test('addCalendarMonths clamps to the end of shorter months', () => {
  assert.equal(addCalendarMonths('2024-03-31', 1), '2024-04-30');
  assert.equal(addCalendarMonths('2024-12-15', 1), '2025-01-15');
  assert.equal(addCalendarMonths('2024-01-15', 12), '2025-01-15');
  assert.equal(addCalendarMonths('2024-03-31', -1), '2024-02-29');
});
