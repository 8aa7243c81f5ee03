import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dateOfBirthScore, LIKELY_MATCH_SCORE, MIN_SCORE, nameScore, nameWords, postcodeScore, scoreMatch, type MatchCandidate } from '../../src/people/matching.ts';
import { nearbyDates } from '../../src/people/search.ts';

const base: MatchCandidate = {
  nameSimilarity: 0, firstNamePhonetic: false, lastNamePhonetic: false,
  dateOfBirth: '2018-03-14', expectedDueDate: null, postcodeKeys: ['ME44TR'], nhsNumber: null,
};

describe('match scorer', () => {
  test('splits names into words, keeping hyphenated names whole', () => {
    assert.deepEqual(nameWords('Smith-Jones,  Ava'), ['smith-jones', 'ava']);
  });

  test('a name that sounds the same scores well even when it is spelt differently', () => {
    assert.equal(nameScore('jaden smyth', { nameSimilarity: 0.39, firstNamePhonetic: true, lastNamePhonetic: true }), 0.85);
    assert.equal(nameScore('smyth', { nameSimilarity: 0.5, firstNamePhonetic: false, lastNamePhonetic: true }), 0.75);
    assert.equal(nameScore('jaden brown', { nameSimilarity: 0.2, firstNamePhonetic: true, lastNamePhonetic: false }), 0.4);
    assert.equal(nameScore('ava smith-jones', { nameSimilarity: 1, firstNamePhonetic: false, lastNamePhonetic: false }), 1);
  });

  test('dates of birth: exact, the usual slips, and an unborn child’s due date', () => {
    assert.equal(dateOfBirthScore('2018-03-14', base), 1);
    assert.equal(dateOfBirthScore('2018-03-04', { ...base, dateOfBirth: '2018-04-03' }), 0.7);
    assert.equal(dateOfBirthScore('2019-03-14', base), 0.5);
    assert.equal(dateOfBirthScore('2018-03-16', base), 0.5);
    assert.equal(dateOfBirthScore('2018-03-28', base), 0.3);
    assert.equal(dateOfBirthScore('2015-07-01', base), 0);
    assert.equal(dateOfBirthScore('2026-01-10', { ...base, dateOfBirth: null, expectedDueDate: '2026-01-03' }), 0.7);
  });

  test('postcodes: full match, same district, outward code only', () => {
    assert.equal(postcodeScore({ key: 'ME44TR', outwardOnly: false }, ['ME44TR']), 1);
    assert.equal(postcodeScore({ key: 'ME41AA', outwardOnly: false }, ['ME44TR']), 0.3);
    assert.equal(postcodeScore({ key: 'ME4', outwardOnly: true }, ['ME44TR']), 1);
    assert.equal(postcodeScore({ key: 'ME4', outwardOnly: true }, ['ME45AA'.replace('ME4', 'ME40')]), 0);
  });

  test('postcodes: outward code and sector ("ME4 4")', () => {
    assert.equal(postcodeScore({ key: 'ME4', outwardOnly: true, sector: '4' }, ['ME44TR']), 1);
    assert.equal(postcodeScore({ key: 'ME4', outwardOnly: true, sector: '4' }, ['ME46AB']), 0.3, 'same district, other sector');
    assert.equal(postcodeScore({ key: 'ME4', outwardOnly: true, sector: '4' }, ['ME441AA']), 0, 'ME44 is another district');
  });

  test('only the criteria given count, and the better match ranks first', () => {
    const exact = scoreMatch({ name: 'jayden smith', dateOfBirth: '2018-03-14' }, { ...base, nameSimilarity: 1, firstNamePhonetic: true, lastNamePhonetic: true });
    const misspelt = scoreMatch({ name: 'jaden smyth', dateOfBirth: '2018-03-14' }, { ...base, nameSimilarity: 0.39, firstNamePhonetic: true, lastNamePhonetic: true });
    const otherDob = scoreMatch({ name: 'jaden smyth', dateOfBirth: '2011-09-30' }, { ...base, nameSimilarity: 0.39, firstNamePhonetic: true, lastNamePhonetic: true });
    assert.equal(exact, 100);
    assert.ok(misspelt > otherDob && otherDob >= MIN_SCORE, `${misspelt} > ${otherDob}`);
    assert.equal(scoreMatch({ dateOfBirth: '2018-03-14' }, base), 100);
    assert.equal(scoreMatch({}, base), 0);
  });

  test('an NHS number settles it: the same one is a match, a different one is not', () => {
    assert.ok(scoreMatch({ name: 'someone else', nhsNumber: '9434765919' }, { ...base, nhsNumber: '9434765919' }) >= 95);
    const different = scoreMatch({ name: 'jayden smith', nhsNumber: '9434765919' }, { ...base, nameSimilarity: 1, nhsNumber: '4010232137' });
    assert.ok(different < MIN_SCORE, String(different));
  });

  test('an NHS number given for a record that has none neither adds nor takes away', () => {
    const existing = { ...base, nameSimilarity: 0.6, firstNamePhonetic: true, lastNamePhonetic: true, postcodeKeys: ['CT11AA'] };
    const query = { name: 'jaden smith', dateOfBirth: '2018-03-14', postcode: { key: 'ME44TR', outwardOnly: false } };
    const without = scoreMatch(query, existing);
    const withNhs = scoreMatch({ ...query, nhsNumber: '9434765919' }, existing);
    assert.equal(withNhs, without);
    assert.ok(withNhs >= LIKELY_MATCH_SCORE, String(withNhs));
  });

  test('nearby dates include the swapped day and month, a year either side and a few days either side', () => {
    const d = nearbyDates('2018-03-04');
    for (const expected of ['2018-03-04', '2018-04-03', '2017-03-04', '2019-03-04', '2018-03-01', '2018-03-07']) assert.ok(d.includes(expected), expected);
    assert.ok(!nearbyDates('2018-03-14').includes('2018-14-03'));
    assert.ok(nearbyDates('2020-02-29').every((x) => /^\d{4}-\d{2}-\d{2}$/.test(x)));
    // Neighbours outside years 1–9999 are left out rather than made up (year 0 is not a date the database takes).
    assert.deepEqual(nearbyDates('0001-01-01').filter((x) => x < '0001-01-01'), []);
    assert.ok(nearbyDates('0001-01-01').includes('0001-01-04'));
    assert.deepEqual(nearbyDates('9999-12-31').filter((x) => x > '9999-12-31'), []);
  });
});
