import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { stringify, parse } from 'yaml';
import { frameworksCommand } from '../../src/thresholds/cli.ts';
import { listShippedFrameworkFiles } from '../../src/thresholds/validate.ts';
import { SHIPPED_CROSSWALK_FILE } from '../../src/thresholds/crosswalk.ts';

const dir = await mkdtemp(join(tmpdir(), 'continuum-thresholds-cli-'));
after(() => rm(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await frameworksCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const framework = {
  id: 'cli-test',
  name: 'CLI test',
  publisher: 'Test',
  version: '1',
  published: '2025-01',
  source: { title: 't', document: 'd' },
  immediateDanger: { instruction: 'Call 999', source: { section: 's' } },
  levels: [1, 2].map((n) => ({
    id: `level-${n}`,
    rank: n,
    name: `Level ${n}`,
    description: 'd',
    response: { summary: 's' },
    consent: { required: true },
    source: { section: 's' },
  })),
  domains: [{ id: 'd', name: 'D' }],
  indicators: [
    { id: 'a', text: 'A', level: 'level-1', domain: 'd', source: { section: 's' } },
    { id: 'b', text: 'B', level: 'level-2', domain: 'd', source: { section: 's' } },
    { id: 'c', text: 'C', level: 'level-2', domain: 'd', source: { section: 's' } },
  ],
  rules: [
    { id: 'r', title: 'R', when: { unborn: true }, raiseTo: 'level-2', explanation: 'e', source: { section: 's' } },
    { id: 'danger', title: 'D', when: { immediateDanger: true }, raiseTo: 'level-2', explanation: 'e', source: { section: 's' } },
  ],
};

test('validate FILE: prints ok with counts and returns 0', async () => {
  const file = join(dir, 'good.yaml');
  await writeFile(file, stringify(framework));
  const r = await run(['validate', file]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${file}: ok (3 indicators, 2 rules)\n`);
  assert.equal(r.stderr, '');
});

test('validate FILE: one line per error, returns 1; good files are still reported', async () => {
  const good = join(dir, 'good2.json');
  await writeFile(good, JSON.stringify(framework));
  const bad = join(dir, 'bad.yaml');
  const broken = structuredClone(framework);
  broken.indicators[1]!.level = 'level-3';
  broken.indicators[2]!.id = 'a';
  await writeFile(bad, stringify(broken));
  const r = await run(['validate', good, bad]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, `${good}: ok (3 indicators, 2 rules)\n`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0] ?? '', new RegExp(`^${bad}: indicators\\[2\\]\\.id: duplicate indicator id "a" \\(already used at indicators\\[0\\]\\) \\(line \\d+\\)$`));
  assert.match(lines[1] ?? '', new RegExp(`^${bad}: indicators\\[1\\]\\.level: unknown level "level-3": levels are level-1, level-2 \\(line \\d+\\)$`));
});

test('validate: an unreadable file gives a clear error line and returns 1', async () => {
  const missing = join(dir, 'missing.yaml');
  const r = await run(['validate', missing]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `${missing}: cannot read file: no such file\n`);
  const notData = join(dir, 'notes.txt');
  await writeFile(notData, 'hello');
  const r2 = await run(['validate', notData]);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /notes\.txt: unsupported file type "\.txt"/);
});

test('validate: a YAML syntax error names the line', async () => {
  const file = join(dir, 'syntax.yaml');
  await writeFile(file, 'id: x\nlevels: [\n');
  const r = await run(['validate', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^${file}: YAML syntax error at line \\d+, column \\d+: `));
});

test('validate: a cross-walk file is recognised and checked', async () => {
  const r = await run(['validate', SHIPPED_CROSSWALK_FILE]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /: ok \(cross-walk: 5 bands, 4 frameworks\)\n$/);
  const raw = parse(await readFile(SHIPPED_CROSSWALK_FILE, 'utf8'));
  raw.bands[0].levels.medway = ['level-7'];
  const bad = join(dir, 'crosswalk-bad.yaml');
  await writeFile(bad, stringify(raw));
  const r2 = await run(['validate', bad]);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /bands\[0\]\.levels\.medway\[0\]: unknown level "level-7"/);
});

test('validate with no file checks every shipped framework and the cross-walk', async () => {
  const r = await run(['validate']);
  const shipped = await listShippedFrameworkFiles();
  assert.ok(shipped.length > 0);
  const all = r.stdout + r.stderr;
  for (const file of shipped) assert.ok(all.includes(basename(file)), `${basename(file)} is reported`);
  assert.ok(all.includes('crosswalk.yaml'));
  assert.equal(r.code, r.stderr === '' ? 0 : 1, r.stderr);
});

test('unknown or missing command prints usage and returns 2', async () => {
  const r = await run(['check']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command "check"[\s\S]*usage: frameworks validate/);
  assert.equal((await run([])).code, 2);
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage:/);
});
