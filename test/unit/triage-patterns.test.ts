// Pure triage logic: pattern warnings, time waited and the child's age for the threshold engine.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childAge, PATTERN_SETTINGS, patternWarnings, waitedSince } from '../../src/concerns/patterns.ts';
import { reverseRelationship } from '../../src/people/relationships.ts';
import { normaliseText } from '../../src/thresholds/explorer.ts';

const now = new Date('2026-03-27T10:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60 * 1000);

describe('pattern warnings', () => {
  test('the default is three concerns in 90 days, counting the one being triaged', () => {
    assert.deepEqual(PATTERN_SETTINGS.recentConcerns, 3);
    assert.deepEqual(PATTERN_SETTINGS.windowDays, 90);
    assert.deepEqual(patternWarnings({ now, childConcernDates: [now, daysAgo(30)], related: [] }), []);
    const w = patternWarnings({ now, childConcernDates: [now, daysAgo(30), daysAgo(89)], related: [] });
    assert.equal(w.length, 1);
    assert.equal(w[0]!.kind, 'repeated');
    assert.match(w[0]!.text, /3 concerns in the last 90 days/);
  });

  test('concerns older than the window do not count', () => {
    assert.deepEqual(patternWarnings({ now, childConcernDates: [now, daysAgo(30), daysAgo(91)], related: [] }), []);
  });

  test('the threshold and window are settings', () => {
    const w = patternWarnings({ now, childConcernDates: [now, daysAgo(10)], related: [] }, { recentConcerns: 2, windowDays: 14, householdWindowDays: 365 });
    assert.match(w[0]!.text, /2 concerns in the last 14 days/);
  });

  test('a sibling or household member with concerns is pointed out, by name and relationship', () => {
    const w = patternWarnings({
      now, childConcernDates: [now],
      related: [
        { childId: 'a', name: 'Mia Smith', relationship: 'sibling', concernDates: [daysAgo(3), daysAgo(100)] },
        { childId: 'b', name: 'Old News', relationship: 'sibling', concernDates: [daysAgo(400)] },
      ],
    });
    assert.deepEqual(w, [{ kind: 'household', childId: 'a', text: 'Mia Smith (sibling) has been the subject of 2 concerns in the last 365 days.' }]);
  });
});

describe('time waited', () => {
  test('counts working days (not weekends or bank holidays) and elapsed hours', () => {
    // Thursday 2 April 2026 09:00 BST to Tuesday 7 April 10:00 BST: Good Friday and Easter Monday are bank holidays.
    const w = waitedSince(new Date('2026-04-02T08:00:00Z'), new Date('2026-04-07T09:00:00Z'));
    assert.equal(w.workingDays, 1);
    assert.equal(w.hours, 121);
    assert.equal(w.text, '1 working day (121 hours)');
    assert.equal(waitedSince(new Date('2026-04-07T08:30:00Z'), new Date('2026-04-07T09:00:00Z')).text, 'Less than an hour');
  });
});

describe('child age for the threshold engine', () => {
  test('whole months from the date of birth', () => {
    assert.deepEqual(childAge('2025-03-28', null, '2026-03-27'), { unborn: false, ageInMonths: 11, text: '11 months' });
    assert.deepEqual(childAge('2025-03-27', null, '2026-03-27'), { unborn: false, ageInMonths: 12, text: '1 year' });
    assert.deepEqual(childAge('2018-01-31', null, '2026-03-27'), { unborn: false, ageInMonths: 97, text: '8 years and 1 month' });
    assert.equal(childAge('2026-03-01', null, '2026-03-27').ageInMonths, 0);
  });

  test('unborn from an expected due date, or a date of birth still to come; otherwise not known', () => {
    assert.deepEqual(childAge(null, '2026-07-01', '2026-03-27'), { unborn: true, text: 'Unborn' });
    assert.equal(childAge('2026-05-01', null, '2026-03-27').unborn, true);
    assert.deepEqual(childAge(null, null, '2026-03-27'), { unborn: false, text: 'Not known' });
  });

  test('once the expected due date has passed (London date) with no date of birth, the age is not known, not unborn', () => {
    assert.deepEqual(childAge(null, '2026-03-27', '2026-03-27'), { unborn: true, text: 'Unborn' });
    assert.deepEqual(childAge(null, '2026-03-26', '2026-03-27'), { unborn: false, text: 'Not known', dueDatePassed: true });
    assert.deepEqual(childAge(null, '2025-11-01', '2026-03-27'), { unborn: false, text: 'Not known', dueDatePassed: true });
    // A recorded date of birth wins over the due date.
    assert.equal(childAge('2025-11-03', '2025-11-01', '2026-03-27').ageInMonths, 4);
  });
});

describe('a link recorded on the other child’s record, read from this child’s side', () => {
  test('relationships that are the same both ways are kept', () => {
    assert.equal(reverseRelationship('sibling', 'Dylan Doyle'), 'sibling');
    assert.equal(reverseRelationship('Cousin', 'Dylan Doyle'), 'cousin');
    assert.equal(reverseRelationship('Sister', 'Dylan Doyle'), 'sibling');
    assert.equal(reverseRelationship('half-brother', 'Dylan Doyle'), 'half-sibling');
    assert.equal(reverseRelationship('Step sister', 'Dylan Doyle'), 'step-sibling');
    assert.equal(reverseRelationship('twin brother', 'Dylan Doyle'), 'twin');
  });

  test('others, which would read differently from this side, say only where the link is recorded', () => {
    assert.equal(reverseRelationship('older brother', 'Dylan Doyle'), 'linked in Dylan Doyle’s household');
    assert.equal(reverseRelationship('Nephew', 'Dylan Doyle'), 'linked in Dylan Doyle’s household');
  });
});

test('search text ignores case, accents and curly quotes', () => {
  assert.equal(normaliseText('Child’s CAFÉ'), "child's cafe");
});
