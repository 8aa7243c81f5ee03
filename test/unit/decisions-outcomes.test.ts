// Decision outcomes: suggested tasks with default due dates in working days, due tags, date parts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dateFromParts, dueTag, OUTCOME_INFO, OUTCOMES, suggestedTasks } from '../../src/decisions/outcomes.ts';

describe('suggested tasks', () => {
  test('every outcome suggests at least one task', () => {
    for (const o of OUTCOMES) assert.ok(OUTCOME_INFO[o].tasks.length >= 1, o);
  });

  test('a referral to the front door is due in 1 working day, skipping the weekend and bank holidays', () => {
    // Thursday 2 April 2026: Good Friday and Easter Monday follow.
    assert.deepEqual(suggestedTasks('front_door_child_protection', '2026-04-02')[0], { title: 'Contact the front door (First Response)', dueDate: '2026-04-07' });
    assert.equal(suggestedTasks('front_door_child_in_need', '2026-03-27')[0]!.dueDate, '2026-03-30');
  });

  test('monitoring is reviewed in 4 weeks (20 working days)', () => {
    assert.deepEqual(suggestedTasks('monitor', '2026-03-02'), [{ title: 'Review in 4 weeks', dueDate: '2026-03-30' }]);
  });

  test('only "no further action" and "monitor" are decisions not to refer; only LADO is restricted', () => {
    assert.deepEqual(OUTCOMES.filter((o) => OUTCOME_INFO[o].notReferral), ['no_further_action', 'monitor']);
    assert.deepEqual(OUTCOMES.filter((o) => OUTCOME_INFO[o].restricted), ['lado']);
  });
});

test('due tags: overdue, due today, due soon, open, done', () => {
  assert.equal(dueTag('2026-03-26', '2026-03-27', 'open').text, 'Overdue');
  assert.equal(dueTag('2026-03-27', '2026-03-27', 'open').text, 'Due today');
  assert.equal(dueTag('2026-04-02', '2026-03-27', 'open').text, 'Due soon');
  assert.equal(dueTag('2026-05-02', '2026-03-27', 'open').text, 'Open');
  assert.equal(dueTag('2026-03-01', '2026-03-27', 'done').text, 'Done');
});

test('date input parts become an ISO date, or null when not real', () => {
  assert.equal(dateFromParts('7', '4', '2026'), '2026-04-07');
  assert.equal(dateFromParts('31', '2', '2026'), null);
  assert.equal(dateFromParts('', '4', '2026'), null);
  assert.equal(dateFromParts('1', '1', '26'), null);
});
