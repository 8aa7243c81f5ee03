// Scenarios taken from the seed documents, run against the shipped framework files. Indicators are found by
// their (verbatim) text rather than by id, so the scenarios test the policy, not the numbering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Framework, Indicator } from '../../src/thresholds/schema.ts';
import { formatFileError, loadFrameworkFile, SHIPPED_FRAMEWORKS_DIR } from '../../src/thresholds/validate.ts';
import { assess, JUDGEMENT_NOTE } from '../../src/thresholds/engine.ts';
import { loadShippedCrosswalk, translateLevel } from '../../src/thresholds/crosswalk.ts';

/** Fails (never skips) when the file is absent: these scenarios are the point of shipping the data. */
async function shipped(name: string): Promise<Framework> {
  const file = join(SHIPPED_FRAMEWORKS_DIR, `${name}.yaml`);
  if (!existsSync(file)) assert.fail(`framework file missing: ${file}`);
  const result = await loadFrameworkFile(file);
  if (!result.ok) assert.fail(`framework file invalid:\n${result.errors.map(formatFileError).join('\n')}`);
  return result.framework;
}

function find(fw: Framework, level: string, text: RegExp): Indicator {
  const found = fw.indicators.find((i) => i.level === level && text.test(i.text));
  if (!found) assert.fail(`${fw.id}: no indicator at ${level} whose text matches ${text}`);
  return found;
}

function topLevel(fw: Framework) {
  return [...fw.levels].sort((a, b) => b.rank - a.rank)[0]!;
}

// --- Medway (seed 000) -------------------------------------------------------------------------------------

test('Medway: domestic abuse with an unborn child is Level 3, with the rule cited', async () => {
  const fw = await shipped('medway');
  const da = find(fw, 'level-2', /domestic abuse/i);
  const result = assess(fw, { indicators: [da.id], child: { unborn: true } });
  assert.equal(result.level.id, 'level-3');
  assert.equal(result.indicatorLevel.id, 'level-2');
  const rule = result.reasons.find((r) => r.kind === 'rule' && r.level === 'level-3');
  assert.ok(rule, 'a rule raising to level-3 is among the reasons');
  assert.match(rule.text, /unborn/i);
  assert.ok(rule.source.section.length > 0);
  assert.ok(rule.source.lines, 'the rule cites the lines of the source');
  assert.equal(result.reasons[0], rule, 'the rule that set the level comes first');
  assert.ok(result.reasons.some((r) => r.kind === 'indicator' && r.id === da.id));
});

test('Medway: domestic abuse with a baby under one is Level 3', async () => {
  const fw = await shipped('medway');
  const da = find(fw, 'level-2', /domestic abuse/i);
  for (const ageInMonths of [0, 6, 11]) {
    const result = assess(fw, { indicators: [da.id], child: { ageInMonths } });
    assert.equal(result.level.id, 'level-3', `age ${ageInMonths} months`);
    assert.ok(result.reasons.some((r) => r.kind === 'rule' && r.level === 'level-3' && /under one/i.test(r.text)));
  }
});

test('Medway: the same domestic abuse indicator for a 5-year-old stays at its own level', async () => {
  const fw = await shipped('medway');
  const da = find(fw, 'level-2', /domestic abuse/i);
  const result = assess(fw, { indicators: [da.id], child: { ageInMonths: 60 } });
  assert.equal(result.level.id, 'level-2');
  assert.ok(!result.reasons.some((r) => r.kind === 'rule' && r.level === 'level-3'));
  // Age unknown: the engine does not assume a baby.
  assert.equal(assess(fw, { indicators: [da.id], child: {} }).level.id, 'level-2');
});

test('Medway: immediate danger puts "call 999" first', async () => {
  const fw = await shipped('medway');
  const result = assess(fw, { indicators: [], child: { ageInMonths: 96 }, immediateDanger: true });
  assert.equal(result.immediateDanger, true);
  assert.match(result.advice[0] ?? '', /999/);
  assert.match(result.response.immediateDangerInstruction ?? '', /999/);
  assert.equal(Object.keys(result.response)[0], 'immediateDangerInstruction');
  assert.equal(result.advice[result.advice.length - 1], JUDGEMENT_NOTE);
});

// --- Kent and Medway tiers (seed 004) ----------------------------------------------------------------------

test('Kent & Medway tiers: a cluster of Tier 2 indicators advises a Tier 3 assessment but stays Tier 2', async () => {
  const fw = await shipped('kent-medway-tiers');
  const picks = [/young carer/i, /teenage parent/i, /victim of bullying/i, /low self esteem/i].map((re) => find(fw, 'tier-2', re));
  const result = assess(fw, { indicators: picks.map((i) => i.id), child: { ageInMonths: 150 } });
  assert.equal(result.level.id, 'tier-2');
  assert.ok(result.advice.some((a) => /tier 3 assessment/i.test(a)), result.advice.join('\n'));
  const rule = result.reasons.find((r) => r.kind === 'rule' && /tier 3/i.test(r.title ?? r.text));
  assert.ok(rule, 'the cluster rule is among the reasons');
  assert.equal(rule.level, undefined, 'the cluster rule advises, it does not raise');

  // One Tier 2 indicator alone gives no such advice.
  const single = assess(fw, { indicators: [picks[0]!.id], child: { ageInMonths: 150 } });
  assert.ok(!single.advice.some((a) => /tier 3 assessment/i.test(a)));
});

// --- Each framework: a single top-level indicator gives the top level -----------------------------------------

const topIndicators: Array<[string, RegExp]> = [
  ['medway', /unexplained, non accidental, suspicious injury/i],
  ['dudley', /fabricated \/ induced illness/i],
  ['stoke-on-trent', /assault and\/or injury because of domestic abuse/i],
  ['kent-medway-tiers', /have or may have abused\/neglected/i],
];

for (const [name, text] of topIndicators) {
  test(`${name}: a single top-level indicator gives the top level`, async () => {
    const fw = await shipped(name);
    const top = topLevel(fw);
    const indicator = find(fw, top.id, text);
    const result = assess(fw, { indicators: [indicator.id], child: { ageInMonths: 84 } });
    assert.equal(result.level.id, top.id);
    assert.equal(result.reasons.find((r) => r.kind === 'indicator')?.text, indicator.text);
    assert.equal(result.response.summary, top.response.summary);
  });

  test(`${name}: immediate danger puts the framework's instruction first`, async () => {
    const fw = await shipped(name);
    const result = assess(fw, { indicators: [], child: {}, immediateDanger: true });
    assert.equal(result.advice[0], fw.immediateDanger.instruction);
    assert.equal(result.response.immediateDangerInstruction, fw.immediateDanger.instruction);
  });
}

// --- Cross-walk ----------------------------------------------------------------------------------------------

test('cross-walk: Medway Level 3 spans Kent & Medway Tiers 3 and 4, and Dudley Level 4', async () => {
  const frameworks = await Promise.all(['medway', 'dudley', 'stoke-on-trent', 'kent-medway-tiers'].map(shipped));
  const cw = await loadShippedCrosswalk(frameworks);
  assert.deepEqual(translateLevel(cw, 'medway', 'level-3', 'kent-medway-tiers').levels, ['tier-3', 'tier-4']);
  assert.deepEqual(translateLevel(cw, 'medway', 'level-3', 'dudley').levels, ['level-4']);
  assert.deepEqual(translateLevel(cw, 'kent-medway-tiers', 'tier-4', 'stoke-on-trent').levels, ['getting-risk-support']);
  assert.deepEqual(translateLevel(cw, 'dudley', 'level-1', 'stoke-on-trent').levels, ['thriving', 'getting-advice']);
});
