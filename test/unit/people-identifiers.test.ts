import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkNhsNumber, checkPostcode, checkUpn, isTemporaryUpn, nhsCheckDigit, normalisePostcode, outwardCode, postcodeSearchKey, upnCheckLetter,
} from '../../src/people/identifiers.ts';
import { childChangesSchema, householdAdultSchema, newChildSchema, searchQuerySchema, todayInLondon, yearsBefore } from '../../src/people/validation.ts';
import { addCalendarDays } from '../../src/platform/calendar/iso-date.ts';

describe('NHS number', () => {
  test('accepts valid numbers as typed, with spaces or hyphens, and keeps the 10 digits', () => {
    // 943 476 5919: 9×10+4×9+3×8+4×7+7×6+6×5+5×4+9×3+1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9 ✓
    assert.deepEqual(checkNhsNumber('943 476 5919'), { ok: true, value: '9434765919' });
    assert.deepEqual(checkNhsNumber('943-476-5919'), { ok: true, value: '9434765919' });
    // 401 023 2137: 40+0+8+0+12+15+8+3+6 = 92; 92 mod 11 = 4; 11 − 4 = 7 ✓
    assert.deepEqual(checkNhsNumber('4010232137'), { ok: true, value: '4010232137' });
    // remainder 0 → check digit 11 → written as 0
    assert.equal(nhsCheckDigit('000000000'), 0);
  });

  test('rejects a wrong check digit, the wrong length and letters, each with its own message', () => {
    const wrong = checkNhsNumber('9434765918');
    assert.equal(wrong.ok, false);
    assert.match((wrong as { error: string }).error, /valid NHS number/);
    assert.match((checkNhsNumber('943476591') as { error: string }).error, /10 digits/);
    assert.match((checkNhsNumber('94347659AB') as { error: string }).error, /only include numbers/);
  });

  test('rejects every number whose check digit would be 10', () => {
    // 000000006: 6×2 = 12; 12 mod 11 = 1; 11 − 1 = 10 → never issued
    assert.equal(nhsCheckDigit('000000006'), null);
    for (let d = 0; d <= 9; d += 1) assert.equal(checkNhsNumber(`000000006${d}`).ok, false);
  });
});

describe('unique pupil number (UPN)', () => {
  test('computes the check letter by the weighted modulus 23', () => {
    // B801200005001: 8×2+0×3+1×4+2×5+0+0+0+0+5×10+0×11+0×12+1×13 = 93; 93 mod 23 = 1 → B
    assert.equal(upnCheckLetter('801200005001'), 'B');
    // P207000016049: 2×2+7×4+1×9+6×10+4×12+9×13 = 266; 266 mod 23 = 13 → P (A–H = 0–7, J–N = 8–12, P = 13).
    // A widely copied census help page says Q here, but its own sum (267) is mis-added.
    assert.equal(upnCheckLetter('207000016049'), 'P');
    assert.equal(checkUpn('P207000016049').ok, true);
    assert.equal(checkUpn('Q207000016049').ok, false);
  });

  test('accepts permanent and temporary UPNs, ignoring spaces and case', () => {
    assert.deepEqual(checkUpn('b801200005001'), { ok: true, value: 'B801200005001' });
    assert.deepEqual(checkUpn('B801 2000 05001'), { ok: true, value: 'B801200005001' });
    // Temporary, ending A (= 0): 16+4+10+50+0 = 80; 80 mod 23 = 11 → M
    assert.deepEqual(checkUpn('M80120000500A'), { ok: true, value: 'M80120000500A' });
    assert.equal(isTemporaryUpn('M80120000500A'), true);
    assert.equal(isTemporaryUpn('B801200005001'), false);
    // Temporary, ending Z (= 22): 80 + 22×13 = 366; 366 mod 23 = 21 → Y
    assert.equal(checkUpn('Y80120000500Z').ok, true);
  });

  test('rejects a wrong check letter, the wrong length or shape, and I, O or S as the last letter', () => {
    assert.match((checkUpn('A801200005001') as { error: string }).error, /valid unique pupil number/);
    assert.match((checkUpn('B80120000500') as { error: string }).error, /13 characters/);
    assert.match((checkUpn('B80120000A001') as { error: string }).error, /a letter, 11 numbers/);
    assert.equal(upnCheckLetter('80120000500I'), null);
    assert.equal(upnCheckLetter('80120000500O'), null);
    assert.equal(upnCheckLetter('80120000500S'), null);
  });

  test('every computed check letter is one of the 23 letters and round-trips', () => {
    for (let i = 0; i < 500; i += 1) {
      const rest = String(i * 7919 * 104729).padStart(12, '0').slice(-12);
      const letter = upnCheckLetter(rest)!;
      assert.match(letter, /^[A-HJ-NP-RT-Z]$/);
      assert.equal(checkUpn(letter + rest).ok, true);
    }
  });
});

describe('postcode', () => {
  test('normalises spacing and case to the standard written form', () => {
    assert.equal(normalisePostcode('me4 4tr'), 'ME4 4TR');
    assert.equal(normalisePostcode('SW1A1AA'), 'SW1A 1AA');
    assert.equal(normalisePostcode(' ec1a  1bb '), 'EC1A 1BB');
    assert.equal(normalisePostcode('M11AE'), 'M1 1AE');
    assert.equal(normalisePostcode('dn551pt'), 'DN55 1PT');
    assert.equal(normalisePostcode('gir0aa'), 'GIR 0AA');
  });

  test('rejects what is not a full postcode', () => {
    for (const bad of ['ME4', '12345', 'ME4 4T', 'ME4 44R', 'MEE4 4TR', '']) assert.equal(normalisePostcode(bad), null, bad);
    assert.match((checkPostcode('ME4') as { error: string }).error, /full UK postcode/);
  });

  test('search takes a full postcode or its outward code', () => {
    assert.deepEqual(postcodeSearchKey('me4 4tr'), { key: 'ME44TR', outwardOnly: false });
    assert.deepEqual(postcodeSearchKey('me4'), { key: 'ME4', outwardOnly: true });
    assert.equal(postcodeSearchKey('4TR'), null);
    // With a space, what comes before it is the outward code, and a digit after it the sector.
    assert.deepEqual(postcodeSearchKey('me4 4'), { key: 'ME4', outwardOnly: true, sector: '4' });
    assert.deepEqual(postcodeSearchKey(' ME4  '), { key: 'ME4', outwardOnly: true });
    assert.deepEqual(postcodeSearchKey('ME44'), { key: 'ME44', outwardOnly: true });
    assert.equal(postcodeSearchKey('ME 44'), null);
    assert.equal(postcodeSearchKey('ME4 X'), null);
    assert.equal(outwardCode('ME44TR'), 'ME4');
    assert.equal(outwardCode('SW1A 1AA'), 'SW1A');
  });
});

describe('child record schema', () => {
  const today = '2026-03-10';
  test('needs names and a date of birth or an expected due date, not both', () => {
    const r = newChildSchema(today).safeParse({ firstName: '', lastName: 'Smith' });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.ok(paths.includes('firstName'));
    const both = newChildSchema(today).safeParse({ firstName: 'A', lastName: 'B', dateOfBirth: '2020-01-01', expectedDueDate: '2026-05-01' });
    assert.equal(both.error!.issues[0]!.path[0], 'dateOfBirth');
    assert.equal(newChildSchema(today).safeParse({ firstName: 'A', lastName: 'B', expectedDueDate: '2026-05-01' }).success, true);
  });

  test('checks dates with the calendar: real, not in the future', () => {
    const bad = newChildSchema(today).safeParse({ firstName: 'A', lastName: 'B', dateOfBirth: '2023-02-29' });
    assert.match(bad.error!.issues[0]!.message, /real date/);
    const future = newChildSchema(today).safeParse({ firstName: 'A', lastName: 'B', dateOfBirth: '2026-03-11' });
    assert.match(future.error!.issues[0]!.message, /today or in the past/);
    const edd = newChildSchema(today).safeParse({ firstName: 'A', lastName: 'B', expectedDueDate: '2027-03-11' });
    assert.match(edd.error!.issues[0]!.message, /next 10 months/);
  });

  test('a date of birth must be within the last 25 years, by the calendar', () => {
    assert.equal(newChildSchema(today).safeParse({ firstName: 'A', lastName: 'B', dateOfBirth: '2001-03-10' }).success, true);
    const old = newChildSchema(today).safeParse({ firstName: 'A', lastName: 'B', dateOfBirth: '2001-03-09' });
    assert.match(old.error!.issues[0]!.message, /within the last 25 years/);
    assert.equal(yearsBefore('2028-02-29', 25), '2003-02-28');
  });

  test('normalises identifiers and names the field that fails', () => {
    const ok = newChildSchema(today).parse({
      firstName: ' Ava ', lastName: 'Smith-Jones', dateOfBirth: '2019-05-02', nhsNumber: '943 476 5919', upn: 'b801200005001',
      address: { line1: '1 High Street', postcode: 'me4 4tr' },
    });
    assert.equal(ok.firstName, 'Ava');
    assert.equal(ok.nhsNumber, '9434765919');
    assert.equal(ok.upn, 'B801200005001');
    assert.equal(ok.address!.postcode, 'ME4 4TR');
    const bad = newChildSchema(today).safeParse({ firstName: 'A', lastName: 'B', dateOfBirth: '2019-05-02', nhsNumber: '9434765918' });
    assert.deepEqual(bad.error!.issues.map((i) => i.path.join('.')), ['nhsNumber']);
  });

  test('changes are partial and unknown fields are refused', () => {
    assert.deepEqual(childChangesSchema(today).parse({ schoolOrSetting: 'Riverside Primary' }), { schoolOrSetting: 'Riverside Primary' });
    assert.equal(childChangesSchema(today).safeParse({ shoeSize: 4 }).success, false);
  });

  test('a household adult’s date of birth is in the past and within the last 120 years', () => {
    const adult = { firstName: 'A', lastName: 'B', relationship: 'Father', parentalResponsibility: true, livesWithChild: true };
    const today = todayInLondon();
    assert.equal(householdAdultSchema.safeParse({ ...adult, dateOfBirth: yearsBefore(today, 120) }).success, true);
    assert.equal(householdAdultSchema.safeParse({ ...adult, dateOfBirth: today }).success, true);
    const old = householdAdultSchema.safeParse({ ...adult, dateOfBirth: '0001-01-01' });
    assert.deepEqual(old.error!.issues.map((i) => [i.path.join('.'), i.message]), [['dateOfBirth', 'Date of birth must be within the last 120 years']]);
    const future = householdAdultSchema.safeParse({ ...adult, dateOfBirth: '9999-12-31' });
    assert.deepEqual(future.error!.issues.map((i) => [i.path.join('.'), i.message]), [['dateOfBirth', 'Date of birth must be today or in the past']]);
  });

  test('the date a child moved in is not in the future', () => {
    const child = { firstName: 'A', lastName: 'B', dateOfBirth: '2020-01-01' };
    assert.equal(newChildSchema(today).safeParse({ ...child, address: { line1: '1 Road', fromDate: today } }).success, true);
    for (const schema of [newChildSchema(today), childChangesSchema(today)]) {
      const r = schema.safeParse({ ...child, address: { line1: '1 Road', fromDate: '2026-03-11' } });
      assert.deepEqual(r.error!.issues.map((i) => [i.path.join('.'), i.message]), [['address.fromDate', 'Date they moved in must be today or in the past']]);
    }
  });

  test('search by a date of birth from 1900, or an expected due date up to a year ahead', () => {
    const today = todayInLondon();
    assert.equal(searchQuerySchema.safeParse({ dateOfBirth: '1900-01-01' }).success, true);
    assert.equal(searchQuerySchema.safeParse({ dateOfBirth: today }).success, true);
    assert.equal(searchQuerySchema.safeParse({ dateOfBirth: addCalendarDays(today, 200) }).success, true, 'an unborn child is found by due date');
    for (const d of ['0001-01-01', '1899-12-31', '9999-12-31']) {
      const r = searchQuerySchema.safeParse({ dateOfBirth: d });
      assert.equal(r.error?.issues[0]?.path[0], 'dateOfBirth', d);
    }
  });

  test('search accepts an outward code and refuses a broken NHS number', () => {
    assert.equal(searchQuerySchema.safeParse({ postcode: 'ME4' }).success, true);
    assert.equal(searchQuerySchema.safeParse({ postcode: 'XYZ' }).success, false);
    assert.equal(searchQuerySchema.safeParse({ nhsNumber: '9434765918' }).success, false);
  });
});
