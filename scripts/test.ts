// `npm test`: run every test file with node's test runner against a real PostgreSQL —
// DATABASE_URL when set, otherwise an embedded server started for this run in a temporary folder.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedDatabase } from '../src/platform/db/embedded.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function findTests(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') files.push(...(await findTests(full)));
    else if (e.isFile() && e.name.endsWith('.test.ts')) files.push(full);
  }
  return files;
}

async function main() {
  const filter = process.argv.slice(2);
  let files = [...(await findTests(path.join(ROOT, 'test'))), ...(await findTests(path.join(ROOT, 'src')))].sort();
  if (filter.length) files = files.filter((f) => filter.some((part) => f.includes(part)));
  if (!files.length) throw new Error('no test files found');

  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded = async () => undefined as void;
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'continuum-test-'));
    process.stdout.write(`Starting an embedded PostgreSQL for the tests in ${dir}\n`);
    const embedded = await startEmbeddedDatabase(dir);
    serverUrl = embedded.url;
    stopEmbedded = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  process.stdout.write(`Running ${files.length} test files\n`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_SERVER_URL: serverUrl, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  await stopEmbedded();
  process.exit(code);
}

main().catch((error) => {
  process.stderr.write(`npm test: ${(error as Error).message}\n`);
  process.exit(1);
});
