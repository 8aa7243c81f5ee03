import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  FrameworkValidationError,
  formatFileError,
  loadFrameworkFile,
  loadShippedFrameworks,
  validateFramework,
  type FileError,
} from '../../src/thresholds/validate.ts';

const dir = await mkdtemp(join(tmpdir(), 'continuum-thresholds-'));
after(() => rm(dir, { recursive: true, force: true }));

let counter = 0;
async function writeTemp(content: string, ext = 'yaml'): Promise<string> {
  const file = join(dir, `framework-${++counter}.${ext}`);
  await writeFile(file, content, 'utf8');
  return file;
}

/** A small valid framework, as it would be written in a file. */
function validRaw() {
  const cite = (section: string) => ({ section, lines: '1-2' });
  return {
    id: 'test-area',
    name: 'Test area threshold guidance',
    publisher: 'Test partnership',
    version: '2025-01',
    published: '2025-01',
    source: { title: 'Guidance', document: 'seeds/test.txt' },
    immediateDanger: { instruction: 'Call 999 now.', source: cite('Accessing support') },
    levels: [1, 2, 3].map((n) => ({
      id: `level-${n}`,
      rank: n,
      name: `Level ${n}`,
      description: `Level ${n}`,
      response: { summary: `Do ${n}` },
      consent: { required: n !== 3 },
      source: cite(`Level ${n}`),
    })),
    domains: [
      { id: 'child', name: 'Child development', subdomains: [{ id: 'health', name: 'Health' }] },
      { id: 'family', name: 'Family and environment' },
    ],
    indicators: [
      { id: 'i-1', text: 'Good attendance', level: 'level-1', domain: 'child', subdomain: 'health', source: cite('t') },
      { id: 'i-2', text: 'Concerns about domestic abuse', level: 'level-2', domain: 'family', tags: ['domestic-abuse'], source: cite('t') },
      { id: 'i-3', text: 'Evidence of abuse', level: 'level-3', domain: 'child', source: cite('t') },
    ],
    rules: [
      {
        id: 'da-baby',
        title: 'Domestic abuse, baby',
        when: { allOf: [{ ageUnderMonths: 12 }, { indicatorTagged: 'domestic-abuse' }] },
        raiseTo: 'level-3',
        explanation: 'Babies are at significant risk.',
        source: cite('Level 3'),
      },
      {
        id: 'cluster',
        title: 'Several level 2 needs',
        when: { countAtLevel: { level: 'level-2', atLeast: 2 } },
        advice: 'Consider level 3.',
        explanation: 'Clusters matter.',
        source: cite('Which level'),
      },
      {
        id: 'danger',
        title: 'Immediate danger',
        when: { immediateDanger: true },
        raiseTo: 'level-3',
        explanation: 'A child in danger needs protection now.',
        source: cite('Accessing support'),
      },
    ],
  };
}

type Raw = ReturnType<typeof validRaw> & Record<string, unknown>;

function errorsOf(data: unknown): FileError[] {
  const result = validateFramework(data, 'f.yaml');
  assert.equal(result.ok, false, 'expected validation to fail');
  return result.ok ? [] : result.errors;
}

function hasError(errors: FileError[], path: string, message: RegExp) {
  const found = errors.find((e) => e.path === path && message.test(e.message));
  assert.ok(found, `no error at ${path} matching ${message}; got:\n${errors.map(formatFileError).join('\n')}`);
  assert.equal(found.file, 'f.yaml');
}

function mutate(fn: (raw: Raw) => void): Raw {
  const raw = validRaw() as Raw;
  fn(raw);
  return raw;
}

test('a valid framework passes, with defaults filled in', () => {
  const result = validateFramework(validRaw(), 'f.yaml');
  assert.ok(result.ok, result.ok ? '' : result.errors.map(formatFileError).join('\n'));
  assert.deepEqual(result.framework.indicators[0]?.tags, []);
  assert.deepEqual(result.framework.levels[0]?.response.contacts, []);
});

test('bad level reference in an indicator', () => {
  const errors = errorsOf(mutate((raw) => void ((raw.indicators[1] as { level: string }).level = 'level-9')));
  assert.equal(errors.length, 1);
  hasError(errors, 'indicators[1].level', /^unknown level "level-9": levels are level-1, level-2, level-3$/);
});

test('bad domain and subdomain references', () => {
  const errors = errorsOf(
    mutate((raw) => {
      (raw.indicators[0] as { subdomain?: string }).subdomain = 'learning';
      (raw.indicators[2] as { domain: string }).domain = 'parents';
    }),
  );
  hasError(errors, 'indicators[0].subdomain', /^unknown subdomain "learning" in domain "child": its subdomains are health$/);
  hasError(errors, 'indicators[2].domain', /^unknown domain "parents": domains are child, family$/);
});

test('a subdomain must belong to the indicator\'s own domain', () => {
  const errors = errorsOf(mutate((raw) => void Object.assign(raw.indicators[1] as object, { subdomain: 'health' })));
  hasError(errors, 'indicators[1].subdomain', /unknown subdomain "health" in domain "family"/);
});

test('duplicate ids are reported at the second use, naming the first', () => {
  const errors = errorsOf(
    mutate((raw) => {
      (raw.indicators[2] as { id: string }).id = 'i-1';
      (raw.levels[2] as { id: string }).id = 'level-1';
      raw.rules.push({ ...raw.rules[0]! });
      raw.domains.push({ id: 'family', name: 'Again' });
      (raw.domains[0] as { subdomains: unknown[] }).subdomains.push({ id: 'health', name: 'Again' });
    }),
  );
  hasError(errors, 'indicators[2].id', /^duplicate indicator id "i-1" \(already used at indicators\[0\]\)$/);
  hasError(errors, 'levels[2].id', /^duplicate level id "level-1" \(already used at levels\[0\]\)$/);
  hasError(errors, 'rules[3].id', /^duplicate rule id "da-baby" \(already used at rules\[0\]\)$/);
  hasError(errors, 'domains[2].id', /^duplicate domain id "family"/);
  hasError(errors, 'domains[0].subdomains[1].id', /^duplicate subdomain id "health"/);
});

test('ranks must be unique and consecutive from 1', () => {
  const gap = errorsOf(mutate((raw) => void ((raw.levels[2] as { rank: number }).rank = 4)));
  assert.equal(gap.length, 1);
  hasError(gap, 'levels[2].rank', /^rank 4 is out of sequence: ranks must be consecutive from 1 to 3/);

  const dup = errorsOf(mutate((raw) => void ((raw.levels[2] as { rank: number }).rank = 2)));
  hasError(dup, 'levels[2].rank', /^duplicate rank 2 \(already used at levels\[1\]\)$/);

  const zero = errorsOf(mutate((raw) => void ((raw.levels[0] as { rank: number }).rank = 0)));
  hasError(zero, 'levels[0].rank', /expected number to be >=1/);
});

test('unknown ids inside rule conditions are reported with the full condition path', () => {
  const errors = errorsOf(
    mutate((raw) => {
      raw.rules[0]!.when = {
        allOf: [{ ageUnderMonths: 12 }, { anyOf: [{ indicatorSelected: ['i-2', 'i-99'] }] }],
      } as never;
      raw.rules[1]!.when = { not: { countAtLevelOrAbove: { level: 'level-7', atLeast: 1 } } } as never;
      (raw.rules[0] as { raiseTo?: string }).raiseTo = 'level-5';
    }),
  );
  hasError(errors, 'rules[0].when.allOf[1].anyOf[0].indicatorSelected[1]', /^unknown indicator "i-99"$/);
  hasError(errors, 'rules[1].when.not.countAtLevelOrAbove.level', /^unknown level "level-7"/);
  hasError(errors, 'rules[0].raiseTo', /^unknown level "level-5"/);
});

test('a tag no indicator carries is reported', () => {
  const errors = errorsOf(mutate((raw) => void (raw.rules[0]!.when = { indicatorTagged: 'domestic-abus' } as never)));
  hasError(errors, 'rules[0].when.indicatorTagged', /no indicator has the tag "domestic-abus"/);
});

test('a raising rule may not depend on a concern being absent', () => {
  const errors = errorsOf(
    mutate((raw) => void (raw.rules[0]!.when = { allOf: [{ unborn: true }, { not: { indicatorSelected: ['i-1'] } }] } as never)),
  );
  hasError(errors, 'rules[0].when.allOf[1].not.indicatorSelected', /must not depend on an indicator being absent/);
  // The same condition is fine in an advice-only rule, and "not" over the child's age is fine anywhere.
  const ok = validateFramework(
    mutate((raw) => {
      raw.rules[1]!.when = { not: { indicatorSelected: ['i-1'] } } as never;
      raw.rules[0]!.when = { allOf: [{ not: { unborn: true } }, { indicatorTagged: 'domestic-abuse' }] } as never;
    }),
    'f.yaml',
  );
  assert.ok(ok.ok, ok.ok ? '' : ok.errors.map(formatFileError).join('\n'));
});

test('immediate danger must raise the level to the top through a rule, whatever the child\'s age', () => {
  const without = errorsOf(mutate((raw) => void raw.rules.splice(2, 1)));
  assert.equal(without.length, 1);
  hasError(without, 'rules', /^no rule raises the level to "level-3" \(the highest\) when the child is in immediate danger: add a rule with when: \{ immediateDanger: true \} and raiseTo: level-3$/);

  const tooLow = errorsOf(mutate((raw) => void ((raw.rules[2] as { raiseTo?: string }).raiseTo = 'level-2')));
  hasError(tooLow, 'rules', /^no rule raises the level to "level-3"/);

  // A rule that covers only some children is not enough: the age may be unknown.
  const onlyBabies = errorsOf(mutate((raw) => void (raw.rules[2]!.when = { allOf: [{ immediateDanger: true }, { ageUnderMonths: 12 }] } as never)));
  hasError(onlyBabies, 'rules', /immediate danger.*\(it does not for a child whose age is not given\)/);

  // Rules that between them cover every child are enough.
  const split = validateFramework(
    mutate((raw) => {
      raw.rules[2]!.when = { allOf: [{ immediateDanger: true }, { not: { unborn: true } }] } as never;
      raw.rules.push({ ...raw.rules[2]!, id: 'danger-unborn', when: { allOf: [{ immediateDanger: true }, { unborn: true }] } } as never);
    }),
    'f.yaml',
  );
  assert.ok(split.ok, split.ok ? '' : split.errors.map(formatFileError).join('\n'));
});

test('conditions nested too deeply are refused with an error, never a crash', async () => {
  const nest = (depth: number): unknown => {
    let when: unknown = { unborn: true };
    for (let i = 1; i < depth; i++) when = { not: when };
    return when;
  };
  const deep = errorsOf(mutate((raw) => void (raw.rules[1]!.when = nest(20_000) as never)));
  assert.equal(deep.length, 1);
  hasError(deep, 'rules[1].when', /^conditions are nested too deeply: at most 32 levels/);
  const atLimit = validateFramework(mutate((raw) => void (raw.rules[1]!.when = nest(32) as never)), 'f.yaml');
  assert.ok(atLimit.ok, atLimit.ok ? '' : atLimit.errors.map(formatFileError).join('\n'));
  const over = errorsOf(mutate((raw) => void (raw.rules[1]!.when = { allOf: [{ unborn: true }, nest(32)] } as never)));
  hasError(over, 'rules[1].when', /nested too deeply/);

  // The same from a JSON file, which parses however deep it is.
  const raw = validRaw();
  const text = JSON.stringify(raw).replace('"when":{"countAtLevel"', `"when":${'{"not":'.repeat(20_000)}{"countAtLevel"`);
  const file = await writeTemp(text.replace(',"advice":"Consider level 3."', `${'}'.repeat(20_000)},"advice":"Consider level 3."`), 'json');
  const result = await loadFrameworkFile(file);
  assert.equal(result.ok, false);
  if (!result.ok) assert.deepEqual(result.errors.map((e) => e.path), ['rules[1].when']);
});

test('onlyBelow names a known level above the lowest, on advice-only rules', () => {
  const ok = validateFramework(mutate((raw) => void Object.assign(raw.rules[1]!, { onlyBelow: 'level-3' })), 'f.yaml');
  assert.ok(ok.ok, ok.ok ? '' : ok.errors.map(formatFileError).join('\n'));
  const errors = errorsOf(
    mutate((raw) => {
      Object.assign(raw.rules[1]!, { onlyBelow: 'level-9' });
      Object.assign(raw.rules[0]!, { onlyBelow: 'level-3', advice: 'Treat as level 3.' });
    }),
  );
  hasError(errors, 'rules[1].onlyBelow', /^unknown level "level-9"/);
  hasError(errors, 'rules[0].onlyBelow', /^only an advice-only rule can be limited to levels below another/);
  const never = errorsOf(mutate((raw) => void Object.assign(raw.rules[1]!, { onlyBelow: 'level-1' })));
  hasError(never, 'rules[1].onlyBelow', /no level is below "level-1", so this advice would never be given/);
});

test('malformed conditions get a precise message instead of "Invalid input"', () => {
  const errors = errorsOf(
    mutate((raw) => {
      raw.rules[0]!.when = { allOf: [{ unborn: true, ageUnderMonths: 3 }, { olderThan: 3 }] } as never;
      raw.rules[1]!.when = { anyOf: [{ ageUnderMonths: -1 }, { countAtLevel: { level: 'level-2' } }] } as never;
    }),
  );
  hasError(errors, 'rules[0].when.allOf[0]', /^a condition has exactly one key, found 2: unborn, ageUnderMonths/);
  hasError(errors, 'rules[0].when.allOf[1].olderThan', /^unknown condition "olderThan": expected one of: allOf, anyOf/);
  hasError(errors, 'rules[1].when.anyOf[0].ageUnderMonths', />=0/);
  hasError(errors, 'rules[1].when.anyOf[1].countAtLevel.atLeast', /^required field is missing/);
  assert.ok(errors.every((e) => !/Invalid input/.test(e.message)), errors.map(formatFileError).join('\n'));
});

test('schema errors: missing field, unknown field, wrong type, rule without effect', () => {
  const errors = errorsOf(
    mutate((raw) => {
      delete (raw.indicators[0] as { text?: string }).text;
      (raw.levels[0] as Record<string, unknown>).colour = 'green';
      (raw as Record<string, unknown>).version = 2;
      delete (raw.rules[1] as { advice?: string }).advice;
    }),
  );
  hasError(errors, 'indicators[0].text', /^required field is missing \(expected string\)$/);
  hasError(errors, 'levels[0].colour', /^unknown field "colour"$/);
  hasError(errors, 'version', /^expected string, found number$/);
  hasError(errors, 'rules[1]', /must raise the level \(raiseTo\) or give advice/);
});

test('loadFrameworkFile reads YAML and JSON, and gives YAML line numbers for errors', async () => {
  const okYaml = await loadFrameworkFile(await writeTemp(stringify(validRaw())));
  assert.ok(okYaml.ok);
  const okJson = await loadFrameworkFile(await writeTemp(JSON.stringify(validRaw()), 'json'));
  assert.ok(okJson.ok);

  const raw = mutate((r) => void ((r.indicators[1] as { level: string }).level = 'level-9'));
  const text = stringify(raw);
  const file = await writeTemp(text);
  const result = await loadFrameworkFile(file);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.errors.length, 1);
  const [e] = result.errors;
  assert.equal(e?.file, file);
  assert.equal(e?.path, 'indicators[1].level');
  const expectedLine = text.split('\n').findIndex((l) => l.includes('level: level-9')) + 1;
  assert.ok(expectedLine > 0);
  assert.equal(e?.line, expectedLine);
  assert.equal(formatFileError(e!), `${file}: indicators[1].level: unknown level "level-9": levels are level-1, level-2, level-3 (line ${expectedLine})`);
});

test('YAML syntax errors are reported with their line number', async () => {
  const text = ['id: test-area', 'name: Test', 'levels:', '  - id: level-1', '    rank: [1', 'domains: []', ''].join('\n');
  const file = await writeTemp(text);
  const result = await loadFrameworkFile(file);
  assert.equal(result.ok, false);
  if (result.ok) return;
  const [e] = result.errors;
  assert.equal(e?.path, '');
  assert.match(e?.message ?? '', /^YAML syntax error at line \d+, column \d+: /);
  assert.ok(e?.line !== undefined && e.line >= 5 && e.line <= 6, `line ${e?.line}`);
});

test('duplicate keys in YAML are syntax errors at their line', async () => {
  const file = await writeTemp(['id: a', 'name: A', 'id: b', ''].join('\n'));
  const result = await loadFrameworkFile(file);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.errors[0]?.line, 3);
  assert.match(result.errors[0]?.message ?? '', /line 3.*unique/i);
});

test('JSON syntax errors, missing files and unsupported extensions are errors, not exceptions', async () => {
  const bad = await loadFrameworkFile(await writeTemp('{\n  "id": "x",\n  oops\n}', 'json'));
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.match(bad.errors[0]?.message ?? '', /^JSON syntax error/);
    assert.equal(bad.errors[0]?.line, 3);
  }
  const missing = await loadFrameworkFile(join(dir, 'does-not-exist.yaml'));
  assert.deepEqual(missing, {
    ok: false,
    errors: [{ file: join(dir, 'does-not-exist.yaml'), path: '', message: 'cannot read file: no such file' }],
  });
  const txt = await loadFrameworkFile(await writeTemp('hello', 'txt'));
  assert.equal(txt.ok, false);
  if (!txt.ok) assert.match(txt.errors[0]?.message ?? '', /unsupported file type "\.txt"/);
});

test('a file that is not a mapping at all', () => {
  const errors = errorsOf(['not', 'a', 'framework']);
  assert.equal(errors[0]?.path, '');
  assert.match(errors[0]?.message ?? '', /expected object, found a list/);
});

test('loadShippedFrameworks loads a folder and throws one error listing every problem', async () => {
  const folder = join(dir, 'shipped');
  await mkdir(folder);
  await writeFile(join(folder, 'a.yaml'), stringify(validRaw()));
  await writeFile(join(folder, 'notes.md'), '# not a framework');
  const loaded = await loadShippedFrameworks(folder);
  assert.deepEqual(loaded.map((f) => f.id), ['test-area']);

  await writeFile(join(folder, 'b.yaml'), stringify(validRaw()));
  await writeFile(join(folder, 'c.yaml'), stringify(mutate((r) => void ((r.indicators[0] as { level: string }).level = 'nope'))));
  await writeFile(join(folder, 'd.yml'), 'id: [');
  await assert.rejects(loadShippedFrameworks(folder), (err: unknown) => {
    assert.ok(err instanceof FrameworkValidationError);
    assert.equal(err.errors.length, 3);
    assert.match(err.message, /b\.yaml: id: framework id "test-area" is also used by .*a\.yaml/);
    assert.match(err.message, /c\.yaml: indicators\[0\]\.level: unknown level "nope"/);
    assert.match(err.message, /d\.yml: YAML syntax error at line 1/);
    return true;
  });
});
