import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  amendmentSchema, concernInputSchema, draftToInput, formatReference, nextStep, parseTime, pickStepFields,
  previousStep, resumeStep, stepsFor, validateStep, type ConcernDraft,
} from '../../src/concerns/form.ts';
import { londonToInstant } from '../../src/platform/calendar/london-time.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const CHILD = '6f1c2f5e-8d7a-4c7e-9a52-2b3c4d5e6f70';
const complete: ConcernDraft = {
  childId: CHILD, whatHappened: 'Bruise', childsWords: '', whenDay: '1', whenMonth: '7', whenYear: '2025',
  whenTime: '14:30', location: 'Hall', present: 'Me', injuries: 'no', categories: ['physical_abuse'], immediateDanger: 'no', toldDsl: 'no',
};

describe('concern form steps', () => {
  test('the 999 page appears only when the child is in immediate danger', () => {
    assert.ok(!stepsFor({ immediateDanger: 'no' }).includes('call-999'));
    assert.equal(nextStep('danger', { immediateDanger: 'no' }), 'told-dsl');
    assert.equal(nextStep('danger', { immediateDanger: 'yes' }), 'call-999');
    assert.equal(previousStep('told-dsl', { immediateDanger: 'yes' }), 'call-999');
    assert.equal(previousStep('child', {}), null);
    assert.equal(nextStep('told-dsl', {}), 'check');
  });

  test('each step takes only its own fields, keeps text exactly as typed, and drops unknown categories', () => {
    assert.deepEqual(pickStepFields('childs-words', { childsWords: '  "no"  ', whatHappened: 'other step' }), { childsWords: '  "no"  ' });
    assert.deepEqual(pickStepFields('categories', {}), { categories: [] });
    assert.deepEqual(pickStepFields('categories', { categories: 'neglect' }), { categories: ['neglect'] });
    assert.deepEqual(pickStepFields('categories', { categories: ['neglect', 'made_up'] }), { categories: ['neglect'] });
  });

  test('over-long text is kept in full, so the step says it is too long rather than cutting the end off', () => {
    const long = `${'a'.repeat(20000)}THE END`;
    const picked = pickStepFields('what-happened', { whatHappened: long });
    assert.equal(picked.whatHappened, long);
    const errors = validateStep('what-happened', picked, NOW);
    assert.deepEqual(errors, [{ field: 'whatHappened', text: 'What happened must be 20,000 characters or fewer' }]);
    assert.deepEqual(validateStep('what-happened', { whatHappened: 'a'.repeat(20000) }, NOW), [], 'exactly 20,000 is allowed');
  });

  test('validation gives specific messages', () => {
    assert.deepEqual(validateStep('what-happened', { whatHappened: ' ' }, NOW).map((e) => e.field), ['whatHappened']);
    assert.deepEqual(validateStep('childs-words', {}, NOW), [], 'the child may have said nothing');
    assert.deepEqual(validateStep('child', { childId: CHILD }, NOW, false)[0]?.text, 'Select a child from the list');
    const when = (d: Partial<ConcernDraft>) => validateStep('when-where', { location: 'x', whenDay: '1', whenMonth: '2', whenYear: '2026', whenTime: '10:00', ...d }, NOW);
    assert.deepEqual(when({}), []);
    assert.match(when({ whenDay: '30' })[0]!.text, /real date/);
    assert.match(when({ whenYear: '2027' })[0]!.text, /in the past/);
    assert.match(when({ whenTime: '25:00' })[0]!.text, /14:30/);
    assert.match(when({ whenDay: '' })[0]!.text, /day, month and year/);
    assert.deepEqual(when({ whenDay: '', whenMonth: '', whenYear: '', whenTime: '', whenText: 'last week' }), []);
    assert.deepEqual(when({ location: '' }).map((e) => e.field), ['location']);
    assert.deepEqual(validateStep('injuries', { injuries: 'yes' }, NOW).map((e) => e.field), ['injuriesDetail']);
    assert.deepEqual(validateStep('categories', { categories: [] }, NOW).map((e) => e.field), ['categories']);
    assert.match(validateStep('categories', { categories: ['not_sure', 'neglect'] }, NOW)[0]!.text, /on its own/);
    assert.deepEqual(validateStep('call-999', {}, NOW).map((e) => e.field), ['called999']);
  });

  test('times in several forms', () => {
    assert.equal(parseTime('14:30'), 870);
    assert.equal(parseTime('2:30pm'), 870);
    assert.equal(parseTime('2pm'), 840);
    assert.equal(parseTime('12am'), 0);
    assert.equal(parseTime('9.05'), 545);
    assert.equal(parseTime('14'), null);
    assert.equal(parseTime('13pm'), null);
  });

  test('London wall-clock time becomes the right instant in summer and winter', () => {
    assert.equal(londonToInstant(2025, 7, 1, 14 * 60 + 30).toISOString(), '2025-07-01T13:30:00.000Z');
    assert.equal(londonToInstant(2026, 1, 15, 9 * 60).toISOString(), '2026-01-15T09:00:00.000Z');
  });

  test('a finished draft becomes a concern; an unfinished one names the step to go back to', () => {
    const r = draftToInput(complete, NOW);
    assert.ok(r.ok);
    assert.equal(r.input.occurredAt?.toISOString(), '2025-07-01T13:30:00.000Z');
    assert.equal(r.input.childsWords, null);
    assert.equal(r.input.called999, null);
    assert.equal(r.input.injuries, null);
    const danger = draftToInput({ ...complete, immediateDanger: 'yes' }, NOW);
    assert.ok(!danger.ok);
    assert.equal(danger.step, 'call-999');
    const ok = draftToInput({ ...complete, immediateDanger: 'yes', called999: 'yes', injuries: 'yes', injuriesDetail: 'left arm' }, NOW);
    assert.ok(ok.ok && ok.input.called999 === true && ok.input.injuries === 'left arm');
    assert.equal(resumeStep({ childId: CHILD, whatHappened: 'x' }, NOW), 'childs-words');
    assert.equal(resumeStep({ childId: CHILD, whatHappened: 'x', childsWords: '' }, NOW), 'when-where');
    assert.equal(resumeStep(complete, NOW), 'check');
  });

  test('the API schema and the amendment schema name the field at fault', () => {
    const bad = concernInputSchema.safeParse({ childId: CHILD, whatHappened: 'x', location: 'y', present: 'z', categories: ['neglect'], immediateDanger: false, toldDslInPerson: true });
    assert.ok(!bad.success);
    assert.deepEqual(bad.error.issues[0]!.path, ['occurredAt']);
    const noReason = amendmentSchema.safeParse({ field: 'location', to: 'Hall', reason: ' ' });
    assert.ok(!noReason.success);
    assert.deepEqual(noReason.error.issues[0]!.path, ['reason']);
    const blankRequired = amendmentSchema.safeParse({ field: 'whatHappened', to: '', reason: 'typo' });
    assert.ok(!blankRequired.success);
    assert.ok(amendmentSchema.safeParse({ field: 'childsWords', to: '', reason: 'was not the child' }).success);
    assert.equal(formatReference(123), 'C-000123');
  });
});

test('from the 999 page when it no longer applies (a stale tab after "No" to danger), the next step is the one after danger', () => {
  assert.equal(nextStep('call-999', { immediateDanger: 'no' }), 'told-dsl');
  assert.equal(nextStep('call-999', {}), 'told-dsl');
  assert.equal(nextStep('call-999', { immediateDanger: 'yes' }), 'told-dsl');
  assert.equal(nextStep('child', { immediateDanger: 'no' }), 'what-happened');
});
