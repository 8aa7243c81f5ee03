import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import {
  checkCrosswalkAgainstFrameworks,
  CrosswalkLookupError,
  loadCrosswalkFile,
  SHIPPED_CROSSWALK_FILE,
  translateLevel,
  validateCrosswalk,
  type Crosswalk,
} from '../../src/thresholds/crosswalk.ts';
import { formatFileError, type FileError } from '../../src/thresholds/validate.ts';
import { frameworkSchema } from '../../src/thresholds/schema.ts';

const loaded = await loadCrosswalkFile(SHIPPED_CROSSWALK_FILE);
if (!loaded.ok) throw new Error(loaded.errors.map(formatFileError).join('\n'));
const cw: Crosswalk = loaded.crosswalk;
const rawShipped = parse(await readFile(SHIPPED_CROSSWALK_FILE, 'utf8')) as Record<string, unknown>;

test('the shipped cross-walk names the four frameworks and five bands, lowest first', () => {
  assert.deepEqual(cw.frameworks.map((f) => f.id), ['medway', 'dudley', 'stoke-on-trent', 'kent-medway-tiers']);
  assert.deepEqual(cw.bands.map((b) => b.id), [
    'universal',
    'additional-needs',
    'complex-needs-early-help',
    'child-in-need',
    'significant-harm',
  ]);
});

test('no additional needs lines up across the frameworks', () => {
  assert.deepEqual(translateLevel(cw, 'medway', 'level-1', 'dudley').levels, ['level-1']);
  assert.deepEqual(translateLevel(cw, 'medway', 'level-1', 'kent-medway-tiers').levels, ['tier-1']);
  assert.deepEqual(translateLevel(cw, 'medway', 'level-1', 'stoke-on-trent').levels, ['thriving', 'getting-advice']);
  assert.deepEqual(translateLevel(cw, 'stoke-on-trent', 'getting-advice', 'medway').levels, ['level-1']);
  assert.equal(translateLevel(cw, 'medway', 'level-1', 'dudley').band.id, 'universal');
});

test('Medway Level 3 is one-to-many, and says so', () => {
  const t = translateLevel(cw, 'medway', 'level-3', 'kent-medway-tiers');
  assert.deepEqual(t.levels, ['tier-3', 'tier-4']);
  assert.deepEqual(t.bands.map((b) => b.id), ['child-in-need', 'significant-harm']);
  assert.equal(t.band.id, 'significant-harm');
  assert.match(t.caveats[0] ?? '', /corresponds to 2 levels .*tier-3, tier-4/);
  assert.ok(t.caveats.some((c) => /historic/.test(c)), 'Kent & Medway 2011 tiers are flagged as historic');
  assert.ok(t.caveats.some((c) => /receiving area/.test(c)));
});

test('early help: Medway Level 2 spans Dudley Levels 2 and 3; Dudley Level 3 is Medway Level 2', () => {
  assert.deepEqual(translateLevel(cw, 'medway', 'level-2', 'dudley').levels, ['level-2', 'level-3']);
  assert.deepEqual(translateLevel(cw, 'dudley', 'level-3', 'medway').levels, ['level-2']);
  assert.deepEqual(translateLevel(cw, 'dudley', 'level-3', 'stoke-on-trent').levels, ['getting-more-help']);
});

test('significant harm lines up: Dudley 4, Stoke Getting Risk Support, Tier 4 all reach Medway Level 3', () => {
  assert.deepEqual(translateLevel(cw, 'dudley', 'level-4', 'medway').levels, ['level-3']);
  assert.deepEqual(translateLevel(cw, 'stoke-on-trent', 'getting-risk-support', 'medway').levels, ['level-3']);
  assert.deepEqual(translateLevel(cw, 'kent-medway-tiers', 'tier-4', 'medway').levels, ['level-3']);
  assert.deepEqual(translateLevel(cw, 'kent-medway-tiers', 'tier-4', 'dudley').levels, ['level-4']);
});

test('every caveat carries its citation, and caveats about one framework stay with it', () => {
  const t = translateLevel(cw, 'medway', 'level-1', 'dudley');
  for (const c of t.caveats) assert.match(c, /\(Source: .+\.\)$/);
  assert.ok(!t.caveats.some((c) => /Stoke-on-Trent splits/.test(c)), 'the Stoke-only caveat is not shown for Medway→Dudley');
  const s = translateLevel(cw, 'medway', 'level-1', 'stoke-on-trent');
  assert.ok(s.caveats.some((c) => /Stoke-on-Trent splits/.test(c)));
});

test('translations are consistent both ways and include the level itself', () => {
  for (const from of cw.frameworks) {
    for (const level of from.levels) {
      assert.ok(translateLevel(cw, from.id, level, from.id).levels.includes(level));
      for (const to of cw.frameworks) {
        const t = translateLevel(cw, from.id, level, to.id);
        assert.ok(t.levels.length > 0);
        for (const target of t.levels) {
          assert.ok(
            translateLevel(cw, to.id, target, from.id).levels.includes(level),
            `${from.id}:${level} -> ${to.id}:${target} does not translate back`,
          );
        }
      }
    }
  }
});

test('unknown framework or level ids throw CrosswalkLookupError', () => {
  assert.throws(
    () => translateLevel(cw, 'kent', 'tier-1', 'medway'),
    (e: unknown) => e instanceof CrosswalkLookupError && e.kind === 'framework' && e.id === 'kent' && e.statusCode === 400,
  );
  assert.throws(
    () => translateLevel(cw, 'medway', 'level-1', 'nowhere'),
    (e: unknown) => e instanceof CrosswalkLookupError && e.kind === 'framework' && e.id === 'nowhere',
  );
  assert.throws(
    () => translateLevel(cw, 'medway', 'level-4', 'dudley'),
    (e: unknown) => e instanceof CrosswalkLookupError && e.kind === 'level' && /its levels are level-1, level-2, level-3/.test(e.message),
  );
});

// --- validation ----------------------------------------------------------------------------------------------

function broken(fn: (raw: any) => void): FileError[] {
  const raw = structuredClone(rawShipped);
  fn(raw);
  const result = validateCrosswalk(raw, 'cw.yaml');
  assert.equal(result.ok, false, 'expected the cross-walk to be invalid');
  return result.ok ? [] : result.errors;
}

function hasError(errors: FileError[], path: string, message: RegExp) {
  assert.ok(
    errors.some((e) => e.path === path && message.test(e.message)),
    `no error at ${path} matching ${message}; got:\n${errors.map(formatFileError).join('\n')}`,
  );
}

test('validation: unknown level in a band', () => {
  const errors = broken((raw) => (raw.bands[0].levels.medway = ['level-1', 'level-9']));
  hasError(errors, 'bands[0].levels.medway[1]', /^unknown level "level-9" of framework "medway"/);
});

test('validation: a band must give levels for every framework, and only known frameworks', () => {
  const errors = broken((raw) => {
    delete raw.bands[1].levels.dudley;
    raw.bands[1].levels.kent = ['tier-2'];
  });
  hasError(errors, 'bands[1].levels', /^no levels given for framework "dudley"$/);
  hasError(errors, 'bands[1].levels.kent', /^unknown framework "kent"/);
});

test('validation: every level must be in some band', () => {
  const errors = broken((raw) => (raw.bands[0].levels['stoke-on-trent'] = ['thriving']));
  hasError(errors, 'frameworks[2].levels[1]', /^level "getting-advice" is in no band/);
});

test('validation: bands go from lowest to highest need', () => {
  const errors = broken((raw) => (raw.bands[4].levels.dudley = ['level-1']));
  hasError(errors, 'bands[4].levels.dudley', /^bands must go from lowest to highest need/);
});

test('validation: duplicate band ids, unknown cited framework, schema errors', () => {
  const errors = broken((raw) => {
    raw.bands[1].id = 'universal';
    raw.caveats[0].sources[0].framework = 'medwy';
    raw.bands[2].colour = 'red';
    delete raw.title;
  });
  hasError(errors, 'title', /^required field is missing/);
  hasError(errors, 'bands[2].colour', /^unknown field "colour"$/);
  const cross = broken((raw) => {
    raw.bands[1].id = 'universal';
    raw.caveats[0].sources[0].framework = 'medwy';
  });
  hasError(cross, 'bands[1].id', /^duplicate band id "universal"/);
  hasError(cross, 'caveats[0].sources[0].framework', /^unknown framework "medwy"/);
});

test('checkCrosswalkAgainstFrameworks reports a framework whose levels differ', () => {
  const fake = frameworkSchema.parse({
    id: 'medway',
    name: 'Medway (changed)',
    publisher: 'x',
    version: '2',
    published: '2030-01',
    source: { title: 't', document: 'd' },
    immediateDanger: { instruction: 'Call 999', source: { section: 's' } },
    levels: ['level-1', 'level-2', 'level-3', 'level-4'].map((id, i) => ({
      id,
      rank: i + 1,
      name: id,
      description: id,
      response: { summary: id },
      consent: { required: false },
      source: { section: id },
    })),
    domains: [{ id: 'd', name: 'd' }],
    indicators: [{ id: 'i', text: 'i', level: 'level-1', domain: 'd', source: { section: 's' } }],
  });
  const errors = checkCrosswalkAgainstFrameworks(cw, [fake], 'cw.yaml');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.path, 'frameworks[0].levels');
  assert.match(errors[0]?.message ?? '', /the framework's levels by rank are level-1, level-2, level-3, level-4/);
});
