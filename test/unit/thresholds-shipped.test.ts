// Every framework file shipped in src/thresholds/frameworks/ and the cross-walk must validate, and must
// behave sensibly in the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import {
  formatFileError,
  listShippedFrameworkFiles,
  loadFrameworkFile,
  loadShippedFrameworks,
} from '../../src/thresholds/validate.ts';
import { assess } from '../../src/thresholds/engine.ts';
import {
  checkCrosswalkAgainstFrameworks,
  loadCrosswalkFile,
  SHIPPED_CROSSWALK_FILE,
  translateLevel,
} from '../../src/thresholds/crosswalk.ts';

const files = await listShippedFrameworkFiles();

test('at least one framework file is shipped', () => {
  assert.ok(files.length >= 1, 'no framework files in src/thresholds/frameworks/');
});

for (const file of files) {
  test(`${basename(file)} validates`, async () => {
    const result = await loadFrameworkFile(file);
    assert.ok(result.ok, result.ok ? '' : `\n${result.errors.map(formatFileError).join('\n')}`);
  });

  test(`${basename(file)}: every indicator alone suggests at least its own level, with itself as a reason`, async () => {
    const result = await loadFrameworkFile(file);
    if (!result.ok) return assert.fail('invalid file (see the validation test)');
    const fw = result.framework;
    const rank = new Map(fw.levels.map((l) => [l.id, l.rank]));
    for (const ind of fw.indicators) {
      for (const child of [{}, { unborn: true }, { ageInMonths: 3 }, { ageInMonths: 180 }]) {
        const a = assess(fw, { indicators: [ind.id], child });
        assert.ok(a.level.rank >= (rank.get(ind.level) ?? 0), `${ind.id}: ${a.level.id}`);
        assert.ok(a.reasons.some((r) => r.kind === 'indicator' && r.id === ind.id));
      }
    }
  });

  test(`${basename(file)}: every citation names a section`, async () => {
    const result = await loadFrameworkFile(file);
    if (!result.ok) return assert.fail('invalid file (see the validation test)');
    const fw = result.framework;
    for (const item of [...fw.levels, ...fw.indicators, ...fw.rules, fw.immediateDanger]) {
      assert.ok(item.source.section.trim().length > 0);
    }
  });
}

test('shipped frameworks load together with unique ids', async () => {
  const frameworks = await loadShippedFrameworks();
  assert.equal(frameworks.length, files.length);
  assert.equal(new Set(frameworks.map((f) => f.id)).size, frameworks.length);
});

test('the cross-walk validates and agrees with the shipped frameworks it names', async () => {
  const result = await loadCrosswalkFile(SHIPPED_CROSSWALK_FILE);
  assert.ok(result.ok, result.ok ? '' : `\n${result.errors.map(formatFileError).join('\n')}`);
  const frameworks = await loadShippedFrameworks();
  const mismatches = checkCrosswalkAgainstFrameworks(result.crosswalk, frameworks, SHIPPED_CROSSWALK_FILE);
  assert.deepEqual(mismatches, [], mismatches.map(formatFileError).join('\n'));
});

test('every level of every shipped framework named in the cross-walk translates to every other', async () => {
  const result = await loadCrosswalkFile(SHIPPED_CROSSWALK_FILE);
  if (!result.ok) return assert.fail('invalid cross-walk (see above)');
  const cw = result.crosswalk;
  const frameworks = (await loadShippedFrameworks()).filter((f) => cw.frameworks.some((c) => c.id === f.id));
  for (const from of frameworks) {
    for (const level of from.levels) {
      for (const to of frameworks) {
        const t = translateLevel(cw, from.id, level.id, to.id);
        assert.ok(t.levels.length > 0, `${from.id} ${level.id} -> ${to.id}`);
        for (const l of t.levels) assert.ok(to.levels.some((x) => x.id === l));
      }
    }
  }
});
