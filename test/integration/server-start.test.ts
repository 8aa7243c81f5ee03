// The service as `npm start` runs it: the embedded database, several web processes sharing the port, and a
// clean stop that leaves no process behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');

test('starts on the embedded database with two web processes, answers on one port, and stops cleanly on SIGTERM', { timeout: 180_000 }, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'continuum-start-'));
  const { DATABASE_URL: _testDatabase, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', WEB_WORKERS: '2', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /running at http:\/\/localhost:(\d+) \(2 web processes\)/.exec(output);
        if (m) { clearInterval(timer); resolve(Number(m[1])); }
        if (child.exitCode !== null) { clearInterval(timer); reject(new Error(`stopped early:\n${output}`)); }
      }, 100);
    });
    assert.ok(port > 0);
    // Both processes answer; whichever takes a request, the sign-in page and health check work.
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status)));
    assert.deepEqual(answers, Array(20).fill(200));
    const page = await fetch(`http://127.0.0.1:${port}/sign-in`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Sign in/);
    assert.ok(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 'the embedded database is running');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, output);
  assert.equal(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), false, 'the embedded database stopped too');
  await rm(dataDir, { recursive: true, force: true });
});
