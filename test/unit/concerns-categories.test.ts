import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abuseCategoryFor, CATEGORY_GROUPS, CIN_FACTORS, cinFactorsFor, CONCERN_CATEGORIES } from '../../src/concerns/categories.ts';

test('every category maps to real census factor codes and a known group', () => {
  const ids = new Set<string>();
  for (const c of CONCERN_CATEGORIES) {
    assert.ok(!ids.has(c.id), `duplicate ${c.id}`);
    ids.add(c.id);
    assert.ok(c.group in CATEGORY_GROUPS);
    for (const code of c.cinFactors) assert.ok(code in CIN_FACTORS, `${c.id}: ${code}`);
    if (c.id !== 'not_sure') assert.ok(c.cinFactors.length > 0, `${c.id} has a census factor`);
  }
});

test('the census factor list has the codes of the guide', () => {
  assert.equal(CIN_FACTORS['16A'], 'Abuse or neglect: neglect');
  assert.equal(CIN_FACTORS['17A'], 'Abuse or neglect: emotional abuse');
  assert.equal(CIN_FACTORS['18A'], 'Abuse or neglect: physical abuse');
  assert.equal(CIN_FACTORS['19A'], 'Abuse or neglect: sexual abuse');
  assert.equal(CIN_FACTORS['21'], 'No factors identified');
  for (const n of ['1', '2', '3', '4', '5', '6']) for (const who of ['A', 'B', 'C']) assert.ok(`${n}${who}` in CIN_FACTORS);
});

test('categories give their factors in census order, without repeats', () => {
  assert.deepEqual(cinFactorsFor(['physical_abuse']), ['18A']);
  assert.deepEqual(cinFactorsFor(['child_criminal_exploitation', 'gangs']), ['13A', '24A']);
  assert.deepEqual(cinFactorsFor(['fgm', 'child_sexual_exploitation', 'going_missing']), ['10A', '11A', '22A']);
  assert.deepEqual(cinFactorsFor(['parental_substance_misuse', 'domestic_abuse']), ['1B', '2B', '3A', '3B']);
  assert.deepEqual(cinFactorsFor(['faith_or_belief', 'self_harm']), ['4A', '15A', '23A']);
  assert.deepEqual(cinFactorsFor(['not_sure']), []);
  assert.deepEqual(cinFactorsFor(['unknown']), []);
});

test('the category of abuse: one, MUL for several, none when not abuse', () => {
  assert.equal(abuseCategoryFor(['neglect']), 'NEG');
  assert.equal(abuseCategoryFor(['sexual_abuse', 'child_sexual_exploitation']), 'SAB');
  assert.equal(abuseCategoryFor(['physical_abuse', 'neglect']), 'MUL');
  assert.equal(abuseCategoryFor(['going_missing']), null);
});
