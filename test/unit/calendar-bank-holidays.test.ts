import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  CalendarRangeError,
  bankHolidayName,
  bankHolidaySource,
  bankHolidaysBetween,
  bankHolidaysInYear,
  isBankHoliday,
  libraryBankHolidays,
} from '../../src/platform/calendar/bank-holidays.ts';
import {
  OFFICIAL_BANK_HOLIDAYS,
  OFFICIAL_FIRST_YEAR,
  OFFICIAL_LAST_YEAR,
} from '../../src/platform/calendar/official-bank-holidays.ts';

// Independent reference: the statutory England and Wales pattern written out from scratch
// (no shared code with the module or the library), plus the announced one-offs.

function ymd(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}
function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
}
function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function easterSunday(year: number): string {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}
function firstMonday(year: number, month: number): string {
  let d = ymd(year, month, 1);
  while (weekday(d) !== 1) d = shift(d, 1);
  return d;
}
function lastMonday(year: number, month: number): string {
  let d = ymd(year, month + 1, 0);
  while (weekday(d) !== 1) d = shift(d, -1);
  return d;
}
function statutoryPattern(year: number): string[] {
  const out: string[] = [];
  const jan1 = ymd(year, 1, 1);
  out.push(weekday(jan1) === 6 ? shift(jan1, 2) : weekday(jan1) === 0 ? shift(jan1, 1) : jan1);
  const easter = easterSunday(year);
  out.push(shift(easter, -2), shift(easter, 1));
  out.push(firstMonday(year, 5), lastMonday(year, 5), lastMonday(year, 8));
  const dec25 = ymd(year, 12, 25);
  switch (weekday(dec25)) {
    case 5: out.push(dec25, ymd(year, 12, 28)); break; // Boxing Day on Saturday
    case 6: out.push(ymd(year, 12, 27), ymd(year, 12, 28)); break;
    case 0: out.push(ymd(year, 12, 26), ymd(year, 12, 27)); break;
    default: out.push(dec25, ymd(year, 12, 26));
  }
  return out;
}
const ONE_OFFS: Record<number, { remove: string[]; add: string[] }> = {
  2020: { remove: ['2020-05-04'], add: ['2020-05-08'] },
  2022: { remove: ['2022-05-30'], add: ['2022-06-02', '2022-06-03', '2022-09-19'] },
  2023: { remove: [], add: ['2023-05-08'] },
};
function expectedDates(year: number, withOneOffs: boolean): string[] {
  let dates = statutoryPattern(year);
  const o = withOneOffs ? ONE_OFFS[year] : undefined;
  if (o) dates = dates.filter((d) => !o.remove.includes(d)).concat(o.add);
  return dates.sort();
}

const officialDates = (year: number): string[] =>
  OFFICIAL_BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${year}-`)).map((h) => h.date);

const YEARS_OFFICIAL = Array.from({ length: OFFICIAL_LAST_YEAR - OFFICIAL_FIRST_YEAR + 1 }, (_, i) => OFFICIAL_FIRST_YEAR + i);

test('official list covers 2015–2030 and is well formed', () => {
  assert.equal(OFFICIAL_FIRST_YEAR, 2015);
  assert.equal(OFFICIAL_LAST_YEAR, 2030);
  const dates = OFFICIAL_BANK_HOLIDAYS.map((h) => h.date);
  assert.deepEqual(dates, [...dates].sort(), 'sorted');
  assert.equal(new Set(dates).size, dates.length, 'no duplicates');
  for (const h of OFFICIAL_BANK_HOLIDAYS) {
    assert.match(h.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(new Date(`${h.date}T00:00:00Z`).toISOString().slice(0, 10), h.date, `${h.date} is a real date`);
    assert.ok(weekday(h.date) >= 1 && weekday(h.date) <= 5, `${h.date} (${h.name}) is a weekday`);
    assert.ok(h.name.length > 0);
  }
  for (const year of YEARS_OFFICIAL) {
    const n = officialDates(year).length;
    assert.ok(n >= 8 && n <= 10, `${year} has ${n} bank holidays`);
  }
});

for (const year of YEARS_OFFICIAL) {
  test(`${year}: official list matches the statutory pattern plus announced one-offs`, () => {
    assert.deepEqual(officialDates(year), expectedDates(year, true));
  });
  test(`${year}: date-holidays (GB/ENG, public, weekdays) agrees with the official list`, () => {
    assert.deepEqual(libraryBankHolidays(year).map((h) => h.date), officialDates(year));
  });
}

test('2031–2099 (library years) follow the statutory pattern exactly', () => {
  for (let year = OFFICIAL_LAST_YEAR + 1; year <= 2099; year++) {
    assert.deepEqual(
      bankHolidaysInYear(year).map((h) => h.date),
      expectedDates(year, false),
      `year ${year}`,
    );
  }
});

test('every year 2015–2035 has its bank holidays, from the stated source', () => {
  for (let year = 2015; year <= 2035; year++) {
    const list = bankHolidaysInYear(year);
    assert.ok(list.length >= 8, `${year}`);
    assert.equal(bankHolidaySource(year), year <= 2030 ? 'official-list' : 'date-holidays');
  }
});

test('one-off holidays and moved holidays', () => {
  for (const d of ['2020-05-08', '2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08']) {
    assert.equal(isBankHoliday(d), true, d);
  }
  // The days the moved holidays were moved from are ordinary working Mondays.
  assert.equal(isBankHoliday('2020-05-04'), false);
  assert.equal(isBankHoliday('2022-05-30'), false);
  assert.equal(bankHolidayName('2020-05-08'), 'Early May bank holiday (VE day)');
  assert.equal(bankHolidayName('2022-09-19'), 'Bank Holiday for the State Funeral of Queen Elizabeth II');
  assert.equal(bankHolidayName('2023-05-08'), 'Bank holiday for the coronation of King Charles III');
});

test('substitute days', () => {
  const subs: Record<string, string> = {
    '2015-12-28': 'Boxing Day (substitute day)',
    '2016-12-27': 'Christmas Day (substitute day)',
    '2017-01-02': 'New Year’s Day (substitute day)',
    '2020-12-28': 'Boxing Day (substitute day)',
    '2021-12-27': 'Christmas Day (substitute day)',
    '2021-12-28': 'Boxing Day (substitute day)',
    '2022-01-03': 'New Year’s Day (substitute day)',
    '2022-12-27': 'Christmas Day (substitute day)',
    '2023-01-02': 'New Year’s Day (substitute day)',
    '2026-12-28': 'Boxing Day (substitute day)',
    '2027-12-27': 'Christmas Day (substitute day)',
    '2027-12-28': 'Boxing Day (substitute day)',
    '2028-01-03': 'New Year’s Day (substitute day)',
    '2032-12-27': 'Christmas Day (substitute day)',
    '2032-12-28': 'Boxing Day (substitute day)',
    '2033-01-03': 'New Year’s Day (substitute day)',
  };
  for (const [d, name] of Object.entries(subs)) assert.equal(bankHolidayName(d), name, d);
  // The weekend date itself is not listed as the bank holiday.
  for (const d of ['2020-12-26', '2021-12-25', '2021-12-26', '2022-01-01', '2022-12-25', '2026-12-26', '2033-01-01']) {
    assert.equal(isBankHoliday(d), false, d);
  }
});

test('known difference: the library also reports weekend dates, which are dropped', () => {
  const raw = libraryBankHolidays(2022, { includeWeekends: true }).map((h): string => h.date);
  assert.ok(raw.includes('2022-01-01') && raw.includes('2022-12-25'));
  assert.ok(!libraryBankHolidays(2022).some((h) => h.date === '2022-12-25'));
});

test('ordinary days are not bank holidays', () => {
  for (const d of ['2024-12-24', '2024-12-27', '2025-12-31', '2026-01-02', '2024-04-02', '2030-05-07']) {
    assert.equal(isBankHoliday(d), false, d);
    assert.equal(bankHolidayName(d), undefined, d);
  }
});

test('bankHolidaysBetween is inclusive, sorted and named, across years', () => {
  assert.deepEqual(bankHolidaysBetween('2021-12-27', '2022-01-03'), [
    { date: '2021-12-27', name: 'Christmas Day (substitute day)' },
    { date: '2021-12-28', name: 'Boxing Day (substitute day)' },
    { date: '2022-01-03', name: 'New Year’s Day (substitute day)' },
  ]);
  assert.deepEqual(bankHolidaysBetween('2022-06-01', '2022-06-05').map((h) => h.date), ['2022-06-02', '2022-06-03']);
  assert.deepEqual(bankHolidaysBetween('2024-06-01', '2024-06-30'), []);
  assert.equal(bankHolidaysBetween('2015-01-01', '2030-12-31').length, OFFICIAL_BANK_HOLIDAYS.length);
  assert.equal(bankHolidaysBetween('2031-01-01', '2035-12-31').length, 5 * 8);
  assert.equal(bankHolidaysBetween('2031-12-25', '2031-12-25')[0]?.name, 'Christmas Day');
  assert.throws(() => bankHolidaysBetween('2022-01-02', '2022-01-01'), RangeError);
});

test('dates outside 2015–2099 and invalid dates are refused', () => {
  assert.throws(() => isBankHoliday('2012-06-05'), CalendarRangeError);
  assert.throws(() => isBankHoliday('2014-12-25'), CalendarRangeError);
  assert.throws(() => isBankHoliday('2100-01-01'), CalendarRangeError);
  assert.throws(() => bankHolidaysInYear(2100), CalendarRangeError);
  assert.throws(() => isBankHoliday('2023-02-29'), { name: 'InvalidDateError' });
  assert.throws(() => isBankHoliday('25/12/2024'), { name: 'InvalidDateError' });
});

test('library dates do not depend on the host time zone', () => {
  const script = `
    import { libraryBankHolidays } from './src/platform/calendar/bank-holidays.ts';
    const out = [];
    for (const y of [2020, 2022, 2027, 2031, 2045]) out.push(...libraryBankHolidays(y).map((h) => h.date));
    process.stdout.write(JSON.stringify(out));`;
  const run = (tz: string): string[] =>
    JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: new URL('../..', import.meta.url),
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      }),
    ) as string[];
  const here: string[] = [];
  for (const y of [2020, 2022, 2027, 2031, 2045]) here.push(...libraryBankHolidays(y).map((h) => h.date));
  for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) assert.deepEqual(run(tz), here, tz);
});
