// Clocks go overdue on the right working day around every England and Wales bank holiday from 2020 to 2030,
// the one-off holidays of 2022 and 2023, Christmas, New Year, Easter and weekends. The expected days come
// from a naive day-by-day walk over the official list, not from the calendar's own arithmetic.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clockStatus, clockTimes, dueInWords, londonInstant, type ClockState } from '../../src/clocks/clock.ts';
import { shippedCatalogue } from '../../src/clocks/definitions.ts';
import { bankHolidaysBetween } from '../../src/platform/calendar/index.ts';
import { OFFICIAL_BANK_HOLIDAYS } from '../../src/platform/calendar/official-bank-holidays.ts';

// GOV.UK's list, plus 2031 (projected) for clocks started late in 2030 that run into the new year.
const OFFICIAL = new Set([...OFFICIAL_BANK_HOLIDAYS.map((h) => h.date), ...bankHolidaysBetween('2031-01-01', '2031-12-31').map((h) => h.date)]);
const shift = (date: string, days: number) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const naiveWorking = (date: string) => {
  const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6 && !OFFICIAL.has(date);
};
const naiveAdd = (date: string, n: number) => {
  let d = date;
  for (let counted = 0; counted < n;) {
    d = shift(d, 1);
    if (naiveWorking(d)) counted += 1;
  }
  return d;
};
const workingDayBefore = (date: string) => {
  let d = shift(date, -1);
  while (!naiveWorking(d)) d = shift(d, -1);
  return d;
};
const nextWorkingDayAfter = (date: string) => naiveAdd(date, 1);

const catalogue = shippedCatalogue();
const defaults = catalogue.get('default')!;
const byId = (id: string) => defaults.clocks.find((c) => c.id === id)!;
const ACK = byId('referral-acknowledgement'); // 1 working day
const ESCALATION = byId('escalation-stage-response'); // 5 working days
const PHONE = byId('telephone-referral-confirmation'); // 48 hours
const EOD = defaults.endOfWorkingDay;

const state = (t: ReturnType<typeof clockTimes>, stoppedAt: Date | null = null): ClockState => ({ kind: 'deadline', dueAt: t.dueAt, dueSoonAt: t.dueSoonAt, stoppedAt });

const holidays = bankHolidaysBetween('2020-01-01', '2030-12-31');

test('the bank holiday list for 2020–2030 is the official one, one-offs included', () => {
  assert.ok(holidays.length >= 88, `expected at least 88 holidays, got ${holidays.length}`);
  for (const oneOff of ['2020-05-08', '2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08']) {
    assert.ok(holidays.some((h) => h.date === oneOff), `${oneOff} is a bank holiday`);
  }
  assert.ok(!holidays.some((h) => h.date === '2020-05-04'), 'the 2020 early May holiday moved to 8 May');
});

describe('every bank holiday 2020–2030', () => {
  for (const h of holidays) {
    const before = workingDayBefore(h.date);
    const after = nextWorkingDayAfter(h.date);

    test(`${h.date} ${h.name}: a 1-working-day clock started on ${before} is due by ${EOD} on ${after}`, () => {
      const startedAt = londonInstant(before, '10:00');
      const t = clockTimes(ACK, startedAt, EOD);
      assert.equal(t.dueDate, after);
      assert.equal(t.dueAt.getTime(), londonInstant(after, EOD).getTime());
      // On the holiday itself it is not yet overdue, nor at the due time; one second later it is.
      assert.notEqual(clockStatus(state(t), londonInstant(h.date, '23:59')), 'overdue');
      assert.equal(clockStatus(state(t), t.dueAt), 'due-soon');
      assert.equal(clockStatus(state(t), new Date(t.dueAt.getTime() + 1000)), 'overdue');
      assert.equal(clockStatus(state(t, t.dueAt), new Date(t.dueAt.getTime() + 86_400_000)), 'met');
      assert.equal(clockStatus(state(t, new Date(t.dueAt.getTime() + 1000)), new Date(t.dueAt.getTime() + 86_400_000)), 'missed');
    });

    test(`${h.date} ${h.name}: a 5-working-day clock started on ${before} is due on the 5th working day after it`, () => {
      const t = clockTimes(ESCALATION, londonInstant(before, '16:30'), EOD);
      const expected = naiveAdd(before, 5);
      assert.equal(t.dueDate, expected);
      assert.ok(expected > h.date);
      assert.equal(expected, naiveAdd(after, 4), 'the holiday does not count');
      assert.equal(clockStatus(state(t), londonInstant(workingDayBefore(expected), '17:01')), 'due-soon');
      assert.equal(clockStatus(state(t), londonInstant(expected, '17:01')), 'overdue');
    });

    test(`${h.date} ${h.name}: the 48-hour clock is plain elapsed time across it`, () => {
      const startedAt = londonInstant(before, '10:00');
      const t = clockTimes(PHONE, startedAt, EOD);
      assert.equal(t.dueDate, null);
      assert.equal(t.dueAt.getTime() - startedAt.getTime(), 48 * 3_600_000);
      assert.equal(clockStatus(state(t), new Date(startedAt.getTime() + 47 * 3_600_000)), 'due-soon');
      assert.equal(clockStatus(state(t), new Date(startedAt.getTime() + 48 * 3_600_000 + 1)), 'overdue');
    });
  }
});

describe('named cases', () => {
  const due = (def: typeof ACK, date: string, time = '10:00') => clockTimes(def, londonInstant(date, time), EOD).dueDate;

  test('weekends: Friday → Monday; Saturday and Sunday starts count from Monday', () => {
    assert.equal(due(ACK, '2026-01-09'), '2026-01-12');
    assert.equal(due(ACK, '2026-01-10'), '2026-01-12');
    assert.equal(due(ACK, '2026-01-11'), '2026-01-12');
    assert.equal(due(ESCALATION, '2026-01-09'), '2026-01-16');
  });

  test('Christmas and New Year 2026: Christmas Eve → Tuesday 29 December; 5 working days → 5 January', () => {
    // 25 Dec 2026 is a Friday, Boxing Day a Saturday with its substitute on Monday 28th.
    const t = clockTimes(ACK, londonInstant('2026-12-24', '15:00'), EOD);
    assert.equal(t.dueDate, '2026-12-29');
    assert.equal(dueInWords(t.dueAt), '5pm Tuesday 29 December 2026');
    assert.equal(due(ESCALATION, '2026-12-24'), '2027-01-05');
    assert.equal(due(ACK, '2026-12-31'), '2027-01-04');
  });

  test('Christmas 2022 with both substitute days: 23 December → 28 December', () => {
    assert.equal(due(ACK, '2022-12-23'), '2022-12-28');
    assert.equal(due(ACK, '2022-12-30'), '2023-01-03');
  });

  test('Easter: Maundy Thursday → the Tuesday after Easter Monday', () => {
    assert.equal(due(ACK, '2025-04-17'), '2025-04-22');
    assert.equal(due(ACK, '2024-03-28'), '2024-04-02');
    assert.equal(due(ESCALATION, '2024-03-28'), '2024-04-08');
  });

  test('the one-off holidays of 2022 and 2023', () => {
    assert.equal(due(ACK, '2022-06-01'), '2022-06-06', 'platinum jubilee: 2 and 3 June');
    assert.equal(due(ACK, '2022-09-16'), '2022-09-20', 'state funeral: Monday 19 September');
    assert.equal(due(ACK, '2023-05-05'), '2023-05-09', 'coronation: Monday 8 May');
    assert.equal(due(ACK, '2020-05-07'), '2020-05-11', 'VE day: Friday 8 May 2020');
  });

  test('a contact at 00:30 on a summer Tuesday counts from Tuesday in England', () => {
    // 23:30 UTC on Monday is 00:30 BST on Tuesday.
    const t = clockTimes(ACK, new Date('2026-06-08T23:30:00Z'), EOD);
    assert.equal(t.dueDate, '2026-06-10');
    assert.equal(t.dueAt.toISOString(), '2026-06-10T16:00:00.000Z', '5pm BST');
  });

  test('48 hours across the clock change is 48 elapsed hours, so the wall clock shows an hour more or less', () => {
    const spring = clockTimes(PHONE, new Date('2026-03-28T10:00:00Z'), EOD); // 10am GMT Saturday
    assert.equal(dueInWords(spring.dueAt), '11am Monday 30 March 2026');
    const autumn = clockTimes(PHONE, new Date('2026-10-24T09:00:00Z'), EOD); // 10am BST Saturday
    assert.equal(dueInWords(autumn.dueAt), '9am Monday 26 October 2026');
  });
});
